/*
 * Attacks with plain instructions: touching hv's memory, the
 * privileged instructions a ring-0 kernel would use, selectors of hv's
 * own segments, and the iret hypercall asked for more privilege than a
 * guest kernel has.  Each must end in a fault bounced to the guest.
 */

#include <stdint.h>

#include <klib/format.h>

#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>

#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>

#include "hostile.h"

#define RFLAGS_IOPL	UINT64_C(0x3000)
#define MSR_EFER	0xc0000080U
#define MSR_LSTAR	0xc0000082U
#define MSR_FS_BASE	0xc0000100U
#define HV_CS64		0xe008	/* hv/include/hv/desc.h */
#define HV_DS		0xe010
#define HV_TSS		0xe040

struct far_ptr {
	uint32_t	offset;
	uint16_t	sel;
} __attribute__((packed));

struct desc_ptr {
	uint16_t	limit;
	uint64_t	base;
} __attribute__((packed));

static struct desc_ptr	bogus_table = { 0xfff, 0 };

/* A function per attempt, so that hx_run can guard it. */
#define INSN(name, text)						\
	static void							\
	name(uint64_t arg)						\
	{								\
		(void)arg;						\
		__asm__ volatile(text ::: "memory");			\
	}

INSN(do_cli, "cli")
INSN(do_sti, "sti")
INSN(do_hlt, "hlt")
INSN(do_invd, "invd")
INSN(do_swapgs, "swapgs")
INSN(do_sysret, "sysretq")
INSN(do_icebp, ".byte 0xf1")
INSN(do_sysenter, "sysenter")
INSN(do_int20, "int $0x20")
INSN(do_int2, "int $2")
INSN(do_int80, "int $0x80")
INSN(do_int81, "int $0x81")
INSN(do_int82, "int $0x82")
INSN(do_int83, "int $0x83")
INSN(do_int84, "int $0x84")
INSN(do_int85, "int $0x85")
INSN(do_int3, "int3")

static void
do_in(uint64_t port)
{
	uint8_t v;

	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"((uint16_t)port));
	(void)v;
}

static void
do_out(uint64_t port)
{
	__asm__ volatile("outb %0, %w1" : : "a"((uint8_t)0), "Nd"(
	    (uint16_t)port));
}

static void
do_wrmsr(uint64_t msr)
{
	__asm__ volatile("wrmsr" : : "c"((uint32_t)msr), "a"(0), "d"(0));
}

static void
do_wrmsr_fs_noncanonical(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("wrmsr" : : "c"(MSR_FS_BASE),
	    "a"((uint32_t)NONCANONICAL), "d"((uint32_t)(NONCANONICAL >> 32)));
}

static void
do_rdmsr(uint64_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"((uint32_t)msr));
	(void)lo, (void)hi;
}

static void
do_lgdt(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("lgdt %0" : : "m"(bogus_table));
}

static void
do_lidt(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("lidt %0" : : "m"(bogus_table));
}

static void
do_ltr(uint64_t sel)
{
	__asm__ volatile("ltr %w0" : : "r"(sel));
}

static void
do_lldt(uint64_t sel)
{
	__asm__ volatile("lldt %w0" : : "r"(sel));
}

static void
do_write_cr3(uint64_t val)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(val) : "memory");
}

/* cr0 as the kernel reads it (Xen emulates that), less bit arg. */
static void
do_write_cr0_without(uint64_t bit)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	v &= ~bit;
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static void
do_write_cr8(uint64_t val)
{
	__asm__ volatile("mov %0, %%cr8" : : "r"(val) : "memory");
}

static void
do_write_dr7(uint64_t val)
{
	__asm__ volatile("mov %0, %%dr7" : : "r"(val));
}

static void
do_write_dr0(uint64_t val)
{
	__asm__ volatile("mov %0, %%dr0" : : "r"(val));
}

static void
do_invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static void
do_load_es(uint64_t sel)
{
	__asm__ volatile("mov %w0, %%es; xorl %%eax, %%eax; mov %%ax, %%es"
	    : : "r"(sel) : "rax");
}

static void
do_ljmp(uint64_t sel)
{
	static struct far_ptr fp;

	fp.offset = 0;
	fp.sel = (uint16_t)sel;
	__asm__ volatile("ljmpl *%0" : : "m"(fp));
}

static void
do_read(uint64_t va)
{
	(void)*(volatile uint64_t *)va;
}

static void
do_write(uint64_t va)
{
	*(volatile uint64_t *)va = 0x686f7374696c6521;
}

/* Write back what is there: harmless if hv wrongly let it through. */
static void
do_rewrite(uint64_t va)
{
	*(volatile uint64_t *)va = *(volatile uint64_t *)va;
}

