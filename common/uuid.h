/*
 * UUIDs as libvirt writes them: 16 bytes, shown as 8-4-4-4-12 lowercase
 * hex digits.  Generated ones are random (version 4, RFC 4122 variant).
 */
#ifndef XM_COMMON_UUID_H
#define XM_COMMON_UUID_H

#include <stdint.h>

#define XM_UUID_LEN	16
#define XM_UUID_STRLEN	37	/* 36 characters and the NUL */

/* 0, or -1 if s is not 32 hex digits, with or without the four dashes. */
int	xm_uuid_parse(const char *s, uint8_t uuid[XM_UUID_LEN]);
void	xm_uuid_format(const uint8_t uuid[XM_UUID_LEN],
	    char out[XM_UUID_STRLEN]);
/* 0, or -1 with errno set when the system has no randomness to give. */
int	xm_uuid_generate(uint8_t uuid[XM_UUID_LEN]);

#endif
