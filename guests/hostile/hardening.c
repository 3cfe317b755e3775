/*
 * Attacks on the ways back to a guest and on hv's time: frames hv's
 * own iretq would fault on (the iret hypercall to a compat code segment
 * with a 64-bit rip), the guest kernel's own iretq in ring 3, AC left
 * set across an entry into hv, a batch that replaces and then retypes
 * the page table the CPU is running on, and batches long enough to
 * keep a CPU for seconds if hv did not preempt them.
 */

#include <stdint.h>

#include <klib/string.h>
#include <xm/arch_x86_64.h>
#include <xm/callback.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "hostile.h"

#define GUEST_CS32	0xe023		/* hv/include/hv/desc.h */
#define GUEST_CS64	0xe033
#define GUEST_SS	0xe02b
#define HV_CS64		0xe008
#define RFLAGS_IF	UINT64_C(0x200)
#define RFLAGS_NT	UINT64_C(0x4000)
#define RFLAGS_VM	UINT64_C(0x20000)
#define RFLAGS_IOPL	UINT64_C(0x3000)
#define ABOVE_4G	UINT64_C(0x100001000)

void	hx_iret_frame(uint64_t rip, uint64_t cs, uint64_t rflags,
	    uint64_t rsp, uint64_t ss) __attribute__((__noreturn__));
int	hx_native_iretq(uint64_t cs, uint64_t rflags_or);
void	hx_set_ac(int on);

/*
 * Long batches: 4096 updates each, 2048 of them in a multicall; four
 * times as long when busy.
 */
#define UPDATES		4096
#define UPDATES_BUSY	(4 * UPDATES)
#define CALLS		2048

static struct xm_mmu_update	updates[UPDATES_BUSY];
static struct xm_multicall_entry calls[CALLS];

/* --- frames ---------------------------------------------------------- */

static uint64_t	frame_stack[64] __attribute__((aligned(16)));

static void
iret_compat_high(uint64_t rip)
{
	/* RPL 0 in the frame: back to kernel mode, in the compat segment. */
	hx_iret_frame(rip, GUEST_CS32 & ~3, RFLAGS_IF,
	    (uint64_t)&frame_stack[32], GUEST_SS);
}

static void
iret_bad_rsp(uint64_t rsp)
{
	hx_iret_frame((uint64_t)hx_rflags, GUEST_CS64 & ~3, RFLAGS_IF, rsp,
	    GUEST_SS);
}

static void
native_iretq(uint64_t cs)
{
	if (hx_native_iretq(cs, 0) != 1)
		hx_stack_smash(0);	/* not reached: came back wrong */
}

/* The kernel's own iretq with a frame of its choosing. */
static uint64_t	iretq_frame[5];

static void
native_iretq_frame(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("movq %0, %%rsp; iretq" : : "r"(iretq_frame)
	    : "memory");
}

static void
iretq_frame_set(uint64_t rip, uint64_t cs, uint64_t rflags, uint64_t ss)
{
	iretq_frame[0] = rip;
	iretq_frame[1] = cs;
	iretq_frame[2] = rflags;
	iretq_frame[3] = (uint64_t)&frame_stack[32];
	iretq_frame[4] = ss;
}

static void
iretq_flags(void)
{
	uint64_t after;

	(void)hx_iret(GUEST_CS64 & ~3, hx_rflags() | RFLAGS_NT, GUEST_SS);
	after = hx_rflags();
	TEST_OK(HYPERVISOR_xen_version(0, NULL) > 0, "a hypercall with NT "
	    "set in its flags (%#lx): hv's own iretq back is unharmed",
	    after);
	(void)hx_iret(GUEST_CS64 & ~3, hx_rflags() & ~RFLAGS_NT, GUEST_SS);
	(void)hx_iret(GUEST_CS64 & ~3, hx_rflags() | RFLAGS_VM, GUEST_SS);
	after = hx_rflags();
	hx_refused(!(after & RFLAGS_VM), "no VM after it", "iret hypercall "
	    "asking for virtual-8086 mode (rflags %#lx)", after);
	(void)hx_native_iretq(GUEST_CS64, RFLAGS_IOPL);
	after = hx_rflags();
	hx_refused((after & RFLAGS_IOPL) == 0, "IOPL 0 after it", "its own "
	    "iretq asking for IOPL 3 (rflags %#lx)", after);
}

