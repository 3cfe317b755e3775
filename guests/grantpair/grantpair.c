/*
 * grantpair: grant tables between two domains, one program in two
 * roles chosen on the command line: "role=granter peer=N" and
 * "role=mapper peer=N" (self=N names the domain's own id; without it
 * the pair is taken to be domains 0 and 1).
 *
 * Boot-time domains cannot tell each other anything before they share
 * a page, so the protocol is fixed.  The granter sets up its table and
 * grants, in this order, page A writable to the peer (ref 8, the first
 * after the reserved ones), page B read-only to the peer (ref 9) and
 * page A to a domain that does not exist (ref 10).  Page A carries a
 * magic number and the port of an unbound event channel for the peer.
 * The mapper retries mapping ref 8 until it works, checks the pattern,
 * binds the port, writes its answer into page A and notifies.  The
 * granter checks the answer and that the grants show as in use and
 * cannot be ended, and notifies back; the mapper copies through the
 * grants, checks what hv must refuse, unmaps and notifies again; the
 * granter checks the grants are free and ends them.  Each side prints
 * TAP lines and powers off.
 *
 * With hold=1 on both command lines the pair goes on: the granter
 * keeps page A granted and notifies, the mapper maps it again, and
 * domain 0, whichever role it has, destroys the other domain (domctl)
 * while the mapping stands.  A dead mapper's mappings are released:
 * the grant is free again; a dead granter's are revoked: the mapping
 * is gone from the mapper's page tables and its handle is no more.
 * The other domain prints its TAP lines and waits to be destroyed.
 */

#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/domctl.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/gnttab.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#define REF_RW		8
#define REF_RO		9
#define REF_ELSEWHERE	10
#define REF_UNUSED	12
#define NOBODY		42		/* a domain id nobody has */
#define MAGIC_A		UINT64_C(0x6772616e74706169)	/* "grantpai" */
#define MAGIC_B		UINT64_C(0x726561646f6e6c79)	/* "readonly" */
#define ANSWER		UINT64_C(0x616e737765726564)	/* "answered" */
#define W_MAGIC		0		/* words of page A */
#define W_PORT		1
#define W_ANSWER	2
#define W_PATTERN	3
#define COPY_OFF	2048		/* where the mapper copies into A */
#define COPY_LEN	64
#define WAIT_NS		(20 * NSEC_PER_SEC)
/* L3 slot 511 of the top L4 slot: empty in a guest built by hv. */
#define MAP_VA		UINT64_C(0xffffffffc0000000)
#define VA_RW		(MAP_VA)
#define VA_RO		(MAP_VA + PAGE_SIZE)
#define VA_SPARE	(MAP_VA + 2 * PAGE_SIZE)
#define VA_SELF		(MAP_VA + 3 * PAGE_SIZE)
#define HV_VA		UINT64_C(0xffff800000000000)
#define HUGE_BATCH	(1U << 20)	/* more than hv takes in one call */

/* Not in the ABI header yet: grant table versions. */
struct gnt_set_version {
	uint32_t	version;
};

/* Written by the other domain too. */
static volatile uint64_t page_a[PAGE_SIZE / 8]
    __attribute__((aligned(PAGE_SIZE)));
static uint64_t page_b[PAGE_SIZE / 8]
    __attribute__((aligned(PAGE_SIZE)));
static uint64_t scratch[PAGE_SIZE / 8]
    __attribute__((aligned(PAGE_SIZE)));
static uint64_t copy_src[PAGE_SIZE / 8]
    __attribute__((aligned(PAGE_SIZE)));

static xm_domid_t		 self_id, peer_id;
static int			 hold;
static volatile unsigned int	 events;

static uint64_t
pattern(uint64_t magic, unsigned int i)
{
	return magic ^ ((uint64_t)i * UINT64_C(0x9e3779b97f4a7c15));
}

static void
fill(volatile uint64_t *page, uint64_t magic)
{
	unsigned int i;

	for (i = W_PATTERN; i < PAGE_SIZE / 8; i++)
		page[i] = pattern(magic, i);
	page[W_MAGIC] = magic;
}

/* Words of page that differ from the pattern, from W_PATTERN on. */
static unsigned int
pattern_errors(const volatile uint64_t *page, uint64_t magic,
    unsigned int end)
{
	unsigned int i, bad = 0;

	for (i = W_PATTERN; i < end; i++)
		if (page[i] != pattern(magic, i))
			bad++;
	return bad;
}

