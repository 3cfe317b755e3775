/*
 * Requests about whole domains, each one domctl: create, destroy,
 * pause, unpause, resume, shutdown, getinfo, list, max_mem, physinfo.  The
 * op table has checked each payload's size.
 */

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <xm/ctl.h>
#include <xm/domctl.h>
#include <xm/hypercall.h>

#include "ringback.h"
#include "ctl_ops.h"
#include "hc.h"
#include "ops.h"

#define LIST_MAX	(XM_CTL_MAX_PAYLOAD / sizeof(struct xm_domctl_info))

int
ops_domid_query(xm_domid_t id)
{
	return id < XM_DOMID_FIRST_RESERVED ? 0 : -XM_EINVAL;
}

int
ops_domid_change(xm_domid_t id)
{
	if (id == 0)
		return -XM_EPERM;
	return ops_domid_query(id);
}

int
ops_physinfo(struct xm_domctl_physinfo *p)
{
	struct xm_domctl d;
	int rc;

	domctl_init(&d, XM_DOMCTL_PHYSINFO, 0);
	rc = HYPERVISOR_domctl(&d);
	if (rc == 0)
		*p = d.u.physinfo;
	return rc;
}

static xm_domid_t
req_domid(const uint8_t *p)
{
	struct xm_ctl_domid r;

	kmemcpy(&r, p, sizeof(r));
	return r.domid;
}

/* A domctl that changes a domain and returns nothing. */
static int
domid_simple(const uint8_t *p, uint32_t cmd)
{
	xm_domid_t id = req_domid(p);
	int rc;

	if ((rc = ops_domid_change(id)) < 0)
		return rc;
	return domctl_simple(cmd, id);
}

int
ctl_op_create(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_create c;
	struct xm_ctl_domid rep = { 0 };
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&c, p, sizeof(c));
	domctl_init(&d, XM_DOMCTL_CREATE, XM_DOMID_ANY);
	d.u.create.max_vcpus = c.max_vcpus;
	d.u.create.max_pages = c.max_pages;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	rep.domid = d.domain;
	kmemcpy(r->buf, &rep, sizeof(rep));
	r->len = sizeof(rep);
	return 0;
}

int
ctl_op_destroy(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	int rc;

	(void)len;
	(void)r;
	ringback_flush(req_domid(p));
	rc = domid_simple(p, XM_DOMCTL_DESTROY);
	if (rc == 0)
		ringback_detach(req_domid(p));
	return rc;
}

int
ctl_op_pause(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)len;
	(void)r;
	return domid_simple(p, XM_DOMCTL_PAUSE);
}

int
ctl_op_unpause(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)len;
	(void)r;
	return domid_simple(p, XM_DOMCTL_UNPAUSE);
}

int
ctl_op_resume(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	(void)len;
	(void)r;
	return domid_simple(p, XM_DOMCTL_RESUME);
}

int
ctl_op_shutdown(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_shutdown s;
	struct xm_domctl d;
	int rc;

	(void)len;
	(void)r;
	kmemcpy(&s, p, sizeof(s));
	if ((rc = ops_domid_change(s.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_SHUTDOWN, s.domid);
	d.u.shutdown.reason = s.reason;
	return HYPERVISOR_domctl(&d);
}

int
ctl_op_getinfo(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	xm_domid_t id = req_domid(p);
	struct xm_domctl d;
	int rc;

	(void)len;
	if ((rc = ops_domid_query(id)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_GETINFO, id);
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	kmemcpy(r->buf, &d.u.info, sizeof(d.u.info));
	r->len = sizeof(d.u.info);
	return 0;
}

/* At most LIST_MAX domains fit in a reply; asking for more gets that. */
int
ctl_op_list(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_list l;
	struct xm_domctl d;
	int rc;

	(void)len;
	kmemcpy(&l, p, sizeof(l));
	domctl_init(&d, XM_DOMCTL_GETINFO_LIST, 0);
	d.u.info_list.first = l.first;
	d.u.info_list.max = l.max < LIST_MAX ? l.max : LIST_MAX;
	d.u.info_list.buffer = (xm_guest_handle_t)r->buf;
	if ((rc = HYPERVISOR_domctl(&d)) < 0)
		return rc;
	if (d.u.info_list.count > d.u.info_list.max)
		return -XM_EIO;
	r->len = d.u.info_list.count * sizeof(struct xm_domctl_info);
	return 0;
}

int
ctl_op_max_mem(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_ctl_max_mem m;
	struct xm_domctl d;
	int rc;

	(void)len;
	(void)r;
	kmemcpy(&m, p, sizeof(m));
	if ((rc = ops_domid_change(m.domid)) < 0)
		return rc;
	domctl_init(&d, XM_DOMCTL_MAX_MEM, m.domid);
	d.u.max_mem.max_pages = m.max_pages;
	return HYPERVISOR_domctl(&d);
}

int
ctl_op_physinfo(const uint8_t *p, uint32_t len, struct ctl_reply *r)
{
	struct xm_domctl_physinfo info;
	int rc;

	(void)p;
	(void)len;
	if ((rc = ops_physinfo(&info)) < 0)
		return rc;
	kmemcpy(r->buf, &info, sizeof(info));
	r->len = sizeof(info);
	return 0;
}
