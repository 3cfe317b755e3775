/*
 * CPUID as a PV guest sees it through the forced-emulation prefix: the
 * host's leaves filtered as Xen filters them for PV guests (its
 * featureset's 'A' bits), less what hv cannot give a guest (XSAVE state
 * and everything that needs it: hv keeps a guest's FPU with fxsave), and
 * Xen's leaves at 0x40000000.  A PV kernel that saw PSE, PGE or 1 GiB
 * pages would build mappings hv refuses; one that saw FSGSBASE, PCID or
 * PKU would use instructions or CR4 bits it does not have.
 */
#include <stdint.h>

#include <hv/domain.h>
#include <hv/traps.h>
#include <hv/x86.h>

#define BIT(n)		(UINT32_C(1) << (n))

/* Leaf 1 edx: FPU DE TSC MSR PAE MCE CX8 SEP MCA CMOV PAT CLFLUSH ACPI
 * MMX FXSR SSE SSE2 SS HTT; APIC for domain 0 only (Linux masks it). */
#define L1_EDX	(BIT(0) | BIT(2) | BIT(4) | BIT(5) | BIT(6) | BIT(7) |	\
		 BIT(8) | BIT(11) | BIT(14) | BIT(15) | BIT(16) | BIT(19) | \
		 BIT(22) | BIT(23) | BIT(24) | BIT(25) | BIT(26) | BIT(27) | \
		 BIT(28))
#define L1_EDX_APIC	BIT(9)
/* Leaf 1 ecx: SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT AESNI
 * RDRAND, and HYPERVISOR set; not FMA/AVX/F16C/XSAVE (no XSAVE state). */
#define L1_ECX	(BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | \
		 BIT(22) | BIT(23) | BIT(25) | BIT(30))
#define L1_ECX_HYPERVISOR	BIT(31)
/* Leaf 7.0 ebx: BMI1 BMI2 ERMS RDSEED ADX CLFLUSHOPT CLWB SHA; not
 * FSGSBASE, SMEP, INVPCID, SMAP, AVX2 or AVX-512. */
#define L7_EBX	(BIT(3) | BIT(8) | BIT(9) | BIT(18) | BIT(19) | BIT(23) | \
		 BIT(24) | BIT(29))
/* Leaf 7.0 ecx: PREFETCHWT1 GFNI RDPID CLDEMOTE; not UMIP, PKU, OSPKE,
 * LA57 or the vector extensions. */
#define L7_ECX	(BIT(0) | BIT(8) | BIT(22) | BIT(25))
/* 0x80000001 edx: SYSCALL NX MMXEXT FFXSR RDTSCP LM 3DNOWEXT 3DNOW and
 * AMD's copies of leaf 1's bits; not 1 GiB pages. */
#define LX1_EDX	(BIT(11) | BIT(20) | BIT(22) | BIT(25) | BIT(27) | BIT(29) | \
		 BIT(30) | BIT(31) | (L1_EDX & 0x0183f3ffU))
/* 0x80000001 ecx: LAHF_LM CMP_LEGACY ABM SSE4A MISALIGNSSE 3DNOWPREFETCH
 * TBM DBEXT; not SVM, EXTAPIC, CR8_LEGACY or XOP/FMA4 (VEX). */
#define LX1_ECX	(BIT(0) | BIT(1) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | \
		 BIT(21) | BIT(26))
/* 0x80000008 ebx: CLZERO RSTR_FP_ERR_PTRS IBPB SSB_NO BTC_NO IBPB_RET. */
#define LX8_EBX	(BIT(0) | BIT(2) | BIT(12) | BIT(26) | BIT(29) | BIT(30))

static void
xen_leaves(uint32_t leaf, uint32_t res[4])
{
	res[0] = res[1] = res[2] = res[3] = 0;
	switch (leaf) {
	case 0x40000000:	/* "XenVMMXenVMM": the ABI we speak */
		res[0] = 0x40000005;
		res[1] = 0x566e6558;
		res[2] = 0x65584d4d;
		res[3] = 0x4d4d566e;
		break;
	case 0x40000001:
		res[0] = (4 << 16) | 14;	/* interface version 4.14 */
		break;
	case 0x40000002:
		res[0] = 1;			/* hypercall pages */
		res[1] = 0x40000000;		/* MSR to place one */
		break;
	}
}

void
pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t res[4])
{
	if (leaf >= 0x40000000 && leaf < 0x40000100) {
		xen_leaves(leaf, res);
		return;
	}
	cpuid(leaf, sub, &res[0], &res[1], &res[2], &res[3]);
	switch (leaf) {
	case 1:
		res[1] &= 0x00ffffffU;		/* no initial APIC id */
		res[2] = (res[2] & L1_ECX) | L1_ECX_HYPERVISOR;
		res[3] &= L1_EDX | (v->domain->privileged ? L1_EDX_APIC : 0);
		break;
	case 5:		/* MONITOR/MWAIT */
	case 6:		/* power management */
	case 0xa:	/* performance counters */
	case 0xd:	/* XSAVE state */
		res[0] = res[1] = res[2] = res[3] = 0;
		break;
	case 7:
		if (sub != 0) {
			res[0] = res[1] = res[2] = res[3] = 0;
			break;
		}
		res[0] = 0;			/* no sub-leaves */
		res[1] &= L7_EBX;
		res[2] &= L7_ECX;
		res[3] = 0;
		break;
	case 0x80000001:
		res[2] &= LX1_ECX;
		res[3] &= LX1_EDX;
		break;
	case 0x80000007:
		res[3] = 0;			/* no invariant TSC */
		break;
	case 0x80000008:
		res[1] &= LX8_EBX;
		break;
	}
}
