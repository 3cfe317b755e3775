/*
 * The save file's framing (xmd/savefile.c): what is written reads back
 * record by record, byte for byte; and sf_verify refuses, with a reason
 * naming where, a file cut anywhere, one with any byte changed, another
 * version or magic, a record of a type it does not know, one that runs
 * past the end, and bytes after END.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <zlib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "savefile.h"

static const char def[] = "<domain><name>c</name></domain>";
static uint8_t pages[2][4096];

/* A file of a definition, two pages and a vCPU record; its fd. */
static int
make(size_t *size)
{
	struct sf_writer w;
	struct iovec iov[2];
	uint64_t pfns[2] = { 7, 9 };
	uint8_t vcpu[24] = { 1, 2, 3 };
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fd = dup(fileno(f));
	fclose(f);
	memset(pages[0], 0xa5, sizeof(pages[0]));
	memset(pages[1], 0x5a, sizeof(pages[1]));
	assert_int_equal(sf_write_begin(&w, fd), 0);
	iov[0] = (struct iovec){ (void *)def, sizeof(def) - 1 };
	assert_int_equal(sf_write_record(&w, SF_DEFINITION, iov, 1), 0);
	iov[0] = (struct iovec){ pfns, sizeof(pfns) };
	iov[1] = (struct iovec){ pages, sizeof(pages) };
	assert_int_equal(sf_write_record(&w, SF_PAGES, iov, 2), 0);
	iov[0] = (struct iovec){ vcpu, sizeof(vcpu) };
	assert_int_equal(sf_write_record(&w, SF_VCPU, iov, 1), 0);
	assert_int_equal(sf_write_end(&w), 0);
	*size = (size_t)w.w_off;
	return fd;
}

static void
reads_back(void **state)
{
	char err[256] = "", buf[64];
	struct sf_reader r;
	uint32_t type, len;
	uint64_t pfn;
	uint8_t page[4096];
	size_t size;
	int fd = make(&size);

	(void)state;
	assert_int_equal(sf_verify(fd, err, sizeof(err)), 0);
	assert_int_equal(sf_read_begin(&r, fd), 0);
	assert_int_equal(sf_read_next(&r, &type, &len), 0);
	assert_int_equal(type, SF_DEFINITION);
	assert_int_equal(len, sizeof(def) - 1);
	assert_int_equal(sf_read_payload(&r, 0, buf, len), 0);
	assert_memory_equal(buf, def, len);
	assert_int_equal(sf_read_next(&r, &type, &len), 0);
	assert_int_equal(type, SF_PAGES);
	assert_int_equal(len, 16 + 2 * 4096);
	assert_int_equal(sf_read_payload(&r, 8, &pfn, 8), 0);
	assert_int_equal(pfn, 9);
	assert_int_equal(sf_read_payload(&r, 16 + 4096, page, 4096), 0);
	assert_memory_equal(page, pages[1], 4096);
	assert_int_equal(sf_read_payload(&r, len - 1, page, 2), -1);
	assert_int_equal(sf_read_next(&r, &type, &len), 0);
	assert_int_equal(type, SF_VCPU);
	assert_int_equal(sf_read_next(&r, &type, &len), 1);
	close(fd);
}

/*
 * sf_verify_from takes the CRC of the first bytes as given (a stream
 * summed as it came) and reads only the rest: a right sum passes, a
 * wrong one is refused, and a sum of more than the records is not used.
 */
static void
known_crc(void **state)
{
	char err[256] = "";
	uint8_t *b;
	size_t size, body;
	uint32_t crc;
	int fd = make(&size);

	(void)state;
	body = size - SF_END_LEN;
	b = malloc(size);
	assert_non_null(b);
	assert_int_equal(pread(fd, b, size, 0), (ssize_t)size);
	crc = (uint32_t)crc32(0, b, (uInt)body);
	assert_int_equal(sf_verify_from(fd, body, crc, err, sizeof(err)), 0);
	assert_int_equal(sf_verify_from(fd, 100, (uint32_t)crc32(0, b, 100),
	    err, sizeof(err)), 0);
	assert_int_equal(sf_verify_from(fd, body, crc ^ 1, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "checksum"));
	assert_int_equal(sf_verify_from(fd, size, 12345, err, sizeof(err)), 0);
	free(b);
	close(fd);
}

/* A copy of the file in a new fd, with edit applied to its bytes. */
static int
copy_with(int fd, size_t size, size_t keep, size_t at, uint8_t xor,
    const void *tail, size_t tail_len)
{
	uint8_t *b = malloc(size + tail_len);
	FILE *f = tmpfile();
	int out;

	assert_non_null(b);
	assert_non_null(f);
	assert_int_equal(pread(fd, b, size, 0), (ssize_t)size);
	if (at < keep)
		b[at] ^= xor;
	memcpy(b + keep, tail, tail_len);
	out = dup(fileno(f));
	fclose(f);
	assert_int_equal(write(out, b, keep + tail_len),
	    (ssize_t)(keep + tail_len));
	free(b);
	return out;
}

static void
refused(int fd, const char *why)
{
	char err[256] = "";

	assert_int_equal(sf_verify(fd, err, sizeof(err)), -1);
	if (why != NULL && strstr(err, why) == NULL)
		fail_msg("refused as \"%s\", not for \"%s\"", err, why);
	close(fd);
}

static void
cut_anywhere(void **state)
{
	size_t size, n;
	int fd = make(&size);

	(void)state;
	for (n = 0; n < size; n += n < 64 ? 1 : 509)
		refused(copy_with(fd, size, n, size, 0, NULL, 0), NULL);
	refused(copy_with(fd, size, size - 1, size, 0, NULL, 0), NULL);
	close(fd);
}

static void
changed_anywhere(void **state)
{
	size_t size, at;
	int fd = make(&size);

	(void)state;
	for (at = 0; at < size; at += at < 64 ? 1 : 257)
		refused(copy_with(fd, size, size, at, 0x10, NULL, 0), NULL);
	refused(copy_with(fd, size, size, 40, 0x01, NULL, 0), "checksum");
	close(fd);
}

static void
header_and_records(void **state)
{
	size_t size;
	int fd = make(&size);

	(void)state;
	refused(copy_with(fd, size, size, 0, 'X' ^ 'Y', NULL, 0),
	    "not an xm save file");
	refused(copy_with(fd, size, size, 8, 1 ^ 2, NULL, 0),
	    "version 2, this xmd reads version 1");
	refused(copy_with(fd, size, size, SF_HEADER_LEN, 1 ^ 9, NULL, 0),
	    "record type 9 unknown");
	refused(copy_with(fd, size, size, SF_HEADER_LEN + 7, 0x40, NULL, 0),
	    "runs past the end");
	refused(copy_with(fd, size, size, size, 0, "more", 4),
	    "not the file's last");
	refused(copy_with(fd, size, size - 16, size, 0, NULL, 0),
	    "ends before its END");
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_back),
		cmocka_unit_test(known_crc),
		cmocka_unit_test(cut_anywhere),
		cmocka_unit_test(changed_anywhere),
		cmocka_unit_test(header_and_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