static void
return_frames(void)
{
	struct hx_fault f;
	int faulted;

	hx_expect_fault(iret_compat_high, ABOVE_4G, VEC_GP, 0, 0,
	    "iret hypercall to the compat code segment at rip %#lx "
	    "(#GP as the CPU's iret, not hv's fault)", ABOVE_4G);
	hx_expect_fault(iret_compat_high, UINT64_C(0xffffffff00000000),
	    VEC_GP, 0, 0, "iret hypercall to the compat code segment at "
	    "an upper-half rip");
	faulted = hx_run(native_iretq, GUEST_CS64, &f);
	TEST_OK(!faulted, "the kernel's own iretq in ring 3 returns to it "
	    "(%s %lu)", faulted ? "fault" : "no fault",
	    faulted ? f.vector : 0);
	hx_expect_fault(native_iretq, HV_CS64, VEC_GP, HV_CS64, 0,
	    "its own iretq to hv's code selector %#x", HV_CS64);
	iretq_frame_set(ABOVE_4G, GUEST_CS32, RFLAGS_IF, GUEST_SS);
	hx_expect_fault(native_iretq_frame, 0, VEC_GP, 0, 0,
	    "its own iretq to the compat segment at rip %#lx", ABOVE_4G);
	iretq_frame_set(NONCANONICAL, GUEST_CS64, RFLAGS_IF, GUEST_SS);
	hx_expect_fault(native_iretq_frame, 0, VEC_GP, 0, 0,
	    "its own iretq to the non-canonical rip %#lx", NONCANONICAL);
	iretq_frame_set((uint64_t)hx_rflags, GUEST_CS64, RFLAGS_IF,
	    HV_CS64 + 8);
	hx_expect_fault(native_iretq_frame, 0, VEC_GP, HV_CS64 + 8, 0,
	    "its own iretq with hv's data selector %#x as ss", HV_CS64 + 8);
	hx_expect_fault(iret_compat_high, NONCANONICAL, VEC_GP, 0, 0,
	    "iret hypercall to the compat segment at a non-canonical rip");
	hx_expect_fault(iret_bad_rsp, NONCANONICAL, VEC_GP, 0, 0,
	    "iret hypercall with the non-canonical rsp %#lx", NONCANONICAL);
	iretq_frame_set((uint64_t)hx_rflags, GUEST_CS64, RFLAGS_IF,
	    GUEST_CS32);
	hx_expect_fault(native_iretq_frame, 0, VEC_GP, GUEST_CS32 & ~3, 0,
	    "its own iretq with a code selector as ss");
	iretq_flags();
}

static void
int3_with_ac(uint64_t arg)
{
	(void)arg;
	hx_set_ac(1);
	__asm__ volatile("int3");
}

/* An unmapped lower-half address: nothing of a guest is there. */
#define NONCANONICAL_LOW	UINT64_C(0x00007ffffff00000)

static void
pf_with_ac(uint64_t arg)
{
	(void)arg;
	hx_set_ac(1);
	(void)*(volatile uint64_t *)NONCANONICAL_LOW;
}

/* hv clears AC on entry, or SMAP would not guard it (see hv's log). */
static void
ac_across_entry(void)
{
	struct hx_fault f;
	uint64_t t0;
	int faulted;
	long rc;

	faulted = hx_run(int3_with_ac, 0, &f);
	hx_set_ac(0);
	TEST_OK(faulted && f.vector == 3, "int3 with AC set reaches its "
	    "handler (hv entered with AC set and must clear it)");
	hx_set_ac(1);
	rc = HYPERVISOR_xen_version(0, NULL);
	hx_set_ac(0);
	TEST_OK(rc > 0, "a hypercall made with AC set (%#lx)", rc);
	hx_expect_fault(pf_with_ac, 0, VEC_PF, -1, NONCANONICAL_LOW,
	    "a page fault taken with AC set");
	t0 = monotonic_ns();
	hx_set_ac(1);
	while (monotonic_ns() - t0 < 30 * NSEC_PER_MSEC)
		__asm__ volatile("pause");
	hx_set_ac(0);
	TEST_OK(1, "30 ms of timer interrupts taken with AC set");
}

