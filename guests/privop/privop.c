/*
 * privop: what a PV kernel gets from the instructions and calls Xen
 * emulates or answers for it (issue 12): XENVER_get_features, CPUID
 * through the forced-emulation prefix (filtered as for a PV guest), and
 * the privileged instructions that raise #GP in ring 3 -- cli/sti and
 * port I/O once PHYSDEVOP_set_iopl gave it a virtual IOPL, moves to and
 * from CR0, CR2, CR3 and CR4, clts and wbinvd -- and the descriptor
 * tables (gdt.c, ldt.c), the debug registers (debugreg.c).  An instruction hv does not emulate must stay the
 * guest's #GP.  A domU; TAP on its console.
 */

#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/physdev.h>
#include <xm/vcpu.h>
#include <xm/version.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/traps.h>

#define FEAT(n)		(1U << XM_XENFEAT_##n)
#define CR0_PE		(UINT64_C(1) << 0)
#define CR0_TS		(UINT64_C(1) << 3)
#define CR0_PG		(UINT64_C(1) << 31)
#define CR4_DE		(UINT64_C(1) << 3)
#define CR4_PAE		(UINT64_C(1) << 5)
#define CR4_PGE		(UINT64_C(1) << 7)
#define CR4_OSFXSR	(UINT64_C(1) << 9)
#define CR4_FSGSBASE	(UINT64_C(1) << 16)
#define CR4_SMEP	(UINT64_C(1) << 20)
#define CR4_SMAP	(UINT64_C(1) << 21)

#include "privop.h"

volatile unsigned int gp_count, skip_len;

/* #GP or #PF: count it and step over the instruction being tried. */
static int
gp_hook(struct trap_frame *tf)
{
	if (skip_len == 0)
		return 0;
	tf->rip += skip_len;
	gp_count++;
	return 1;
}

