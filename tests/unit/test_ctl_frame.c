/*
 * Unit tests for the control channel's frame codec (xmd/ctl_frame.c):
 * whole frames, short ones, garbage, oversized lengths and how a stream
 * resynchronises on the next magic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ctl_frame.h"

#define HDR	sizeof(struct xm_ctl_hdr)

static uint8_t	buf[4 * CTL_FRAME_MAX];

/* A frame of op with len bytes of payload (each 0xab) at p. */
static size_t
put_frame(uint8_t *p, uint16_t op, uint32_t seq, uint32_t len)
{
	ctl_frame_encode(p, op, seq, 0, len, 0);
	memset(p + HDR, 0xab, len);
	return HDR + len;
}

static void
test_encode_is_little_endian(void **state)
{
	static const uint8_t want[HDR] = {
		'M', 'C', 'T', 'L', 1, 0, 10, 0,	/* magic version op */
		0x78, 0x56, 0x34, 0x12,			/* seq */
		0xf4, 0xff, 0xff, 0xff,			/* status -12 */
		0x10, 0, 0, 0, 1, 0, 0, 0,		/* len flags pad */
	};
	uint8_t got[HDR];

	(void)state;
	ctl_frame_encode(got, XM_CTL_OP_POPULATE, 0x12345678, -12, 16,
	    XM_CTL_F_REPLY);
	assert_memory_equal(got, want, HDR);
}

static void
test_whole_frame(void **state)
{
	struct ctl_scan_result r;
	size_t n = put_frame(buf, XM_CTL_OP_GETINFO, 7, 8);

	(void)state;
	ctl_frame_scan(buf, n, &r);
	assert_int_equal(r.kind, CTL_SCAN_FRAME);
	assert_int_equal(r.size, n);
	assert_int_equal(r.hdr.op, XM_CTL_OP_GETINFO);
	assert_int_equal(r.hdr.seq, 7);
	assert_int_equal(r.hdr.len, 8);
}

static void
test_short_frames_need_more(void **state)
{
	struct ctl_scan_result r;
	size_t n = put_frame(buf, XM_CTL_OP_LIST, 1, 100), i;

	(void)state;
	/* Every proper prefix: the magic's, the header's, the payload's. */
	for (i = 0; i < n; i++) {
		ctl_frame_scan(buf, i, &r);
		assert_int_equal(r.kind, CTL_SCAN_MORE);
	}
	ctl_frame_scan(buf, n, &r);
	assert_int_equal(r.kind, CTL_SCAN_FRAME);
}

static void
test_garbage_skips_to_magic(void **state)
{
	static const char junk[] = "hello, world";
	struct ctl_scan_result r;
	size_t n;

	(void)state;
	memcpy(buf, junk, sizeof(junk) - 1);
	n = sizeof(junk) - 1 + put_frame(buf + sizeof(junk) - 1,
	    XM_CTL_OP_PAUSE, 3, 8);
	ctl_frame_scan(buf, n, &r);
	assert_int_equal(r.kind, CTL_SCAN_BAD);
	assert_string_equal(r.why, "bad magic");
	assert_int_equal(r.skip, sizeof(junk) - 1);
	ctl_frame_scan(buf + r.skip, n - r.skip, &r);
	assert_int_equal(r.kind, CTL_SCAN_FRAME);
	assert_int_equal(r.hdr.seq, 3);
}

static void
test_garbage_keeps_a_partial_magic(void **state)
{
	struct ctl_scan_result r;

	(void)state;
	memcpy(buf, "xyzMC", 5);	/* "MC" may begin the next frame */
	ctl_frame_scan(buf, 5, &r);
	assert_int_equal(r.kind, CTL_SCAN_BAD);
	assert_int_equal(r.skip, 3);
	ctl_frame_scan(buf + 3, 2, &r);
	assert_int_equal(r.kind, CTL_SCAN_MORE);
	memcpy(buf, "\xff\xfe\xfd", 3);	/* nothing to keep */
	ctl_frame_scan(buf, 3, &r);
	assert_int_equal(r.kind, CTL_SCAN_BAD);
	assert_int_equal(r.skip, 3);
}

static void
test_oversized_length(void **state)
{
	struct ctl_scan_result r;
	size_t n;

	(void)state;
	ctl_frame_encode(buf, XM_CTL_OP_WRITE_MEM, 9, 0,
	    XM_CTL_MAX_PAYLOAD + 1, 0);
	n = HDR + put_frame(buf + HDR, XM_CTL_OP_PAUSE, 10, 8);
	ctl_frame_scan(buf, n, &r);
	assert_int_equal(r.kind, CTL_SCAN_BAD);
	assert_string_equal(r.why, "payload longer than XM_CTL_MAX_PAYLOAD");
	assert_true(r.hdr_valid);
	assert_int_equal(r.hdr.seq, 9);	/* so the error can name it */
	assert_int_equal(r.skip, HDR);	/* not its bogus length */
	ctl_frame_scan(buf + HDR, n - HDR, &r);
	assert_int_equal(r.kind, CTL_SCAN_FRAME);
	assert_int_equal(r.hdr.seq, 10);
}

