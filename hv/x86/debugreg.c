/*
 * A PV guest's debug registers (set_debugreg, get_debugreg), as Xen
 * gives them: DR0-3 hold addresses the guest may use (never hv's), DR6
 * and DR7 have their reserved bits forced, DR7.GD is refused (-EPERM),
 * DR4 and DR5 alias DR6 and DR7 unless CR4.DE.  I/O breakpoints need the
 * guest's CR4.DE (-EPERM without): as Xen, hv keeps their enables out of
 * the CPU's DR7 and checks them in the port I/O it emulates, which then
 * ends in a #DB with their B bits in DR6.  The registers are loaded on
 * the CPU only while DR7 enables a breakpoint.  A #DB from the guest
 * merges the hardware's DR6 into its own before the bounce; one that hits
 * in hv (a watchpoint on a buffer a hypercall copies) is recorded and
 * ignored, as Xen does.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/x86.h>

#define CR4_DE		(UINT64_C(1) << 3)
#define DR6_DEFAULT	UINT64_C(0xffff0ff0)	/* reserved ones, no event */
#define DR6_ONES	UINT64_C(0xffff0ff0)	/* bits 4-11, 16-31 */
#define DR6_ZEROS	UINT64_C(0x1000)	/* bit 12 */
#define DR6_EVENTS	UINT64_C(0xe00f)	/* B0-B3, BD, BS, BT */
#define DR6_HITS	UINT64_C(0xf)		/* B0-B3 */
#define DR7_ONES	UINT64_C(0x400)		/* bit 10 */
#define DR7_ZEROS	UINT64_C(0xd800)	/* bits 11, 12, 14, 15 */
#define DR7_GD		UINT64_C(0x2000)
#define DR7_ENABLES	UINT64_C(0xff)		/* L0-3, G0-3 */
#define DR7_RW_IO	2u

static uint64_t
read_dr(unsigned int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%db0, %0" : "=r"(v)); break;
	case 1: __asm__ volatile("mov %%db1, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%db2, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%db3, %0" : "=r"(v)); break;
	case 6: __asm__ volatile("mov %%db6, %0" : "=r"(v)); break;
	case 7: __asm__ volatile("mov %%db7, %0" : "=r"(v)); break;
	}
	return v;
}

static void
write_dr(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%db0" : : "r"(v)); break;
	case 1: __asm__ volatile("mov %0, %%db1" : : "r"(v)); break;
	case 2: __asm__ volatile("mov %0, %%db2" : : "r"(v)); break;
	case 3: __asm__ volatile("mov %0, %%db3" : : "r"(v)); break;
	case 6: __asm__ volatile("mov %0, %%db6" : : "r"(v)); break;
	case 7: __asm__ volatile("mov %0, %%db7" : : "r"(v)); break;
	}
}

static bool
dr7_active(const struct vcpu *v)
{
	return (v->debugreg[7] & DR7_ENABLES) != 0;
}

/* All of v's registers onto this CPU (v is about to run here). */
static void
load_all(const struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		write_dr(i, v->debugreg[i]);
	write_dr(6, v->debugreg[6]);
	write_dr(7, v->debugreg[7]);
}

/* The enable bits (L and G) of dr7's I/O breakpoints. */
static uint64_t
io_enables(uint64_t dr7)
{
	uint64_t en = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (((dr7 >> (16 + 4 * i)) & 3) == DR7_RW_IO)
			en |= dr7 & (UINT64_C(3) << (2 * i));
	return en;
}

/* DR4/DR5 are DR6/DR7 unless the guest set CR4.DE: then #UD, -ENODEV. */
static int
alias(const struct vcpu *v, unsigned int *reg)
{
	if (*reg == 4 || *reg == 5) {
		if (v->guest_cr4 & CR4_DE)
			return -XM_ENODEV;
		*reg += 2;
	}
	return *reg <= 3 || *reg == 6 || *reg == 7 ? 0 : -XM_ENODEV;
}

/* value as register reg of v may hold it, in *out; or why not. */
static long
check(const struct vcpu *v, unsigned int reg, uint64_t value, uint64_t *out)
{
	int rc;

	if ((rc = alias(v, &reg)) != 0)
		return rc;
	if (reg <= 3) {
		if (!guest_range_ok(value, 1))
			return -XM_EPERM;
		*out = value;
		return 0;
	}
	if (value != (uint32_t)value)
		return -XM_EINVAL;	/* the upper half is reserved */
	if (reg == 6) {
		*out = (value & ~DR6_ZEROS) | DR6_ONES;
		return 0;
	}
	value = (value & ~DR7_ZEROS) | DR7_ONES;
	if (value & DR7_GD)
		return -XM_EPERM;
	if (io_enables(value) != 0 && !(v->guest_cr4 & CR4_DE))
		return -XM_EPERM;
	*out = value;
	return 0;
}

