/*
 * libFuzzer target: xmd's control-frame scanner (xmd/ctl_frame.c), fed
 * the way xmd's ctl_read() feeds it: a window of at most CTL_FRAME_MAX
 * bytes over what has arrived so far, frames drained, bad runs skipped.
 *
 * The input is a byte stream from the node.  It is scanned twice: all
 * at once, and in chunks whose sizes a hash of the input chooses.  Each
 * scan result must keep the promises of ctl_frame.h (a frame is whole
 * and its header valid, a skip makes progress and stops at the next
 * magic), and both passes must find the same frames at the same offsets
 * and throw away the same number of bytes: how the bytes arrive must
 * not change what xmd reads.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_frame.h"
#include "fuzz.h"

#define HDR_SIZE	sizeof(struct xm_ctl_hdr)
#define MAX_FRAMES	4096

static const uint8_t magic[4] = { 'M', 'C', 'T', 'L' };

struct pass {
	size_t		frames[MAX_FRAMES];	/* offsets */
	size_t		nframes;
	size_t		bad_bytes;
	size_t		left;		/* not consumed at the end */
};

/* Whether a magic, or a prefix of it cut off by the end, starts at p. */
static int
magic_at(const uint8_t *p, size_t n)
{
	return memcmp(p, magic, n < sizeof(magic) ? n : sizeof(magic)) == 0;
}

static void
check_frame(const uint8_t *buf, size_t len, const struct ctl_scan_result *r)
{
	uint8_t enc[HDR_SIZE];
	char nb[16];
	const char *name;

	FUZZ_CHECK(r->hdr_valid);
	FUZZ_CHECK(r->hdr.version == XM_CTL_VERSION);
	FUZZ_CHECK(r->hdr.len <= XM_CTL_MAX_PAYLOAD);
	FUZZ_CHECK((r->hdr.flags & ~(XM_CTL_F_REPLY | XM_CTL_F_EVENT)) == 0);
	FUZZ_CHECK(r->hdr.pad == 0);
	FUZZ_CHECK(r->size == HDR_SIZE + r->hdr.len && r->size <= len);
	/* The decoded header encodes back to the very bytes. */
	ctl_frame_encode(enc, r->hdr.op, r->hdr.seq, r->hdr.status,
	    r->hdr.len, r->hdr.flags);
	FUZZ_CHECK(memcmp(enc, buf, HDR_SIZE) == 0);
	name = ctl_op_name(r->hdr.op, nb, sizeof(nb));
	FUZZ_CHECK(name != NULL && strlen(name) < sizeof(nb));
}

static void
check_bad(const uint8_t *buf, size_t len, const struct ctl_scan_result *r)
{
	size_t i;

	FUZZ_CHECK(r->why != NULL);
	FUZZ_CHECK(r->skip >= 1 && r->skip <= len);
	/* No magic is skipped over ... */
	for (i = 1; i < r->skip; i++)
		FUZZ_CHECK(!magic_at(buf + i, len - i));
	/* ... and the scan resumes at one (or at the end). */
	FUZZ_CHECK(r->skip == len || magic_at(buf + r->skip, len - r->skip));
}

static void
check_more(const uint8_t *buf, size_t len, const struct ctl_scan_result *r)
{
	/* Waiting on a full window would wait for ever. */
	FUZZ_CHECK(len < CTL_FRAME_MAX);
	FUZZ_CHECK(magic_at(buf, len));
	if (len >= HDR_SIZE)
		FUZZ_CHECK(r->hdr_valid && HDR_SIZE + r->hdr.len > len);
}

/* Drain what has arrived (data[*pos, have)) as ctl_read() does. */
static void
drain(const uint8_t *data, size_t *pos, size_t have, struct pass *p)
{
	struct ctl_scan_result r;
	size_t n;

	while (*pos < have) {
		n = have - *pos;
		if (n > CTL_FRAME_MAX)
			n = CTL_FRAME_MAX;
		ctl_frame_scan(data + *pos, n, &r);
		switch (r.kind) {
		case CTL_SCAN_MORE:
			check_more(data + *pos, n, &r);
			return;
		case CTL_SCAN_BAD:
			check_bad(data + *pos, n, &r);
			p->bad_bytes += r.skip;
			*pos += r.skip;
			break;
		case CTL_SCAN_FRAME:
			check_frame(data + *pos, n, &r);
			if (p->nframes < MAX_FRAMES)
				p->frames[p->nframes] = *pos;
			p->nframes++;
			*pos += r.size;
			break;
		default:
			FUZZ_CHECK(!"a scan result of no known kind");
		}
	}
}

static void
run_pass(const uint8_t *data, size_t size, uint64_t seed, struct pass *p)
{
	size_t pos = 0, have = 0, chunk;

	memset(p, 0, sizeof(*p));
	while (have < size) {
		chunk = seed == 0 ? size : 1 + fuzz_rand(&seed) % 97;
		if (chunk > size - have)
			chunk = size - have;
		have += chunk;
		drain(data, &pos, have, p);
	}
	p->left = size - pos;
	FUZZ_CHECK(pos <= size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pass whole, chunked;
	uint8_t *copy;

	/* Exactly size bytes, so that ASan sees any read past them. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	run_pass(copy, size, 0, &whole);
	run_pass(copy, size, fuzz_hash(data, size) | 1, &chunked);
	FUZZ_CHECK(whole.nframes == chunked.nframes);
	FUZZ_CHECK(memcmp(whole.frames, chunked.frames,
	    (whole.nframes < MAX_FRAMES ? whole.nframes : MAX_FRAMES) *
	    sizeof(whole.frames[0])) == 0);
	FUZZ_CHECK(whole.bad_bytes == chunked.bad_bytes);
	FUZZ_CHECK(whole.left == chunked.left);
	free(copy);
	return 0;
}