static void
count_event(xm_evtchn_port_t port, void *data)
{
	(void)port, (void)data;
	events++;
}

/* Sleep until n events have come, or time runs out. */
static int
wait_events(unsigned int n)
{
	uint64_t deadline = monotonic_ns() + WAIT_NS;

	while (events < n && monotonic_ns() < deadline)
		sleep_ns(NSEC_PER_MSEC);
	return events >= n;
}

static uint16_t
entry_flags(xm_grant_ref_t ref)
{
	return gnttab_entry(ref)->flags;
}

static int
cmdline_id(const char *key, int dflt)
{
	char val[16];
	uint64_t n;

	if (!kcmdline_get(guest_cmdline(), key, val, sizeof(val)) ||
	    kstrtou64(val, NULL, 0, &n) < 0 || n >= XM_DOMID_FIRST_RESERVED)
		return dflt;
	return (int)n;
}

/*
 * Both sides.
 */

static int
destroy_peer(void)
{
	struct xm_domctl op;

	kmemset(&op, 0, sizeof(op));
	op.cmd = XM_DOMCTL_DESTROY;
	op.interface_version = XM_DOMCTL_INTERFACE_VERSION;
	op.domain = peer_id;
	return (int)_hypercall1(XM_HYPERCALL_DOMCTL, &op);
}

/* The domain to be destroyed: done, it tells the other and waits. */
static GUEST_NORETURN void
await_destruction(xm_evtchn_port_t port)
{
	test_done();
	gprintf("grantpair: waiting to be destroyed\n");
	evtchn_notify(port);
	for (;;)
		sleep_ns(NSEC_PER_SEC);
}

static void
test_own_table(void)
{
	struct xm_gnttab_query_size q = { .dom = XM_DOMID_SELF };
	int rc;

	rc = gnttab_init();
	TEST_OK(rc == 0, "setup_table gives %d frames and they map (%d)",
	    GNTTAB_NR_FRAMES, rc);
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_QUERY_SIZE, &q, 1);
	TEST_OK(rc == 0 && q.status == XM_GNTST_OKAY && q.nr_frames ==
	    GNTTAB_NR_FRAMES && q.max_nr_frames >= GNTTAB_NR_FRAMES,
	    "query_size: %u of %u frames (%d, status %d)", q.nr_frames,
	    q.max_nr_frames, rc, q.status);
}

/*
 * The granter.
 */

static void
granter_grant(int port)
{
	int a, b, c;

	fill(page_a, MAGIC_A);
	page_a[W_PORT] = (uint64_t)port;
	fill(page_b, MAGIC_B);
	a = gnttab_grant_access(peer_id, virt_to_mfn((void *)page_a), 0);
	b = gnttab_grant_access(peer_id, virt_to_mfn(page_b), 1);
	c = gnttab_grant_access(NOBODY, virt_to_mfn((void *)page_a), 0);
	TEST_OK(a == REF_RW && b == REF_RO && c == REF_ELSEWHERE,
	    "grants page A (ref %d), page B read-only (ref %d), A to d%u "
	    "(ref %d)", a, b, NOBODY, c);
}

static void
granter_check_in_use(void)
{
	uint16_t rw = XM_GTF_READING | XM_GTF_WRITING;

	TEST_OK(page_a[W_ANSWER] == ANSWER, "the mapper's answer is in the "
	    "granted page (%#lx)", page_a[W_ANSWER]);
	TEST_OK((entry_flags(REF_RW) & rw) == rw && (entry_flags(REF_RO) &
	    rw) == XM_GTF_READING, "hv marks the grants in use: flags %#x "
	    "and %#x", entry_flags(REF_RW), entry_flags(REF_RO));
	TEST_OK(gnttab_end_access(REF_RW) == -XM_EBUSY &&
	    gnttab_end_access(REF_RO) == -XM_EBUSY,
	    "a grant in use cannot be ended");
}