/* --- the table in CR3 ----------------------------------------------- */

static uint64_t
current_l4(void)
{
	return virt_to_mfn((void *)guest_start_info->pt_base);
}

/* A pinned copy of the running L4's guest slots; 0 when none. */
static uint64_t
l4_copy(void)
{
	const uint64_t *l4 = (const uint64_t *)guest_start_info->pt_base;
	xm_pfn_t pfn;
	uint64_t mfn, i;

	if (table_alloc(4, &pfn) != 0)
		return 0;
	mfn = pfn_to_mfn(pfn);
	for (i = 0; i < 512; i++) {
		if ((i >= 256 && i < 272) || !(l4[i] & PTE_P))
			continue;
		if (mmu_update_one((mfn << PAGE_SHIFT) + i * 8, l4[i]) != 0)
			return 0;
	}
	return mfn;
}

/*
 * One batch: switch to a copy, unpin the table still in CR3 and write
 * over it. hv must keep its reference until CR3 is off it: the copy is
 * refused (-EINVAL) after two entries. Before that fix it was written,
 * hv's own slots with it, under the running CPU.
 */
static void
cr3_retyped_in_batch(void)
{
	struct xm_mmuext_op op[3];
	uint64_t old = current_l4(), copy = l4_copy();
	unsigned int done = 0;
	long rc;

	if (copy == 0) {
		TEST_OK(0, "a pinned copy of its L4 for the CR3 attack");
		return;
	}
	kmemset(hx_scratch, 0xff, PAGE_SIZE);
	kmemset(op, 0, sizeof(op));
	op[0].cmd = XM_MMUEXT_NEW_BASEPTR;
	op[0].arg1.mfn = copy;
	op[1].cmd = XM_MMUEXT_UNPIN_TABLE;
	op[1].arg1.mfn = old;
	op[2].cmd = XM_MMUEXT_COPY_PAGE;
	op[2].arg1.mfn = old;
	op[2].arg2.src_mfn = virt_to_mfn(hx_scratch);
	rc = HYPERVISOR_mmuext_op(op, 3, &done, XM_DOMID_SELF);
	hx_refused(rc == -XM_EINVAL && done == 2, "-EINVAL after 2",
	    "one batch: new_baseptr, unpin the L4 still in CR3, copy "
	    "garbage over it (%ld, done %u)", rc, done);
	/* Back onto the old table, pinned again; the copy goes. */
	rc = pin_table(4, old);
	if (rc == 0 || rc == -XM_EINVAL) {
		kmemset(op, 0, sizeof(op));
		op[0].cmd = XM_MMUEXT_NEW_BASEPTR;
		op[0].arg1.mfn = old;
		rc = HYPERVISOR_mmuext_op(op, 1, &done, XM_DOMID_SELF);
	}
	TEST_OK(rc == 0 && table_free(mfn_to_pfn(copy)) == 0,
	    "back on its own L4 (%ld)", rc);
}

/* The same, with the table in CR3 retyped or cleared instead. */
static void
cr3_other_batches(void)
{
	struct xm_mmuext_op op[3];
	uint64_t old = current_l4(), copy = l4_copy();
	unsigned int done = 0, i;
	static const unsigned int cmds[2] = { XM_MMUEXT_PIN_L3_TABLE,
	    XM_MMUEXT_CLEAR_PAGE };
	long rc;

	if (copy == 0) {
		TEST_OK(0, "a pinned copy of its L4 for the CR3 attacks");
		return;
	}
	for (i = 0; i < 2; i++) {
		kmemset(op, 0, sizeof(op));
		op[0].cmd = XM_MMUEXT_NEW_BASEPTR;
		op[0].arg1.mfn = copy;
		op[1].cmd = XM_MMUEXT_UNPIN_TABLE;
		op[1].arg1.mfn = old;
		op[2].cmd = cmds[i];
		op[2].arg1.mfn = old;
		rc = HYPERVISOR_mmuext_op(op, 3, &done, XM_DOMID_SELF);
		hx_refused(rc == -XM_EINVAL && done == 2, "-EINVAL after 2",
		    "one batch: new_baseptr, unpin the L4 still in CR3, %s it "
		    "(%ld, done %u)", i == 0 ? "pin as an L3" : "clear", rc,
		    done);
		rc = pin_table(4, old);
		kmemset(op, 0, sizeof(op));
		op[0].cmd = XM_MMUEXT_NEW_BASEPTR;
		op[0].arg1.mfn = old;
		rc = HYPERVISOR_mmuext_op(op, 1, &done, XM_DOMID_SELF);
		TEST_OK(rc == 0, "back on its own L4 (%ld)", rc);
	}
	TEST_OK(table_free(mfn_to_pfn(copy)) == 0, "its L4 copy freed");
}

