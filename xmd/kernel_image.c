/*
 * Kernel images: the bzImage header (Linux's x86 boot protocol) and the
 * payload's compression.  The decoders are in kernel_unpack.c.
 */
#include <stdint.h>
#include <string.h>

#include "kernel_image.h"

/* Boot protocol offsets (Documentation/arch/x86/boot.rst). */
#define BZ_SETUP_SECTS		0x1f1
#define BZ_HEADER		0x202	/* "HdrS" */
#define BZ_VERSION		0x206
#define BZ_PAYLOAD_OFFSET	0x248	/* from the protected-mode code */
#define BZ_PAYLOAD_LENGTH	0x24c
#define BZ_HEADER_END		0x250
#define BZ_PAYLOAD_VERSION	0x0208	/* the first with the payload */

static const struct {
	enum kimg_format	 fmt;
	const char		*name;
	const uint8_t		*magic;
	size_t			 len;
} formats[] = {
	{ KIMG_GZIP, "gzip", (const uint8_t *)"\x1f\x8b", 2 },
	{ KIMG_BZIP2, "bzip2", (const uint8_t *)"BZh", 3 },
	{ KIMG_XZ, "xz", (const uint8_t *)"\xfd" "7zXZ\0", 6 },
	{ KIMG_LZMA, "lzma", (const uint8_t *)"\x5d\0\0", 3 },
	{ KIMG_LZO, "lzo", (const uint8_t *)"\x89LZO\0\r\n\x1a\n", 9 },
	{ KIMG_LZ4, "lz4", (const uint8_t *)"\x02\x21\x4c\x18", 4 },
	{ KIMG_ZSTD, "zstd", (const uint8_t *)"\x28\xb5\x2f\xfd", 4 },
};

const char *
kimg_format_name(enum kimg_format fmt)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "none";
}

enum kimg_format
kimg_detect(const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (len >= formats[i].len &&
		    memcmp(data, formats[i].magic, formats[i].len) == 0)
			return formats[i].fmt;
	return KIMG_NONE;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
is_bzimage(const uint8_t *image, size_t len)
{
	return len >= BZ_HEADER_END &&
	    memcmp(image + BZ_HEADER, "HdrS", 4) == 0;
}

int
kimg_unpack(const uint8_t *image, size_t len, size_t max, uint8_t **out,
    size_t *out_len, enum kimg_format *fmt, const char **why)
{
	size_t setup, off, plen;
	uint16_t version;

	*out = NULL;
	*out_len = 0;
	*fmt = KIMG_NONE;
	if (!is_bzimage(image, len))
		return 0;
	version = (uint16_t)(image[BZ_VERSION] | image[BZ_VERSION + 1] << 8);
	if (version < BZ_PAYLOAD_VERSION) {
		*why = "a bzImage older than boot protocol 2.08 (no payload "
		    "fields)";
		return -1;
	}
	/* 0 setup sectors means 4, for the oldest loaders' sake. */
	setup = image[BZ_SETUP_SECTS] != 0 ? image[BZ_SETUP_SECTS] : 4;
	off = (setup + 1) * 512 + le32(image + BZ_PAYLOAD_OFFSET);
	plen = le32(image + BZ_PAYLOAD_LENGTH);
	if (plen == 0 || off > len || plen > len - off) {
		*why = "a bzImage whose payload lies outside the file";
		return -1;
	}
	*fmt = kimg_detect(image + off, plen);
	if (*fmt == KIMG_NONE) {
		*why = "a bzImage whose payload is compressed in a way "
		    "not known (gzip, bzip2, xz, lzma, lzo, lz4, zstd are)";
		return -1;
	}
	return kimg_decompress(*fmt, image + off, plen, max, out, out_len,
	    why);
}
