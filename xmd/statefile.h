/*
 * Files in xmd's state directory, written so that a crash leaves either
 * the old content or the new, never a mix: a temporary file in the same
 * directory, fsync, rename over the old name, fsync of the directory.
 */
#ifndef XMD_STATEFILE_H
#define XMD_STATEFILE_H

#include <stddef.h>

/* 0, or -1 with errno set. */
int	statefile_write(const char *dir, const char *name, const char *data,
	    size_t len);
/* 0 (also when it was not there), or -1 with errno set. */
int	statefile_remove(const char *dir, const char *name);
/* The whole file, NUL-terminated (*len without it); NULL with errno. */
char	*statefile_read(const char *path, size_t max, size_t *len);
/* dir/name in buf; -1 if it does not fit. */
int	statefile_path(char *buf, size_t len, const char *dir,
	    const char *name);

#endif
