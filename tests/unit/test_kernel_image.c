/*
 * Unit tests for xmd's kernel images (xmd/kernel_image.c and
 * kernel_unpack.c): bzImages whose payload each library's own encoder
 * packed, built here in memory, unpack to the bytes that went in; the
 * header's fields are checked; broken, cut or oversized payloads are
 * refused with their reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "kernel_image.h"

#define SETUP_SECTS	2
#define PM_START	((SETUP_SECTS + 1) * 512)
#define STUB		64

struct buf {
	uint8_t	*p;
	size_t	 len;
};

/* Compressible, not trivial: text-like runs with some noise. */
static struct buf
sample(size_t len)
{
	struct buf b = { malloc(len), len };
	uint64_t x = 88172645463325252ULL;
	size_t i;

	assert_non_null(b.p);
	for (i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		b.p[i] = (x & 7) == 0 ? (uint8_t)x : (uint8_t)("vmlinux "[i % 8]);
	}
	return b;
}

static void
le32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static void
be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static struct buf
pack_gzip(struct buf in)
{
	struct buf o = { malloc(in.len + 1024), 0 };
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = in.p, z.avail_in = (uInt)in.len;
	z.next_out = o.p, z.avail_out = (uInt)(in.len + 1024);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	o.len = z.total_out;
	deflateEnd(&z);
	return o;
}

static struct buf
pack_bzip2(struct buf in)
{
	unsigned int len = (unsigned int)(in.len + in.len / 100 + 700);
	struct buf o = { malloc(len), 0 };

	assert_int_equal(BZ2_bzBuffToBuffCompress((char *)o.p, &len,
	    (char *)in.p, (unsigned int)in.len, 1, 0, 0), BZ_OK);
	o.len = len;
	return o;
}

static struct buf
pack_xz(struct buf in)
{
	struct buf o = { malloc(in.len + 4096), 0 };

	assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC32, NULL,
	    in.p, in.len, o.p, &o.len, in.len + 4096), LZMA_OK);
	return o;
}

static struct buf
pack_lzma(struct buf in)
{
	struct buf o = { malloc(in.len + 4096), 0 };
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;

	assert_false(lzma_lzma_preset(&opt, 1));
	assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	s.next_in = in.p, s.avail_in = in.len;
	s.next_out = o.p, s.avail_out = in.len + 4096;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	o.len = s.total_out;
	lzma_end(&s);
	return o;
}

/* lzop's layout: magic, a version 1.030 header, then 256 KiB blocks. */
static struct buf
pack_lzo(struct buf in)
{
	static const uint8_t head[] = { 0x89, 'L', 'Z', 'O', 0, '\r', '\n',
	    0x1a, '\n',
	    0x10, 0x30, 0x20, 0x60, 0x09, 0x40,	/* versions, needed */
	    1, 5,				/* method, level */
	    0, 0, 0, 0,				/* flags: no checksums */
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* mode, mtime */
	    0,					/* no name */
	    0, 0, 0, 0 };			/* header checksum */
	struct buf o = { malloc(in.len * 2 + 4096), 0 };
	uint8_t *wrk = malloc(LZO1X_1_MEM_COMPRESS);
	size_t off, n;
	lzo_uint clen;

	assert_int_equal(lzo_init(), LZO_E_OK);
	memcpy(o.p, head, sizeof(head));	/* flags 0, no name */
	o.len = sizeof(head);
	for (off = 0; off < in.len; off += n) {
		n = in.len - off < 256 * 1024 ? in.len - off : 256 * 1024;
		be32_put(o.p + o.len, (uint32_t)n);
		assert_int_equal(lzo1x_1_compress(in.p + off, n,
		    o.p + o.len + 8, &clen, wrk), LZO_E_OK);
		if (clen >= n) {
			memcpy(o.p + o.len + 8, in.p + off, n);
			clen = n;
		}
		be32_put(o.p + o.len + 4, (uint32_t)clen);
		o.len += 8 + clen;
	}
	be32_put(o.p + o.len, 0);
	o.len += 4;
	free(wrk);
	return o;
}

