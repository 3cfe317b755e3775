/*
 * The payload decoders of kernel_image.h, one per compression, each
 * with its library, each writing into a buffer that grows up to a
 * limit (an image that unpacks to more is refused, not followed).
 * Linux appends the unpacked size after the stream; each decoder stops
 * at the end of its stream.
 */
#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "kernel_image.h"

#define CHUNK		(1UL << 20)
#define TOO_BIG		"unpacks to more than the largest kernel xmd takes"
#define CORRUPT		"its compressed payload is corrupt"
#define TRUNCATED	"its compressed payload is cut short"
#define NO_MEMORY	"out of memory"

struct obuf {
	uint8_t		*p;
	size_t		 len, cap, max;
};

/* Room for n more bytes: 0, or -1 with why. */
static int
obuf_reserve(struct obuf *o, size_t n, const char **why)
{
	size_t cap;
	uint8_t *p;

	if (o->cap - o->len >= n)
		return 0;
	if (n > o->max - o->len) {
		*why = TOO_BIG;
		return -1;
	}
	cap = o->cap == 0 ? CHUNK : o->cap;
	while (cap - o->len < n)
		cap = cap > o->max / 2 ? o->max : cap * 2;
	cap = cap > o->max ? o->max : cap;
	if ((p = realloc(o->p, cap)) == NULL) {
		*why = NO_MEMORY;
		return -1;
	}
	o->p = p;
	o->cap = cap;
	return 0;
}

/* Room for more output: the free bytes, or 0 (why set) if none. */
static size_t
obuf_room(struct obuf *o, const char **why)
{
	if (o->cap == o->len && obuf_reserve(o, 1, why) != 0)
		return 0;
	return o->cap - o->len;
}

static int
un_gzip(const uint8_t *in, size_t len, struct obuf *o, const char **why)
{
	z_stream z;
	size_t room;
	int rc = Z_OK;

	memset(&z, 0, sizeof(z));
	if (len > UINT32_MAX || inflateInit2(&z, 15 + 16) != Z_OK) {
		*why = NO_MEMORY;
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	while (rc == Z_OK && (room = obuf_room(o, why)) != 0) {
		room = room > UINT32_MAX ? UINT32_MAX : room;
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)room;
		rc = inflate(&z, Z_NO_FLUSH);
		o->len += room - z.avail_out;
	}
	inflateEnd(&z);
	if (rc == Z_STREAM_END)
		return 0;
	if (rc == Z_BUF_ERROR && z.avail_in == 0)
		*why = TRUNCATED;
	else if (rc != Z_OK)
		*why = CORRUPT;
	return -1;
}

static int
un_bzip2(const uint8_t *in, size_t len, struct obuf *o, const char **why)
{
	bz_stream s;
	size_t room;
	int rc = BZ_OK;

	memset(&s, 0, sizeof(s));
	if (len > UINT32_MAX || BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) {
		*why = NO_MEMORY;
		return -1;
	}
	s.next_in = (char *)(uintptr_t)in;
	s.avail_in = (unsigned int)len;
	while (rc == BZ_OK && (room = obuf_room(o, why)) != 0) {
		room = room > UINT32_MAX ? UINT32_MAX : room;
		s.next_out = (char *)o->p + o->len;
		s.avail_out = (unsigned int)room;
		rc = BZ2_bzDecompress(&s);
		o->len += room - s.avail_out;
		if (rc == BZ_OK && s.avail_in == 0 && s.avail_out != 0)
			rc = BZ_UNEXPECTED_EOF;
	}
	BZ2_bzDecompressEnd(&s);
	if (rc == BZ_STREAM_END)
		return 0;
	if (rc != BZ_OK)
		*why = rc == BZ_UNEXPECTED_EOF ? TRUNCATED : CORRUPT;
	return -1;
}

/* xz and the older .lzma ("alone") format. */
static int
un_lzma(const uint8_t *in, size_t len, struct obuf *o, int alone,
    const char **why)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret rc;
	size_t room;

	rc = alone ? lzma_alone_decoder(&s, UINT64_MAX) :
	    lzma_stream_decoder(&s, UINT64_MAX, 0);
	if (rc != LZMA_OK) {
		*why = NO_MEMORY;
		return -1;
	}
	s.next_in = in;
	s.avail_in = len;
	while (rc == LZMA_OK && (room = obuf_room(o, why)) != 0) {
		s.next_out = o->p + o->len;
		s.avail_out = room;
		rc = lzma_code(&s, LZMA_FINISH);
		o->len += room - s.avail_out;
	}
	lzma_end(&s);
	if (rc == LZMA_STREAM_END)
		return 0;
	if (rc == LZMA_BUF_ERROR)
		*why = TRUNCATED;
	else if (rc == LZMA_MEM_ERROR)
		*why = NO_MEMORY;
	else if (rc != LZMA_OK)
		*why = CORRUPT;
	return -1;
}

