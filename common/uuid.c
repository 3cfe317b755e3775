/* UUIDs: parse, format, generate (version 4). */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "uuid.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
xm_uuid_parse(const char *s, uint8_t uuid[XM_UUID_LEN])
{
	size_t len = strlen(s), i, n = 0;
	int dashes = len == 36, hi, lo;

	if (len != 32 && len != 36)
		return -1;
	for (i = 0; i < len; ) {
		if (dashes && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (s[i++] != '-')
				return -1;
			continue;
		}
		hi = hex_value(s[i]);
		lo = hex_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		uuid[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return n == XM_UUID_LEN ? 0 : -1;
}

void
xm_uuid_format(const uint8_t u[XM_UUID_LEN], char out[XM_UUID_STRLEN])
{
	snprintf(out, XM_UUID_STRLEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4],
	    u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
	    u[15]);
}

int
xm_uuid_generate(uint8_t uuid[XM_UUID_LEN])
{
	if (getrandom(uuid, XM_UUID_LEN, 0) != XM_UUID_LEN)
		return -1;
	uuid[6] = (uuid[6] & 0x0f) | 0x40;	/* version 4 */
	uuid[8] = (uuid[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	return 0;
}
