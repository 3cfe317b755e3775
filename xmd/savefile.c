/* The save file's framing and checksum (savefile.h). */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "savefile.h"

#define PAD8(n)		(((uint64_t)(n) + 7) & ~UINT64_C(7))
#define CHUNK		65536

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
write_all(struct sf_writer *w, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	w->w_crc = (uint32_t)crc32(w->w_crc, p, (uInt)len);
	while (len > 0) {
		if ((n = write(w->w_fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		w->w_off += (uint64_t)n;
	}
	return 0;
}

int
sf_write_begin_flags(struct sf_writer *w, int fd, uint32_t flags)
{
	uint8_t h[SF_HEADER_LEN] = { 0 };

	w->w_fd = fd;
	w->w_crc = (uint32_t)crc32(0, NULL, 0);
	w->w_off = 0;
	memcpy(h, SF_MAGIC, SF_MAGIC_LEN);
	put32(h + 8, SF_VERSION);
	put32(h + 12, flags);
	return write_all(w, h, sizeof(h));
}

int
sf_write_begin(struct sf_writer *w, int fd)
{
	return sf_write_begin_flags(w, fd, 0);
}


int
sf_write_record(struct sf_writer *w, uint32_t type, const struct iovec *iov,
    int iovcnt)
{
	static const uint8_t zeros[8];
	uint8_t h[SF_RECORD_HDR];
	uint64_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len > SF_RECORD_MAX) {
		errno = EFBIG;
		return -1;
	}
	put32(h, type);
	put32(h + 4, (uint32_t)len);
	if (write_all(w, h, sizeof(h)) != 0)
		return -1;
	for (i = 0; i < iovcnt; i++)
		if (write_all(w, iov[i].iov_base, iov[i].iov_len) != 0)
			return -1;
	return write_all(w, zeros, PAD8(len) - len);
}

int
sf_write_end(struct sf_writer *w)
{
	uint8_t end[SF_RECORD_HDR + 8] = { 0 };

	put32(end, SF_END);
	put32(end + 4, 8);
	put32(end + 8, w->w_crc);
	return write_all(w, end, sizeof(end));
}

int
sf_read_at(int fd, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* The CRC of [off, off + len) on top of crc. */
static int
crc_range(int fd, uint64_t off, uint64_t len, uint32_t *crc)
{
	static uint8_t buf[CHUNK];
	size_t n;

	while (len > 0) {
		n = len < CHUNK ? (size_t)len : CHUNK;
		if (sf_read_at(fd, off, buf, n) != 0)
			return -1;
		*crc = (uint32_t)crc32(*crc, buf, (uInt)n);
		off += n;
		len -= n;
	}
	return 0;
}

static int
verify_header(int fd, uint64_t size, char *err, size_t errlen)
{
	uint8_t h[SF_HEADER_LEN];

	if (size < SF_HEADER_LEN || sf_read_at(fd, 0, h, sizeof(h)) != 0 ||
	    memcmp(h, SF_MAGIC, SF_MAGIC_LEN) != 0) {
		snprintf(err, errlen, "not an xm save file");
		return -1;
	}
	if (get32(h + 8) != SF_VERSION) {
		snprintf(err, errlen, "save file version %" PRIu32 ", this xmd "
		    "reads version %d", get32(h + 8), SF_VERSION);
		return -1;
	}
	if ((get32(h + 12) & ~SF_FLAGS_KNOWN) != 0) {
		snprintf(err, errlen, "save file flags %#" PRIx32 " unknown",
		    get32(h + 12));
		return -1;
	}
	return 0;
}

int
sf_verify(int fd, char *err, size_t errlen)
{
	return sf_verify_from(fd, 0, (uint32_t)crc32(0, NULL, 0), err,
	    errlen);
}

int
sf_verify_from(int fd, uint64_t known_len, uint32_t known_crc, char *err,
    size_t errlen)
{
	return sf_verify_rest(fd, SF_HEADER_LEN, known_len, known_crc, err,
	    errlen);
}

int
sf_verify_rest(int fd, uint64_t from, uint64_t known_len,
    uint32_t known_crc, char *err, size_t errlen)
{
	uint8_t h[SF_RECORD_HDR + 8];
	uint64_t off = from, size;
	uint32_t crc = (uint32_t)crc32(0, NULL, 0), type, len;
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	size = (uint64_t)st.st_size;
	if (verify_header(fd, size, err, errlen) != 0)
		return -1;
	for (;;) {
		if (off > size || size - off < SF_RECORD_HDR ||
		    sf_read_at(fd, off, h,
		    SF_RECORD_HDR) != 0) {
			snprintf(err, errlen, "offset %" PRIu64 ": the file "
			    "ends before its END record (cut short?)", off);
			return -1;
		}
		type = get32(h);
		len = get32(h + 4);
		if (type == SF_END)
			break;
		if (type == 0 || type > SF_TYPE_LAST) {
			snprintf(err, errlen, "offset %" PRIu64 ": record type "
			    "%" PRIu32 " unknown to version %d", off, type,
			    SF_VERSION);
			return -1;
		}
		if (len > SF_RECORD_MAX || PAD8(len) > size - off -
		    SF_RECORD_HDR) {
			snprintf(err, errlen, "offset %" PRIu64 ": a record of "
			    "%" PRIu32 " bytes runs past the end of the file "
			    "(cut short?)", off, len);
			return -1;
		}
		off += SF_RECORD_HDR + PAD8(len);
	}
	if (len != 8 || size - off != SF_RECORD_HDR + 8) {
		snprintf(err, errlen, "offset %" PRIu64 ": the END record is "
		    "not the file's last %d bytes", off, SF_RECORD_HDR + 8);
		return -1;
	}
	if (known_len > off)
		known_len = 0;		/* the sum of more than is summed */
	else if (known_len > 0)
		crc = known_crc;
	if (crc_range(fd, known_len, off - known_len, &crc) != 0 ||
	    sf_read_at(fd, off, h, sizeof(h)) != 0) {
		snprintf(err, errlen, "reading it: %s", strerror(errno));
		return -1;
	}
	if (get32(h + 12) != 0) {
		snprintf(err, errlen, "offset %" PRIu64 ": the END record's "
		    "padding is not zero", off);
		return -1;
	}
	if (get32(h + 8) != crc) {
		snprintf(err, errlen, "checksum %#" PRIx32 " is not the file's "
		    "(%#" PRIx32 "): it was changed or damaged", get32(h + 8),
		    crc);
		return -1;
	}
	return 0;
}

int
sf_read_begin(struct sf_reader *r, int fd)
{
	r->r_fd = fd;
	r->r_off = 0;
	r->r_next = SF_HEADER_LEN;
	r->r_len = 0;
	return 0;
}

int
sf_read_next(struct sf_reader *r, uint32_t *type, uint32_t *len)
{
	uint8_t h[SF_RECORD_HDR];

	r->r_off = r->r_next;
	if (sf_read_at(r->r_fd, r->r_off, h, sizeof(h)) != 0)
		return -1;
	*type = get32(h);
	*len = r->r_len = get32(h + 4);
	r->r_next = r->r_off + SF_RECORD_HDR + PAD8(r->r_len);
	return *type == SF_END ? 1 : 0;
}

int
sf_read_payload(struct sf_reader *r, uint32_t off, void *buf, size_t len)
{
	if ((uint64_t)off + len > r->r_len) {
		errno = EINVAL;
		return -1;
	}
	return sf_read_at(r->r_fd, r->r_off + SF_RECORD_HDR + off, buf, len);
}

uint32_t
sf_flags(int fd)
{
	uint8_t h[SF_HEADER_LEN];

	return sf_read_at(fd, 0, h, sizeof(h)) == 0 ? get32(h + 12) : 0;
}
