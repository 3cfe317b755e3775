/*
 * dirtier: the domain whose pages domain 0 (guests/dirtylog) tracks in
 * log-dirty mode, and the judge of what it must not notice of it.
 *
 * It takes DIRTIER_PAGES frames of its own memory, writes their L1
 * entries itself (mmu_update, D clear) and tags them (dirtier.h): one
 * hot page whose counter it increments all the time, the others cold,
 * written once and from then on only read.  For run_ms it keeps
 * counting and, in between:
 *   - reads every L1 entry of its pages back through its own page
 *     tables: each must equal what it last wrote, but for A and D, and
 *     D must be set exactly when the page was written through that
 *     entry since it was written, as the CPU would have it (a shadow
 *     of the tables must neither lose a D nor make one up);
 *   - reads the cold pages (tag, index, pfn), and notices domain 0's
 *     mark in one of them;
 *   - remaps the hot page read-only, reads it, remaps it writable and
 *     writes through it (update_va_mapping and mmu_update in turn),
 *     and remaps a cold page read-only and back (mmu_update) without
 *     writing it;
 *   - counts the page faults delivered to it: none is expected.
 * It stops when domain 0 writes DIRTIER_STOP into the hot page, or
 * when run_ms are up.  One line then says how it went, and it powers
 * off: "dirtier: N checks, N remaps, ptes as written, 0 faults".
 *
 *	dirtier [run_ms=N]	(default 4000)
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/time.h>
#include <guest/traps.h>

#include "dirtier.h"

#define HOT		0
#define PTE_AD		(PTE_A | PTE_D)
#define PTE_RW_NOD	(PTE_P | PTE_RW | PTE_US | PTE_A)
#define PTE_RO_NOD	(PTE_P | PTE_US | PTE_A)
#define BUMPS		1024		/* increments between checks */
#define READ_NS		(2 * NSEC_PER_MSEC)
#define FLIP_HOT_NS	(5 * NSEC_PER_MSEC)
#define FLIP_COLD_NS	(13 * NSEC_PER_MSEC)
#define FAULTS_MAX	1000		/* then the runtime reports and dies */
#define REPORTS_MAX	5

struct dpage {
	xm_pfn_t		 pfn;
	volatile uint64_t	*va;
	const volatile uint64_t	*l1e;	/* read-only, through our tables */
	uint64_t		 l1e_maddr;
	uint64_t		 pte;	/* what we last wrote there */
	int			 written;	/* through pte, since */
};

static struct dpage	pages[DIRTIER_PAGES];
static uint64_t		checks, remaps, bad, faults, reports;
static uint64_t		fault_cr2, fault_rip, fault_err;
static int		marked = -1;	/* cold page domain 0 wrote */

static int
pf_hook(struct trap_frame *tf)
{
	if (faults++ == 0) {
		fault_cr2 = trap_last.cr2;
		fault_rip = tf->rip;
		fault_err = tf->error_code;
	}
	/* A fault the tracking made up goes away when retried. */
	return faults < FAULTS_MAX;
}

static void
fail(const char *what, unsigned int i, uint64_t got, uint64_t want)
{
	bad++;
	if (reports++ < REPORTS_MAX)
		gprintf("dirtier: page %u (pfn %lu): %s: %#lx, wrote %#lx\n",
		    i, pages[i].pfn, what, got, want);
}

static volatile struct dirtier_head *
head(unsigned int i)
{
	return (volatile struct dirtier_head *)pages[i].va;
}

/* Write page i's L1 entry: update_va_mapping, or mmu_update + invlpg. */
static int
set_pte(unsigned int i, uint64_t flags, int by_mmu_update)
{
	struct dpage *p = &pages[i];
	uint64_t pte = (pfn_to_mfn(p->pfn) << PAGE_SHIFT) | flags;
	int rc;

	if (by_mmu_update) {
		rc = mmu_update_one(p->l1e_maddr, pte);
		if (rc == 0)
			rc = invlpg_local((uint64_t)p->va);
	} else
		rc = HYPERVISOR_update_va_mapping((uint64_t)p->va, pte,
		    XM_UVMF_INVLPG | XM_UVMF_LOCAL);
	if (rc != 0) {
		fail("writing its pte failed", i, (uint64_t)(int64_t)rc, pte);
		return rc;
	}
	p->pte = pte;
	p->written = 0;
	remaps++;
	return 0;
}

static void
check_pte(unsigned int i)
{
	const struct dpage *p = &pages[i];
	uint64_t e = *p->l1e;

	if ((e ^ p->pte) & ~PTE_AD)
		fail("pte reads", i, e, p->pte);
	else if (p->written && !(e & PTE_D))
		fail("D clear after a write, pte", i, e, p->pte);
	else if (!p->written && (e & PTE_D))
		fail("D set with no write, pte", i, e, p->pte);
}

static void
check_ptes(void)
{
	unsigned int i;

	for (i = 0; i < DIRTIER_PAGES; i++)
		check_pte(i);
	checks++;
}

static void
hot_bump(unsigned int n)
{
	volatile struct dirtier_head *h = head(HOT);

	while (n-- > 0)
		h->counter++;
	pages[HOT].written = 1;
}

