/*
 * The rows of XM_CTL_OPS as a table, and the payload check both ends
 * of the control channel use (see ctlop.h).  Fields are read byte by
 * byte, little-endian as on the wire, so that no payload needs to be
 * aligned or copied first.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/ctlop.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE_BYTES	4096U
#define SEG_SIZE	sizeof(struct xm_ctl_mem_seg)
#define MEM_SIZE	sizeof(struct xm_ctl_mem)

/* The name is the constant's, after its XM_CTL_OP_ prefix. */
#define ROW(op, num, name, dir, size, tail, reply, elem)		\
	[op] = { &(#op)[sizeof("XM_CTL_OP_") - 1], XM_CTL_DIR_##dir,	\
	    tail, size, reply, elem },

static const struct ctlop ops[] = {
	XM_CTL_OPS(ROW)
};

#undef ROW

/* A switch, so that two rows with one number do not compile. */
#define CASE(op, ...)	case op:

static int
known(uint16_t op)
{
	switch (op) {
	XM_CTL_OPS(CASE)
		return 1;
	default:
		return 0;
	}
}

#undef CASE

const struct ctlop *
ctlop_find(uint16_t op)
{
	if (!known(op) || op >= nitems(ops))
		return NULL;
	return &ops[op];
}

static uint32_t
le16_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32_at(const uint8_t *p)
{
	return le16_at(p) | le16_at(p + 2) << 16;
}

static uint32_t
nr_segs(const uint8_t *p)
{
	return le32_at(p + offsetof(struct xm_ctl_mem, nr_segs));
}

/*
 * The segments after a struct xm_ctl_mem of len bytes: their count
 * fits, each stays within a frame; *data gets their total length.
 */
static int
mem_segs(const uint8_t *p, uint32_t len, uint64_t *data)
{
	const uint8_t *seg;
	uint32_t i, nr = nr_segs(p);

	if (nr > XM_CTL_MEM_MAX_SEGS ||
	    len < MEM_SIZE + (uint64_t)nr * SEG_SIZE)
		return -XM_EINVAL;
	*data = 0;
	for (i = 0; i < nr; i++) {
		seg = p + MEM_SIZE + i * SEG_SIZE;
		if (le16_at(seg + offsetof(struct xm_ctl_mem_seg, offset)) +
		    le16_at(seg + offsetof(struct xm_ctl_mem_seg, len)) >
		    PAGE_BYTES)
			return -XM_EINVAL;
		*data += le16_at(seg + offsetof(struct xm_ctl_mem_seg, len));
	}
	return 0;
}

uint32_t
ctlop_mem_data_len(const uint8_t *p)
{
	const uint8_t *seg;
	uint32_t i, n = 0, nr = nr_segs(p);

	for (i = 0; i < nr; i++) {
		seg = p + MEM_SIZE + i * SEG_SIZE;
		n += le16_at(seg + offsetof(struct xm_ctl_mem_seg, len));
	}
	return n;
}

/* The header and segments, then (with_data) exactly the data named. */
static int
check_mem(const uint8_t *p, uint32_t len, int with_data)
{
	uint64_t data;
	uint32_t hdr;
	int rc;

	if ((rc = mem_segs(p, len, &data)) < 0)
		return rc;
	hdr = MEM_SIZE + nr_segs(p) * SEG_SIZE;
	if (len != hdr + (with_data ? data : 0))
		return -XM_EINVAL;
	/* READ_MEM: the data comes back in one reply. */
	return with_data || data <= XM_CTL_MAX_PAYLOAD ? 0 : -XM_EMSGSIZE;
}

static int
check_tail(const struct ctlop *o, const uint8_t *p, uint32_t len)
{
	switch (o->co_tail) {
	case XM_CTL_TAIL_MEM_DATA:
		return check_mem(p, len, 1);
	case XM_CTL_TAIL_MEM_SEGS:
		return check_mem(p, len, 0);
	case XM_CTL_TAIL_CONSOLE:
		return len == o->co_size + (uint64_t)le32_at(p +
		    offsetof(struct xm_ctl_console_data, len)) ? 0 :
		    -XM_EINVAL;
	case XM_CTL_TAIL_BYTES:
		return len <= XM_CTL_MAX_PAYLOAD ? 0 : -XM_EMSGSIZE;
	default:
		return len == o->co_size ? 0 : -XM_EINVAL;
	}
}

int
ctlop_check(uint16_t op, const uint8_t *p, uint32_t len)
{
	const struct ctlop *o;

	if ((o = ctlop_find(op)) == NULL)
		return -XM_ENOSYS;
	if (len < o->co_size)
		return -XM_EINVAL;
	return check_tail(o, p, len);
}

int
ctlop_reply_ok(uint16_t op, uint32_t len)
{
	const struct ctlop *o = ctlop_find(op);

	if (o == NULL)
		return len == 0;
	if (o->co_reply_elem == 0)
		return len == o->co_reply;
	return len >= o->co_reply &&
	    (len - o->co_reply) % o->co_reply_elem == 0;
}