/* Set v's register reg (v running here, or not running at all). */
long
debugreg_set(struct vcpu *v, unsigned int reg, uint64_t value)
{
	bool here = v == current_vcpu();
	bool was_active = dr7_active(v);
	uint64_t val;
	long rc;

	if ((rc = alias(v, &reg)) != 0 || (rc = check(v, reg, value,
	    &val)) != 0)
		return rc;
	if (reg == 7) {		/* I/O breakpoints: emulated, not loaded */
		v->dr7_emul = io_enables(val);
		val &= ~v->dr7_emul;
	}
	v->debugreg[reg & 7] = val;
	if (!here)
		return 0;
	if (reg == 7 && !was_active && dr7_active(v))
		load_all(v);	/* not loaded while nothing was enabled */
	else if (reg != 7 || was_active || dr7_active(v))
		write_dr(reg, val);
	return 0;
}

/* Whether v's context may take these eight registers (0 or -EINVAL). */
long
debugreg_check_all(const struct vcpu *v, const uint64_t dr[8])
{
	static const unsigned int regs[] = { 0, 1, 2, 3, 6, 7 };
	unsigned int i;
	uint64_t val;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (check(v, regs[i], dr[regs[i]], &val) != 0)
			return -XM_EINVAL;
	return 0;
}

void
debugreg_init(struct vcpu *v)
{
	v->debugreg[6] = DR6_DEFAULT;
	v->debugreg[7] = DR7_ONES;
}

/* Context switch: prev leaves this CPU, next comes (either may be NULL). */
void
debugreg_switch(const struct vcpu *prev, const struct vcpu *next)
{
	if (next != NULL && dr7_active(next))
		load_all(next);
	else if (prev != NULL && dr7_active(prev))
		write_dr(7, DR7_ONES);
}

/*
 * A #DB: its events go into v's DR6, and the hardware's is cleared (the
 * CPU never clears it).  As on the CPU, B0-B3 say which breakpoints this
 * one was; BD, BS and BT stay until the guest clears them.
 */
void
debugreg_trap(struct vcpu *v)
{
	uint64_t dr6 = read_dr(6);

	write_dr(6, DR6_DEFAULT);
	if (v != NULL)
		v->debugreg[6] = (v->debugreg[6] & ~DR6_HITS) |
		    (dr6 & DR6_EVENTS);
}

long
do_set_debugreg(uint64_t reg, uint64_t value)
{
	return debugreg_set(current_vcpu(), (unsigned int)reg, value);
}

/* v's register reg in *out: 0, or -ENODEV for one that is none. */
long
debugreg_get(const struct vcpu *v, unsigned int reg, uint64_t *out)
{
	if (reg > 7 || alias(v, &reg) != 0)
		return -XM_ENODEV;
	*out = v->debugreg[reg & 7] | (reg == 7 ? v->dr7_emul : 0);
	return 0;
}

/*
 * Port I/O of len bytes at port, emulated for v: the I/O breakpoints it
 * hits (B0-B3), as Xen's check_guest_io_breakpoint.
 */
unsigned int
debugreg_io_match(const struct vcpu *v, unsigned int port, unsigned int len)
{
	static const unsigned int widths[4] = { 1, 2, 8, 4 };
	unsigned int i, match = 0, width;
	uint64_t start;

	if (v->dr7_emul == 0 || !(v->guest_cr4 & CR4_DE))
		return 0;
	for (i = 0; i < 4; i++) {
		if (!(v->dr7_emul & (UINT64_C(3) << (2 * i))))
			continue;
		start = v->debugreg[i];
		width = widths[(v->debugreg[7] >> (18 + 4 * i)) & 3];
		if (start < port + len && start + width > port)
			match |= 1u << i;
	}
	return match;
}

/* Those breakpoints were hit: a #DB for v, saying which in its DR6. */
void
debugreg_io_hit(struct vcpu *v, unsigned int match)
{
	v->debugreg[6] = (v->debugreg[6] & ~DR6_HITS) | match;
}

long
do_get_debugreg(uint64_t reg)
{
	uint64_t val;

	if (reg > 7 || debugreg_get(current_vcpu(), (unsigned int)reg,
	    &val) != 0)
		return -XM_ENODEV;
	return (long)val;
}
