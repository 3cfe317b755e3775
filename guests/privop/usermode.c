/*
 * privop in user mode: the frames a 64-bit PV kernel returns to with
 * the iret hypercall, and the ways back in.
 *
 * - A code selector of the kernel's own GDT or LDT is loaded as it is:
 *   32-bit code runs in compatibility mode (Linux's __USER32_CS), 64-bit
 *   and 16-bit code too; the user code reads %cs and makes a system call.
 * - One the CPU cannot return to (not present, not code, rip past its
 *   limit, past the table) is the kernel's #NP or #GP at that frame, as
 *   on Xen when its iret to the guest faults; hv itself never faults.
 * - sysenter reaches the sysenter callback with Xen's frame (rip 0,
 *   cs 3, rsp 0), a #GP with no callback, and with TF set hv steps over
 *   its own entry and hands TF on.
 * - A data selector whose descriptor went while the vCPU was off its
 *   CPU reloads as null, and the failsafe callback is told what it was.
 * - A far call through a call gate of its GDT is its #GP naming the
 *   gate: hv keeps gates with DPL 0, as Xen, which emulates them only
 *   for 32-bit guests.
 */
#include <stdint.h>

#include <klib/string.h>
#include <xm/arch_x86_64.h>
#include <xm/callback.h>
#include <xm/hypercall.h>

#include <guest/desc.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/traps.h>
#include <guest/user.h>

#include "privop.h"

#define DESC_CODE32_4K	UINT64_C(0x0040fa0000000fff)	/* limit 4 KiB */
#define GDT_ENTRIES	16
#define RFLAGS_TF	0x100

enum { G_CODE32 = 1, G_CODE32_NP, G_CODE32_4K, G_DATA, G_CODE64, G_CODE16,
    G_DATA_FS, G_GATE /* and its second half */ };
enum { L_CODE32 = 1, L_CODE32_NP };

/* mov %cs, %eax; syscall (and the same in 16-bit code, with %ax). */
static const uint8_t cs_syscall[] = { 0x8c, 0xc8, 0x0f, 0x05 };
/* mov %cs, %eax; sysenter */
static const uint8_t cs_sysenter[] = { 0x8c, 0xc8, 0x0f, 0x34 };
/* mov %cs, %eax; pushf; orl $TF, (%esp); popf; sysenter */
static const uint8_t tf_sysenter[] = { 0x8c, 0xc8, 0x9c, 0x81, 0x0c, 0x24,
    0x00, 0x01, 0x00, 0x00, 0x9d, 0x0f, 0x34 };

static uint64_t user_stack;

static int
run(const uint8_t *code, unsigned int len, uint16_t cs, struct user_exit *e)
{
	uint64_t rip = user_code(code, len);

	if (rip == 0)
		return -1;
	user_stack = rip + 2048;
	return user_run(rip, cs, user_stack, e);
}

static void
selectors_run(void)
{
	static const struct {
		uint16_t sel, cs;
		const char *what;
	} ok[] = {
		{ SEL(G_CODE32), XM_FLAT_USER_CS32, "32-bit code of its GDT" },
		{ SEL(G_CODE64), XM_FLAT_USER_CS64, "64-bit code of its GDT" },
		{ SEL(G_CODE16), XM_FLAT_USER_CS32, "16-bit code of its GDT" },
		{ LSEL(L_CODE32), XM_FLAT_USER_CS32, "32-bit code of its LDT" },
	};
	struct user_exit e;
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		rc = run(cs_syscall, sizeof(cs_syscall), ok[i].sel, &e);
		TEST_OK(rc == 0 && e.vector == USER_EXIT_SYSCALL &&
		    (e.rax & 0xffff) == ok[i].sel && e.cs == ok[i].cs,
		    "iret to %s (%#x): it runs there and makes a system call "
		    "(exit %lu, cs read %#lx, frame cs %#lx)", ok[i].what,
		    ok[i].sel, e.vector, e.rax & 0xffff, e.cs);
	}
}