static void
granter_check_released(void)
{
	uint16_t rw = XM_GTF_READING | XM_GTF_WRITING;
	unsigned int bad = 0, i;

	for (i = 0; i < COPY_LEN / 8; i++)
		if (page_a[COPY_OFF / 8 + i] != pattern(ANSWER, i))
			bad++;
	TEST_OK(bad == 0, "the mapper's copy into the grant arrived (%u "
	    "words wrong)", bad);
	TEST_OK((entry_flags(REF_RW) & rw) == 0 && (entry_flags(REF_RO) &
	    rw) == 0, "unmapped grants are free again: flags %#x and %#x",
	    entry_flags(REF_RW), entry_flags(REF_RO));
	TEST_OK((hold || gnttab_end_access(REF_RW) == 0) &&
	    gnttab_end_access(REF_RO) == 0 &&
	    gnttab_end_access(REF_ELSEWHERE) == 0, "and can be ended");
}

/* hold=1, domain 0: destroy the mapper while it maps page A. */
static void
granter_kill(void)
{
	uint16_t rw = XM_GTF_READING | XM_GTF_WRITING;
	int rc;

	if (!TEST_OK(wait_events(3), "the mapper maps page A again"))
		return;
	TEST_OK((entry_flags(REF_RW) & rw) == rw, "the grant is in use "
	    "(flags %#x)", entry_flags(REF_RW));
	rc = destroy_peer();
	TEST_OK(rc == 0, "destroys d%u while it maps the grant (%d)",
	    peer_id, rc);
	TEST_OK((entry_flags(REF_RW) & rw) == 0 &&
	    gnttab_end_access(REF_RW) == 0 && page_a[W_MAGIC] == MAGIC_A,
	    "its mapping went with it: the grant is free (flags %#x)",
	    entry_flags(REF_RW));
}

static int
granter(void)
{
	int port;

	test_own_table();
	port = evtchn_alloc_unbound(peer_id);
	TEST_OK(port > 0, "an unbound port for d%u: %d", peer_id, port);
	if (port <= 0)
		return test_done();
	evtchn_bind((xm_evtchn_port_t)port, count_event, NULL);
	granter_grant(port);
	if (!TEST_OK(wait_events(1), "the mapper signals"))
		return test_done();
	granter_check_in_use();
	evtchn_notify((xm_evtchn_port_t)port);
	if (!TEST_OK(wait_events(2), "the mapper signals it is done"))
		return test_done();
	granter_check_released();
	if (!hold)
		return test_done();
	if (self_id != 0)
		await_destruction((xm_evtchn_port_t)port);
	evtchn_notify((xm_evtchn_port_t)port);
	granter_kill();
	return test_done();
}

/*
 * The mapper: mapping, and using what it mapped.
 */

static int
mapper_map_first(xm_grant_handle_t *h)
{
	uint64_t deadline = monotonic_ns() + WAIT_NS;
	unsigned int tries = 0;
	int rc;

	do {
		tries++;
		rc = gnttab_map(peer_id, REF_RW, VA_RW, 0, h);
		if (rc != XM_GNTST_OKAY)
			sleep_ns(2 * NSEC_PER_MSEC);
	} while (rc != XM_GNTST_OKAY && monotonic_ns() < deadline);
	return TEST_OK(rc == XM_GNTST_OKAY, "maps d%u's ref %d writable "
	    "(%u tries, last %d)", peer_id, REF_RW, tries, rc);
}

static void
mapper_check_pages(xm_grant_handle_t *hro)
{
	const volatile uint64_t *a = (const uint64_t *)VA_RW;
	const volatile uint64_t *b = (const uint64_t *)VA_RO;
	int rc;

	TEST_OK(a[W_MAGIC] == MAGIC_A && pattern_errors(a, MAGIC_A,
	    PAGE_SIZE / 8) == 0, "the writable mapping shows page A");
	TEST_OK((pt_lookup(VA_RW) & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW),
	    "its entry is present and writable");
	rc = gnttab_map(peer_id, REF_RO, VA_RO, 1, hro);
	TEST_OK(rc == XM_GNTST_OKAY && b[W_MAGIC] == MAGIC_B &&
	    pattern_errors(b, MAGIC_B, PAGE_SIZE / 8) == 0 &&
	    (pt_lookup(VA_RO) & PTE_RW) == 0,
	    "maps ref %d read-only and sees page B (%d)", REF_RO, rc);
}

