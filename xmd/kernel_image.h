/*
 * Kernel images as Xen's toolstack takes them: an ELF as it is, or a
 * Linux bzImage whose payload (the ELF vmlinux) is compressed with
 * gzip, bzip2, xz, lzma, lzo, lz4 or zstd, unpacked with their
 * libraries.  Host code (xmd); the ELF is then xen_elf's.
 */
#ifndef XMD_KERNEL_IMAGE_H
#define XMD_KERNEL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* No unpacked kernel is larger (Debian's vmlinux is about 60 MiB). */
#define KIMG_MAX_UNPACKED	(512UL << 20)

/* The payload's compression, from its first bytes. */
enum kimg_format {
	KIMG_NONE,		/* not compressed */
	KIMG_GZIP,
	KIMG_BZIP2,
	KIMG_XZ,
	KIMG_LZMA,
	KIMG_LZO,		/* lzop's format, as Linux's unlzo reads */
	KIMG_LZ4,		/* LZ4's legacy frames, as Linux builds */
	KIMG_ZSTD,
};

const char	*kimg_format_name(enum kimg_format);
enum kimg_format kimg_detect(const uint8_t *data, size_t len);

/*
 * The kernel in image: if it is a bzImage, its payload unpacked into a
 * new buffer (*out, *out_len, free() it), and *fmt says how it was
 * packed; otherwise *out is NULL (use image as it is).  0, or -1 with
 * why (a static string) for an image that cannot be used: a bzImage
 * without a payload (boot protocol < 2.08), a payload out of the file,
 * a compression not known, a corrupt or truncated stream, or more than
 * max bytes unpacked.
 */
int	kimg_unpack(const uint8_t *image, size_t len, size_t max,
	    uint8_t **out, size_t *out_len, enum kimg_format *fmt,
	    const char **why);

/* Decompress data of format fmt (not KIMG_NONE); as kimg_unpack. */
int	kimg_decompress(enum kimg_format fmt, const uint8_t *data,
	    size_t len, size_t max, uint8_t **out, size_t *out_len,
	    const char **why);

#endif
