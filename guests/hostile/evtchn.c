/*
 * Attacks on event channels and grant tables: ports the domain does
 * not own, the victim's ports, VIRQs and vCPUs that are not its own,
 * running out of its own ports; grant operations with references,
 * handles and domains that are not valid for it.
 *
 * Grant tables are being written: until hv has GRANT_TABLE_OP, its
 * -ENOSYS is accepted in place of the GNTST_* status Xen gives.
 */

#include <stdarg.h>
#include <stdint.h>

#include <klib/format.h>

#include <xm/event_channel.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/gnttab.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>

#include "hostile.h"

#define VICTIM		0
#define NO_DOMAIN	42
#define VICTIM_PORTS	64
#define BAD_REF		UINT32_C(0x7fffffff)
#define HV_PORTS	1024	/* a domain's ports in hv (Xen: 4096) */

static long
evtchn_op(unsigned int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op((int)cmd, arg);
}

static long
send_port(uint32_t port)
{
	struct xm_evtchn_send s = { .port = port };

	return evtchn_op(XM_EVTCHNOP_SEND, &s);
}

static long
close_port(uint32_t port)
{
	struct xm_evtchn_close c = { .port = port };

	return evtchn_op(XM_EVTCHNOP_CLOSE, &c);
}

/* A port of its own that is open (console, anything the runtime made). */
static int
port_open(uint32_t port)
{
	struct xm_evtchn_status st = { .dom = XM_DOMID_SELF, .port = port };

	return evtchn_op(XM_EVTCHNOP_STATUS, &st) == 0 &&
	    st.status != XM_EVTCHNSTAT_CLOSED;
}

static uint32_t
closed_port(uint32_t from)
{
	while (port_open(from))
		from++;
	return from;
}

static void
not_its_ports(void)
{
	static const uint32_t ports[] = { 0, 7, 1023, 1024, 4095, 4096,
	    0xffffffff };
	struct xm_evtchn_unmask um = { .port = 0xffffffff };
	struct xm_evtchn_bind_vcpu bv = { .vcpu = 0 };
	uint32_t p;
	unsigned int i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		p = ports[i] == 0 ? 0 : closed_port(ports[i]);
		hx_expect_rc(send_port(p), -XM_EINVAL, 0,
		    "EVTCHNOP_send on port %#x, not open", p);
	}
	p = closed_port(7);
	hx_expect_rc(close_port(p), -XM_EINVAL, 0,
	    "EVTCHNOP_close of port %u, not open", p);
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_UNMASK, &um), -XM_EINVAL, 0,
	    "EVTCHNOP_unmask of port 0xffffffff");
	bv.port = p;
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_VCPU, &bv), -XM_EINVAL, 0,
	    "EVTCHNOP_bind_vcpu of port %u, not open", p);
	hx_expect_rc(evtchn_op(99, &um), -XM_ENOSYS, 0, "event_channel_op 99");
}

/* Each of the victim's first ports: status and bind must be refused. */
static void
victims_ports(void)
{
	struct xm_evtchn_status st;
	struct xm_evtchn_bind_interdomain bi;
	unsigned int port, bad_status = 0, bad_bind = 0;
	long rc;

	for (port = 1; port <= VICTIM_PORTS; port++) {
		st = (struct xm_evtchn_status){ .dom = VICTIM, .port = port };
		rc = evtchn_op(XM_EVTCHNOP_STATUS, &st);
		bad_status += rc != -XM_EPERM;
		bi = (struct xm_evtchn_bind_interdomain){ .remote_dom = VICTIM,
		    .remote_port = port };
		rc = evtchn_op(XM_EVTCHNOP_BIND_INTERDOMAIN, &bi);
		bad_bind += rc != -XM_EINVAL;
		if (rc == 0)
			(void)close_port(bi.local_port);
	}
	hx_refused(bad_status == 0, "-EPERM each", "EVTCHNOP_status of "
	    "domain 0's ports 1..%u (%u wrong)", VICTIM_PORTS, bad_status);
	hx_refused(bad_bind == 0, "-EINVAL each", "EVTCHNOP_bind_interdomain "
	    "to domain 0's ports 1..%u (%u wrong)", VICTIM_PORTS, bad_bind);
}

