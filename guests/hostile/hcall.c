/*
 * Attacks through hypercall arguments: numbers hv has no hypercall
 * for, pointers that are NULL, non-canonical, in hv's range or cross
 * into an unmapped page, counts far too large, sub-operations that are
 * domain 0's, and batches that smuggle in what may not be batched.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/callback.h>
#include <xm/domctl.h>
#include <xm/event_channel.h>
#include <xm/grant_table.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/physdev.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/version.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "hostile.h"

#define VICTIM		0		/* domain 0 */
#define HV_PTR		(HV_DIRECTMAP + (HV_IMAGE_MFN << PAGE_SHIFT))
#define RFLAGS_TF	UINT64_C(0x100)

void	hx_tf_syscall(uint64_t arg);

/* --- hypercall numbers ------------------------------------------------ */

static void
bad_numbers(void)
{
	static const uint64_t nrs[] = { XM_HYPERCALL_COUNT, 63, 127, 128,
	    4096, UINT64_C(0x80000000), UINT64_C(0x100000017), ~UINT64_C(0) };
	unsigned int i;

	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		hx_expect_rc(hx_syscall(nrs[i], 0, 0, 0, 0, 0), -XM_ENOSYS, 0,
		    "hypercall number %#lx", nrs[i]);
	hx_expect_rc(_hypercall1(127, 0), -XM_ENOSYS, 0,
	    "the hypercall page's last stub (127)");
}

/* --- pointers --------------------------------------------------------- */

typedef long	ptr_call_t(uint64_t p);

static long
p_xen_version(uint64_t p)
{
	return HYPERVISOR_xen_version(XM_XENVER_EXTRAVERSION, (void *)p);
}

static long
p_compile_info(uint64_t p)
{
	return HYPERVISOR_xen_version(XM_XENVER_COMPILE_INFO, (void *)p);
}

static long
p_features(uint64_t p)
{
	return HYPERVISOR_xen_version(XM_XENVER_GET_FEATURES, (void *)p);
}

static long
p_console(uint64_t p)
{
	return HYPERVISOR_console_io(XM_CONSOLEIO_WRITE, 64, (char *)p);
}

static long
p_mmu_update(uint64_t p)
{
	unsigned int done;

	return HYPERVISOR_mmu_update((void *)p, 1, &done, XM_DOMID_SELF);
}

static long
p_mmu_done(uint64_t p)
{
	return HYPERVISOR_mmu_update(NULL, 0, (unsigned int *)p,
	    XM_DOMID_SELF);
}

static long
p_mmuext(uint64_t p)
{
	unsigned int done;

	return HYPERVISOR_mmuext_op((void *)p, 1, &done, XM_DOMID_SELF);
}

static long
p_multicall(uint64_t p)
{
	return HYPERVISOR_multicall((void *)p, 1);
}

static long
p_memory_map(uint64_t p)
{
	return HYPERVISOR_memory_op(XM_XENMEM_MEMORY_MAP, (void *)p);
}

static long
p_memory_map_buffer(uint64_t p)
{
	struct xm_memory_map m = { .nr_entries = 1, .buffer = p };

	return HYPERVISOR_memory_op(XM_XENMEM_MEMORY_MAP, &m);
}

static long
p_machphys_mapping(uint64_t p)
{
	return HYPERVISOR_memory_op(XM_XENMEM_MACHPHYS_MAPPING, (void *)p);
}

static long
p_extent_list(uint64_t p)
{
	struct xm_memory_reservation r = { .extent_start = p,
	    .nr_extents = 1, .domid = XM_DOMID_SELF };

	return HYPERVISOR_memory_op(XM_XENMEM_INCREASE_RESERVATION, &r);
}

static long
p_evtchn_status(uint64_t p)
{
	return HYPERVISOR_event_channel_op(XM_EVTCHNOP_STATUS, (void *)p);
}

static long
p_evtchn_alloc(uint64_t p)
{
	return HYPERVISOR_event_channel_op(XM_EVTCHNOP_ALLOC_UNBOUND,
	    (void *)p);
}

static long
p_shutdown(uint64_t p)
{
	return HYPERVISOR_sched_op(XM_SCHEDOP_SHUTDOWN, (void *)p);
}

