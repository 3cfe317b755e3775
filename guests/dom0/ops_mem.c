/*
 * Requests about a domain's memory and vCPUs, for xmd's domain builder
 * (and later migration): populate, page list, foreign writes and
 * reads, hypercall page, vCPU context.  Data goes between the request
 * or reply payload and the domain's frames by FOREIGN_COPY, straight
 * from and into the frame buffers, without another copy.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/ctlop.h>
#include <klib/string.h>

#include <xm/arch_x86_64.h>
#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include "ctl_ops.h"
#include "hc.h"
#include "ops.h"

#define PAGE_LIST_MAX	((XM_CTL_MAX_PAYLOAD - \
	sizeof(struct xm_ctl_page_list_reply)) / sizeof(uint64_t))

static struct xm_domctl_copy_op ops_copy[XM_CTL_MEM_MAX_SEGS];

int
ops_foreign_copy(xm_domid_t domid, struct xm_domctl_copy_op *ops,
    unsigned int n)
{
	struct xm_domctl d;

	if (n == 0)
		return 0;
	domctl_init(&d, XM_DOMCTL_FOREIGN_COPY, domid);
	d.u.copy.ops = (xm_guest_handle_t)ops;
	d.u.copy.nr_ops = n;
	return HYPERVISOR_domctl(&d);
}

int
ctl_op_populate(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_populate req;
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_change(req.domid)) < 0)
		return rc;
	if (req.nr > XM_CTL_POPULATE_MAX)
		return -XM_EINVAL;
	domctl_init(&d, XM_DOMCTL_POPULATE, req.domid);
	d.u.populate.first_pfn = req.first_pfn;
	d.u.populate.nr = req.nr;
	d.u.populate.mfns = (xm_guest_handle_t)r->buf;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (d.u.populate.count > req.nr)
		return -XM_EIO;
	r->len = d.u.populate.count * sizeof(uint64_t);
	return 0;
}

/* At most PAGE_LIST_MAX mfns fit in a reply; asking for more gets that. */
int
ctl_op_page_list(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_page_list req;
	struct xm_ctl_page_list_reply rep = { 0 };
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_query(req.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_GET_PAGE_LIST, req.domid);
	d.u.page_list.first = req.first;
	d.u.page_list.max = req.max < PAGE_LIST_MAX ? req.max : PAGE_LIST_MAX;
	d.u.page_list.mfns = (xm_guest_handle_t)(r->buf + sizeof(rep));
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (d.u.page_list.count > d.u.page_list.max)
		return -XM_EIO;
	rep.total = d.u.page_list.total;
	rep.count = d.u.page_list.count;
	kmemcpy(r->buf, &rep, sizeof(rep));
	r->len = sizeof(rep) + rep.count * sizeof(uint64_t);
	return 0;
}

/* What each listed frame of a domain is, for save: one domctl. */
int
ctl_op_page_info(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_page_info req;
	struct xm_domctl d;
	int rc;

	if (len < sizeof(req))
		return -XM_EINVAL;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_query(req.domid)) < 0)
		return rc;
	if (req.nr > XM_PAGE_INFO_MAX ||
	    len != sizeof(req) + (uint64_t)req.nr * sizeof(uint64_t))
		return -XM_EINVAL;
	domctl_init(&d, XM_DOMCTL_PAGE_INFO, req.domid);
	d.u.page_info.mfns = (xm_guest_handle_t)(p + sizeof(req));
	d.u.page_info.info = (xm_guest_handle_t)r->buf;
	d.u.page_info.nr = req.nr;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	r->len = req.nr * sizeof(struct xm_page_info);
	return 0;
}

/* A restore's pins of the tables it wrote: one domctl. */
int
ctl_op_pin_tables(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_page_info req;
	struct xm_domctl d;
	int rc;

	(void)r;
	if (len < sizeof(req))
		return -XM_EINVAL;
	kmemcpy(&req, p, sizeof(req));
	if ((rc = ops_domid_change(req.domid)) < 0)
		return rc;
	if (req.nr > XM_PAGE_INFO_MAX || len != sizeof(req) +
	    (uint64_t)req.nr * sizeof(struct xm_pin_table))
		return -XM_EINVAL;
	domctl_init(&d, XM_DOMCTL_PIN_TABLES, req.domid);
	d.u.pin_tables.pins = (xm_guest_handle_t)(p + sizeof(req));
	d.u.pin_tables.nr = req.nr;
	return HYPERVISOR_domctl(&d);
}

