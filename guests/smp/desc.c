/*
 * guests/smp's shared descriptor frame: every worker takes one frame of
 * vCPU 0's as its GDT (set_gdt), then watches a selector's limit with
 * lsl while vCPU 0 changes that descriptor with update_descriptor.  On
 * Xen the CPU reads the frame itself, so a vCPU running on another CPU
 * sees the new limit at once; hv copies GDTs per CPU, and must bring
 * the other vCPUs' copies up to date.  With desc_alone=1 (each vCPU
 * has a CPU to itself) each worker must see it without having left its
 * CPU, where a context switch would have refreshed its copy anyway.
 */

#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/vcpu.h>

#include <guest/desc.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/time.h>

#include "smp.h"

#define DESC_LIMIT(l)	(UINT64_C(0x0040f20000000000) | (l))	/* data */
#define DESC_ENTRY	2
#define DESC_SEL	SEL(DESC_ENTRY)
#define OLD_LIMIT	0xf
#define NEW_LIMIT	0xff
#define DESC_WAIT_NS	(5 * NSEC_PER_SEC)

/* Time this vCPU spent off its CPU so far (runnable, blocked, offline). */
static uint64_t
off_cpu_ns(unsigned int vcpu)
{
	struct xm_vcpu_runstate_info ri;

	if (HYPERVISOR_vcpu_op(XM_VCPUOP_GET_RUNSTATE_INFO, vcpu, &ri) != 0)
		return 0;
	return ri.time[XM_RUNSTATE_RUNNABLE] + ri.time[XM_RUNSTATE_BLOCKED] +
	    ri.time[XM_RUNSTATE_OFFLINE];
}

/* A worker's part: the frame as its GDT, then spin until it changes. */
void
smp_desc_worker(struct smp_worker *w, unsigned int vcpu)
{
	uint64_t frames[1] = { w->gdt_mfn }, deadline, off;

	w->desc_rc = gdt_set(frames, 16);
	w->desc_limit = desc_lsl(DESC_SEL);
	off = off_cpu_ns(vcpu);
	__atomic_store_n(&w->desc_ready, 1, __ATOMIC_RELEASE);
	deadline = monotonic_ns() + DESC_WAIT_NS;
	while (w->desc_rc == 0 && desc_lsl(DESC_SEL) != NEW_LIMIT &&
	    monotonic_ns() < deadline)
		__asm__ volatile("pause");
	w->desc_limit = desc_lsl(DESC_SEL);
	w->desc_stayed = off_cpu_ns(vcpu) == off;
	(void)gdt_set(frames, 0);
}

static int
workers_ready(unsigned int nr_vcpus)
{
	uint64_t deadline = monotonic_ns() + DESC_WAIT_NS;
	unsigned int k, ready;

	do {
		for (ready = 0, k = 1; k < nr_vcpus; k++)
			ready += __atomic_load_n(&smp_workers[k].desc_ready,
			    __ATOMIC_ACQUIRE) != 0;
	} while (ready < nr_vcpus - 1 && monotonic_ns() < deadline);
	return ready == nr_vcpus - 1;
}

/* vCPU 0's part; post and wait are smp.c's round machinery. */
void
smp_desc_check(unsigned int nr_vcpus, void (*post)(void),
    int (*wait)(void), int alone)
{
	unsigned int k, seen = 0, stayed = 0;
	uint64_t *gdt;
	xm_pfn_t pfn;
	long rc = -1;

	if (mm_init() != 0 || frame_alloc(&pfn) != 0) {
		TEST_OK(0, "a frame for the shared GDT");
		return;
	}
	gdt = pfn_to_virt(pfn);
	kmemset(gdt, 0, PAGE_SIZE);
	gdt[DESC_ENTRY] = DESC_LIMIT(OLD_LIMIT);
	(void)map_frame_at((uint64_t)gdt, pfn_to_mfn(pfn), PTE_KERNEL_RO);
	for (k = 1; k < nr_vcpus; k++) {
		smp_workers[k].gdt_mfn = pfn_to_mfn(pfn);
		smp_workers[k].desc_ready = 0;
	}
	post();
	if (workers_ready(nr_vcpus))
		rc = desc_update((pfn_to_mfn(pfn) << PAGE_SHIFT) +
		    DESC_ENTRY * 8,
		    DESC_LIMIT(NEW_LIMIT));
	if (!wait())
		rc = -1;
	for (k = 1; k < nr_vcpus; k++) {
		seen += smp_workers[k].desc_rc == 0 &&
		    smp_workers[k].desc_limit == NEW_LIMIT;
		stayed += smp_workers[k].desc_stayed != 0;
		if (smp_workers[k].desc_limit != NEW_LIMIT)
			test_diag("vCPU %u: set_gdt %ld, lsl %#lx", k,
			    (long)smp_workers[k].desc_rc,
			    smp_workers[k].desc_limit);
	}
	TEST_OK(rc == 0 && seen == nr_vcpus - 1, "update_descriptor of a GDT "
	    "frame that other vCPUs run on: each sees the new limit (%u of "
	    "%u; %u without leaving its CPU)", seen, nr_vcpus - 1, stayed);
	/* With a CPU each, the change must reach a vCPU where it runs. */
	if (alone)
		TEST_OK(stayed == nr_vcpus - 1, "... while it kept running on "
		    "its own CPU (%u of %u)", stayed, nr_vcpus - 1);
}