static long
p_poll_ports(uint64_t p)
{
	struct xm_sched_poll sp = { .ports = p, .nr_ports = 1, .timeout = 1 };

	return HYPERVISOR_sched_op(XM_SCHEDOP_POLL, &sp);
}

static long
p_singleshot(uint64_t p)
{
	return HYPERVISOR_vcpu_op(XM_VCPUOP_SET_SINGLESHOT_TIMER, 0,
	    (void *)p);
}

static long
p_runstate_info(uint64_t p)
{
	return HYPERVISOR_vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO, 0, (void *)p);
}

static long
p_callback(uint64_t p)
{
	return HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, (void *)p);
}

static long
p_trap_table(uint64_t p)
{
	return HYPERVISOR_set_trap_table((void *)p);
}

static long
p_grant_setup(uint64_t p)
{
	return HYPERVISOR_grant_table_op(XM_GNTTABOP_SETUP_TABLE, (void *)p,
	    1);
}

struct ptr_case {
	const char	*what;
	ptr_call_t	*call;
	long		 want;		/* for every bad pointer */
	long		 want2;		/* also accepted, if not 0 */
	int		 null_ok;	/* NULL means "none" here */
};

#define EFAULT_ONLY	-XM_EFAULT, 0, 0

static const struct ptr_case ptr_cases[] = {
	{ "xen_version(EXTRAVERSION) buffer", p_xen_version, EFAULT_ONLY },
	{ "xen_version(GET_FEATURES) arg", p_features, EFAULT_ONLY },
	{ "xen_version(COMPILE_INFO) buffer", p_compile_info, EFAULT_ONLY },
	{ "console_io(WRITE) source", p_console, EFAULT_ONLY },
	{ "mmu_update requests", p_mmu_update, EFAULT_ONLY },
	{ "mmu_update done count", p_mmu_done, -XM_EFAULT, 0, 1 },
	{ "mmuext_op ops", p_mmuext, EFAULT_ONLY },
	{ "multicall list", p_multicall, EFAULT_ONLY },
	{ "memory_op(MEMORY_MAP) arg", p_memory_map, EFAULT_ONLY },
	{ "memory_op(MEMORY_MAP) buffer", p_memory_map_buffer, EFAULT_ONLY },
	{ "memory_op(MACHPHYS_MAPPING) arg", p_machphys_mapping,
	    EFAULT_ONLY },
	{ "increase_reservation extents (done)", p_extent_list, 0, 0, 0 },
	{ "evtchn_op(STATUS) arg", p_evtchn_status, EFAULT_ONLY },
	{ "evtchn_op(ALLOC_UNBOUND) arg", p_evtchn_alloc, EFAULT_ONLY },
	{ "sched_op(SHUTDOWN) arg", p_shutdown, EFAULT_ONLY },
	{ "sched_op(POLL) ports", p_poll_ports, EFAULT_ONLY },
	{ "vcpu_op(SET_SINGLESHOT_TIMER) arg", p_singleshot, EFAULT_ONLY },
	{ "vcpu_op(GET_RUNSTATE_INFO) buffer", p_runstate_info, EFAULT_ONLY },
	{ "callback_op(REGISTER) arg", p_callback, EFAULT_ONLY },
	{ "set_trap_table table", p_trap_table, -XM_EFAULT, 0, 1 },
	{ "grant_table_op(SETUP_TABLE) arg", p_grant_setup, -XM_EFAULT,
	    -XM_ENOSYS, 0 },
};

static int
rc_ok(long rc, long want, long want2)
{
	return rc == want || (want2 != 0 && rc == want2);
}

static void
ptr_case_run(const struct ptr_case *c)
{
	static const uint64_t ptrs[] = { 0, NONCANONICAL, HV_PTR,
	    HV_IMAGE_VA };
	long rc[4];
	char how[80];
	unsigned int i;
	int ok = 1;

	for (i = 0; i < 4; i++) {
		if (i == 0 && c->null_ok) {
			rc[i] = 0;
			continue;
		}
		rc[i] = c->call(ptrs[i]);
		ok &= rc_ok(rc[i], c->want, c->want2);
	}
	if (c->null_ok)
		ksnprintf(how, sizeof(how), "NULL: none, %ld %ld %ld", rc[1],
		    rc[2], rc[3]);
	else
		ksnprintf(how, sizeof(how), "%ld %ld %ld %ld", rc[0], rc[1],
		    rc[2], rc[3]);
	hx_refused(ok, how, "%s NULL/non-canonical/hv/hv", c->what);
}

