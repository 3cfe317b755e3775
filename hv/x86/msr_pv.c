/*
 * The MSRs Xen answers for a 64-bit PV kernel's rdmsr/wrmsr, beyond
 * the segment bases (guest_traps.c), as a table, with Xen's answers:
 *
 *   EFER	the host's without SVME; a write of that same value is
 *		fine (Linux writes it back), any other is a #GP
 *   TSC_AUX	the vCPU's own (32 bits, else #GP), in the CPU's MSR while
 *		it runs, so that rdtscp and rdpid return it
 *   APIC_BASE	read: enabled at the default base, BSP on vCPU 0
 *   PAT	read: the CPU's, which the guest's PTE cache bits select
 *		(Xen programs its own PAT and reports that; hv leaves
 *		the CPU's as firmware set it)
 *   TSC	read: the TSC
 *
 * A row without a write handler refuses writes with a #GP, and any MSR
 * not in the table stays the guest's #GP, as on Xen.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/context.h>
#include <hv/domain.h>
#include <hv/time.h>
#include <hv/x86.h>

#define MSR_TSC		0x10
#define MSR_APIC_BASE	0x1b
#define MSR_PAT		0x277
#define MSR_TSC_AUX	0xc0000103
#define EFER_SVME	(UINT64_C(1) << 12)
#define APIC_BASE_BSP	(UINT64_C(1) << 8)
#define APIC_BASE_EN	(UINT64_C(1) << 11)
#define APIC_BASE_DFLT	UINT64_C(0xfee00000)
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
	return val == now;
}

static bool
apic_base_read(struct vcpu *v, uint64_t *val)
{
	*val = APIC_BASE_DFLT | APIC_BASE_EN | (v->id == 0 ? APIC_BASE_BSP :
	    0);
	return true;
}

static bool
pat_read(struct vcpu *v, uint64_t *val)
{
	(void)v;
	*val = rdmsr(MSR_PAT);
	return true;
}

static bool
tsc_read(struct vcpu *v, uint64_t *val)
{
	(void)v;
	*val = rdtsc();
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
	{ MSR_TSC, tsc_read, NULL },
	{ MSR_APIC_BASE, apic_base_read, NULL },
	{ MSR_PAT, pat_read, NULL },
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

	return r != NULL && r->write != NULL && r->write(v, val);
}

/* When v is loaded: its TSC_AUX into the CPU's. */
void
msr_pv_load(const struct vcpu *v)
{
	if (have_tsc_aux())
		wrmsr(MSR_TSC_AUX, v->tsc_aux);
}
