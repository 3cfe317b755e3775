/*
 * The trap table and what happens to an exception: a probe's fixup, a
 * guest's hook, or a register dump and SHUTDOWN_crash.  Event and
 * failsafe callbacks come through here too (entry.S gives them pseudo
 * vectors) because they share the frame and the way back.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>
#include <xm/sched.h>

#include <guest/asm.h>
#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/traps.h>

/* entry.S repeats these; make sure it repeats them right. */
_Static_assert(GUEST_HYPERCALL_IRET == XM_HYPERCALL_IRET, "iret number");
_Static_assert(GUEST_HYPERCALL_STUB == XM_HYPERCALL_STUB_SIZE, "stub size");
_Static_assert(offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR,
    "trap_frame.vector");
_Static_assert(offsetof(struct trap_frame, rip) == TRAP_FRAME_RIP,
    "trap_frame.rip");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE,
    "trap_frame size");

void	trap_de(void);
void	trap_db(void);
void	trap_bp(void);
void	trap_of(void);
void	trap_br(void);
void	trap_ud(void);
void	trap_nm(void);
void	trap_cso(void);
void	trap_ts(void);
void	trap_np(void);
void	trap_ss(void);
void	trap_gp(void);
void	trap_pf(void);
void	trap_spurious(void);
void	trap_mf(void);
void	trap_ac(void);
void	trap_mc(void);
void	trap_xm(void);

int	extable_fixup(struct trap_frame *tf);

/*
 * Every handler masks events on entry, as an interrupt gate would, so
 * that an event cannot interleave with a half-handled fault.  int3 and
 * into may be raised on purpose, so they get DPL 3.
 */
#define TRAP_ENTRY(vec, fn, dpl) {					\
	.vector = (vec),						\
	.flags = (dpl) | XM_TI_MASK_EVENTS,				\
	.cs = XM_FLAT_KERNEL_CS,					\
	.address = (uint64_t)(fn),					\
}

static const struct xm_trap_info trap_table[] = {
	TRAP_ENTRY(TRAP_DE, trap_de, 0),
	TRAP_ENTRY(TRAP_DB, trap_db, 0),
	TRAP_ENTRY(TRAP_BP, trap_bp, 3),
	TRAP_ENTRY(TRAP_OF, trap_of, 3),
	TRAP_ENTRY(TRAP_BR, trap_br, 0),
	TRAP_ENTRY(TRAP_UD, trap_ud, 0),
	TRAP_ENTRY(TRAP_NM, trap_nm, 0),
	TRAP_ENTRY(9, trap_cso, 0),
	TRAP_ENTRY(TRAP_TS, trap_ts, 0),
	TRAP_ENTRY(TRAP_NP, trap_np, 0),
	TRAP_ENTRY(TRAP_SS, trap_ss, 0),
	TRAP_ENTRY(TRAP_GP, trap_gp, 0),
	TRAP_ENTRY(TRAP_PF, trap_pf, 0),
	TRAP_ENTRY(15, trap_spurious, 0),
	TRAP_ENTRY(TRAP_MF, trap_mf, 0),
	TRAP_ENTRY(TRAP_AC, trap_ac, 0),
	TRAP_ENTRY(TRAP_MC, trap_mc, 0),
	TRAP_ENTRY(TRAP_XM, trap_xm, 0),
	{ .address = 0 },
};

static const char *const trap_names[TRAP_NR] = {
	[TRAP_DE] = "divide error",
	[TRAP_DB] = "debug",
	[TRAP_NMI] = "NMI",
	[TRAP_BP] = "breakpoint",
	[TRAP_OF] = "overflow",
	[TRAP_BR] = "bound range",
	[TRAP_UD] = "invalid opcode",
	[TRAP_NM] = "device not available",
	[TRAP_DF] = "double fault",
	[9] = "coprocessor segment overrun",
	[TRAP_TS] = "invalid TSS",
	[TRAP_NP] = "segment not present",
	[TRAP_SS] = "stack fault",
	[TRAP_GP] = "general protection",
	[TRAP_PF] = "page fault",
	[15] = "spurious interrupt",
	[TRAP_MF] = "x87 error",
	[TRAP_AC] = "alignment check",
	[TRAP_MC] = "machine check",
	[TRAP_XM] = "SIMD error",
};

