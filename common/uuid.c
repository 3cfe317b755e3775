/*
 * UUIDs with libuuid.  libuuid reads only the dashed form; the form
 * without dashes, which xm has always taken too, gets its dashes first.
 */
#include <ctype.h>
#include <string.h>

#include <uuid/uuid.h>

#include "uuid.h"

_Static_assert(sizeof(uuid_t) == XM_UUID_LEN, "a UUID is 16 bytes");

/* The 32 hex digits of s with the four dashes in dashed (37 bytes). */
static int
add_dashes(const char *s, char dashed[XM_UUID_STRLEN])
{
	static const unsigned char group[] = { 8, 4, 4, 4, 12 };
	size_t g, i, n = 0;

	for (g = 0; g < sizeof(group); g++) {
		if (g > 0)
			dashed[n++] = '-';
		for (i = 0; i < group[g]; i++) {
			if (!isxdigit((unsigned char)*s))
				return -1;
			dashed[n++] = *s++;
		}
	}
	dashed[n] = '\0';
	return 0;
}

int
xm_uuid_parse(const char *s, uint8_t uuid[XM_UUID_LEN])
{
	char dashed[XM_UUID_STRLEN];

	switch (strlen(s)) {
	case 32:
		if (add_dashes(s, dashed) != 0)
			return -1;
		return uuid_parse(dashed, uuid) == 0 ? 0 : -1;
	case 36:
		return uuid_parse(s, uuid) == 0 ? 0 : -1;
	default:
		return -1;
	}
}

void
xm_uuid_format(const uint8_t uuid[XM_UUID_LEN], char out[XM_UUID_STRLEN])
{
	uuid_unparse_lower(uuid, out);
}

int
xm_uuid_generate(uint8_t uuid[XM_UUID_LEN])
{
	uuid_generate(uuid);
	return 0;
}
