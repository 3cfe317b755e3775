/*
 * xenhdr: hv from the point of view of code written against Xen's own
 * public headers (Debian's libxen-dev, /usr/include/xen), not against
 * include/xm.  Everything this file does itself uses Xen's names and
 * structs: start_info, the time in shared_info's vcpu_time_info, and
 * hypercalls by their __HYPERVISOR_* numbers through the hypercall
 * page.  Only entry and the console come from the guest runtime (and
 * where start_info and shared_info are, through glue.h).  Results are
 * TAP lines; the last thing is SCHEDOP_shutdown.
 */

#define __XEN_INTERFACE_VERSION__	0x00040e00

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/errno.h>
#include <xen/version.h>

#include <guest/console.h>
#include <guest/test.h>

#include "glue.h"

#define STUB_SIZE	32		/* bytes per hypercall-page stub */
#define E820_RAM	1
#define MAX_E820	8
/* 2020-01-01 00:00:00 UTC */
#define WALLCLOCK_MIN_SEC	UINT64_C(1577836800)

/* The layouts hv must share with Xen's headers. */
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info");
_Static_assert(offsetof(struct start_info, nr_pages) == 32, "start_info");
_Static_assert(offsetof(struct shared_info, evtchn_pending) ==
    XEN_LEGACY_MAX_VCPUS * 64, "shared_info");

/* The BIOS's e820 entry, which XENMEM_memory_map hands out. */
struct e820_entry {
	uint64_t	addr;
	uint64_t	size;
	uint32_t	type;
} __attribute__((packed));

extern char	hypercall_page[];
int		guest_main(void);

/* A call to stub nr; hv may change every argument register. */
#define HYPERCALL2(nr, a1, a2) ({					\
	register uint64_t __a1 __asm__("rdi") = (uint64_t)(a1);		\
	register uint64_t __a2 __asm__("rsi") = (uint64_t)(a2);		\
	long __ret;							\
	__asm__ volatile("call hypercall_page + %c[off]"		\
	    : "=a" (__ret), "+r" (__a1), "+r" (__a2)			\
	    : [off] "i" ((nr) * STUB_SIZE)				\
	    : "rcx", "rdx", "r8", "r10", "r11", "memory");		\
	__ret;								\
})

static const struct start_info *
si(void)
{
	return xenhdr_start_info();
}

static volatile struct shared_info *
shared(void)
{
	return xenhdr_shared_info();
}

static uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((uint64_t)hi << 32) | lo;
}

static int
prefix(const char *s, const char *p)
{
	while (*p != '\0')
		if (*s++ != *p++)
			return 0;
	return 1;
}

/* --- start_info ------------------------------------------------------- */

static void
test_start_info(void)
{
	const struct start_info *s = si();
	const xen_pfn_t *p2m = (const xen_pfn_t *)s->mfn_list;
	const volatile unsigned long *m2p = machine_to_phys_mapping;
	unsigned long i, bad = 0;

	TEST_OK(prefix(s->magic, "xen-3.0-x86_64"), "start_info magic "
	    "\"%.*s\"", 32, s->magic);
	TEST_OK(s->nr_pages > 0 && s->nr_pt_frames > 0 &&
	    (s->shared_info & 4095) == 0, "start_info: %lu pages, %lu "
	    "page-table frames, shared_info at %#lx", s->nr_pages,
	    s->nr_pt_frames, s->shared_info);
	TEST_OK((s->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) ==
	    (SIF_PRIVILEGED | SIF_INITDOMAIN), "SIF_PRIVILEGED and "
	    "SIF_INITDOMAIN for domain 0 (flags %#x)", s->flags);
	for (i = 0; i < s->nr_pages; i++)
		bad += m2p[p2m[i]] != i;
	TEST_OK(bad == 0, "mfn_list and the m2p at HYPERVISOR_VIRT_START "
	    "agree on all %lu pages", s->nr_pages);
	TEST_OK(s->cmd_line[MAX_GUEST_CMDLINE - 1] == '\0',
	    "command line \"%s\"", (const char *)s->cmd_line);
}

/* --- time ------------------------------------------------------------- */

static uint64_t
system_time_ns(void)
{
	volatile struct vcpu_time_info *t = &shared()->vcpu_info[0].time;
	uint64_t stamp, sys, delta;
	uint32_t version, mul;
	int8_t shift;

	do {
		version = t->version;
		__asm__ volatile("" ::: "memory");
		stamp = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		delta = rdtsc() - stamp;
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) != 0 || version != t->version);
	if ((int64_t)delta < 0)
		return sys;
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static void
test_time(void)
{
	volatile struct shared_info *sh = shared();
	volatile struct vcpu_time_info *t = &sh->vcpu_info[0].time;
	uint64_t a, b, sec;
	unsigned long spins = 0;

	TEST_OK((t->version & 1) == 0 && t->tsc_to_system_mul != 0,
	    "vcpu_time_info: version %u, mul %u, shift %d", t->version,
	    t->tsc_to_system_mul, t->tsc_shift);
	a = system_time_ns();
	do
		b = system_time_ns();
	while (b < a + 1000000 && ++spins < 100000000);
	TEST_OK(b >= a + 1000000, "system time advances: %lu ns, then %lu",
	    a, b);
	sec = ((uint64_t)sh->wc_sec_hi << 32) | sh->wc_sec;
	TEST_OK(sec >= WALLCLOCK_MIN_SEC && (sh->wc_version & 1) == 0,
	    "wall clock at boot: %lu s", sec);
}