/* --- continuations, asked for by the guest itself ---------------------- */

#define MMU_UPDATE_PREEMPTED	UINT64_C(0x80000000)

static void
forged_continuations(void)
{
	struct xm_memory_reservation r = { .domid = XM_DOMID_SELF };
	uint64_t mfn = virt_to_mfn(hx_scratch), frame = 0;
	long rc;

	updates[0].ptr = (mfn << PAGE_SHIFT) | XM_MMU_MACHPHYS_UPDATE;
	updates[0].val = mfn_to_pfn(mfn);
	rc = hx_syscall(XM_HYPERCALL_MMU_UPDATE, (uint64_t)updates,
	    MMU_UPDATE_PREEMPTED | 1, NONCANONICAL, XM_DOMID_SELF, 0);
	hx_expect_rc(rc, -XM_EFAULT, 0, "mmu_update marked as continued "
	    "with a non-canonical done count");
	rc = hx_syscall(XM_HYPERCALL_MMUEXT_OP, (uint64_t)updates,
	    MMU_UPDATE_PREEMPTED | 1, HV_IMAGE_VA, XM_DOMID_SELF, 0);
	hx_expect_rc(rc, -XM_EFAULT, 0, "mmuext_op marked as continued with "
	    "a done count in hv");
	rc = hx_syscall(XM_HYPERCALL_MULTICALL, (uint64_t)calls,
	    UINT64_C(1) << 32, 0, 0, 0);
	hx_expect_rc(rc, -XM_EINVAL, 0, "multicall of 2^32 calls");
	r.extent_start = (uint64_t)&frame;
	r.nr_extents = 3;
	rc = hx_syscall(XM_HYPERCALL_MEMORY_OP,
	    XM_XENMEM_DECREASE_RESERVATION | (5 << 6), (uint64_t)&r, 0, 0, 0);
	hx_refused(rc == 5, "nothing done", "decrease_reservation continued "
	    "past its last extent (%ld)", rc);
	r.nr_extents = 1;
	frame = HV_IMAGE_MFN;
	rc = hx_syscall(XM_HYPERCALL_MEMORY_OP,
	    XM_XENMEM_DECREASE_RESERVATION | (UINT64_C(1) << 40),
	    (uint64_t)&r, 0, 0, 0);
	hx_refused(rc == (long)(UINT64_C(1) << 34), "nothing done",
	    "decrease_reservation continued at extent 2^34 (%ld)", rc);
}

/* --- long batches ----------------------------------------------------- */


/*
 * 2M page-table updates in one multicall: hv must preempt it (continue
 * it later) so that others on this CPU run meanwhile; the victim judges
 * that by how late its sleeps end. The result must be as if it ran in
 * one go.
 */
static void
long_multicall(unsigned int per_call)
{
	uint64_t mfn = virt_to_mfn(hx_scratch), t0, ms;
	unsigned int i, bad = 0, done = 0;
	long rc;

	for (i = 0; i < per_call; i++) {
		updates[i].ptr = (mfn << PAGE_SHIFT) | XM_MMU_MACHPHYS_UPDATE;
		updates[i].val = mfn_to_pfn(mfn);
	}
	for (i = 0; i < CALLS; i++) {
		kmemset(&calls[i], 0, sizeof(calls[i]));
		calls[i].op = XM_HYPERCALL_MMU_UPDATE;
		calls[i].args[0] = (uint64_t)updates;
		calls[i].args[1] = per_call;
		calls[i].args[2] = 0;
		calls[i].args[3] = XM_DOMID_SELF;
		calls[i].result = 1;
	}
	t0 = monotonic_ns();
	rc = HYPERVISOR_multicall(calls, CALLS);
	ms = (monotonic_ns() - t0) / NSEC_PER_MSEC;
	for (i = 0; i < CALLS; i++)
		bad += calls[i].result != 0;
	test_diag("multicall of %u x mmu_update(%u) took %lu ms", CALLS,
	    per_call, ms);
	TEST_OK(rc == 0 && bad == 0, "a multicall of %u mmu_updates of %u "
	    "entries each completes (%ld, %u failed)", CALLS, per_call, rc,
	    bad);
	rc = HYPERVISOR_mmu_update(updates, UPDATES, &done, XM_DOMID_SELF);
	TEST_OK(rc == 0 && done == UPDATES, "one mmu_update of %u entries, "
	    "done count %u (%ld)", UPDATES, done, rc);
}