static void
read_cold(void)
{
	volatile struct dirtier_head *h;
	const volatile char *mark;
	unsigned int i;

	for (i = HOT + 1; i < DIRTIER_PAGES; i++) {
		h = head(i);
		if (kmemcmp((const void *)h->tag, DIRTIER_COLD_TAG,
		    sizeof(DIRTIER_COLD_TAG)) != 0 || h->counter != i ||
		    h->pfn != pages[i].pfn)
			fail("cold page changed, index", i, h->counter, i);
		mark = (const volatile char *)pages[i].va + DIRTIER_MARK_OFF;
		if (marked < 0 && kmemcmp((const void *)mark, DIRTIER_MARK,
		    sizeof(DIRTIER_MARK)) == 0) {
			marked = (int)i;
			gprintf("dirtier: domain 0 wrote cold page %u (pfn "
			    "%lu)\n", i, pages[i].pfn);
		}
	}
}

/* Read-only, read, writable again, written: alternately by the two calls. */
static void
flip_hot(void)
{
	static unsigned int n;
	uint64_t was = head(HOT)->counter;
	int mmu = n++ & 1;

	if (set_pte(HOT, PTE_RO_NOD, mmu) != 0)
		return;
	check_pte(HOT);
	if (head(HOT)->counter != was)
		fail("read-only, its counter reads", HOT, head(HOT)->counter,
		    was);
	if (set_pte(HOT, PTE_RW_NOD, mmu) != 0)
		return;
	check_pte(HOT);
	hot_bump(1);
	check_pte(HOT);
}

/* A cold page read-only and back, never written: D stays clear. */
static void
flip_cold(void)
{
	static unsigned int n;
	unsigned int i = HOT + 1 + n++ % (DIRTIER_PAGES - 1);

	if (set_pte(i, PTE_RO_NOD, 1) == 0 &&
	    set_pte(i, PTE_RW_NOD, 1) == 0) {
		read_cold();
		check_pte(i);
	}
}

static int
stop_asked(void)
{
	const volatile uint64_t *stop = (const volatile uint64_t *)
	    ((uintptr_t)pages[HOT].va + DIRTIER_STOP_OFF);

	return *stop == DIRTIER_STOP;
}

static void
run(uint64_t run_ns)
{
	uint64_t now, start = monotonic_ns(), end = start + run_ns;
	uint64_t next_read = 0, next_hot = 0, next_cold = 0;

	while ((now = monotonic_ns()) < end) {
		if (stop_asked()) {
			gprintf("dirtier: domain 0 asked it to stop after %lu "
			    "ms\n", (now - start) / NSEC_PER_MSEC);
			break;
		}
		hot_bump(BUMPS);
		check_ptes();
		if (now >= next_read) {
			read_cold();
			next_read = now + READ_NS;
		}
		if (now >= next_hot) {
			flip_hot();
			next_hot = now + FLIP_HOT_NS;
		}
		if (now >= next_cold) {
			flip_cold();
			next_cold = now + FLIP_COLD_NS;
		}
	}
}

static void
tag(unsigned int i)
{
	volatile struct dirtier_head *h = head(i);
	const char *t = i == HOT ? DIRTIER_HOT_TAG : DIRTIER_COLD_TAG;

	kmemset((void *)pages[i].va, 0, PAGE_SIZE);
	kmemcpy((void *)h->tag, t, kstrlen(t) + 1);
	h->counter = i == HOT ? 0 : i;
	h->pfn = pages[i].pfn;
	pages[i].written = 1;
}

/* Frames for the pages, their entries written by us with D clear, tags. */
static int
pages_init(void)
{
	struct dpage *p;
	unsigned int i;
	int rc;

	for (i = 0; i < DIRTIER_PAGES; i++) {
		p = &pages[i];
		rc = frame_alloc(&p->pfn);
		if (rc != 0)
			return rc;
		p->va = pfn_to_virt(p->pfn);
		p->l1e = pt_entry((uint64_t)p->va, 1);
		p->l1e_maddr = pt_entry_maddr((uint64_t)p->va, 1);
		if (p->l1e == NULL || p->l1e_maddr == 0)
			return -XM_EFAULT;
		rc = set_pte(i, PTE_RW_NOD, 1);
		if (rc != 0)
			return rc;
		tag(i);
	}
	remaps = 0;
	return 0;
}

static void
report(void)
{
	if (bad == 0 && faults == 0)
		gprintf("dirtier: %lu checks, %lu remaps, ptes as written, "
		    "0 faults\n", checks, remaps);
	else
		gprintf("dirtier: %lu checks, %lu remaps, %lu differed, %lu "
		    "faults (first at %#lx, rip %#lx, error %#lx)\n", checks,
		    remaps, bad, faults, fault_cr2, fault_rip, fault_err);
	gprintf("dirtier: the hot counter reached %lu\n", head(HOT)->counter);
}

int
guest_main(void)
{
	uint64_t run_ms = guest_cmdline_num("run_ms", 4000, 600000);
	int rc;

	trap_set_hook(TRAP_PF, pf_hook);
	rc = mm_init();
	if (rc == 0)
		rc = pages_init();
	if (rc != 0) {
		gprintf("dirtier: cannot set up its pages (%d)\n", rc);
		return 1;
	}
	check_ptes();
	gprintf("dirtier: hot page pfn %lu, %u cold pages, %lu ms\n",
	    pages[HOT].pfn, DIRTIER_PAGES - 1, run_ms);
	run(run_ms * NSEC_PER_MSEC);
	read_cold();
	check_ptes();
	report();
	return bad != 0 || faults != 0;
}