volatile struct trap_record trap_last;
static trap_hook_t *trap_hooks[TRAP_NR];
static trap_hook_t *failsafe_hook, *user_hook;

void
traps_init(void)
{
	int rc;

	rc = HYPERVISOR_set_trap_table(trap_table);
	if (rc < 0) {
		gprintf("guest: set_trap_table failed (%d)\n", rc);
		guest_shutdown(XM_SHUTDOWN_CRASH);
	}
}

void
trap_set_hook(unsigned int vector, trap_hook_t *hook)
{
	if (vector < TRAP_NR)
		trap_hooks[vector] = hook;
	else if (vector == TRAP_VECTOR_FAILSAFE)
		failsafe_hook = hook;
}

void
trap_set_user_hook(trap_hook_t *hook)
{
	user_hook = hook;
}

static const char *
trap_name(uint64_t vector)
{
	if (vector == TRAP_VECTOR_EVENT)
		return "event callback";
	if (vector == TRAP_VECTOR_FAILSAFE)
		return "failsafe callback";
	if (vector == TRAP_VECTOR_SYSCALL || vector == TRAP_VECTOR_SYSENTER)
		return "system call from user mode";
	if (vector < TRAP_NR && trap_names[vector] != NULL)
		return trap_names[vector];
	return "unknown trap";
}

static void
trap_record(const struct trap_frame *tf)
{
	trap_last.vector = tf->vector;
	trap_last.error_code = tf->error_code;
	trap_last.rip = tf->rip;
	trap_last.cr2 = tf->vector == TRAP_PF ?
	    guest_vcpu_info()->arch.cr2 : 0;
	trap_last.count++;
}

void
trap_dispatch(struct trap_frame *tf)
{
	trap_hook_t *hook;

	if (tf->vector == TRAP_VECTOR_EVENT) {
		evtchn_do_upcall();
		return;
	}
	trap_record(tf);
	if ((tf->cs & 3) == 3 && user_hook != NULL && user_hook(tf))
		return;
	if (tf->vector == TRAP_VECTOR_FAILSAFE)
		hook = failsafe_hook;
	else if (tf->vector < TRAP_NR && extable_fixup(tf))
		return;
	else
		hook = tf->vector < TRAP_NR ? trap_hooks[tf->vector] : NULL;
	if (hook != NULL && hook(tf))
		return;
	trap_fatal(tf, trap_name(tf->vector));
}

static void
trap_dump(const struct trap_frame *tf)
{
	gprintf("rip %016lx cs %04lx rflags %016lx mask %lu\n", tf->rip,
	    tf->cs & 0xffff, tf->rflags, (tf->cs >> 32) & 0xff);
	gprintf("rsp %016lx ss %04lx error %016lx\n", tf->rsp,
	    tf->ss & 0xffff, tf->error_code);
	gprintf("rax %016lx rbx %016lx rcx %016lx\n", tf->rax, tf->rbx,
	    tf->rcx);
	gprintf("rdx %016lx rsi %016lx rdi %016lx\n", tf->rdx, tf->rsi,
	    tf->rdi);
	gprintf("rbp %016lx r8  %016lx r9  %016lx\n", tf->rbp, tf->r8,
	    tf->r9);
	gprintf("r10 %016lx r11 %016lx r12 %016lx\n", tf->r10, tf->r11,
	    tf->r12);
	gprintf("r13 %016lx r14 %016lx r15 %016lx\n", tf->r13, tf->r14,
	    tf->r15);
}

void
trap_fatal(const struct trap_frame *tf, const char *why)
{
	static int dying;

	/* A fault while reporting one: just go. */
	if (dying++)
		guest_shutdown(XM_SHUTDOWN_CRASH);
	console_flush();
	gprintf("guest: fatal %s (vector %lu)", why, tf->vector);
	if (tf->vector == TRAP_PF)
		gprintf(" at address %016lx", trap_last.cr2);
	gprintf("\n");
	trap_dump(tf);
	guest_shutdown(XM_SHUTDOWN_CRASH);
}