/* A struct that starts in a mapped page and ends in an unmapped one. */
static void
straddling(void)
{
	uint8_t *page = hx_scratch + PAGE_SIZE;
	uint64_t hole = (uint64_t)hx_scratch + 2 * PAGE_SIZE;
	struct xm_mmuext_op *op;
	long rc;

	rc = unmap_at(hole);
	if (rc != 0) {
		TEST_OK(0, "cannot unmap a page to straddle (%ld)", rc);
		return;
	}
	op = (struct xm_mmuext_op *)(page + PAGE_SIZE - 8);
	kmemset(page + PAGE_SIZE - 8, 0, 8);	/* cmd 0: pin L1 */
	rc = p_mmuext((uint64_t)op);
	hx_expect_rc(rc, -XM_EFAULT, 0, "mmuext_op whose op runs into an "
	    "unmapped page");
	rc = p_evtchn_status(hole - 6);
	hx_expect_rc(rc, -XM_EFAULT, 0, "event_channel_op(STATUS) at an odd "
	    "address running into an unmapped page");
	rc = HYPERVISOR_xen_version(XM_XENVER_EXTRAVERSION,
	    (void *)(hole - 5));
	hx_expect_rc(rc, -XM_EFAULT, 0, "xen_version output at an odd "
	    "address running into an unmapped page");
	(void)map_frame_at(hole, virt_to_mfn(page + PAGE_SIZE), PTE_KERNEL);
}

static void
bad_pointers(void)
{
	unsigned int i;

	test_diag("bad pointers: NULL, non-canonical %#lx, hv's %#lx and "
	    "%#lx", NONCANONICAL, HV_PTR, HV_IMAGE_VA);
	for (i = 0; i < sizeof(ptr_cases) / sizeof(ptr_cases[0]); i++)
		ptr_case_run(&ptr_cases[i]);
	straddling();
}

/* --- counts ----------------------------------------------------------- */

static void
huge_counts(void)
{
	struct xm_memory_reservation r = { .domid = XM_DOMID_SELF };
	uint64_t zeros = (uint64_t)hx_scratch;
	unsigned int done = 12345;
	long rc;

	kmemset(hx_scratch, 0, PAGE_SIZE);
	rc = HYPERVISOR_mmu_update((void *)zeros, 0x7fffffff, &done,
	    XM_DOMID_SELF);
	hx_expect_rc(rc, -XM_EINVAL, -XM_EFAULT, "mmu_update of 0x7fffffff "
	    "entries");
	rc = hx_syscall(XM_HYPERCALL_MMUEXT_OP, zeros, 0xffffffff,
	    (uint64_t)&done, XM_DOMID_SELF, 0);
	hx_expect_rc(rc, -XM_EINVAL, -XM_EFAULT, "mmuext_op of 0xffffffff "
	    "ops");
	rc = hx_syscall(XM_HYPERCALL_MULTICALL, zeros, UINT64_C(1) << 40, 0,
	    0, 0);
	hx_expect_rc(rc, -XM_EINVAL, -XM_EFAULT, "multicall of 2^40 calls");
	rc = hx_syscall(XM_HYPERCALL_CONSOLE_IO, XM_CONSOLEIO_WRITE,
	    UINT64_C(1) << 31, zeros, 0, 0);
	hx_expect_rc(rc, -XM_EINVAL, -XM_EFAULT, "console_io of 2 GiB");
	r.extent_start = zeros;
	r.nr_extents = UINT64_C(1) << 40;
	rc = HYPERVISOR_memory_op(XM_XENMEM_INCREASE_RESERVATION, &r);
	hx_expect_rc(rc, 0, -XM_EINVAL, "increase_reservation of 2^40 "
	    "extents");
	done = 12345;
	rc = HYPERVISOR_mmu_update((void *)zeros, 65536, &done,
	    XM_DOMID_SELF);
	hx_refused(rc == -XM_EINVAL && done == 0, "-EINVAL, none done",
	    "mmu_update of 65536 entries of zeros (%ld, done %u)", rc, done);
	rc = hx_syscall(XM_HYPERCALL_GRANT_TABLE_OP, XM_GNTTABOP_COPY, zeros,
	    0x7fffffff, 0, 0);
	hx_refused(rc == -XM_EINVAL || rc == -XM_EFAULT || rc == -XM_ENOSYS,
	    rc == -XM_ENOSYS ? "-ENOSYS: no grant tables yet" : "error",
	    "grant_table_op(COPY) of 0x7fffffff copies (%ld)", rc);
}