static void
xen_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("ud2; .ascii \"xen\"; cpuid"
	    : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

static void
features(void)
{
	struct xm_feature_info fi = { .submap_idx = 0 };
	int rc;

	rc = HYPERVISOR_xen_version(XM_XENVER_GET_FEATURES, &fi);
	TEST_OK(rc == 0 && (fi.submap & FEAT(MMU_PT_UPDATE_PRESERVE_AD)) &&
	    (fi.submap & FEAT(GNTTAB_MAP_AVAIL_BITS)) &&
	    (fi.submap & FEAT(DIRECT_MAPPED)) && !(fi.submap & FEAT(DOM0)) &&
	    !(fi.submap & FEAT(WRITABLE_PAGE_TABLES)),
	    "XENVER_get_features: what hv does for a PV domU (%#x)",
	    fi.submap);
	fi.submap_idx = 1;
	rc = HYPERVISOR_xen_version(XM_XENVER_GET_FEATURES, &fi);
	TEST_OK(rc == -XM_EINVAL, "XENVER_get_features of submap 1: -EINVAL "
	    "(%d)", rc);
}

static void
cpuid_policy(void)
{
	uint32_t r[4];

	xen_cpuid(0x40000000, 0, r);
	TEST_OK(r[1] == 0x566e6558 && r[2] == 0x65584d4d &&
	    r[3] == 0x4d4d566e, "CPUID 0x40000000: XenVMMXenVMM");
	xen_cpuid(1, 0, r);
	TEST_OK(!(r[3] & ((1U << 3) | (1U << 13) | (1U << 17))),
	    "CPUID 1: no PSE, PGE or PSE36 (edx %#x)", r[3]);
	TEST_OK((r[2] & (1U << 31)) && !(r[2] & ((1U << 5) | (1U << 17) |
	    (1U << 21) | (1U << 26) | (1U << 27))),
	    "CPUID 1: hypervisor; no VMX, PCID, x2APIC, XSAVE (ecx %#x)",
	    r[2]);
	xen_cpuid(7, 0, r);
	TEST_OK(!(r[1] & ((1U << 0) | (1U << 7) | (1U << 10) | (1U << 20))) &&
	    !(r[2] & (1U << 3)), "CPUID 7: no FSGSBASE, SMEP, INVPCID, "
	    "SMAP or PKU (ebx %#x ecx %#x)", r[1], r[2]);
	xen_cpuid(0x80000001, 0, r);
	TEST_OK(!(r[3] & (1U << 26)) && (r[3] & (1U << 29)),
	    "CPUID 0x80000001: long mode, no 1 GiB pages (edx %#x)", r[3]);
}

static long
set_iopl(uint32_t iopl)
{
	struct xm_physdev_set_iopl s = { .iopl = iopl };

	return HYPERVISOR_physdev_op(XM_PHYSDEVOP_SET_IOPL, &s);
}

static long
pirq_eoi_gmfn(uint64_t mfn)
{
	struct xm_physdev_pirq_eoi_gmfn g = { .gmfn = mfn };

	return HYPERVISOR_physdev_op(XM_PHYSDEVOP_PIRQ_EOI_GMFN_V2, &g);
}

/* Linux's xen_init_IRQ registers a PIRQ EOI map; Xen takes it once. */
static void
pirq_eoi_map(void)
{
	xm_pfn_t pfn;
	long rc;

	if (frame_alloc(&pfn) != 0) {
		TEST_OK(0, "a frame for the PIRQ EOI map");
		return;
	}
	rc = pirq_eoi_gmfn(virt_to_maddr((void *)guest_start_info->pt_base) >>
	    PAGE_SHIFT);
	TEST_OK(rc == -XM_EINVAL, "PHYSDEVOP_pirq_eoi_gmfn_v2 of its L4 page "
	    "table (cannot be writable): -EINVAL (%ld)", rc);
	rc = pirq_eoi_gmfn(pfn_to_mfn(pfn));
	TEST_OK(rc == 0, "PHYSDEVOP_pirq_eoi_gmfn_v2 of its own frame, as "
	    "Linux registers it (%ld)", rc);
	rc = pirq_eoi_gmfn(pfn_to_mfn(pfn));
	TEST_OK(rc == -XM_EBUSY, "... a second time: -EBUSY (%ld)", rc);
}

/*
 * vm_assist: the types Xen lets a 64-bit PV kernel name, and no other;
 * with runstate_update_flag (Linux 6.1 turns it on) hv clears the
 * update bit in the runstate area once it has written it.
 */
static void
vm_assists(void)
{
	static struct xm_vcpu_runstate_info rs;
	struct xm_vcpu_register_runstate_memory_area ra = {
		.addr = (uint64_t)&rs };
	long rc;

	rc = HYPERVISOR_vm_assist(XM_VMASST_CMD_ENABLE, 6);
	TEST_OK(rc == -XM_EINVAL, "vm_assist of type 6 (none): -EINVAL (%ld)",
	    rc);
	rc = HYPERVISOR_vm_assist(XM_VMASST_CMD_ENABLE, 64);
	TEST_OK(rc == -XM_EINVAL, "vm_assist of type 64: -EINVAL (%ld)", rc);
	rc = HYPERVISOR_vm_assist(2, XM_VMASST_TYPE_M2P_STRICT);
	TEST_OK(rc == -XM_ENOSYS, "vm_assist command 2: -ENOSYS (%ld)", rc);
	rc = HYPERVISOR_vm_assist(XM_VMASST_CMD_ENABLE,
	    XM_VMASST_TYPE_M2P_STRICT);
	TEST_OK(rc == 0 && HYPERVISOR_vm_assist(XM_VMASST_CMD_DISABLE,
	    XM_VMASST_TYPE_M2P_STRICT) == 0, "vm_assist m2p_strict, on and "
	    "off (%ld)", rc);
	rc = HYPERVISOR_vm_assist(XM_VMASST_CMD_ENABLE,
	    XM_VMASST_TYPE_RUNSTATE_UPDATE_FLAG);
	TEST_OK(rc == 0, "vm_assist runstate_update_flag, as Linux (%ld)", rc);
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0,
	    &ra);
	sleep_ns(5 * NSEC_PER_MSEC);
	TEST_OK(rc == 0 && rs.state_entry_time != 0 &&
	    !(rs.state_entry_time & XM_RUNSTATE_UPDATE) &&
	    rs.state == XM_RUNSTATE_RUNNING, "... its runstate area is "
	    "written, the update bit cleared after (%ld)", rc);
	ra.addr = 0;
	(void)HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0,
	    &ra);
}

