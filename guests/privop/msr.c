/*
 * privop's MSRs beyond the segment bases, as Xen answers a 64-bit PV
 * kernel: EFER reads as the host's (long mode on), written back as it
 * is, and a write that would change it is a #GP; TSC_AUX is the vCPU's
 * own, 32 bits, and what rdtscp returns, also after other domains ran
 * on its CPU; APIC_BASE, PAT and the TSC read, and are not written; an
 * MSR Xen does not answer stays a #GP.
 */

#include <stdint.h>

#include <guest/guest.h>
#include <guest/test.h>
#include <guest/time.h>

#include "privop.h"

#define MSR_TSC		0x10U
#define MSR_APIC_BASE	0x1bU
#define MSR_PAT		0x277U
#define MSR_EFER	0xc0000080U
#define MSR_TSC_AUX	0xc0000103U
#define MSR_UNKNOWN	0xc0011fffU
#define EFER_LME	(UINT64_C(1) << 8)
#define EFER_LMA	(UINT64_C(1) << 10)
#define EFER_NXE	(UINT64_C(1) << 11)
#define APIC_BASE_BSP	(UINT64_C(1) << 8)
#define APIC_BASE_EN	(UINT64_C(1) << 11)
#define APIC_BASE_DFLT	UINT64_C(0xfee00000)

static uint64_t
rdmsr_probe(uint32_t msr, int *faulted)
{
	uint32_t lo = 0, hi = 0;

	*faulted = FAULTS(2, "rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static int
wrmsr_probe(uint32_t msr, uint64_t val)
{
	return FAULTS(2, "wrmsr" :: "c"(msr), "a"((uint32_t)val),
	    "d"((uint32_t)(val >> 32)));
}

static uint32_t
rdtscp_aux(void)
{
	uint32_t lo, hi, aux;

	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

void
msr_tests(void)
{
	uint64_t efer, v;
	int f;

	efer = rdmsr_probe(MSR_EFER, &f);
	TEST_OK(!f && (efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA),
	    "rdmsr EFER: the host's, long mode on (%#lx)", efer);
	TEST_OK(!wrmsr_probe(MSR_EFER, efer), "wrmsr EFER of its value, as "
	    "Linux writes it back: accepted");
	TEST_OK(wrmsr_probe(MSR_EFER, efer ^ EFER_NXE) &&
	    rdmsr_probe(MSR_EFER, &f) == efer && !f,
	    "wrmsr EFER of another value: #GP, unchanged");
	v = rdmsr_probe(MSR_APIC_BASE, &f);
	TEST_OK(!f && v == (APIC_BASE_DFLT | APIC_BASE_EN | APIC_BASE_BSP),
	    "rdmsr APIC_BASE: enabled, default base, BSP on vCPU 0 (%#lx)", v);
	v = rdmsr_probe(MSR_PAT, &f);
	TEST_OK(!f && (v & 0xff) == 6 && wrmsr_probe(MSR_PAT, v),
	    "rdmsr PAT: entry 0 write-back (%#lx); wrmsr PAT: #GP", v);
	v = rdmsr_probe(MSR_TSC, &f);
	TEST_OK(!f && v != 0 && rdmsr_probe(MSR_TSC, &f) > v && !f &&
	    wrmsr_probe(MSR_TSC, 0), "rdmsr TSC: it counts; wrmsr TSC: #GP");
	TEST_OK(!wrmsr_probe(MSR_TSC_AUX, 0x1234) &&
	    rdmsr_probe(MSR_TSC_AUX, &f) == 0x1234 && !f,
	    "wrmsr TSC_AUX: the vCPU's own, read back");
	TEST_OK(rdtscp_aux() == 0x1234, "rdtscp returns it (%#x)",
	    rdtscp_aux());
	sleep_ns(20 * NSEC_PER_MSEC);	/* the victim runs meanwhile */
	TEST_OK(rdtscp_aux() == 0x1234, "... also after other domains ran "
	    "on its CPU (%#x)", rdtscp_aux());
	TEST_OK(wrmsr_probe(MSR_TSC_AUX, UINT64_C(1) << 32) &&
	    rdmsr_probe(MSR_TSC_AUX, &f) == 0x1234,
	    "wrmsr TSC_AUX beyond 32 bits: #GP, unchanged");
	v = rdmsr_probe(MSR_UNKNOWN, &f);
	TEST_OK(f && wrmsr_probe(MSR_UNKNOWN, 0), "an MSR hv does not answer: "
	    "#GP for rdmsr and wrmsr (%#lx)", v);
}