/* --- privilege and bad sub-operations --------------------------------- */

static void
bad_sched_ops(void)
{
	struct xm_sched_remote_shutdown rs = { .domain_id = VICTIM,
	    .reason = XM_SHUTDOWN_CRASH };
	struct xm_sched_shutdown sd = { .reason = 255 };
	struct xm_sched_poll sp = { .nr_ports = 1000, .timeout = 1 };
	uint32_t ports[4] = { 0 };

	hx_expect_rc(HYPERVISOR_sched_op(XM_SCHEDOP_REMOTE_SHUTDOWN, &rs),
	    -XM_EPERM, 0, "SCHEDOP_remote_shutdown of domain 0");
	hx_expect_rc(HYPERVISOR_sched_op(XM_SCHEDOP_SHUTDOWN, &sd),
	    -XM_EINVAL, 0, "SCHEDOP_shutdown with reason 255");
	hx_expect_rc(HYPERVISOR_sched_op(XM_SCHEDOP_SHUTDOWN_CODE, &sd),
	    -XM_EINVAL, 0, "SCHEDOP_shutdown_code with reason 255");
	sp.ports = (uint64_t)ports;
	hx_expect_rc(HYPERVISOR_sched_op(XM_SCHEDOP_POLL, &sp), -XM_EINVAL,
	    0, "SCHEDOP_poll of 1000 ports");
	hx_expect_rc(HYPERVISOR_sched_op(99, NULL), -XM_ENOSYS, 0,
	    "sched_op 99");
}

static void
bad_vcpu_ops(void)
{
	struct xm_vcpu_set_periodic_timer pt = { .period_ns = 0 };
	struct xm_vcpu_register_runstate_memory_area ra = { .addr = HV_PTR };
	struct xm_vcpu_runstate_info ri;

	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO, 1, &ri),
	    -XM_ENOENT, 0, "vcpu_op on vCPU 1, which it does not have");
	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO,
	    0xffffffff, &ri), -XM_ENOENT, 0, "vcpu_op on vCPU 0xffffffff");
	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_SET_PERIODIC_TIMER, 0, &pt),
	    -XM_EINVAL, 0, "a periodic timer of 0 ns");
	hx_expect_rc(HYPERVISOR_vcpu_op(
	    XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0, &ra), -XM_EFAULT,
	    0, "a runstate area in hv's memory");
	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_INITIALISE, 0, &ri),
	    -XM_EEXIST, -XM_EFAULT, "VCPUOP_initialise of its running "
	    "vCPU 0");
	hx_expect_rc(HYPERVISOR_vcpu_op(XM_VCPUOP_UP, 1, NULL), -XM_ENOENT,
	    0, "VCPUOP_up of vCPU 1, which it does not have");
	hx_expect_rc(HYPERVISOR_vcpu_op(99, 0, NULL), -XM_ENOSYS, 0,
	    "vcpu_op 99");
}

/*
 * A period that carries the next tick past 2^64 ns: hv must not spend
 * the uptime catching up with it, one period (back) at a time (found
 * by guests/fuzz: a CPU stalled for minutes).  Asked 16 times, so that
 * even this early after boot it would take seconds.
 */
static void
wrapping_period(void)
{
	struct xm_vcpu_set_periodic_timer pt = { .period_ns = ~UINT64_C(0) };
	uint64_t t0 = monotonic_ns(), ms;
	char how[48];
	long rc = 0;
	int i;

	for (i = 0; i < 16 && rc == 0; i++)
		rc = HYPERVISOR_vcpu_op(XM_VCPUOP_SET_PERIODIC_TIMER, 0, &pt);
	ms = (monotonic_ns() - t0) / NSEC_PER_MSEC;
	(void)HYPERVISOR_vcpu_op(XM_VCPUOP_STOP_PERIODIC_TIMER, 0, NULL);
	ksnprintf(how, sizeof(how), "%ld, 16 calls in %lu ms", rc, ms);
	hx_refused(ms < 1000, how, "a periodic timer of 2^64 - 1 ns");
}