/* --- hypercalls ------------------------------------------------------- */

/* Domain 0 is told how hv was built, and its build id. */
static void
test_version_build(void)
{
	static xen_compile_info_t ci;
	static union {
		xen_build_id_t	id;
		unsigned char	bytes[sizeof(xen_build_id_t) + 64];
	} b;
	long rc, size;

	rc = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_compile_info, &ci);
	ci.compiler[sizeof(ci.compiler) - 1] = '\0';
	TEST_OK(rc == 0 && ci.compiler[0] != '\0' && ci.compile_date[0] !=
	    '\0', "XENVER_compile_info: compiler \"%s\" (%ld)", ci.compiler,
	    rc);
	size = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_build_id, NULL);
	b.id.len = 1;
	rc = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_build_id, &b.id);
	TEST_OK(size == 20 && rc == -XEN_ENOBUFS, "XENVER_build_id: its size "
	    "for a NULL buffer, -ENOBUFS for a short one (%ld, %ld)", size,
	    rc);
	b.id.len = 64;
	rc = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_build_id, &b.id);
	TEST_OK(rc == size && (b.id.buf[0] | b.id.buf[19]) != 0,
	    "XENVER_build_id: the id, %02x%02x... (%ld)", b.id.buf[0],
	    b.id.buf[1], rc);
}

static void
test_version(void)
{
	static xen_capabilities_info_t caps;
	xen_platform_parameters_t pp = { 0 };
	long ver, rc;

	ver = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_version, NULL);
	TEST_OK(ver >= 0x30000, "XENVER_version %ld.%ld", ver >> 16,
	    ver & 0xffff);
	rc = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_platform_parameters,
	    &pp);
	TEST_OK(rc == 0 && pp.virt_start == HYPERVISOR_VIRT_START,
	    "XENVER_platform_parameters: virt_start %#lx (%ld)",
	    (unsigned long)pp.virt_start, rc);
	rc = HYPERCALL2(__HYPERVISOR_xen_version, XENVER_capabilities, caps);
	caps[sizeof(caps) - 1] = '\0';
	TEST_OK(rc == 0 && prefix(caps, "xen-3.0-x86_64"),
	    "XENVER_capabilities \"%s\" (%ld)", caps, rc);
	test_version_build();
}

static void
test_memory(void)
{
	static struct e820_entry map[MAX_E820];
	struct xen_memory_map mm = { .nr_entries = MAX_E820 };
	domid_t self = DOMID_SELF;
	uint64_t ram = 0;
	unsigned int i;
	long rc;

	rc = HYPERCALL2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
	    &self);
	TEST_OK(rc >= (long)si()->nr_pages, "XENMEM_current_reservation: "
	    "%ld pages", rc);
	set_xen_guest_handle(mm.buffer, map);
	rc = HYPERCALL2(__HYPERVISOR_memory_op, XENMEM_memory_map, &mm);
	for (i = 0; rc == 0 && i < mm.nr_entries && i < MAX_E820; i++)
		if (map[i].type == E820_RAM)
			ram += map[i].size;
	TEST_OK(rc == 0 && mm.nr_entries >= 1 && ram >= si()->nr_pages *
	    4096, "XENMEM_memory_map: %u entries, %lu KiB of RAM (%ld)",
	    mm.nr_entries, ram >> 10, rc);
}

static void
test_evtchn(void)
{
	evtchn_alloc_unbound_t au = { .dom = DOMID_SELF,
	    .remote_dom = DOMID_SELF };
	evtchn_status_t st = { .dom = DOMID_SELF };
	evtchn_close_t cl;
	long rc;

	rc = HYPERCALL2(__HYPERVISOR_event_channel_op,
	    EVTCHNOP_alloc_unbound, &au);
	TEST_OK(rc == 0 && au.port > 0, "EVTCHNOP_alloc_unbound: port %u "
	    "(%ld)", au.port, rc);
	if (rc != 0)
		return;
	st.port = au.port;
	rc = HYPERCALL2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, &st);
	TEST_OK(rc == 0 && st.status == EVTCHNSTAT_unbound,
	    "EVTCHNOP_status: unbound, for domain %u (%ld)",
	    st.u.unbound.dom, rc);
	cl.port = au.port;
	rc = HYPERCALL2(__HYPERVISOR_event_channel_op, EVTCHNOP_close, &cl);
	TEST_OK(rc == 0, "EVTCHNOP_close (%ld)", rc);
}

static void
test_sched(void)
{
	long rc;

	rc = HYPERCALL2(__HYPERVISOR_sched_op, SCHEDOP_yield, NULL);
	TEST_OK(rc == 0, "SCHEDOP_yield (%ld)", rc);
}

int
guest_main(void)
{
	struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };
	int failed;

	test_start_info();
	test_time();
	test_version();
	test_memory();
	test_evtchn();
	test_sched();
	failed = test_done();
	if (failed)
		sd.reason = SHUTDOWN_crash;
	console_flush();
	(void)HYPERCALL2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &sd);
	return 1;	/* not reached: the runtime crashes the domain */
}