/* LZ4's legacy frame: the magic, then 8 MiB blocks after their size. */
static struct buf
pack_lz4(struct buf in)
{
	size_t cap = in.len + in.len / 100 + 4096, off, n;
	struct buf o = { malloc(cap), 4 };
	int c;

	le32_put(o.p, 0x184c2102);
	for (off = 0; off < in.len; off += n) {
		n = in.len - off < (8U << 20) ? in.len - off : (8U << 20);
		c = LZ4_compress_default((const char *)in.p + off,
		    (char *)o.p + o.len + 4, (int)n, (int)(cap - o.len - 4));
		assert_true(c > 0);
		le32_put(o.p + o.len, (uint32_t)c);
		o.len += 4 + (size_t)c;
	}
	return o;
}

static struct buf
pack_zstd(struct buf in)
{
	size_t cap = ZSTD_compressBound(in.len);
	struct buf o = { malloc(cap), 0 };

	o.len = ZSTD_compress(o.p, cap, in.p, in.len, 3);
	assert_false(ZSTD_isError(o.len));
	return o;
}

/* A bzImage around payload (+ Linux's size trailer, but for gzip). */
static struct buf
bzimage(struct buf payload, size_t vmlinux_len, uint16_t version)
{
	size_t plen = payload.len + 4;
	struct buf o = { calloc(1, PM_START + STUB + plen + 16), 0 };

	o.p[0x1f1] = SETUP_SECTS;
	memcpy(o.p + 0x202, "HdrS", 4);
	o.p[0x206] = (uint8_t)version, o.p[0x207] = (uint8_t)(version >> 8);
	le32_put(o.p + 0x248, STUB);
	le32_put(o.p + 0x24c, (uint32_t)plen);
	memcpy(o.p + PM_START + STUB, payload.p, payload.len);
	le32_put(o.p + PM_START + STUB + payload.len, (uint32_t)vmlinux_len);
	o.len = PM_START + STUB + plen + 16;
	return o;
}

typedef struct buf (*packer_t)(struct buf);

static const struct {
	enum kimg_format	 fmt;
	packer_t		 pack;
} packers[] = {
	{ KIMG_GZIP, pack_gzip }, { KIMG_BZIP2, pack_bzip2 },
	{ KIMG_XZ, pack_xz }, { KIMG_LZMA, pack_lzma },
	{ KIMG_LZO, pack_lzo }, { KIMG_LZ4, pack_lz4 },
	{ KIMG_ZSTD, pack_zstd },
};
#define NPACKERS	(sizeof(packers) / sizeof(packers[0]))

static int
unpack(struct buf img, size_t max, struct buf *out, enum kimg_format *fmt,
    const char **why)
{
	*why = NULL;
	return kimg_unpack(img.p, img.len, max, &out->p, &out->len, fmt, why);
}

static void
test_each_format_round_trips(void **state)
{
	struct buf in = sample(3 << 20), big = sample(9 << 20), p, img, out;
	enum kimg_format fmt;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < NPACKERS; i++) {
		/* lz4 gets two legacy blocks; the others, growth past 1 MiB. */
		struct buf src = packers[i].fmt == KIMG_LZ4 ? big : in;

		print_message("%s\n", kimg_format_name(packers[i].fmt));
		p = packers[i].pack(src);
		img = bzimage(p, src.len, 0x020f);
		assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt,
		    &why), 0);
		assert_int_equal(fmt, packers[i].fmt);
		assert_int_equal(out.len, src.len);
		assert_memory_equal(out.p, src.p, src.len);
		assert_int_equal(kimg_detect(p.p, p.len), packers[i].fmt);
		free(out.p), free(img.p), free(p.p);
	}
	free(in.p), free(big.p);
}