static void
bad_memory_ops(void)
{
	struct xm_memory_reservation r = { .nr_extents = 1, .domid = VICTIM };
	uint64_t frame = 0;
	xm_domid_t dom = VICTIM;

	r.extent_start = (uint64_t)&frame;
	hx_expect_rc(HYPERVISOR_memory_op(XM_XENMEM_INCREASE_RESERVATION,
	    &r), -XM_EPERM, -XM_ESRCH, "increase_reservation for domain 0");
	frame = HV_IMAGE_MFN;
	hx_expect_rc(HYPERVISOR_memory_op(XM_XENMEM_DECREASE_RESERVATION,
	    &r), -XM_EPERM, -XM_ESRCH, "decrease_reservation for domain 0");
	hx_expect_rc(HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION,
	    &dom), -XM_EPERM, -XM_ESRCH, "current_reservation of domain 0");
	r.domid = XM_DOMID_SELF;
	frame = UINT64_C(1) << 40;
	hx_expect_rc(HYPERVISOR_memory_op(XM_XENMEM_POPULATE_PHYSMAP, &r), 0,
	    0, "populate_physmap at pfn 2^40 (extents done)");
	r.extent_order = 9;
	hx_expect_rc(HYPERVISOR_memory_op(XM_XENMEM_INCREASE_RESERVATION,
	    &r), 0, -XM_EINVAL, "increase_reservation of order-9 extents");
	hx_expect_rc(HYPERVISOR_memory_op(9999, &r), -XM_ENOSYS, 0,
	    "memory_op 9999");
}

static void
bad_misc_ops(void)
{
	static char buf[XM_XENVER_COMMANDLINE_LEN];
	struct xm_callback_register cb = { .type = 99,
	    .address = (uint64_t)hx_scratch };
	struct xm_callback_unregister un = { .type = 0 };
	struct xm_trap_info t[2] = {
		{ .vector = 3, .flags = 3, .cs = XM_FLAT_KERNEL_CS,
		  .address = NONCANONICAL },
		{ .address = 0 },
	};

	hx_expect_rc(HYPERVISOR_xen_version(XM_XENVER_COMMANDLINE, buf),
	    -XM_EPERM, 0, "xen_version(COMMANDLINE) for a domU");
	hx_expect_rc(HYPERVISOR_xen_version(XM_XENVER_BUILD_ID, NULL),
	    -XM_EPERM, 0, "xen_version(BUILD_ID) for a domU");
	hx_expect_rc(HYPERVISOR_xen_version(9999, buf), -XM_ENOSYS, 0,
	    "xen_version 9999");
	hx_expect_rc(HYPERVISOR_console_io(XM_CONSOLEIO_READ, 16, buf),
	    -XM_EPERM, 0, "console_io(READ) for a domU");
	hx_expect_rc(HYPERVISOR_console_io(99, 16, buf), -XM_ENOSYS, 0,
	    "console_io 99");
	hx_expect_rc(HYPERVISOR_vm_assist(XM_VMASST_CMD_ENABLE, 64),
	    -XM_EINVAL, 0, "vm_assist type 64");
	hx_expect_rc(_hypercall2(XM_HYPERCALL_SET_SEGMENT_BASE,
	    XM_SEGBASE_FS, NONCANONICAL), -XM_EINVAL, 0,
	    "set_segment_base with a non-canonical FS base");
	hx_expect_rc(_hypercall2(XM_HYPERCALL_SET_SEGMENT_BASE, 99, 0),
	    -XM_EINVAL, 0, "set_segment_base 99");
	hx_expect_rc(HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &cb),
	    -XM_ENOSYS, 0, "callback type 99 (Xen's -ENOSYS)");
	un.type = XM_CALLBACKTYPE_EVENT;
	hx_expect_rc(HYPERVISOR_callback_op(XM_CALLBACKOP_UNREGISTER, &un),
	    -XM_EINVAL, 0, "unregister the event callback (Xen: only NMI's)");
	un.type = 99;
	hx_expect_rc(HYPERVISOR_callback_op(XM_CALLBACKOP_UNREGISTER, &un),
	    -XM_ENOSYS, 0, "unregister callback type 99");
	hx_expect_rc(HYPERVISOR_set_trap_table(t), -XM_EINVAL, 0,
	    "a trap table entry at non-canonical %#lx", NONCANONICAL);
}