static void
do_call(uint64_t va)
{
	((void (*)(void))va)();
}

static void
do_read_fs0(uint64_t arg)
{
	uint64_t v;

	(void)arg;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v));
}

static void
do_divide(uint64_t arg)
{
	volatile uint64_t zero = 0;
	uint64_t v;

	v = (arg + 1) / zero;
	(void)v;
}

static uint16_t
read_cs(void)
{
	uint16_t v;

	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

static uint16_t
read_ss(void)
{
	uint16_t v;

	__asm__ volatile("mov %%ss, %0" : "=r"(v));
	return v;
}

static void
hv_memory(void)
{
	uint64_t hv_frame = HV_DIRECTMAP + (HV_IMAGE_MFN << PAGE_SHIFT);
	uint64_t l4 = guest_start_info->pt_base;

	hx_expect_fault(do_write, hv_frame, VEC_PF, PF_P | PF_W | PF_U,
	    hv_frame, "writing hv's image through its direct map");
	hx_expect_fault(do_read, hv_frame, VEC_PF, PF_P | PF_U, hv_frame,
	    "reading hv's image through its direct map");
	hx_expect_fault(do_read, HV_IMAGE_VA, VEC_PF, -1, HV_IMAGE_VA,
	    "reading hv's image at %#lx", HV_IMAGE_VA);
	hx_expect_fault(do_call, HV_IMAGE_VA, VEC_PF, -1, HV_IMAGE_VA,
	    "executing hv's code at %#lx", HV_IMAGE_VA);
	hx_expect_fault(do_write, XM_MACH2PHYS_VIRT_START, VEC_PF,
	    PF_P | PF_W | PF_U, XM_MACH2PHYS_VIRT_START,
	    "writing the read-only m2p table");
	hx_expect_fault(do_rewrite, l4, VEC_PF, PF_P | PF_W | PF_U, l4,
	    "writing its own L4 page table directly");
	hx_expect_fault(do_read, NONCANONICAL, VEC_GP, 0, 0,
	    "reading non-canonical %#lx", NONCANONICAL);
}

/* FS base pointed at hv's memory is allowed; using it is not. */
static void
hv_memory_via_fs(void)
{
	uint64_t hv_frame = HV_DIRECTMAP + (HV_IMAGE_MFN << PAGE_SHIFT);
	int rc;

	rc = _hypercall2(XM_HYPERCALL_SET_SEGMENT_BASE, XM_SEGBASE_FS,
	    hv_frame);
	if (rc != 0) {
		hx_refused(1, "set_segment_base", "FS base in hv's range "
		    "(%d)", rc);
		return;
	}
	hx_expect_fault(do_read_fs0, 0, VEC_PF, PF_P | PF_U, hv_frame,
	    "reading hv's memory through an FS base of %#lx", hv_frame);
	(void)_hypercall2(XM_HYPERCALL_SET_SEGMENT_BASE, XM_SEGBASE_FS, 0);
}

static void
privileged_insns(void)
{
	hx_expect_fault(do_cli, 0, VEC_GP, 0, 0, "cli");
	hx_expect_fault(do_sti, 0, VEC_GP, 0, 0, "sti");
	hx_expect_fault(do_hlt, 0, VEC_GP, 0, 0, "hlt");
	hx_expect_fault(do_in, 0x60, VEC_GP, 0, 0, "in from port 0x60");
	hx_expect_fault(do_out, 0xf4, VEC_GP, 0, 0,
	    "out to port 0xf4 (QEMU's exit device)");
	hx_expect_fault(do_out, 0x3f8, VEC_GP, 0, 0,
	    "out to port 0x3f8 (the UART)");
	hx_expect_fault(do_in, 0xcf8, VEC_GP, 0, 0,
	    "in from port 0xcf8 (PCI, domain 0's)");
	hx_expect_fault(do_out, 0x80, VEC_GP, 0, 0,
	    "out to port 0x80 (domain 0's)");
	hx_expect_fault(do_wrmsr, MSR_EFER, VEC_GP, 0, 0, "wrmsr EFER");
	hx_expect_fault(do_wrmsr, MSR_LSTAR, VEC_GP, 0, 0, "wrmsr LSTAR");
	hx_expect_fault(do_rdmsr, MSR_LSTAR, VEC_GP, 0, 0,
	    "rdmsr LSTAR (hv's syscall entry)");
	hx_expect_fault(do_wrmsr_fs_noncanonical, 0, VEC_GP, 0, 0,
	    "wrmsr FS_BASE with a non-canonical base");
	hx_expect_fault(do_lgdt, 0, VEC_GP, 0, 0, "lgdt");
	hx_expect_fault(do_lidt, 0, VEC_GP, 0, 0, "lidt");
	hx_expect_fault(do_ltr, HV_TSS, VEC_GP, 0, 0, "ltr");
	hx_expect_fault(do_lldt, 0, VEC_GP, 0, 0, "lldt");
	hx_expect_fault(do_write_cr3, 0, VEC_GP, 0, 0, "mov to cr3");
	/* Xen lets a PV kernel read CR0 and flip TS, nothing else. */
	hx_expect_fault(do_write_cr0_without, UINT64_C(1) << 31, VEC_GP, 0, 0,
	    "mov to cr0 clearing PG");
	hx_expect_fault(do_write_cr8, 0xf, VEC_GP, 0, 0, "mov to cr8");
	/* Debug registers are emulated as set_debugreg: not these. */
	hx_expect_fault(do_write_dr7, 0x2400, VEC_GP, 0, 0,
	    "mov to dr7 with GD (general detect)");
	hx_expect_fault(do_write_dr7, 0x20401, VEC_GP, 0, 0,
	    "mov to dr7 with an I/O breakpoint, no CR4.DE");
	hx_expect_fault(do_write_dr0, UINT64_C(0xffff830000000000), VEC_GP,
	    0, 0, "mov to dr0 of an address of hv's");
	hx_expect_fault(do_invlpg, 0, VEC_GP, 0, 0, "invlpg");
	/* wbinvd and clts are Xen's to emulate (guests/privop); invd not. */
	hx_expect_fault(do_invd, 0, VEC_GP, 0, 0, "invd");
	hx_expect_fault(do_swapgs, 0, VEC_GP, 0, 0, "swapgs");
	hx_expect_fault(do_sysret, 0, VEC_GP, 0, 0, "sysret");
}

static void
sysenter(void)
{
	struct hx_fault f = { 0 };
	int faulted;

	faulted = hx_run(do_sysenter, 0, &f);
	hx_refused(faulted && (f.vector == VEC_GP || f.vector == VEC_UD),
	    f.vector == VEC_UD ? "#UD" : "#GP", "sysenter");
}

/*
 * int $n through a gate of DPL 0 is a #GP whose error code names the
 * gate: n * 8 + 2 on hardware; QEMU 7.2's TCG says n * 16 + 2.
 */
static int
soft_int_refused(hx_fn_t *fn, unsigned int n, struct hx_fault *f)
{
	if (!hx_run(fn, 0, f))
		return 0;
	return f->vector == VEC_GP &&
	    (f->error == n * 8 + 2 || f->error == n * 16 + 2);
}

static void
soft_int(hx_fn_t *fn, unsigned int n, const char *why)
{
	struct hx_fault f = { 0 };
	char how[64];
	int ok;

	ok = soft_int_refused(fn, n, &f);
	ksnprintf(how, sizeof(how), "%s, error %#lx", f.vector == VEC_GP ?
	    "#GP" : "wrong vector", f.error);
	hx_refused(ok, how, "int $%#x (%s)", n, why);
	if (!ok)
		test_diag("int $%#x: vector %lu error %#lx rip %#lx cr2 %#lx",
		    n, f.vector, f.error, f.rip, f.cr2);
}

/*
 * Vectors whose QEMU error code, read as n * 8 + 2, names an entry
 * past a 256-entry trap table.
 */
static void
soft_ints_past_table(void)
{
	static hx_fn_t *const fns[] = { do_int80, do_int81, do_int82,
	    do_int83, do_int84 };
	struct hx_fault f;
	unsigned int i, wrong = 0;

	for (i = 0; i < 5; i++) {
		f = (struct hx_fault){ 0 };
		if (soft_int_refused(fns[i], 0x80 + i, &f))
			continue;
		wrong++;
		test_diag("int $%#x: vector %lu error %#lx rip %#lx cr2 %#lx",
		    0x80 + i, f.vector, f.error, f.rip, f.cr2);
	}
	hx_refused(wrong == 0, "#GP each", "int $0x80..$0x84 (%u not #GP)",
	    wrong);
}

/* int1 is a #DB on hardware; QEMU's TCG does not know it: #UD. */
static void
icebp(void)
{
	struct hx_fault f = { 0 };
	int faulted;

	faulted = hx_run(do_icebp, 0, &f);
	hx_refused(faulted && (f.vector == VEC_DB || f.vector == VEC_UD),
	    faulted && f.vector == VEC_DB ? "#DB" : "#UD", "icebp (int1)");
}

/*
 * QEMU's error code for int $0x80 names entry 256 of the trap table,
 * where hv keeps the event and failsafe callbacks.  With the event
 * callback at 0x...3xx that entry reads DPL 3 and the failsafe address.
 */
static void
soft_int_callbacks(void)
{
	uint64_t tramp = (uint64_t)hx_event_tramp;
	int rc;

	rc = hx_set_event_callback(tramp);
	if (rc != 0) {
		TEST_OK(0, "event callback at %#lx (%d)", tramp, rc);
		return;
	}
	soft_int(do_int80, 0x80, "event callback at 0x...3xx");
	(void)hx_set_event_callback((uint64_t)event_callback);
}

/*
 * A handler for a vector past the exceptions (hv keeps those apart, made
 * on first use) is reached by int $n, and set_trap_table(NULL) removes
 * it with the rest.
 */
static void
soft_int_handler(void)
{
	struct xm_trap_info t[2] = { {
		.vector = 0x85, .flags = 3, .cs = XM_FLAT_KERNEL_CS,
		.address = (uint64_t)hx_trap_bp,
	}, { .address = 0 } };
	struct hx_fault f = { 0 };
	int rc, faulted;

	rc = HYPERVISOR_set_trap_table(t);
	faulted = rc == 0 && hx_run(do_int85, 0, &f);
	TEST_OK(faulted && f.vector == 3, "int $0x85 reaches the handler "
	    "its trap table gives (rc %d, vector %lu)", rc, f.vector);
	rc = HYPERVISOR_set_trap_table(NULL);
	hx_traps_init();
	TEST_OK(rc == 0, "set_trap_table(NULL) clears the table (%d)", rc);
	soft_int(do_int85, 0x85, "its handler removed");
}

static void
selectors_and_gates(void)
{
	soft_int(do_int20, 0x20, "hv's interrupt vectors");
	soft_int(do_int2, 2, "NMI");
	soft_int(do_int80, 0x80, "no trap table entry");
	soft_int_callbacks();
	soft_ints_past_table();
	soft_int_handler();
	hx_expect_fault(do_load_es, HV_DS, VEC_GP, HV_DS, 0,
	    "loading hv's data selector %#x", HV_DS);
	hx_expect_fault(do_ljmp, HV_CS64, VEC_GP, HV_CS64, 0,
	    "far jump to hv's code selector %#x", HV_CS64);
	hx_expect_fault(do_ljmp, HV_TSS, VEC_GP, HV_TSS, 0,
	    "far jump to hv's TSS selector %#x", HV_TSS);
	icebp();
}

/* The iret hypercall asked for IOPL 3, ring 0 or hv's stack segment. */
static void
iret_privilege(void)
{
	uint64_t fl = hx_rflags(), cs, after;

	(void)hx_iret(read_cs() & ~3, fl | RFLAGS_IOPL, read_ss());
	after = hx_rflags();
	hx_refused((after & RFLAGS_IOPL) == 0, "IOPL 0 after it",
	    "iret hypercall asking for IOPL 3 (rflags %#lx)", after);
	hx_expect_fault(do_in, 0x60, VEC_GP, 0, 0,
	    "in from port 0x60 after that iret");
	cs = hx_iret(HV_CS64, fl, read_ss());
	hx_refused((cs & 3) == 3 && cs != HV_CS64, "came back in ring 3",
	    "iret hypercall to hv's ring-0 code selector (cs %#lx)", cs);
	(void)hx_iret(read_cs() & ~3, fl, HV_DS);
	hx_refused((read_ss() & 3) == 3, "came back with a ring-3 ss",
	    "iret hypercall to hv's data selector as ss (ss %#x)",
	    read_ss());
}

/* A trap handler inside hv runs in ring 3, if at all, and faults. */
static void
handler_in_hv(void)
{
	struct xm_trap_info t[2] = {
		{ .vector = 0, .flags = XM_TI_MASK_EVENTS,
		  .cs = XM_FLAT_KERNEL_CS, .address = HV_IMAGE_VA },
		{ .address = 0 },
	};
	struct hx_fault f;
	int rc, faulted;

	rc = HYPERVISOR_set_trap_table(t);
	if (rc != 0) {
		hx_refused(1, "set_trap_table", "a #DE handler in hv (%d)",
		    rc);
		return;
	}
	hx_expect_fault(do_divide, 0, VEC_PF, -1, HV_IMAGE_VA,
	    "a #DE handler at hv's %#lx", HV_IMAGE_VA);
	hx_traps_init();
	faulted = hx_run(do_int3, 0, &f);
	TEST_OK(faulted && f.vector == 3, "trap table restored: int3 "
	    "reaches the guest's own handler");
}

void
attack_memory(void)
{
	hv_memory();
	hv_memory_via_fs();
}

void
attack_cpu(void)
{
	privileged_insns();
	sysenter();
	selectors_and_gates();
	iret_privilege();
	handler_in_hv();
}