/*
 * VCPUOP_register_vcpu_time_memory_area: a copy of vcpu_info's time,
 * filled in at once and again as hv updates it, without the TSC_STABLE
 * flag (Linux's vDSO then does not use it, as on Xen by default).
 */
static void
time_area(void)
{
	static struct xm_vcpu_time_info ta;
	volatile struct xm_vcpu_info *vi = guest_vcpu_info();
	struct xm_vcpu_register_time_memory_area r = { .addr = (uint64_t)&ta };
	uint64_t first;
	long rc;

	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0,
	    &r);
	TEST_OK(rc == 0 && ta.version != 0 && !(ta.version & 1) &&
	    ta.tsc_to_system_mul == vi->time.tsc_to_system_mul &&
	    ta.system_time != 0 && ta.system_time <= monotonic_ns(),
	    "register_vcpu_time_memory_area: filled in at once (%ld, "
	    "version %u)", rc, ta.version);
	TEST_OK(!(ta.flags & XM_PVCLOCK_TSC_STABLE_BIT),
	    "... without TSC_STABLE, as Xen's default clock source");
	first = ta.system_time;
	sleep_ns(20 * NSEC_PER_MSEC);	/* blocks: hv switches back to it */
	TEST_OK(ta.system_time > first && !(ta.version & 1), "... and "
	    "updated with vcpu_info's (%lu ns later)", ta.system_time - first);
	r.addr = UINT64_C(0xffff830000000000);
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0,
	    &r);
	TEST_OK(rc == -XM_EFAULT, "... at an address of hv's: -EFAULT (%ld)",
	    rc);
	r.addr = 0;
	rc = HYPERVISOR_vcpu_op(XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA, 0,
	    &r);
	TEST_OK(rc == 0, "... and taken back with 0, as Linux does (%ld)", rc);
}

static void
iopl_and_io(void)
{
	volatile struct xm_vcpu_info *vi = guest_vcpu_info();
	uint64_t a = UINT64_C(0x1122334455667788);

	TEST_OK(FAULTS(1, "cli"), "cli without an IOPL: #GP");
	TEST_OK(FAULTS(2, "inb $0x80, %%al" ::: "rax"),
	    "in without an IOPL: #GP");
	TEST_OK(set_iopl(4) == -XM_EINVAL, "PHYSDEVOP_set_iopl 4: -EINVAL");
	TEST_OK(set_iopl(1) == 0, "PHYSDEVOP_set_iopl 1, as Linux asks");
	TEST_OK(!FAULTS(1, "cli") && vi->evtchn_upcall_mask == 1,
	    "cli: emulated, events masked");
	TEST_OK(!FAULTS(1, "sti") && vi->evtchn_upcall_mask == 0,
	    "sti: emulated, events unmasked");
	TEST_OK(!FAULTS(2, "inb $0x80, %%al" : "+a"(a)) &&
	    a == UINT64_C(0x11223344556677ff),
	    "inb of a port it was not given: 0xff, the rest of rax kept");
	a = 0;
	TEST_OK(!FAULTS(2, "inw %%dx, %%ax" : "+a"(a) : "d"(0xcfc)) &&
	    a == 0xffff, "inw from dx: 0xffff");
	a = ~UINT64_C(0);
	TEST_OK(!FAULTS(1, "inl %%dx, %%eax" : "+a"(a) : "d"(0xcfc)) &&
	    a == 0xffffffffU, "inl: all ones, zero-extended");
	TEST_OK(!FAULTS(2, "outb %%al, $0x80" :: "a"(0)),
	    "outb to a port it was not given: dropped, no fault");
}