static int
un_zstd(const uint8_t *in, size_t len, struct obuf *o, const char **why)
{
	ZSTD_DStream *s = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	ZSTD_outBuffer ob;
	size_t rc = 1, room;

	if (s == NULL || ZSTD_isError(ZSTD_initDStream(s))) {
		ZSTD_freeDStream(s);
		*why = NO_MEMORY;
		return -1;
	}
	while (rc != 0 && (room = obuf_room(o, why)) != 0) {
		ob = (ZSTD_outBuffer){ o->p + o->len, room, 0 };
		rc = ZSTD_decompressStream(s, &ob, &ib);
		o->len += ob.pos;
		if (ZSTD_isError(rc)) {
			*why = CORRUPT;
			break;
		}
		if (rc != 0 && ib.pos == ib.size && ob.pos < room) {
			*why = TRUNCATED;
			break;
		}
	}
	ZSTD_freeDStream(s);
	return rc == 0 ? 0 : -1;
}

/* lzop's format, as Linux's unlzo reads it. */
#define LZOP_F_ADLER32_D	0x00000001U
#define LZOP_F_ADLER32_C	0x00000002U
#define LZOP_F_H_FILTER		0x00000800U
#define LZOP_F_CRC32_D		0x00000100U
#define LZOP_F_CRC32_C		0x00000200U
#define LZOP_BLOCK_MAX		(256UL * 1024)
#define LZOP_MAGIC_LEN		9

/* A cursor over the input. */
struct ibuf {
	const uint8_t	*p;
	size_t		 left;
};

static int
take(struct ibuf *b, size_t n, const uint8_t **at)
{
	if (b->left < n)
		return -1;
	if (at != NULL)
		*at = b->p;
	b->p += n;
	b->left -= n;
	return 0;
}

static int
take_be(struct ibuf *b, size_t n, uint32_t *v)
{
	const uint8_t *p;
	size_t i;

	if (take(b, n, &p) != 0)
		return -1;
	for (*v = 0, i = 0; i < n; i++)
		*v = *v << 8 | p[i];
	return 0;
}

/* The header after the magic; the flags that say what a block has. */
static int
lzop_header(struct ibuf *b, uint32_t *flags)
{
	uint32_t version, v, name_len;

	if (take_be(b, 2, &version) != 0 || take(b, 2, NULL) != 0 ||
	    (version >= 0x0940 && take(b, 2, NULL) != 0) ||
	    take(b, 1, NULL) != 0 ||			/* method */
	    (version >= 0x0940 && take(b, 1, NULL) != 0) ||
	    take_be(b, 4, flags) != 0 ||
	    ((*flags & LZOP_F_H_FILTER) && take(b, 4, NULL) != 0) ||
	    take(b, 8, NULL) != 0 ||			/* mode, mtime */
	    (version >= 0x0940 && take(b, 4, NULL) != 0) ||
	    take_be(b, 1, &name_len) != 0 || take(b, name_len, NULL) != 0 ||
	    take_be(b, 4, &v) != 0)			/* its checksum */
		return -1;
	return 0;
}

static int
lzop_block(struct ibuf *b, uint32_t flags, uint32_t dst_len,
    struct obuf *o, const char **why)
{
	const uint8_t *src;
	uint32_t src_len;
	lzo_uint done = dst_len;

	if (take_be(b, 4, &src_len) != 0 ||
	    ((flags & LZOP_F_ADLER32_D) && take(b, 4, NULL) != 0) ||
	    ((flags & LZOP_F_CRC32_D) && take(b, 4, NULL) != 0) ||
	    (src_len < dst_len && (flags & LZOP_F_ADLER32_C) &&
	    take(b, 4, NULL) != 0) ||
	    (src_len < dst_len && (flags & LZOP_F_CRC32_C) &&
	    take(b, 4, NULL) != 0) || take(b, src_len, &src) != 0) {
		*why = TRUNCATED;
		return -1;
	}
	if (obuf_reserve(o, dst_len, why) != 0)
		return -1;
	if (src_len > dst_len) {
		*why = CORRUPT;
		return -1;
	}
	if (src_len == dst_len)
		memcpy(o->p + o->len, src, dst_len);
	else if (lzo1x_decompress_safe(src, src_len, o->p + o->len, &done,
	    NULL) != LZO_E_OK || done != dst_len)
		return -1;
	o->len += dst_len;
	return 0;
}