/*
 * The copy ops for the segments of a READ_MEM or WRITE_MEM request,
 * their buffers consecutive from data on.  Returns the domain.
 */
static xm_domid_t
mem_ops(const uint8_t *p, uint8_t dir, uint8_t *data, unsigned int *n)
{
	struct xm_ctl_mem m;
	struct xm_ctl_mem_seg seg;
	unsigned int i;

	kmemcpy(&m, p, sizeof(m));
	for (i = 0; i < m.nr_segs; i++) {
		kmemcpy(&seg, p + sizeof(m) + i * sizeof(seg), sizeof(seg));
		ops_copy[i] = (struct xm_domctl_copy_op){
			.mfn = seg.mfn,
			.offset = seg.offset,
			.len = seg.len,
			.dir = dir,
			.buf = (xm_guest_handle_t)data,
		};
		data += seg.len;
	}
	*n = m.nr_segs;
	return m.domid;
}

static uint32_t
mem_hdr_len(const uint8_t *p)
{
	struct xm_ctl_mem m;

	kmemcpy(&m, p, sizeof(m));
	return sizeof(m) + m.nr_segs * sizeof(struct xm_ctl_mem_seg);
}

int
ctl_op_write_mem(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	xm_domid_t id;
	unsigned int n;
	int rc;

	(void)len;
	(void)r;
	id = mem_ops(p, XM_COPY_TO_DOMAIN, (uint8_t *)p + mem_hdr_len(p), &n);
	if ((rc = ops_domid_change(id)) < 0)
		return rc;
	return ops_foreign_copy(id, ops_copy, n);
}

int
ctl_op_read_mem(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	xm_domid_t id;
	unsigned int n;
	int rc;

	(void)len;
	id = mem_ops(p, XM_COPY_FROM_DOMAIN, r->buf, &n);
	if ((rc = ops_domid_query(id)) < 0)
		return rc;
	if ((rc = ops_foreign_copy(id, ops_copy, n)) < 0)
		return rc;
	r->len = ctlop_mem_data_len(p);
	return 0;
}

int
ctl_op_hypercall_init(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_hypercall_init h;
	struct xm_domctl d;
	int rc;

	(void)len;
	(void)r;
	kmemcpy(&h, p, sizeof(h));
	if ((rc = ops_domid_change(h.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_HYPERCALL_INIT, h.domid);
	d.u.hypercall_init.mfn = h.mfn;
	return HYPERVISOR_domctl(&d);
}

static int
vcpu_context(const uint8_t *p, uint32_t cmd, void *ctxt)
{
	struct xm_ctl_vcpu v;
	struct xm_domctl d;
	int rc;

	kmemcpy(&v, p, sizeof(v));
	rc = cmd == XM_DOMCTL_SET_VCPU_CONTEXT ? ops_domid_change(v.domid) :
	    ops_domid_query(v.domid);
	if (rc < 0)
		return rc;
	domctl_init(&d, cmd, v.domid);
	d.u.vcpu_context.vcpu = v.vcpu;
	d.u.vcpu_context.ctxt = (xm_guest_handle_t)ctxt;
	return HYPERVISOR_domctl(&d);
}

int
ctl_op_set_vcpu(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)len;
	(void)r;
	return vcpu_context(p, XM_DOMCTL_SET_VCPU_CONTEXT,
	    (void *)(p + sizeof(struct xm_ctl_vcpu)));
}

int
ctl_op_get_vcpu(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	int rc;

	(void)len;
	rc = vcpu_context(p, XM_DOMCTL_GET_VCPU_CONTEXT, r->buf);
	if (rc == 0)
		r->len = sizeof(struct xm_vcpu_guest_context);
	return rc;
}