static void
other_domains(void)
{
	struct xm_evtchn_alloc_unbound au = { .dom = VICTIM,
	    .remote_dom = XM_DOMID_SELF };
	struct xm_evtchn_bind_interdomain bi = { .remote_dom = NO_DOMAIN,
	    .remote_port = 1 };
	struct xm_evtchn_reset rs = { .dom = VICTIM };

	hx_expect_rc(evtchn_op(XM_EVTCHNOP_ALLOC_UNBOUND, &au), -XM_EPERM, 0,
	    "EVTCHNOP_alloc_unbound of a port in domain 0");
	au.dom = NO_DOMAIN;
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_ALLOC_UNBOUND, &au), -XM_ESRCH, 0,
	    "EVTCHNOP_alloc_unbound in domain %u, which does not exist",
	    NO_DOMAIN);
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_INTERDOMAIN, &bi), -XM_ESRCH,
	    0, "EVTCHNOP_bind_interdomain to domain %u", NO_DOMAIN);
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_RESET, &rs), -XM_EPERM,
	    -XM_ENOSYS, "EVTCHNOP_reset of domain 0");
}

static void
bad_binds(void)
{
	struct xm_evtchn_bind_virq bv = { .virq = XM_NR_VIRQS, .vcpu = 0 };
	struct xm_evtchn_bind_ipi bi = { .vcpu = 7 };
	struct xm_evtchn_bind_pirq bp = { .pirq = 10 };

	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_VIRQ, &bv), -XM_EINVAL, 0,
	    "EVTCHNOP_bind_virq of VIRQ %u", XM_NR_VIRQS);
	bv.virq = 0xffffffff;
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_VIRQ, &bv), -XM_EINVAL, 0,
	    "EVTCHNOP_bind_virq of VIRQ 0xffffffff");
	bv.virq = XM_VIRQ_TIMER;
	bv.vcpu = 7;
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_VIRQ, &bv), -XM_ENOENT,
	    -XM_EINVAL, "EVTCHNOP_bind_virq for vCPU 7, which it lacks");
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_IPI, &bi), -XM_ENOENT,
	    -XM_EINVAL, "EVTCHNOP_bind_ipi for vCPU 7");
	hx_expect_rc(evtchn_op(XM_EVTCHNOP_BIND_PIRQ, &bp), -XM_EPERM, 0,
	    "EVTCHNOP_bind_pirq of a physical interrupt (10)");
}

/* Take every port it may have; the victim's ports are not its to take. */
static void
exhaust_ports(void)
{
	static uint64_t taken[XM_NR_EVENT_CHANNELS / 64];
	struct xm_evtchn_alloc_unbound au;
	uint32_t n = 0, last = 0, first = 0, p;
	long rc;

	for (;;) {
		au = (struct xm_evtchn_alloc_unbound){ .dom = XM_DOMID_SELF,
		    .remote_dom = XM_DOMID_SELF };
		rc = evtchn_op(XM_EVTCHNOP_ALLOC_UNBOUND, &au);
		if (rc != 0 || au.port >= XM_NR_EVENT_CHANNELS)
			break;
		taken[au.port / 64] |= UINT64_C(1) << (au.port % 64);
		if (n == 0)
			first = au.port;
		last = au.port;
		n++;
	}
	hx_expect_rc(rc, -XM_ENOSPC, 0, "taking more than all its ports "
	    "(got %u, last %u)", n, last);
	for (p = 0; p < XM_NR_EVENT_CHANNELS; p++)
		if (taken[p / 64] & (UINT64_C(1) << (p % 64)))
			(void)close_port(p);
	hx_expect_rc(send_port(last), -XM_EINVAL, 0,
	    "EVTCHNOP_send on port %u after closing it", last);
	/* Ports are handed out lowest first, closed ones again. */
	au = (struct xm_evtchn_alloc_unbound){ .dom = XM_DOMID_SELF,
	    .remote_dom = XM_DOMID_SELF };
	rc = evtchn_op(XM_EVTCHNOP_ALLOC_UNBOUND, &au);
	TEST_OK(rc == 0 && au.port == first, "after closing them, the "
	    "lowest free port again (%u; rc %ld, port %u)", first, rc,
	    au.port);
	if (rc == 0)
		(void)close_port(au.port);
	TEST_OK(last == HV_PORTS - 1, "its ports reach hv's limit, port %u "
	    "(%u taken from port %u)", HV_PORTS - 1, n, first);
}

void
attack_events(void)
{
	not_its_ports();
	victims_ports();
	other_domains();
	bad_binds();
	exhaust_ports();
}