/* A periodic timer at the edge of what the ABI allows, and past it. */
static void
extreme_timers(void)
{
	struct xm_vcpu_set_periodic_timer p = { .period_ns = ~UINT64_C(0) };
	long rc;

	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_SET_PERIODIC_TIMER, 0, &p);
	hx_expect_rc(rc, -XM_EINVAL, 0, "periodic timer of 2^64-1 ns");
	p.period_ns = UINT64_C(1) << 62;
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_SET_PERIODIC_TIMER, 0, &p);
	TEST_OK(rc == 0, "periodic timer of 2^62 ns (%ld)", rc);
	p.period_ns = 1000000;
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_SET_PERIODIC_TIMER, 0, &p);
	TEST_OK(rc == 0, "periodic timer of 1 ms (%ld)", rc);
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_STOP_PERIODIC_TIMER, 0, NULL);
	TEST_OK(rc == 0, "periodic timer stopped (%ld)", rc);
	rc = HYPERVISOR_set_timer_op(~UINT64_C(0));
	TEST_OK(rc == 0, "one-shot timer at the end of time (%ld)", rc);
	rc = HYPERVISOR_set_timer_op(0);
	TEST_OK(rc == 0, "one-shot timer cancelled (%ld)", rc);
}

/* busy=1: long hypercalls until destroyed (tests/boot/isolation.sh). */
void
hx_busy_forever(void)
{
	test_diag("busy: long multicalls until destroyed");
	for (;;)
		long_multicall(UPDATES_BUSY);
}

/*
 * Where hv would send the guest later: every handler, callback and
 * stack it registers must be an address its iretq can return to, and
 * not in hv's range (checked when registered, not when used).
 */
static void
entry_points(void)
{
	static const uint64_t bad[] = { NONCANONICAL, HV_IMAGE_VA,
	    UINT64_C(0xffff800000000000) };
	static const char *const name[] = { "non-canonical", "hv's image",
	    "hv's range" };
	struct xm_trap_info t[2] = { { .vector = 3, .cs = 0xe033 } };
	struct xm_callback_register cb = { .type = XM_CALLBACKTYPE_SYSCALL };
	uint64_t ev = (uint64_t)event_callback;
	unsigned int i;
	int rc;

	for (i = 0; i < 3; i++) {
		hx_expect_rc(HYPERVISOR_stack_switch(GUEST_SS, bad[i]),
		    -XM_EINVAL, 0, "kernel stack at %s %#lx", name[i],
		    bad[i]);
		rc = HYPERVISOR_set_callbacks(bad[i], ev, ev);
		TEST_OK(rc == 0, "set_callbacks with an event callback at %s "
		    "%#lx: that one ignored, 0 as in Xen (%d)", name[i],
		    bad[i], rc);
		t[0].address = bad[i];
		hx_expect_rc(HYPERVISOR_set_trap_table(t), -XM_EINVAL, 0,
		    "int3 handler at %s %#lx", name[i], bad[i]);
		cb.address = bad[i];
		hx_expect_rc(HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER,
		    &cb), -XM_EINVAL, 0, "syscall callback at %s %#lx",
		    name[i], bad[i]);
	}
	hx_traps_init();	/* whatever got through is undone */
}

void
attack_hardening(void)
{
	entry_points();
	return_frames();
	ac_across_entry();
	cr3_retyped_in_batch();
	cr3_other_batches();
	long_multicall(UPDATES);
	forged_continuations();
	extreme_timers();
}