/* Domain 0's hypercalls: -EPERM, or -ENOSYS where hv has none yet. */
static void
privileged_hypercalls(void)
{
	static const struct {
		uint64_t	nr;
		const char	*name;
	} hc[] = {
		{ XM_HYPERCALL_PLATFORM_OP, "platform_op" },
		{ XM_HYPERCALL_SYSCTL, "sysctl" },
	};
	unsigned int i;
	long rc;

	kmemset(hx_scratch, 0, PAGE_SIZE);
	for (i = 0; i < sizeof(hc) / sizeof(hc[0]); i++) {
		rc = hx_syscall(hc[i].nr, (uint64_t)hx_scratch,
		    (uint64_t)hx_scratch, 0, 0, 0);
		hx_refused(rc == -XM_EPERM || rc == -XM_ENOSYS,
		    "-EPERM or -ENOSYS", "%s from a domU (%ld)", hc[i].name,
		    rc);
	}
}

static long
domctl(uint32_t cmd, xm_domid_t dom)
{
	static struct xm_domctl op;

	kmemset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.interface_version = XM_DOMCTL_INTERFACE_VERSION;
	op.domain = dom;
	return hx_syscall(XM_HYPERCALL_DOMCTL, (uint64_t)&op, 0, 0, 0, 0);
}

static void
domain0_ops(void)
{
	static struct xm_physdev_map_pirq mp = { .domid = XM_DOMID_SELF,
	    .type = XM_MAP_PIRQ_TYPE_GSI, .index = 10, .pirq = -1 };

	hx_expect_rc(domctl(XM_DOMCTL_DESTROY, VICTIM), -XM_EPERM, 0,
	    "domctl DESTROY of domain 0");
	hx_expect_rc(domctl(XM_DOMCTL_PAUSE, VICTIM), -XM_EPERM, 0,
	    "domctl PAUSE of domain 0");
	hx_expect_rc(domctl(XM_DOMCTL_FOREIGN_COPY, VICTIM), -XM_EPERM, 0,
	    "domctl FOREIGN_COPY from domain 0");
	hx_expect_rc(domctl(XM_DOMCTL_GET_PAGE_LIST, VICTIM), -XM_EPERM, 0,
	    "domctl GET_PAGE_LIST of domain 0");
	hx_expect_rc(domctl(XM_DOMCTL_CREATE, 0), -XM_EPERM, 0,
	    "domctl CREATE");
	hx_expect_rc(hx_syscall(XM_HYPERCALL_PHYSDEV_OP, XM_PHYSDEVOP_MAP_PIRQ,
	    (uint64_t)&mp, 0, 0, 0), -XM_EPERM, 0, "physdev_op MAP_PIRQ of "
	    "GSI 10");
	/* Any PV domain may set its virtual IOPL, as on Xen; not above 3. */
	hx_scratch[0] = 4;
	hx_expect_rc(hx_syscall(XM_HYPERCALL_PHYSDEV_OP, XM_PHYSDEVOP_SET_IOPL,
	    (uint64_t)hx_scratch, 0, 0, 0), -XM_EINVAL, 0,
	    "physdev_op SET_IOPL 4");
}

/* Hypercalls hv may not have yet: whatever it says, not success. */
static void
descriptor_ops(void)
{
	static uint64_t frames[1] = { HV_IMAGE_MFN };
	long rc;

	rc = hx_syscall(XM_HYPERCALL_SET_GDT, (uint64_t)frames, 512, 0, 0, 0);
	hx_refused(rc == -XM_EINVAL || rc == -XM_ENOSYS, "-EINVAL or "
	    "-ENOSYS", "set_gdt with hv's frame as its GDT (%ld)", rc);
	rc = hx_syscall(XM_HYPERCALL_UPDATE_DESCRIPTOR, HV_IMAGE_MFN <<
	    PAGE_SHIFT, UINT64_C(0x00cf9a000000ffff), 0, 0, 0);
	hx_refused(rc == -XM_EINVAL || rc == -XM_ENOSYS, "-EINVAL or "
	    "-ENOSYS", "update_descriptor in hv's frame (%ld)", rc);
	rc = hx_syscall(XM_HYPERCALL_UPDATE_VA_MAPPING_OTHERDOMAIN,
	    (uint64_t)hx_scratch, (HV_IMAGE_MFN << PAGE_SHIFT) |
	    PTE_KERNEL_RO, 0, VICTIM, 0);
	hx_refused(rc == -XM_EPERM || rc == -XM_ENOSYS, "-EPERM or -ENOSYS",
	    "update_va_mapping_otherdomain of domain 0 (%ld)", rc);
}