static int
mapper_answer(void)
{
	volatile uint64_t *a = (volatile uint64_t *)VA_RW;
	int port;

	port = evtchn_bind_interdomain(peer_id, (xm_evtchn_port_t)
	    a[W_PORT]);
	if (!TEST_OK(port > 0, "binds to d%u's port %lu from the page: %d",
	    peer_id, a[W_PORT], port))
		return -1;
	evtchn_bind((xm_evtchn_port_t)port, count_event, NULL);
	/* Binding raised one event on our side already. */
	events = 0;
	a[W_ANSWER] = ANSWER;
	evtchn_notify((xm_evtchn_port_t)port);
	return port;
}

/* src and dst are grant refs or mfns, as flags say. */
static struct xm_gnttab_copy
copy_op(uint16_t flags, uint64_t src, uint16_t sdom, uint16_t soff,
    uint64_t dst, uint16_t ddom, uint16_t doff, uint16_t len)
{
	struct xm_gnttab_copy op;

	kmemset(&op, 0, sizeof(op));
	op.flags = flags;
	op.source.u.gmfn = src;
	op.source.domid = sdom;
	op.source.offset = soff;
	op.dest.u.gmfn = dst;
	op.dest.domid = ddom;
	op.dest.offset = doff;
	op.len = len;
	return op;
}

static void
mapper_copy(void)
{
	struct xm_gnttab_copy op[2];
	unsigned int i;
	int rc;

	kmemset(scratch, 0, sizeof(scratch));
	op[0] = copy_op(XM_GNTCOPY_SOURCE_GREF, REF_RO, peer_id, 0,
	    virt_to_mfn(scratch), XM_DOMID_SELF, 0, PAGE_SIZE);
	for (i = 0; i < COPY_LEN / 8; i++)
		copy_src[i] = pattern(ANSWER, i);
	op[1] = copy_op(XM_GNTCOPY_DEST_GREF, virt_to_mfn(copy_src),
	    XM_DOMID_SELF, 0, REF_RW, peer_id, COPY_OFF, COPY_LEN);
	rc = gnttab_copy(op, 2);
	TEST_OK(rc == 0 && scratch[W_MAGIC] == MAGIC_B &&
	    pattern_errors(scratch, MAGIC_B, PAGE_SIZE / 8) == 0,
	    "copies from a read-only grant to its own frame, and into a "
	    "writable grant (%d)", rc);
}

/*
 * The mapper: what hv must refuse.
 */

static int
raw_map(uint16_t dom, uint32_t ref, uint64_t va, uint32_t flags)
{
	struct xm_gnttab_map_grant_ref op = {
		.host_addr = va, .flags = flags, .ref = ref, .dom = dom,
	};
	int rc;

	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_MAP_GRANT_REF, &op, 1);
	return rc < 0 ? rc : op.status;
}

static int
raw_unmap(uint64_t va, xm_grant_handle_t handle)
{
	return gnttab_unmap(va, handle);
}

static void
mapper_refuse_maps(void)
{
	const uint32_t host = XM_GNTMAP_HOST_MAP;
	const uint32_t ro = host | XM_GNTMAP_READONLY;

	TEST_OK(raw_map(peer_id, REF_RO, VA_SPARE, host) ==
	    XM_GNTST_GENERAL_ERROR, "a read-only grant will not map writable");
	TEST_OK(raw_map(peer_id, REF_ELSEWHERE, VA_SPARE, ro) ==
	    XM_GNTST_GENERAL_ERROR, "nor a grant to another domain");
	TEST_OK(raw_map(peer_id, REF_UNUSED, VA_SPARE, ro) ==
	    XM_GNTST_GENERAL_ERROR, "nor an empty entry");
	TEST_OK(raw_map(peer_id, 100000, VA_SPARE, ro) ==
	    XM_GNTST_BAD_GNTREF, "a ref past the table is a bad gntref");
	TEST_OK(raw_map(peer_id, REF_RO, VA_SPARE, 0) == XM_GNTST_BAD_GNTREF,
	    "a map without GNTMAP_host_map is a bad gntref, as in Xen");
	TEST_OK(raw_map(NOBODY, REF_RO, VA_SPARE, ro) == XM_GNTST_BAD_DOMAIN &&
	    raw_map(XM_DOMID_SELF, REF_RO, VA_SPARE, ro) ==
	    XM_GNTST_BAD_DOMAIN, "unknown domains and DOMID_SELF are bad "
	    "domains");
	TEST_OK(raw_map(peer_id, REF_RO, HV_VA, ro) == XM_GNTST_GENERAL_ERROR &&
	    raw_map(peer_id, REF_RO, VA_SPARE + 1, ro | XM_GNTMAP_CONTAINS_PTE)
	    == XM_GNTST_GENERAL_ERROR, "hv's range and misaligned entries "
	    "are refused");
	TEST_OK(pt_lookup(VA_SPARE) == 0, "and nothing got mapped");
}