static uint64_t
read_cr(unsigned int n, int *faulted)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		*faulted = FAULTS(3, "mov %%cr0, %0" : "=r"(v));
		break;
	case 2:
		*faulted = FAULTS(3, "mov %%cr2, %0" : "=r"(v));
		break;
	case 3:
		*faulted = FAULTS(3, "mov %%cr3, %0" : "=r"(v));
		break;
	default:
		*faulted = FAULTS(3, "mov %%cr4, %0" : "=r"(v));
		break;
	}
	return v;
}

static void
control_registers(void)
{
	uint64_t cr0, cr4, v;
	int f;

	cr0 = read_cr(0, &f);
	TEST_OK(!f && (cr0 & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG) &&
	    !(cr0 & CR0_TS), "mov from CR0: protected, paging, no TS "
	    "(%#lx)", cr0);
	(void)HYPERVISOR_fpu_taskswitch(1);
	v = read_cr(0, &f);
	TEST_OK(!f && (v & CR0_TS), "fpu_taskswitch(1) shows as CR0.TS");
	TEST_OK(!FAULTS(2, "clts") && !(read_cr(0, &f) & CR0_TS),
	    "clts: emulated, TS clear");
	TEST_OK(!FAULTS(3, "mov %0, %%cr0" :: "r"(cr0 | CR0_TS)) &&
	    (read_cr(0, &f) & CR0_TS), "mov to CR0 may set TS");
	TEST_OK(!FAULTS(3, "mov %0, %%cr0" :: "r"(cr0)),
	    "... and clear it");
	TEST_OK(FAULTS(3, "mov %0, %%cr0" :: "r"(cr0 ^ (UINT64_C(1) << 30))),
	    "mov to CR0 changing CD: #GP, as Xen");
	cr4 = read_cr(4, &f);
	TEST_OK(!f && (cr4 & CR4_PAE) && (cr4 & CR4_OSFXSR) &&
	    !(cr4 & (CR4_PGE | CR4_SMEP | CR4_SMAP | CR4_FSGSBASE)),
	    "mov from CR4: PAE, OSFXSR; no PGE, SMEP, SMAP (%#lx)", cr4);
	f = FAULTS(3, "mov %0, %%cr4" :: "r"(cr4 | CR4_DE | CR4_PGE));
	v = read_cr(4, &f);
	TEST_OK(!f && (v & CR4_DE) && !(v & CR4_PGE),
	    "mov to CR4: DE kept, PGE dropped (%#lx)", v);
	TEST_OK(!FAULTS(3, "mov %0, %%cr2" :: "r"(UINT64_C(0x1234000))) &&
	    read_cr(2, &f) == 0x1234000, "mov to and from CR2");
	v = read_cr(3, &f);
	TEST_OK(!f && v >> PAGE_SHIFT ==
	    virt_to_mfn((void *)guest_start_info->pt_base),
	    "mov from CR3: its page tables' base (%#lx)", v);
	TEST_OK(!FAULTS(2, "wbinvd"), "wbinvd: nothing to do, no fault");
	TEST_OK(FAULTS(3, "mov %0, %%cr3" :: "r"(v)),
	    "mov to CR3: #GP (MMUEXT_NEW_BASEPTR is the way)");
	TEST_OK(FAULTS(1, "hlt"), "hlt: #GP");
}

int
guest_main(void)
{
	trap_set_hook(TRAP_GP, gp_hook);
	trap_set_hook(TRAP_PF, gp_hook);
	TEST_OK(mm_init() == 0, "mm_init");
	features();
	cpuid_policy();
	iopl_and_io();
	pirq_eoi_map();
	vm_assists();
	time_area();
	control_registers();
	gdt_tests();
	ldt_tests();
	msr_tests();
	ptwr_tests();
	debugreg_tests();
	usermode_tests();
	return test_done();
}