/* It cannot take more memory than its maximum reservation. */
static void
memory_hog(void)
{
	static uint64_t frames[1024];
	struct xm_memory_reservation r = { .nr_extents = 1024,
	    .domid = XM_DOMID_SELF };
	xm_domid_t self = XM_DOMID_SELF;
	long cur, max, got, after;

	cur = HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION, &self);
	max = HYPERVISOR_memory_op(XM_XENMEM_MAXIMUM_RESERVATION, &self);
	r.extent_start = (uint64_t)frames;
	got = HYPERVISOR_memory_op(XM_XENMEM_INCREASE_RESERVATION, &r);
	after = HYPERVISOR_memory_op(XM_XENMEM_CURRENT_RESERVATION, &self);
	hx_refused(got >= 0 && got < 1024 && after <= max, "stopped at its "
	    "maximum", "1024 more frames at %ld of %ld pages (got %ld, now "
	    "%ld)", cur, max, got, after);
	if (got > 0) {
		r.nr_extents = (uint64_t)got;
		(void)HYPERVISOR_memory_op(XM_XENMEM_DECREASE_RESERVATION,
		    &r);
	}
}

/* --- batches ---------------------------------------------------------- */

static void
mc_entry(struct xm_multicall_entry *e, uint64_t op, uint64_t a0,
    uint64_t a1)
{
	kmemset(e, 0, sizeof(*e));
	e->op = op;
	e->args[0] = a0;
	e->args[1] = a1;
}

static void
bad_multicalls(void)
{
	static struct xm_multicall_entry mc[4];
	uint64_t l4maddr = virt_to_maddr((void *)guest_start_info->pt_base);
	static struct xm_mmu_update u;
	long rc;

	u.ptr = l4maddr + 256 * 8;
	u.val = 0;
	mc_entry(&mc[0], XM_HYPERCALL_IRET, 0, 0);
	mc_entry(&mc[1], XM_HYPERCALL_MULTICALL, (uint64_t)&mc[0], 1);
	mc_entry(&mc[2], 9999, 0, 0);
	mc_entry(&mc[3], XM_HYPERCALL_MMU_UPDATE, (uint64_t)&u, 1);
	mc[3].args[3] = XM_DOMID_SELF;
	rc = HYPERVISOR_multicall(mc, 4);
	TEST_OK(rc == 0, "a multicall of bad calls runs (%ld)", rc);
	hx_expect_rc((long)mc[0].result, -XM_EINVAL, -XM_ENOSYS,
	    "iret inside a multicall");
	hx_expect_rc((long)mc[1].result, -XM_EINVAL, 0,
	    "a multicall inside a multicall");
	hx_expect_rc((long)mc[2].result, -XM_ENOSYS, 0,
	    "hypercall 9999 inside a multicall");
	hx_expect_rc((long)mc[3].result, -XM_EINVAL, 0,
	    "mmu_update of hv's L4 slot inside a multicall");
}

/* Single-stepping into a hypercall: the #DB is the guest's, not hv's. */
static void
trap_flag_hypercall(void)
{
	struct hx_fault f;
	int faulted;

	faulted = hx_run(hx_tf_syscall, 0, &f);
	hx_refused(faulted && f.vector == VEC_DB, faulted ?
	    (f.vector == VEC_DB ? "#DB in the guest after it" : "wrong fault")
	    : "no fault", "a hypercall made with TF set (vector %lu)",
	    faulted ? f.vector : 0);
}

void
attack_hypercalls(void)
{
	bad_numbers();
	bad_pointers();
	huge_counts();
	bad_sched_ops();
	bad_vcpu_ops();
	wrapping_period();
	bad_memory_ops();
	bad_misc_ops();
	privileged_hypercalls();
	domain0_ops();
	descriptor_ops();
	memory_hog();
	bad_multicalls();
	trap_flag_hypercall();
}