/* --- grant tables ----------------------------------------------------- */

/*
 * The op must be refused with status want (or want2 if not 0), or the
 * whole hypercall with -ENOSYS while hv has no grant tables.
 */
static void
grant_expect(long rc, int16_t status, int16_t want, int16_t want2,
    const char *fmt, ...)
{
	char what[160];
	va_list ap;
	int ok;

	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (rc == -XM_ENOSYS) {
		TEST_OK(1, "%s refused (-ENOSYS: no grant tables yet; or "
		    "GNTST %d)", what, want);
		return;
	}
	ok = rc == 0 && (status == want || (want2 != 0 && status == want2));
	if (ok)
		TEST_OK(1, "%s refused (GNTST %d; or -ENOSYS)", what, status);
	else
		TEST_OK(0, "%s refused (GNTST %d, rc %ld; want GNTST %d/%d or "
		    "-ENOSYS)", what, status, rc, want, want2);
}

static void
grant_map(xm_domid_t dom, uint32_t ref, int16_t want, int16_t want2,
    const char *what)
{
	struct xm_gnttab_map_grant_ref op = {
		.host_addr = (uint64_t)hx_scratch,
		.flags = XM_GNTMAP_HOST_MAP,
		.ref = ref,
		.dom = dom,
		.status = 1,
	};
	long rc;

	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_MAP_GRANT_REF, &op, 1);
	grant_expect(rc, op.status, want, want2, "%s", what);
	if (rc == 0 && op.status == XM_GNTST_OKAY) {
		struct xm_gnttab_unmap_grant_ref un = {
			.host_addr = op.host_addr, .handle = op.handle };

		(void)HYPERVISOR_grant_table_op(XM_GNTTABOP_UNMAP_GRANT_REF,
		    &un, 1);
	}
}

static void
grant_copy(struct xm_gnttab_copy_ptr src, uint16_t flags, int16_t want,
    int16_t want2, const char *what)
{
	struct xm_gnttab_copy op = {
		.source = src,
		.len = 64,
		.flags = flags,
		.status = 1,
	};
	long rc;

	op.dest.u.gmfn = virt_to_mfn(hx_scratch);
	op.dest.domid = XM_DOMID_SELF;
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_COPY, &op, 1);
	grant_expect(rc, op.status, want, want2, "%s", what);
}

static void
grant_tables(void)
{
	struct xm_gnttab_setup_table st = { .dom = VICTIM, .nr_frames = 1,
	    .status = 1 };
	struct xm_gnttab_query_size qs = { .dom = VICTIM, .status = 1 };
	uint64_t frames[1];
	long rc;

	st.frame_list = (uint64_t)frames;
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, &st, 1);
	grant_expect(rc, st.status, XM_GNTST_PERMISSION_DENIED, 0,
	    "grant setup_table of d0's table");
	st = (struct xm_gnttab_setup_table){ .dom = XM_DOMID_SELF,
	    .nr_frames = 100000, .status = 1, .frame_list =
	    (uint64_t)frames };
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, &st, 1);
	grant_expect(rc, st.status, XM_GNTST_GENERAL_ERROR, 0,
	    "grant setup_table of 100000 frames");
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_QUERY_SIZE, &qs, 1);
	grant_expect(rc, qs.status, XM_GNTST_PERMISSION_DENIED, 0,
	    "grant query_size of d0");
}

/* Its own domain id: hv names it as the remote end of a loopback port. */
static int
own_domid(void)
{
	struct xm_evtchn_alloc_unbound au = { .dom = XM_DOMID_SELF,
	    .remote_dom = XM_DOMID_SELF };
	struct xm_evtchn_status st = { .dom = XM_DOMID_SELF };

	if (evtchn_op(XM_EVTCHNOP_ALLOC_UNBOUND, &au) != 0)
		return -1;
	st.port = au.port;
	if (evtchn_op(XM_EVTCHNOP_STATUS, &st) != 0)
		st.u.unbound.dom = 0xffff;
	(void)close_port(au.port);
	return st.u.unbound.dom == 0xffff ? -1 : st.u.unbound.dom;
}