static void
selectors_refused(void)
{
	static const struct {
		uint16_t sel;
		uint64_t vec, err;
		const char *what;
	} bad[] = {
		{ SEL(G_CODE32_NP), TRAP_NP, SEL(G_CODE32_NP) & ~3,
		  "a code segment not present: #NP(selector)" },
		{ SEL(G_CODE32_4K), TRAP_GP, 0,
		  "rip past the segment's limit: #GP(0)" },
		{ SEL(G_DATA), TRAP_GP, SEL(G_DATA) & ~3,
		  "a data segment: #GP(selector)" },
		{ SEL(GDT_ENTRIES), TRAP_GP, SEL(GDT_ENTRIES) & ~3,
		  "a selector past its GDT: #GP(selector)" },
		{ LSEL(L_CODE32_NP), TRAP_NP, LSEL(L_CODE32_NP) & ~3,
		  "an LDT code segment not present: #NP(selector)" },
		{ LSEL(40), TRAP_GP, LSEL(40) & ~3,
		  "a selector past its LDT: #GP(selector)" },
	};
	struct user_exit e;
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = run(cs_syscall, sizeof(cs_syscall), bad[i].sel, &e);
		TEST_OK(rc == 0 && e.vector == bad[i].vec &&
		    e.error_code == bad[i].err && e.rip == USER_CODE_VA &&
		    e.cs == bad[i].sel, "iret to %s, at that frame "
		    "(vector %lu, error %#lx, rip %#lx, cs %#lx)", bad[i].what,
		    e.vector, e.error_code, e.rip, e.cs);
	}
}

static int
has_sysenter(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (d >> 11) & 1;
}

static void
sysenter_tests(void)
{
	struct xm_callback_register cb = { .type = XM_CALLBACKTYPE_SYSENTER };
	struct user_exit e;
	int rc;

	if (!has_sysenter()) {
		TEST_OK(0, "the CPU has sysenter (CPUID.1:EDX.SEP)");
		return;
	}
	rc = run(cs_sysenter, sizeof(cs_sysenter), SEL(G_CODE32), &e);
	TEST_OK(rc == 0 && e.vector == USER_EXIT_SYSENTER &&
	    (e.rax & 0xffff) == SEL(G_CODE32) && e.rip == 0 && e.cs == 3 &&
	    e.rsp == 0 && e.ss == XM_FLAT_USER_SS,
	    "sysenter from compatibility mode: its callback, with Xen's "
	    "frame (exit %lu, rip %#lx, cs %#lx, rsp %#lx, ss %#lx)",
	    e.vector, e.rip, e.cs, e.rsp, e.ss);
	rc = run(tf_sysenter, sizeof(tf_sysenter), SEL(G_CODE32), &e);
	TEST_OK(rc == 0 && e.vector == USER_EXIT_SYSENTER &&
	    (e.rflags & RFLAGS_TF), "sysenter with TF set: hv steps over "
	    "its entry, the callback sees TF (exit %lu, rflags %#lx)",
	    e.vector, e.rflags);
	rc = HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &cb);
	TEST_OK(rc == 0, "the sysenter callback set to 0 (%d)", rc);
	rc = run(cs_sysenter, sizeof(cs_sysenter), SEL(G_CODE32), &e);
	TEST_OK(rc == 0 && e.vector == TRAP_GP && e.error_code == 0 &&
	    e.rip == 0, "sysenter with no callback: #GP(0) at rip 0, as Xen "
	    "(vector %lu, error %#lx, rip %#lx)", e.vector, e.error_code,
	    e.rip);
}

/* lcall *(USER_CODE_VA + 0x80), a far pointer to the gate there. */
static void
call_gate_test(const uint64_t *gdt)
{
	uint8_t code[0x100] = { 0xff, 0x1c, 0x25 };
	uint32_t ptr = (uint32_t)USER_CODE_VA + 0x80;
	uint16_t sel = SEL(G_GATE);
	struct user_exit e;
	int rc;

	kmemcpy(code + 3, &ptr, 4);
	kmemcpy(code + 0x84, &sel, 2);		/* offset 0x80: ignored */
	TEST_OK(((gdt[G_GATE] >> 45) & 3) == 0 &&
	    ((gdt[G_GATE] >> 16) & 3) == 3, "a call gate into its own code "
	    "is taken with DPL 0, its DPL 3 in the target's RPL (%#lx)",
	    gdt[G_GATE]);
	rc = run(code, sizeof(code), XM_FLAT_USER_CS64, &e);
	TEST_OK(rc == 0 && e.vector == TRAP_GP && e.error_code ==
	    (uint64_t)(sel & ~3) && e.rip == USER_CODE_VA, "a far call "
	    "through it: #GP(gate) at the call, as Xen gives a 64-bit guest "
	    "(vector %lu, error %#lx, rip %#lx)", e.vector, e.error_code,
	    e.rip);
}

