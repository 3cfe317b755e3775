/*
 * Files that hold secrets: xmd.conf once it has tokens, xmd's TLS key,
 * a client's token file and key.  As ssh and PostgreSQL refuse a key
 * every user can read, xm refuses such a file when others (neither its
 * owner nor its group) may read or write it: 0600 and 0640 are fine,
 * 0644 is not.
 */
#ifndef XM_COMMON_SECRET_FILE_H
#define XM_COMMON_SECRET_FILE_H

#include <stddef.h>

/*
 * 0 when path is kept from others; 1 when they may read or write it,
 * with why saying so (its mode and the fix); -1 when it cannot be
 * looked at (errno; why says so too).
 */
int	xm_secret_file_check(const char *path, char *why, size_t len);

#endif