/* Map its own grant ref at the scratch page; unmap if it got through. */
static void
self_map(xm_domid_t self, int ref, int readonly, int16_t want,
    int16_t want2, const char *what)
{
	struct xm_gnttab_map_grant_ref op = {
		.host_addr = (uint64_t)hx_scratch,
		.flags = XM_GNTMAP_HOST_MAP |
		    (readonly ? XM_GNTMAP_READONLY : 0),
		.ref = (uint32_t)ref,
		.dom = self,
		.status = 1,
	};
	struct xm_gnttab_unmap_grant_ref un = { .host_addr = op.host_addr };
	long rc;

	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_MAP_GRANT_REF, &op, 1);
	grant_expect(rc, op.status, want, want2, "%s", what);
	if (rc == 0 && op.status == XM_GNTST_OKAY) {
		un.handle = op.handle;
		(void)HYPERVISOR_grant_table_op(XM_GNTTABOP_UNMAP_GRANT_REF,
		    &un, 1);
		(void)map_frame_at((uint64_t)hx_scratch,
		    virt_to_mfn(hx_scratch), PTE_KERNEL);
	}
}

/*
 * Grants in its own table for what it may not have: its L4 writable,
 * hv's frame, a transitive entry; then mapped or copied by itself.
 */
static void
self_grants(void)
{
	struct xm_gnttab_copy_ptr src = { 0 };
	uint64_t l4 = virt_to_mfn((void *)guest_start_info->pt_base);
	int self, rc, ref;

	rc = hx_gnttab_rc;
	self = own_domid();
	if (rc != 0 || self < 0) {
		TEST_OK(rc == -XM_ENOSYS, "grants of its own: no grant table "
		    "(%d), domid %d", rc, self);
		return;
	}
	test_diag("its domain id: %d", self);
	ref = gnttab_grant_access(self, l4, 0);
	self_map(self, ref, 0, XM_GNTST_GENERAL_ERROR, 0,
	    "its L4 granted to itself, mapped writable");
	(void)gnttab_end_access(ref);
	ref = gnttab_grant_access(self, HV_IMAGE_MFN, 1);
	self_map(self, ref, 1, XM_GNTST_GENERAL_ERROR, XM_GNTST_BAD_PAGE,
	    "hv's frame granted to itself, mapped");
	src.u.ref = ref;
	src.domid = self;
	grant_copy(src, XM_GNTCOPY_SOURCE_GREF, XM_GNTST_GENERAL_ERROR,
	    XM_GNTST_BAD_PAGE, "hv's frame granted to itself, copied");
	(void)gnttab_end_access(ref);
	ref = gnttab_grant_access(self, virt_to_mfn(hx_scratch + PAGE_SIZE),
	    0);
	gnttab_entry(ref)->flags = XM_GTF_TRANSITIVE;
	self_map(self, ref, 0, XM_GNTST_GENERAL_ERROR, 0,
	    "a transitive grant (v2 only) mapped");
	gnttab_entry(ref)->flags = 0;
}

void
attack_grants(void)
{
	struct xm_gnttab_unmap_grant_ref un = {
		.host_addr = (uint64_t)hx_scratch, .handle = 0x12345,
		.status = 1 };
	struct xm_gnttab_copy_ptr src = { .domid = VICTIM };
	long rc;

	grant_map(VICTIM, BAD_REF, XM_GNTST_BAD_GNTREF, 0,
	    "grant map of d0's ref 0x7fffffff");
	grant_map(VICTIM, 0, XM_GNTST_GENERAL_ERROR, XM_GNTST_BAD_GNTREF,
	    "grant map of d0's ref 0, never granted");
	grant_map(NO_DOMAIN, 8, XM_GNTST_BAD_DOMAIN, 0,
	    "grant map from domain 42, which does not exist");
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_UNMAP_GRANT_REF, &un, 1);
	grant_expect(rc, un.status, XM_GNTST_BAD_HANDLE, 0,
	    "grant unmap of handle 0x12345, never mapped");
	src.u.gmfn = HV_IMAGE_MFN;
	grant_copy(src, 0, XM_GNTST_PERMISSION_DENIED, 0,
	    "grant copy from d0 by mfn, not by ref");
	src.u.ref = BAD_REF;
	grant_copy(src, XM_GNTCOPY_SOURCE_GREF, XM_GNTST_BAD_GNTREF, 0,
	    "grant copy from d0's ref 0x7fffffff");
	grant_tables();
	hx_expect_rc(HYPERVISOR_grant_table_op(99, &un, 1), -XM_ENOSYS, 0,
	    "grant_table_op 99");
	self_grants();
}