static volatile uint64_t failsafe_segs, failsafe_count;

static int
failsafe_hook(struct trap_frame *tf)
{
	failsafe_segs = tf->error_code;
	failsafe_count++;
	return 1;
}

static void
failsafe_test(uint64_t gdt_maddr)
{
	uint16_t es;
	long rc;

	trap_set_hook(TRAP_VECTOR_FAILSAFE, failsafe_hook);
	__asm__ volatile("mov %0, %%es" :: "r"((uint32_t)SEL(G_DATA_FS)));
	rc = desc_update(gdt_maddr + G_DATA_FS * 8,
	    DESC_NOT_PRESENT(DESC_DATA));
	__asm__ volatile("mov %%es, %0" : "=r"(es));
	TEST_OK(rc == 0 && es == SEL(G_DATA_FS), "%%es keeps a selector "
	    "whose descriptor went (%ld, es %#x)", rc, es);
	sleep_ns(20 * NSEC_PER_MSEC);	/* off the CPU and back */
	__asm__ volatile("mov %%es, %0" : "=r"(es));
	TEST_OK(failsafe_count == 1 && ((failsafe_segs >> 16) & 0xffff) ==
	    SEL(G_DATA_FS) && es == 0, "reloaded after a switch: null, and "
	    "the failsafe callback had the old one (calls %lu, es was %#lx, "
	    "es %#x)", failsafe_count, (failsafe_segs >> 16) & 0xffff, es);
	trap_set_hook(TRAP_VECTOR_FAILSAFE, NULL);
}

void
usermode_tests(void)
{
	uint64_t *gdt, *ldt, gdt_mfn, ldt_mfn;
	long rc;

	gdt = desc_frame(&gdt_mfn);
	ldt = desc_frame(&ldt_mfn);
	if (gdt == NULL || ldt == NULL) {
		TEST_OK(0, "frames for a GDT and an LDT");
		return;
	}
	gdt[G_CODE32] = DESC_CODE32;
	gdt[G_CODE32_NP] = DESC_NOT_PRESENT(DESC_CODE32);
	gdt[G_CODE32_4K] = DESC_CODE32_4K;
	gdt[G_DATA] = DESC_DATA;
	gdt[G_CODE64] = DESC_CODE64;
	gdt[G_CODE16] = DESC_CODE16;
	gdt[G_DATA_FS] = DESC_DATA;
	gdt[G_GATE] = DESC_GATE_LO(SEL(G_CODE64), USER_CODE_VA + 0x100);
	gdt[G_GATE + 1] = DESC_GATE_HI(USER_CODE_VA + 0x100);
	ldt[L_CODE32] = DESC_CODE32;
	ldt[L_CODE32_NP] = DESC_NOT_PRESENT(DESC_CODE32);
	rc = desc_frame_seal(gdt, gdt_mfn) == 0 &&
	    desc_frame_seal(ldt, ldt_mfn) == 0 ? gdt_set(&gdt_mfn,
	    GDT_ENTRIES) : -1;
	if (rc == 0)
		rc = ldt_set((uint64_t)ldt, 8);
	TEST_OK(rc == 0, "a GDT of %u entries and an LDT of 8 (%ld)",
	    GDT_ENTRIES, rc);
	if (rc != 0)
		return;
	selectors_run();
	selectors_refused();
	sysenter_tests();
	call_gate_test(gdt);
	failsafe_test(gdt_mfn << 12);
	(void)ldt_set(0, 0);
	(void)gdt_set(&gdt_mfn, 0);
}