static int
un_lzo(const uint8_t *in, size_t len, struct obuf *o, const char **why)
{
	struct ibuf b = { in, len };
	uint32_t flags, dst_len;

	if (lzo_init() != LZO_E_OK) {
		*why = NO_MEMORY;
		return -1;
	}
	if (take(&b, LZOP_MAGIC_LEN, NULL) != 0 || lzop_header(&b, &flags)) {
		*why = TRUNCATED;
		return -1;
	}
	for (;;) {
		if (take_be(&b, 4, &dst_len) != 0) {
			*why = TRUNCATED;
			return -1;
		}
		if (dst_len == 0)
			return 0;
		if (dst_len > LZOP_BLOCK_MAX) {
			*why = CORRUPT;
			return -1;
		}
		if (lzop_block(&b, flags, dst_len, o, why) != 0)
			return -1;
	}
}

/*
 * LZ4's legacy frames (lz4 -l, as Linux builds): the magic, then blocks
 * of at most 8 MiB unpacked, each after its packed size; Linux's 4-byte
 * unpacked size ends it.
 */
#define LZ4_LEGACY_MAGIC	0x184c2102U
#define LZ4_LEGACY_BLOCK	(8UL << 20)

static uint32_t
le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
un_lz4(const uint8_t *in, size_t len, struct obuf *o, const char **why)
{
	struct ibuf b = { in + 4, len - 4 };
	const uint8_t *src;
	uint32_t chunk;
	size_t room;
	int n, blocks = 0;

	while (b.left >= 4) {
		if (blocks > 0 && b.left == 4)
			break;			/* Linux's size trailer */
		chunk = le32_at(b.p);
		(void)take(&b, 4, NULL);
		if (chunk == LZ4_LEGACY_MAGIC)
			continue;		/* frames concatenated */
		if (chunk > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK) ||
		    take(&b, chunk, &src) != 0) {
			*why = chunk > b.left ? TRUNCATED : CORRUPT;
			return -1;
		}
		room = o->max - o->len < LZ4_LEGACY_BLOCK ?
		    o->max - o->len : LZ4_LEGACY_BLOCK;
		if (room == 0 || obuf_reserve(o, room, why) != 0) {
			*why = TOO_BIG;
			return -1;
		}
		n = LZ4_decompress_safe((const char *)src,
		    (char *)o->p + o->len, (int)chunk, (int)room);
		if (n < 0) {
			*why = room < LZ4_LEGACY_BLOCK ? TOO_BIG : CORRUPT;
			return -1;
		}
		o->len += (size_t)n;
		blocks++;
	}
	if (blocks == 0)
		*why = TRUNCATED;
	return blocks > 0 ? 0 : -1;
}

int
kimg_decompress(enum kimg_format fmt, const uint8_t *data, size_t len,
    size_t max, uint8_t **out, size_t *out_len, const char **why)
{
	struct obuf o = { NULL, 0, 0, max };
	int rc = -1;

	*why = CORRUPT;
	switch (fmt) {
	case KIMG_GZIP:
		rc = un_gzip(data, len, &o, why);
		break;
	case KIMG_BZIP2:
		rc = un_bzip2(data, len, &o, why);
		break;
	case KIMG_XZ:
	case KIMG_LZMA:
		rc = un_lzma(data, len, &o, fmt == KIMG_LZMA, why);
		break;
	case KIMG_LZO:
		rc = un_lzo(data, len, &o, why);
		break;
	case KIMG_LZ4:
		rc = un_lz4(data, len, &o, why);
		break;
	case KIMG_ZSTD:
		rc = un_zstd(data, len, &o, why);
		break;
	case KIMG_NONE:
		*why = "not compressed";
		break;
	}
	if (rc != 0) {
		free(o.p);
		return -1;
	}
	*out = o.p;
	*out_len = o.len;
	return 0;
}
