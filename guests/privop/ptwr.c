/*
 * privop's writable page tables: with VMASST_TYPE_writable_pagetables
 * on (as Linux turns it on), a plain write to one of its own page-table
 * entries -- mapped read-only, as hv demands -- is done by hv as an
 * mmu_update of that entry: mov, mov of an immediate, xchg and lock
 * cmpxchg, as Linux's native pte helpers write them.  An entry hv would
 * refuse stays a #PF; without the assist every such write is one.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>

#include "privop.h"

#define TEST_VA		UINT64_C(0x0000100000000000)	/* unused here */

/* The instructions, with the registers fixed so their lengths are. */
#define MOV(p, v)	FAULTS(3, "movq %%rax, (%%rdi)" :: "D"(p), "a"(v) : \
			    "memory")
#define MOV0(p)		FAULTS(7, "movq $0, (%%rdi)" :: "D"(p) : "memory")

static int
xchg(volatile uint64_t *p, uint64_t *v)
{
	uint64_t a = *v;
	int f = FAULTS(3, "xchgq %%rax, (%%rdi)" : "+a"(a) : "D"(p) :
	    "memory");

	*v = a;
	return f;
}

/* lock cmpxchg: whether it faulted; *zf, and *expect as it came back. */
static int
cmpxchg(volatile uint64_t *p, uint64_t *expect, uint64_t val, int *zf)
{
	uint64_t a = *expect;
	uint8_t z = 0;
	int f;

	f = FAULTS(5, "lock cmpxchgq %%rdx, (%%rdi)" : "+a"(a) : "D"(p),
	    "d"(val) : "memory", "cc");
	__asm__ volatile("setz %0" : "=r"(z));
	*expect = a;
	*zf = z;
	return f;
}

/* lock btrq $5 (A), with its CF read right after (the fault skips to it). */
static int
btr_a(volatile uint64_t *p, uint8_t *cf)
{
	uint64_t a = 0;
	int f = FAULTS(6, "lock btrq $5, (%%rdi)\n\tsetc %%al" : "+a"(a) :
	    "D"(p) : "memory", "cc");

	*cf = (uint8_t)a;
	return f;
}

void
ptwr_tests(void)
{
	volatile uint64_t *pte, *page = (volatile uint64_t *)TEST_VA;
	uint64_t data_mfn, entry, want, v, l4_mfn;
	xm_pfn_t pfn;
	uint8_t cf;
	int zf;

	if (pt_ensure(TEST_VA, 1) != 0 || frame_alloc(&pfn) != 0 ||
	    (pte = pt_entry(TEST_VA, 1)) == NULL) {
		TEST_OK(0, "a page table and a frame for the writes");
		return;
	}
	data_mfn = pfn_to_mfn(pfn);
	((uint64_t *)pfn_to_virt(pfn))[0] = 0x5eed;
	entry = (data_mfn << PAGE_SHIFT) | PTE_KERNEL;
	want = entry & ~(PTE_A | PTE_D);	/* the CPU may set A and D */
	TEST_OK(MOV(pte, entry), "without the assist, a write to its own L1 "
	    "entry is a #PF");
	TEST_OK(HYPERVISOR_vm_assist(XM_VMASST_CMD_ENABLE,
	    XM_VMASST_TYPE_WRITABLE_PAGETABLES) == 0,
	    "vm_assist writable_pagetables, as Linux turns it on");
	zf = MOV(pte, entry);
	TEST_OK(!zf && (*pte & ~(PTE_A | PTE_D)) == want &&
	    page[0] == 0x5eed, "mov to its L1 entry: done by hv, the page "
	    "is mapped (entry %#lx)", *pte);
	v = 0;
	TEST_OK(!xchg(pte, &v) && (v & ~(PTE_A | PTE_D)) == want &&
	    *pte == 0, "xchg: the old entry back, the new one in");
	v = entry;
	TEST_OK(!cmpxchg(pte, &v, entry, &zf) && !zf && v == 0 && *pte == 0,
	    "lock cmpxchg with a stale expectation: no write, the current "
	    "entry back");
	v = 0;
	TEST_OK(!cmpxchg(pte, &v, entry, &zf) && zf &&
	    (*pte & ~(PTE_A | PTE_D)) == want, "lock cmpxchg: written");
	l4_mfn = virt_to_mfn((void *)guest_start_info->pt_base);
	TEST_OK(MOV(pte, (l4_mfn << PAGE_SHIFT) | PTE_KERNEL) &&
	    (*pte & ~(PTE_A | PTE_D)) == want,
	    "mov of an entry mapping its own L4 writable: refused, a #PF");
	TEST_OK(!MOV0(pte) && *pte == 0, "movq $0: the entry cleared");
	(void)MOV(pte, entry);
	TEST_OK(!FAULTS(4, "ds andb $0xfd, (%%rdi)" :: "D"(pte) : "memory",
	    "cc") && !(*pte & PTE_RW) && (*pte & PTE_P),
	    "andb (clear_bit of RW, as Linux's ptep_set_wrprotect): "
	    "read-only now");
	TEST_OK(!FAULTS(3, "orb $2, (%%rdi)" :: "D"(pte) : "memory", "cc") &&
	    (*pte & PTE_RW), "orb (set_bit): writable again");
	TEST_OK(!btr_a(pte, &cf) && cf && !(*pte & PTE_A),
	    "lock btrq $5 (test_and_clear_bit of A): CF says it was set, "
	    "now clear");
	TEST_OK(!btr_a(pte, &cf) && !cf, "... again: CF says it was clear");
	TEST_OK(!FAULTS(3, "andb $0xfe, (%%rdi)" :: "D"(pte) : "memory",
	    "cc") && !(*pte & PTE_P), "andb of P: the page unmapped");
	(void)MOV0(pte);
}
