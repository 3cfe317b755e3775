/*
 * The op table and the dispatcher (see ctl_ops.h).  A row's size is
 * the request's fixed struct; a rule checks what follows it.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/arch_x86_64.h>
#include <xm/ctl.h>
#include <xm/hypercall.h>

#include "ctl_ops.h"

#define PAGE_BYTES	4096U
#define SEG_SIZE	sizeof(struct xm_ctl_mem_seg)
#define MEM_SIZE	sizeof(struct xm_ctl_mem)

static ctl_rule_t	rule_write_mem;
static ctl_rule_t	rule_read_mem;
static ctl_rule_t	rule_console_input;

#define OP(o, n, sz, rule, fn)	[XM_CTL_OP_##o] = { n, sz, rule, fn }

static const struct ctl_op ctl_ops[] = {
	OP(HELLO, "hello", sizeof(struct xm_ctl_hello), NULL, ctl_op_hello),
	OP(CREATE, "create", sizeof(struct xm_ctl_create), NULL,
	    ctl_op_create),
	OP(DESTROY, "destroy", sizeof(struct xm_ctl_domid), NULL,
	    ctl_op_destroy),
	OP(PAUSE, "pause", sizeof(struct xm_ctl_domid), NULL, ctl_op_pause),
	OP(UNPAUSE, "unpause", sizeof(struct xm_ctl_domid), NULL,
	    ctl_op_unpause),
	OP(SHUTDOWN, "shutdown", sizeof(struct xm_ctl_shutdown), NULL,
	    ctl_op_shutdown),
	OP(GETINFO, "getinfo", sizeof(struct xm_ctl_domid), NULL,
	    ctl_op_getinfo),
	OP(LIST, "list", sizeof(struct xm_ctl_list), NULL, ctl_op_list),
	OP(MAX_MEM, "max_mem", sizeof(struct xm_ctl_max_mem), NULL,
	    ctl_op_max_mem),
	OP(POPULATE, "populate", sizeof(struct xm_ctl_populate), NULL,
	    ctl_op_populate),
	OP(SET_VCPU, "set_vcpu", sizeof(struct xm_ctl_vcpu) +
	    sizeof(struct xm_vcpu_guest_context), NULL, ctl_op_set_vcpu),
	OP(GET_VCPU, "get_vcpu", sizeof(struct xm_ctl_vcpu), NULL,
	    ctl_op_get_vcpu),
	OP(PAGE_LIST, "page_list", sizeof(struct xm_ctl_page_list), NULL,
	    ctl_op_page_list),
	OP(WRITE_MEM, "write_mem", MEM_SIZE, rule_write_mem,
	    ctl_op_write_mem),
	OP(READ_MEM, "read_mem", MEM_SIZE, rule_read_mem, ctl_op_read_mem),
	OP(HYPERCALL_INIT, "hypercall_init",
	    sizeof(struct xm_ctl_hypercall_init), NULL,
	    ctl_op_hypercall_init),
	OP(PHYSINFO, "physinfo", 0, NULL, ctl_op_physinfo),
	OP(CONSOLE_ATTACH, "console_attach",
	    sizeof(struct xm_ctl_console_attach), NULL,
	    ctl_op_console_attach),
	OP(CONSOLE_INPUT, "console_input",
	    sizeof(struct xm_ctl_console_data), rule_console_input,
	    ctl_op_console_input),
};

#define NOPS	(sizeof(ctl_ops) / sizeof(ctl_ops[0]))

const struct ctl_op *
ctl_op_lookup(uint16_t op)
{
	if (op >= NOPS || ctl_ops[op].co_handler == NULL)
		return NULL;
	return &ctl_ops[op];
}

/*
 * The segments after a struct xm_ctl_mem of len bytes: their count
 * fits, each stays within a frame; *data gets their total length.
 */
static int
mem_segs(const uint8_t *p, uint32_t len, uint64_t *data)
{
	struct xm_ctl_mem m;
	struct xm_ctl_mem_seg seg;
	uint32_t i;

	kmemcpy(&m, p, sizeof(m));
	if (m.nr_segs > XM_CTL_MEM_MAX_SEGS ||
	    len < MEM_SIZE + (uint64_t)m.nr_segs * SEG_SIZE)
		return -XM_EINVAL;
	*data = 0;
	for (i = 0; i < m.nr_segs; i++) {
		kmemcpy(&seg, p + MEM_SIZE + i * SEG_SIZE, sizeof(seg));
		if ((uint32_t)seg.offset + seg.len > PAGE_BYTES)
			return -XM_EINVAL;
		*data += seg.len;
	}
	return 0;
}