static void
mapper_refuse_misc(xm_grant_handle_t hrw)
{
	struct xm_gnttab_map_grant_ref many[1];
	struct gnt_set_version v = { .version = 2 };
	struct xm_gnttab_copy op;
	int rc;

	TEST_OK(raw_unmap(VA_RW, 0x7777) == XM_GNTST_BAD_HANDLE,
	    "unmapping a bad handle is a bad handle");
	TEST_OK(raw_unmap(VA_RO, hrw) == XM_GNTST_GENERAL_ERROR &&
	    *(volatile uint64_t *)VA_RW == MAGIC_A,
	    "unmapping at the wrong address fails and keeps the mapping");
	rc = HYPERVISOR_update_va_mapping(VA_RW, 0, XM_UVMF_INVLPG);
	TEST_OK(rc == -XM_EINVAL, "update_va_mapping cannot take a grant "
	    "mapping away (%d)", rc);
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_MAP_GRANT_REF, many,
	    HUGE_BATCH);
	TEST_OK(rc == -XM_EINVAL, "a huge batch is refused (%d)", rc);
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_SET_VERSION, &v, 1);
	TEST_OK(rc == -XM_ENOSYS && v.version == 1, "version 2 is not "
	    "offered (%d, version %u)", rc, v.version);
	op = copy_op(XM_GNTCOPY_SOURCE_GREF, REF_RO, peer_id, 4000,
	    virt_to_mfn(scratch), XM_DOMID_SELF, 0, 200);
	TEST_OK(gnttab_copy(&op, 1) == XM_GNTST_BAD_COPY_ARG,
	    "a copy across a page end is refused");
	op = copy_op(0, virt_to_mfn(copy_src), peer_id, 0,
	    virt_to_mfn(scratch), XM_DOMID_SELF, 0, 8);
	TEST_OK(gnttab_copy(&op, 1) == XM_GNTST_PERMISSION_DENIED,
	    "a copy may name frames of DOMID_SELF only");
}

static void
mapper_refuse_ops(void)
{
	struct xm_gnttab_query_size q = { .dom = peer_id };
	struct xm_gnttab_setup_table st = { .dom = XM_DOMID_SELF };
	uint64_t frames[GNTTAB_NR_FRAMES + 1];
	int rc;

	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_QUERY_SIZE, &q, 1);
	TEST_OK(rc == 0 && q.status == (self_id == 0 ? XM_GNTST_OKAY :
	    XM_GNTST_PERMISSION_DENIED), "query_size of d%u: status %d, "
	    "denied unless domain 0 asks", peer_id, q.status);
	st.nr_frames = 1000;
	st.frame_list = (xm_guest_handle_t)frames;
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, &st, 1);
	TEST_OK(rc == 0 && st.status == XM_GNTST_GENERAL_ERROR,
	    "setup_table past the maximum fails (%d, status %d)", rc,
	    st.status);
	st.nr_frames = 1;
	st.frame_list = HV_VA;
	rc = HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, &st, 1);
	TEST_OK(rc == -XM_EFAULT, "setup_table into hv's range faults (%d)",
	    rc);
	TEST_OK(HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, &st, 2) ==
	    -XM_EINVAL && HYPERVISOR_grant_table_op(XM_GNTTABOP_COPY, &st,
	    0x80000000U) == -XM_EINVAL && HYPERVISOR_grant_table_op(
	    XM_GNTTABOP_QUERY_SIZE | 0x1000, &q, 1) == -XM_EINVAL,
	    "bad counts and continuation bits are -EINVAL");
	TEST_OK(HYPERVISOR_grant_table_op(XM_GNTTABOP_TRANSFER, &st, 1) ==
	    -XM_ENOSYS && HYPERVISOR_grant_table_op(99, &st, 1) ==
	    -XM_ENOSYS, "transfer and unknown ops are -ENOSYS");
}

