/*
 * The MSRs Xen answers for a 64-bit PV kernel's rdmsr/wrmsr, beyond
 * the segment bases (guest_traps.c), as a table: EFER reads as the
 * host's without SVME, and a write is dropped (Xen takes only the value
 * it already has, and ignores the rest with a log line); TSC_AUX is the
 * vCPU's own (32 bits; #GP otherwise), in the CPU's MSR while the vCPU
 * runs, so that rdtscp and rdpid return it.  Any other MSR stays the
 * guest's #GP.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/context.h>
#include <hv/domain.h>
#include <hv/x86.h>

#define MSR_TSC_AUX	0xc0000103
#define EFER_SVME	(UINT64_C(1) << 12)
#define EXT_RDTSCP	(1U << 27)	/* 0x80000001 edx */
#define L7_RDPID	(1U << 22)	/* 7.0 ecx */

struct msr_row {
	uint32_t	msr;
	bool		(*read)(struct vcpu *, uint64_t *);
	bool		(*write)(struct vcpu *, uint64_t);
};

static bool
efer_read(struct vcpu *v, uint64_t *val)
{
	(void)v;
	*val = rdmsr(MSR_EFER) & ~EFER_SVME;
	return true;
}

static bool
efer_write(struct vcpu *v, uint64_t val)
{
	uint64_t now;

	(void)efer_read(v, &now);
	if (val != now)
		domain_log_refusal(v->domain, "wrmsr EFER %#lx ignored (it is "
		    "%#lx)", val, now);
	return true;
}

/* The CPU has TSC_AUX (and guests see RDTSCP or RDPID: cpuid_pv.c). */
static bool
have_tsc_aux(void)
{
	static int known = -1;
	uint32_t a, b, c, d;

	if (known < 0) {
		cpuid(0x80000000, 0, &a, &b, &c, &d);
		known = 0;
		if (a >= 0x80000001) {
			cpuid(0x80000001, 0, &a, &b, &c, &d);
			known = (d & EXT_RDTSCP) != 0;
		}
		cpuid(0, 0, &a, &b, &c, &d);
		if (a >= 7) {
			cpuid(7, 0, &a, &b, &c, &d);
			known |= (c & L7_RDPID) != 0;
		}
	}
	return known == 1;
}

static bool
tsc_aux_read(struct vcpu *v, uint64_t *val)
{
	*val = v->tsc_aux;
	return have_tsc_aux();
}

static bool
tsc_aux_write(struct vcpu *v, uint64_t val)
{
	if (!have_tsc_aux() || val > UINT32_MAX)
		return false;
	v->tsc_aux = (uint32_t)val;
	wrmsr(MSR_TSC_AUX, val);
	return true;
}

static const struct msr_row msr_table[] = {
	{ MSR_EFER, efer_read, efer_write },
	{ MSR_TSC_AUX, tsc_aux_read, tsc_aux_write },
};

static const struct msr_row *
msr_row(uint32_t msr)
{
	unsigned int i;

	for (i = 0; i < sizeof(msr_table) / sizeof(msr_table[0]); i++)
		if (msr_table[i].msr == msr)
			return &msr_table[i];
	return NULL;
}

/* rdmsr of msr for v: true with *val, false for a #GP. */
bool
msr_pv_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	const struct msr_row *r = msr_row(msr);

	return r != NULL && r->read(v, val);
}

bool
msr_pv_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	const struct msr_row *r = msr_row(msr);

	return r != NULL && r->write(v, val);
}

/* When v is loaded: its TSC_AUX into the CPU's. */
void
msr_pv_load(const struct vcpu *v)
{
	if (have_tsc_aux())
		wrmsr(MSR_TSC_AUX, v->tsc_aux);
}