static void
test_largest_payload_is_a_frame(void **state)
{
	struct ctl_scan_result r;
	size_t n = put_frame(buf, XM_CTL_OP_POPULATE, 1, XM_CTL_MAX_PAYLOAD);

	(void)state;
	ctl_frame_scan(buf, n, &r);
	assert_int_equal(r.kind, CTL_SCAN_FRAME);
	assert_int_equal(r.size, CTL_FRAME_MAX);
}

static void
test_bad_version_and_flags(void **state)
{
	struct ctl_scan_result r;
	struct xm_ctl_hdr h;

	(void)state;
	put_frame(buf, XM_CTL_OP_HELLO, 1, 8);
	memcpy(&h, buf, sizeof(h));
	h.version = 2;
	memcpy(buf, &h, sizeof(h));
	ctl_frame_scan(buf, HDR + 8, &r);
	assert_int_equal(r.kind, CTL_SCAN_BAD);
	assert_string_equal(r.why, "unsupported version");
	assert_int_equal(r.skip, HDR + 8);
	h.version = XM_CTL_VERSION;
	h.flags = 0x80;
	memcpy(buf, &h, sizeof(h));
	ctl_frame_scan(buf, HDR + 8, &r);
	assert_int_equal(r.kind, CTL_SCAN_BAD);
	assert_string_equal(r.why, "unknown flags or non-zero padding");
}

/* The way xmd reads: scan, drop, scan again, over a mixed stream. */
static void
test_resync_over_a_stream(void **state)
{
	static const char junk1[] = "\x01\x02MCT\xffMC";
	static const char junk2[] = "MCTLjunkjunkjunkjunkjunkjunk";
	struct ctl_scan_result r;
	uint32_t seqs[4];
	size_t n = 0, off = 0, nframes = 0, nbad = 0;

	(void)state;
	n += put_frame(buf + n, XM_CTL_OP_LIST, 1, 64);
	memcpy(buf + n, junk1, sizeof(junk1) - 1);
	n += sizeof(junk1) - 1;
	n += put_frame(buf + n, XM_CTL_OP_LIST, 2, 0);
	memcpy(buf + n, junk2, sizeof(junk2) - 1);	/* a bad "header" */
	n += sizeof(junk2) - 1;
	n += put_frame(buf + n, XM_CTL_OP_LIST, 3, 128);
	n += put_frame(buf + n, XM_CTL_OP_LIST, 4, 1);
	while (off < n) {
		ctl_frame_scan(buf + off, n - off, &r);
		assert_int_not_equal(r.kind, CTL_SCAN_MORE);
		if (r.kind == CTL_SCAN_BAD) {
			assert_true(r.skip > 0);
			off += r.skip;
			nbad++;
			continue;
		}
		assert_true(nframes < 4);
		seqs[nframes++] = r.hdr.seq;
		off += r.size;
	}
	assert_int_equal(off, n);
	assert_int_equal(nframes, 4);
	assert_int_equal(seqs[0], 1);
	assert_int_equal(seqs[1], 2);
	assert_int_equal(seqs[2], 3);
	assert_int_equal(seqs[3], 4);
	assert_true(nbad >= 2);
}

static void
test_op_names(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(ctl_op_name(XM_CTL_OP_WRITE_MEM, b, sizeof(b)),
	    "WRITE_MEM");
	assert_string_equal(ctl_op_name(XM_CTL_OP_ERROR, b, sizeof(b)),
	    "ERROR");
	assert_string_equal(ctl_op_name(999, b, sizeof(b)), "op 999");
	assert_string_equal(ctl_op_name(XM_CTL_OP_ECHO, b, sizeof(b)),
	    "ECHO");
	assert_string_equal(ctl_op_name(XM_CTL_OP_DOMAIN_EVENT, b, sizeof(b)),
	    "DOMAIN_EVENT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_is_little_endian),
		cmocka_unit_test(test_whole_frame),
		cmocka_unit_test(test_short_frames_need_more),
		cmocka_unit_test(test_garbage_skips_to_magic),
		cmocka_unit_test(test_garbage_keeps_a_partial_magic),
		cmocka_unit_test(test_oversized_length),
		cmocka_unit_test(test_largest_payload_is_a_frame),
		cmocka_unit_test(test_bad_version_and_flags),
		cmocka_unit_test(test_resync_over_a_stream),
		cmocka_unit_test(test_op_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
