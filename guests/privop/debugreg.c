/*
 * privop's debug registers: set_debugreg and get_debugreg with Xen's
 * rules (addresses of its own only, DR6/DR7 reserved bits forced, GD
 * refused, I/O breakpoints only with CR4.DE, DR4/DR5 as DR6/DR7), then a
 * write watchpoint that raises #DB with B0 in DR6, that stays armed
 * across a yield to another domain, that hv ignores when a hypercall
 * writes the watched memory, an instruction breakpoint, and an I/O
 * breakpoint on the port I/O hv emulates (the IOPL privop.c set).
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/version.h>

#include <guest/hypercall.h>
#include <guest/test.h>
#include <guest/traps.h>

#include "privop.h"

#define CR4_DE		(UINT64_C(1) << 3)
#define DR6_DEFAULT	UINT64_C(0xffff0ff0)
#define DR7_DEFAULT	UINT64_C(0x400)
#define DR7_L0_WRITE4	(DR7_DEFAULT | 0x1 | (UINT64_C(1) << 16) | \
			    (UINT64_C(3) << 18))
#define DR7_L1_EXEC	(DR7_DEFAULT | 0x4)
#define DR7_L0_IO1	(DR7_DEFAULT | 0x1 | (UINT64_C(2) << 16))

static volatile uint32_t	watched __attribute__((aligned(8)));
static char			version_buf[16] __attribute__((aligned(8)));
static volatile unsigned int	db_count;
static volatile uint64_t	db_dr6, db_rip;

static long
set_dr(unsigned int reg, uint64_t value)
{
	return _hypercall2(XM_HYPERCALL_SET_DEBUGREG, reg, value);
}

static long
get_dr(unsigned int reg)
{
	return _hypercall1(XM_HYPERCALL_GET_DEBUGREG, reg);
}

/* #DB: note it; an instruction breakpoint is disarmed to go on. */
static int
db_hook(struct trap_frame *tf)
{
	db_count++;
	db_dr6 = (uint64_t)get_dr(6);
	db_rip = tf->rip;
	if (db_dr6 & 2)
		(void)set_dr(7, DR7_DEFAULT);
	return 1;
}

static void __attribute__((noinline))
breakpoint_target(void)
{
	__asm__ volatile("" ::: "memory");
}

/* The guest's own CR4.DE, through the emulated mov to CR4. */
static void
cr4_de(int on)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 = on ? cr4 | CR4_DE : cr4 & ~CR4_DE;
	__asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
}

static void
refusals(void)
{
	TEST_OK(get_dr(6) == (long)DR6_DEFAULT && get_dr(7) ==
	    (long)DR7_DEFAULT, "get_debugreg: DR6 %#lx and DR7 %#lx at start",
	    get_dr(6), get_dr(7));
	TEST_OK(set_dr(0, (uint64_t)&watched) == 0 && get_dr(0) ==
	    (long)&watched, "set_debugreg(0) to its own address reads back");
	TEST_OK(set_dr(1, UINT64_C(0xffff830000000000)) == -XM_EPERM,
	    "set_debugreg(1) to an address of hv's: -EPERM");
	TEST_OK(set_dr(1, UINT64_C(0x0000800000000000)) == -XM_EPERM,
	    "set_debugreg(1) to a non-canonical address: -EPERM");
	TEST_OK(set_dr(7, DR7_DEFAULT | 0x2000) == -XM_EPERM,
	    "set_debugreg(7) with GD: -EPERM");
	cr4_de(0);
	TEST_OK(set_dr(7, DR7_L0_IO1) == -XM_EPERM,
	    "set_debugreg(7) with an I/O breakpoint, no CR4.DE: -EPERM");
	TEST_OK(set_dr(7, UINT64_C(1) << 32) == -XM_EINVAL,
	    "set_debugreg(7) with upper bits: -EINVAL");
	TEST_OK(set_dr(8, 0) == -XM_ENODEV && get_dr(8) == -XM_ENODEV,
	    "debug register 8: -ENODEV both ways");
	TEST_OK(set_dr(6, 0) == 0 && get_dr(6) == (long)DR6_DEFAULT,
	    "set_debugreg(6, 0) keeps its reserved ones (%#lx)", get_dr(6));
	cr4_de(0);
	TEST_OK(set_dr(5, DR7_DEFAULT) == 0 && get_dr(4) == (long)DR6_DEFAULT,
	    "DR4 and DR5 are DR6 and DR7 without CR4.DE");
	cr4_de(1);
	TEST_OK(set_dr(5, DR7_DEFAULT) == -XM_ENODEV && get_dr(4) ==
	    -XM_ENODEV, "... and none with CR4.DE: -ENODEV");
	cr4_de(0);
	TEST_OK(get_dr(7) == (long)DR7_DEFAULT && get_dr(6) ==
	    (long)DR6_DEFAULT, "nothing refused changed DR6 or DR7");
}