static void
mapper_self_grant(void)
{
	xm_grant_handle_t h;
	int ref, rc;

	fill(page_b, MAGIC_B);
	ref = gnttab_grant_access(self_id, virt_to_mfn(page_b), 1);
	rc = ref < 0 ? ref : gnttab_map(self_id, (xm_grant_ref_t)ref,
	    VA_SELF, 1, &h);
	TEST_OK(rc == XM_GNTST_OKAY && *(volatile uint64_t *)VA_SELF ==
	    MAGIC_B, "maps its own grant, as Xen allows (ref %d, %d)", ref,
	    rc);
	if (rc == XM_GNTST_OKAY)
		rc = gnttab_unmap(VA_SELF, h);
	TEST_OK(rc == XM_GNTST_OKAY && gnttab_end_access(ref) == 0,
	    "and unmaps and ends it");
}

static void
mapper_unmap(xm_grant_handle_t hrw, xm_grant_handle_t hro)
{
	int a, b;

	a = gnttab_unmap(VA_RW, hrw);
	b = gnttab_unmap(VA_RO, hro);
	TEST_OK(a == XM_GNTST_OKAY && b == XM_GNTST_OKAY &&
	    pt_lookup(VA_RW) == 0 && pt_lookup(VA_RO) == 0,
	    "unmaps both grants (%d, %d)", a, b);
	TEST_OK(gnttab_unmap(VA_RW, hrw) == XM_GNTST_BAD_HANDLE,
	    "unmapping twice is a bad handle");
}

/* hold=1: map page A again; domain 0 destroys the granter meanwhile. */
static void
mapper_hold(int port)
{
	xm_grant_handle_t h;
	int rc;

	rc = wait_events(2) ? gnttab_map(peer_id, REF_RW, VA_RW, 0, &h) :
	    -1;
	if (!TEST_OK(rc == XM_GNTST_OKAY && *(volatile uint64_t *)VA_RW ==
	    MAGIC_A, "maps page A again to hold it (%d)", rc))
		return;
	if (self_id != 0)
		await_destruction((xm_evtchn_port_t)port);
	rc = destroy_peer();
	TEST_OK(rc == 0, "destroys d%u while mapping its grant (%d)",
	    peer_id, rc);
	TEST_OK(pt_lookup(VA_RW) == 0, "the mapping was revoked");
	TEST_OK(gnttab_unmap(VA_RW, h) == XM_GNTST_BAD_HANDLE &&
	    gnttab_map(peer_id, REF_RW, VA_RW, 0, &h) == XM_GNTST_BAD_DOMAIN,
	    "its handle is gone, and so is the granter");
}

static int
mapper(void)
{
	xm_grant_handle_t hrw, hro;
	int port, rc;

	test_own_table();
	rc = mm_init();
	if (rc == 0)
		rc = pt_ensure(MAP_VA, 1);
	if (!TEST_OK(rc == 0, "a page table for the mappings (%d)", rc) ||
	    !mapper_map_first(&hrw))
		return test_done();
	mapper_check_pages(&hro);
	mapper_refuse_maps();
	port = mapper_answer();
	if (port < 0 || !TEST_OK(wait_events(1), "the granter signals back"))
		return test_done();
	mapper_copy();
	mapper_refuse_misc(hrw);
	mapper_refuse_ops();
	mapper_unmap(hrw, hro);
	mapper_self_grant();
	evtchn_notify((xm_evtchn_port_t)port);
	if (hold)
		mapper_hold(port);
	return test_done();
}

int
guest_main(void)
{
	char role[16];

	peer_id = (xm_domid_t)cmdline_id("peer", 1);
	self_id = (xm_domid_t)cmdline_id("self", peer_id == 0 ? 1 : 0);
	hold = cmdline_id("hold", 0);
	if (!kcmdline_get(guest_cmdline(), "role", role, sizeof(role)))
		role[0] = '\0';
	gprintf("grantpair: %s, d%u with peer d%u\n", role, self_id,
	    peer_id);
	if (kstrcmp(role, "granter") == 0)
		return granter();
	if (kstrcmp(role, "mapper") == 0)
		return mapper();
	gprintf("grantpair: role=granter or role=mapper, please\n");
	return 1;
}