static void
test_not_a_bzimage_is_left_alone(void **state)
{
	struct buf in = sample(4096), out;
	enum kimg_format fmt;
	const char *why;

	(void)state;
	memcpy(in.p, "\x7f" "ELF", 4);
	assert_int_equal(unpack(in, KIMG_MAX_UNPACKED, &out, &fmt, &why), 0);
	assert_null(out.p);
	assert_int_equal(fmt, KIMG_NONE);
	in.len = 100;		/* shorter than the boot header */
	assert_int_equal(unpack(in, KIMG_MAX_UNPACKED, &out, &fmt, &why), 0);
	assert_null(out.p);
	free(in.p);
}

static void
test_header_refusals(void **state)
{
	struct buf in = sample(8192), p = pack_gzip(in), img, out;
	enum kimg_format fmt;
	const char *why;

	(void)state;
	img = bzimage(p, in.len, 0x0207);
	assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt, &why), -1);
	assert_string_equal(why, "a bzImage older than boot protocol 2.08 "
	    "(no payload fields)");
	free(img.p);
	img = bzimage(p, in.len, 0x020f);
	le32_put(img.p + 0x24c, (uint32_t)img.len);	/* past the end */
	assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt, &why), -1);
	assert_string_equal(why, "a bzImage whose payload lies outside the "
	    "file");
	le32_put(img.p + 0x24c, 0);
	assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt, &why), -1);
	le32_put(img.p + 0x24c, (uint32_t)p.len + 4);
	le32_put(img.p + 0x248, 0xfffffff0);		/* offset wraps */
	assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt, &why), -1);
	le32_put(img.p + 0x248, STUB + 1);		/* not at its magic */
	assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt, &why), -1);
	assert_non_null(strstr(why, "compressed in a way not known"));
	free(img.p), free(p.p), free(in.p);
}

static void
test_broken_payloads_are_refused(void **state)
{
	struct buf in = sample(1 << 20), p, img, out;
	enum kimg_format fmt;
	const char *why;
	size_t i, j;

	(void)state;
	for (i = 0; i < NPACKERS; i++) {
		p = packers[i].pack(in);
		/* Cut in the middle: no decoder may read past its input. */
		img = bzimage((struct buf){ p.p, p.len / 2 }, in.len, 0x020f);
		le32_put(img.p + 0x24c, (uint32_t)p.len / 2);
		assert_int_equal(unpack(img, KIMG_MAX_UNPACKED, &out, &fmt,
		    &why), -1);
		assert_non_null(why);
		free(img.p);
		for (j = p.len / 3; j < p.len / 3 + 64; j++)
			p.p[j] ^= 0xa5;
		img = bzimage(p, in.len, 0x020f);
		if (unpack(img, KIMG_MAX_UNPACKED, &out, &fmt, &why) == 0) {
			/* Formats without a checksum may yield other bytes. */
			assert_true(packers[i].fmt == KIMG_LZ4 ||
			    packers[i].fmt == KIMG_LZO);
			free(out.p);
		} else
			assert_string_equal(why, "its compressed payload is "
			    "corrupt");
		free(img.p), free(p.p);
	}
	free(in.p);
}

static void
test_unpacking_stops_at_the_limit(void **state)
{
	struct buf in = sample(4 << 20), p, img, out;
	enum kimg_format fmt;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < NPACKERS; i++) {
		print_message("%s\n", kimg_format_name(packers[i].fmt));
		p = packers[i].pack(in);
		img = bzimage(p, in.len, 0x020f);
		assert_int_equal(unpack(img, 1 << 20, &out, &fmt, &why), -1);
		assert_string_equal(why, "unpacks to more than the largest "
		    "kernel xmd takes");
		assert_int_equal(unpack(img, in.len, &out, &fmt, &why), 0);
		free(out.p), free(img.p), free(p.p);
	}
	free(in.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_format_round_trips),
		cmocka_unit_test(test_not_a_bzimage_is_left_alone),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_broken_payloads_are_refused),
		cmocka_unit_test(test_unpacking_stops_at_the_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