static void
watchpoint(void)
{
	unsigned int before;
	long rc;

	(void)set_dr(0, (uint64_t)&watched);
	TEST_OK(set_dr(7, DR7_L0_WRITE4) == 0, "a write watchpoint in DR0");
	before = db_count;
	watched = 1;
	TEST_OK(db_count == before + 1 && (db_dr6 & 0xf) == 1,
	    "a write to it raises #DB with B0 in DR6 (%u, DR6 %#lx)",
	    db_count - before, db_dr6);
	(void)set_dr(6, 0);
	(void)HYPERVISOR_sched_op(XM_SCHEDOP_YIELD, NULL);
	before = db_count;
	watched = 2;
	TEST_OK(db_count == before + 1, "... and again after a yield to "
	    "another domain (%u)", db_count - before);
	(void)set_dr(0, (uint64_t)version_buf);
	(void)set_dr(6, 0);
	before = db_count;
	rc = HYPERVISOR_xen_version(XM_XENVER_EXTRAVERSION, version_buf);
	TEST_OK(rc == 0 && db_count == before, "a hypercall that writes "
	    "the watched buffer: done, no #DB for the guest (rc %ld, %u)",
	    rc, db_count - before);
	(void)set_dr(7, DR7_DEFAULT);
	(void)set_dr(0, (uint64_t)&watched);
	before = db_count;
	watched = 3;
	TEST_OK(db_count == before, "DR7 cleared: no #DB (%u)",
	    db_count - before);
}

static void
instruction_breakpoint(void)
{
	unsigned int before = db_count;

	(void)set_dr(6, 0);
	(void)set_dr(1, (uint64_t)breakpoint_target);
	TEST_OK(set_dr(7, DR7_L1_EXEC) == 0, "an instruction breakpoint in "
	    "DR1");
	breakpoint_target();
	TEST_OK(db_count == before + 1 && (db_dr6 & 0xf) == 2 && db_rip ==
	    (uint64_t)breakpoint_target, "calling there raises #DB at it "
	    "with B1 (%u, DR6 %#lx)", db_count - before, db_dr6);
	(void)set_dr(7, DR7_DEFAULT);
}

/* mov to and from DRn in kernel mode: emulated as the hypercalls. */
static void
mov_dr(void)
{
	uint64_t v = 0;

	TEST_OK(!FAULTS(3, "mov %0, %%db2" :: "r"((uint64_t)&watched)) &&
	    get_dr(2) == (long)&watched, "mov to DR2: emulated (%#lx)",
	    get_dr(2));
	TEST_OK(!FAULTS(3, "mov %%db2, %0" : "=r"(v)) && v ==
	    (uint64_t)&watched, "mov from DR2: emulated (%#lx)", v);
	TEST_OK(FAULTS(3, "mov %0, %%db2" :: "r"(UINT64_C(0xffff830000000000))),
	    "mov to DR2 of an address of hv's: #GP");
	TEST_OK(!FAULTS(3, "mov %%db7, %0" : "=r"(v)) && v == DR7_DEFAULT,
	    "mov from DR7: %#lx", v);
	(void)set_dr(2, 0);
}

/* An I/O breakpoint on port 0x80, hit by the emulated outb. */
static void
io_breakpoint(void)
{
	unsigned int before;
	long rc, dr7;

	cr4_de(1);
	(void)set_dr(6, 0);
	(void)set_dr(0, 0x80);
	rc = set_dr(7, DR7_L0_IO1);
	dr7 = get_dr(7);
	TEST_OK(rc == 0 && dr7 == (long)DR7_L0_IO1, "with CR4.DE, an I/O "
	    "breakpoint on port 0x80 (%ld, DR7 %#lx)", rc, dr7);
	before = db_count;
	(void)FAULTS(2, "outb %%al, $0x81" :: "a"(0));
	TEST_OK(db_count == before, "outb to port 0x81: no #DB (%u)",
	    db_count - before);
	(void)FAULTS(2, "outb %%al, $0x80" :: "a"(0));
	TEST_OK(db_count == before + 1 && (db_dr6 & 0xf) == 1,
	    "outb to port 0x80: #DB after it, B0 in DR6 (%u, DR6 %#lx)",
	    db_count - before, db_dr6);
	before = db_count;
	(void)FAULTS(2, "inw %%dx, %%ax" :: "d"(0x7f) : "rax");
	TEST_OK(db_count == before + 1, "inw from port 0x7f covers 0x80: "
	    "#DB (%u)", db_count - before);
	cr4_de(0);
	before = db_count;
	(void)FAULTS(2, "outb %%al, $0x80" :: "a"(0));
	TEST_OK(db_count == before, "CR4.DE cleared: no #DB (%u)",
	    db_count - before);
	(void)set_dr(7, DR7_DEFAULT);
	(void)set_dr(0, 0);
}

void
debugreg_tests(void)
{
	trap_set_hook(TRAP_DB, db_hook);
	refusals();
	watchpoint();
	instruction_breakpoint();
	mov_dr();
	io_breakpoint();
	trap_set_hook(TRAP_DB, NULL);
}