static uint32_t
mem_hdr_len(const uint8_t *p)
{
	struct xm_ctl_mem m;

	kmemcpy(&m, p, sizeof(m));
	return MEM_SIZE + m.nr_segs * SEG_SIZE;
}

uint32_t
ctl_mem_data_len(const uint8_t *p)
{
	struct xm_ctl_mem_seg seg;
	uint32_t i, n = 0, nr;

	nr = (mem_hdr_len(p) - MEM_SIZE) / SEG_SIZE;
	for (i = 0; i < nr; i++) {
		kmemcpy(&seg, p + MEM_SIZE + i * SEG_SIZE, sizeof(seg));
		n += seg.len;
	}
	return n;
}

/* The header and segments, then exactly the data they name. */
static int
rule_write_mem(const uint8_t *p, uint32_t len)
{
	uint64_t data;
	int rc;

	rc = mem_segs(p, len, &data);
	if (rc < 0)
		return rc;
	return len == mem_hdr_len(p) + data ? 0 : -XM_EINVAL;
}

/* The header and segments only; the data must fit in one reply. */
static int
rule_read_mem(const uint8_t *p, uint32_t len)
{
	uint64_t data;
	int rc;

	rc = mem_segs(p, len, &data);
	if (rc < 0)
		return rc;
	if (len != mem_hdr_len(p))
		return -XM_EINVAL;
	return data <= XM_CTL_MAX_PAYLOAD ? 0 : -XM_EMSGSIZE;
}

static int
rule_console_input(const uint8_t *p, uint32_t len)
{
	struct xm_ctl_console_data d;

	kmemcpy(&d, p, sizeof(d));
	return len == sizeof(d) + (uint64_t)d.len ? 0 : -XM_EINVAL;
}

int
ctl_check(const struct xm_ctl_hdr *h, const uint8_t *payload)
{
	const struct ctl_op *op;

	if (h->magic != XM_CTL_MAGIC || h->version != XM_CTL_VERSION)
		return -XM_EBADMSG;
	if (h->len > XM_CTL_MAX_PAYLOAD)
		return -XM_EMSGSIZE;
	if ((op = ctl_op_lookup(h->op)) == NULL)
		return -XM_ENOSYS;
	if (h->flags & (XM_CTL_F_REPLY | XM_CTL_F_EVENT))
		return -XM_EINVAL;
	if (op->co_rule == NULL)
		return h->len == op->co_size ? 0 : -XM_EINVAL;
	if (h->len < op->co_size)
		return -XM_EINVAL;
	return op->co_rule(payload, h->len);
}

void
ctl_hdr_fill(struct xm_ctl_hdr *h, uint16_t op, uint32_t seq, int status,
    uint32_t len, uint16_t flags)
{
	kmemset(h, 0, sizeof(*h));
	h->magic = XM_CTL_MAGIC;
	h->version = XM_CTL_VERSION;
	h->op = op;
	h->seq = seq;
	h->status = status;
	h->len = len;
	h->flags = flags;
}

void
ctl_reply_error(struct ctl_reply *r, uint32_t seq, int status)
{
	r->len = 0;
	ctl_hdr_fill(&r->hdr, XM_CTL_OP_ERROR, seq, status, 0,
	    XM_CTL_F_REPLY);
}

void
ctl_dispatch(const struct xm_ctl_hdr *h, const uint8_t *payload,
    struct ctl_reply *r)
{
	int rc;

	rc = ctl_check(h, payload);
	if (rc < 0) {
		ctl_reply_error(r, h->seq, rc);
		return;
	}
	r->len = 0;
	rc = ctl_op_lookup(h->op)->co_handler(payload, h->len, r);
	if (rc < 0 || r->len > XM_CTL_MAX_PAYLOAD)
		r->len = 0;
	ctl_hdr_fill(&r->hdr, h->op, h->seq, rc, r->len, XM_CTL_F_REPLY);
}
