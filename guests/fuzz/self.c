/*
 * What the fuzzer owns and runs on, so that safe.c can tell a call
 * that attacks hv from one that would only wreck the fuzzer.
 *
 * Its frames fall in two sets.  Live frames are those it runs on: the
 * bootstrap region (image, start_info, p2m, page tables, stack), the
 * L1 tables mm_init() added, shared_info and the grant-table frames.
 * Every other frame is the pool: unmapped at start, free for the calls
 * to map, pin, copy, grant and give back as they like, as are frames
 * gained later.  The sandbox is a window of address space (L4 slot
 * SANDBOX_L4_SLOT) whose tables are pool frames.
 *
 * The entries of the live tables that map live frames are protected:
 * a call may rewrite one only with its current value.  Nothing in the
 * fuzzer reads hv's m2p after start-up, since calls may rewrite it.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

#include <xm/arch_x86_64.h>
#include <xm/event_channel.h>
#include <xm/hypercall.h>
#include <xm/memory.h>
#include <xm/xen_core.h>

#include <guest/events.h>
#include <guest/gnttab.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>

#include "fuzz.h"

#define MAP_MFNS	(UINT64_C(1) << 20)
#define MAP_WORDS	(MAP_MFNS / 64)
#define MAX_TABLES	64
#define GUARD_PAGES	2
#define ARENA_PAGES	16
#define JUNK_PAGES	8
#define SINK_PAGES	4
#define SCRATCH_PAGES	(4 * GUARD_PAGES + ARENA_PAGES + JUNK_PAGES + \
			    SINK_PAGES)
#define PTE_AD		(PTE_A | PTE_D)

struct fz_self	fz;

/*
 * guard | arena | guard | junk | guard | sink | guard: hv's copies run
 * upwards and stop at the first page that faults, so a guard after
 * each part keeps an overlong one from reaching live data.
 */
static uint8_t	scratch[SCRATCH_PAGES * PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

static uint64_t	live_map[MAP_WORDS];
static uint64_t	pool_map[MAP_WORDS];

/* The live page tables, and which of their entries are protected. */
static struct live_table {
	uint64_t	mfn;
	uint64_t	*va;		/* read-only direct mapping */
	int		level;
	uint64_t	prot[PT_ENTRIES / 64];
	uint64_t	snap[PT_ENTRIES];	/* protected ones, no A/D */
} tables[MAX_TABLES];
static unsigned int	ntables;
static xm_pfn_t		live_end;	/* first pfn of the pool */
static int		low_hole, top_hole;

static int
bit(const uint64_t *map, uint64_t n)
{
	return n < MAP_MFNS && ((map[n / 64] >> (n % 64)) & 1);
}

static void
bit_put(uint64_t *map, uint64_t n, int on)
{
	if (n >= MAP_MFNS)
		return;
	if (on)
		map[n / 64] |= UINT64_C(1) << (n % 64);
	else
		map[n / 64] &= ~(UINT64_C(1) << (n % 64));
}

int
mfn_is_live(uint64_t mfn)
{
	return bit(live_map, mfn);
}

int
mfn_is_pool(uint64_t mfn)
{
	return bit(pool_map, mfn);
}

int
mfn_is_own(uint64_t mfn)
{
	return mfn_is_live(mfn) || mfn_is_pool(mfn);
}

/* A full pool forgets a random old frame: stale ones are fine to try. */
void
pool_add(uint64_t mfn)
{
	if (mfn_is_live(mfn) || mfn >= MAP_MFNS)
		return;
	if (!mfn_is_pool(mfn)) {
		if (fz.pool_n < sizeof(fz.pool) / sizeof(fz.pool[0]))
			fz.pool[fz.pool_n++] = mfn;
		else
			fz.pool[rng_below(fz.pool_n)] = mfn;
	}
	bit_put(pool_map, mfn, 1);
}

uint64_t
pool_any(void)
{
	return fz.pool_n == 0 ? 0 : fz.pool[rng_below(fz.pool_n)];
}

uint64_t
pool_hot(void)
{
	uint64_t n = fz.pool_n < 64 ? fz.pool_n : 64;

	return n == 0 ? 0 : fz.pool[rng_below(n)];
}

uint64_t
live_table_maddr(void)
{
	const struct live_table *t = &tables[rng_below(ntables)];

	return (t->mfn << PAGE_SHIFT) | rng_below(PT_ENTRIES) * 8;
}

uint64_t
live_any(void)
{
	return pfn_to_mfn(rng_below(live_end));
}

static struct live_table *
table_of(uint64_t mfn)
{
	unsigned int i;

	for (i = 0; i < ntables; i++)
		if (tables[i].mfn == mfn)
			return &tables[i];
	return NULL;
}

/* The pfn of one of its own frames, through the p2m, not hv's m2p. */
static int
own_pfn(uint64_t mfn, xm_pfn_t *pfn)
{
	const volatile uint64_t *m2p =
	    (const volatile uint64_t *)XM_MACH2PHYS_VIRT_START;
	xm_pfn_t p = m2p[mfn];

	if (p < guest_start_info->nr_pages && pfn_to_mfn(p) == mfn) {
		*pfn = p;
		return 0;
	}
	return -1;
}

/* Record the tables reachable from the L4, outside hv's slots. */
static int
tables_find(uint64_t mfn, uint64_t *va, int level)
{
	struct live_table *t;
	xm_pfn_t pfn;
	unsigned int i;
	uint64_t e;

	if (ntables == MAX_TABLES || table_of(mfn) != NULL)
		return ntables == MAX_TABLES ? -1 : 0;
	t = &tables[ntables++];
	t->mfn = mfn;
	t->va = va;
	t->level = level;
	if (level == 1)
		return 0;
	for (i = 0; i < PT_ENTRIES; i++) {
		if (level == 4 && i >= 256 && i < 272)
			continue;
		e = va[i];
		if (!(e & PTE_P) || (e & PTE_PS) || own_pfn(PTE_MFN(e), &pfn))
			continue;
		if (tables_find(PTE_MFN(e), pfn_to_virt(pfn), level - 1) < 0)
			return -1;
	}
	return 0;
}

/* Mark what the live tables map of the live frames, as it is now. */
static void
tables_protect(void)
{
	struct live_table *t;
	unsigned int i, j;
	uint64_t e;

	for (i = 0; i < ntables; i++) {
		t = &tables[i];
		for (j = 0; j < PT_ENTRIES; j++) {
			if (t->level == 4 && j >= 256 && j < 272)
				continue;
			e = t->va[j];
			if ((e & PTE_P) && mfn_is_live(PTE_MFN(e)))
				t->prot[j / 64] |= UINT64_C(1) << (j % 64);
		}
	}
}

/*
 * The live L1 entry that maps va, or NULL when a table on the way is
 * missing or is not one of the live ones.
 */
static uint64_t *
live_l1_entry(uint64_t va, struct live_table **tp)
{
	struct live_table *t = table_of(fz.l4_mfn);
	uint64_t e;
	int l;

	for (l = 4; l > 1 && t != NULL; l--) {
		e = t->va[pt_index(va, l)];
		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		t = table_of(PTE_MFN(e));
	}
	if (t == NULL || t->level != 1)
		return NULL;
	*tp = t;
	return &t->va[pt_index(va, 1)];
}

static int
slot_protected(const struct live_table *t, unsigned int i)
{
	return (t->prot[i / 64] >> (i % 64)) & 1;
}

int
mfn_is_live_table(uint64_t mfn)
{
	return table_of(mfn) != NULL;
}

int
entry_protected(uint64_t maddr, uint64_t *cur)
{
	struct live_table *t = table_of(maddr >> PAGE_SHIFT);
	unsigned int i = (maddr & (PAGE_SIZE - 1)) / 8;

	if (t == NULL || !slot_protected(t, i))
		return 0;
	*cur = t->va[i];
	return 1;
}

int
va_protected(uint64_t va, uint64_t *cur)
{
	struct live_table *t;
	uint64_t *e = live_l1_entry(va, &t);

	if (e == NULL || !slot_protected(t, pt_index(va, 1)))
		return 0;
	*cur = *e;
	return 1;
}

/* A guard page stays unmapped: its entry is protected with value 0. */
static int
guard(uint64_t va)
{
	struct live_table *t;
	uint64_t *e = live_l1_entry(va, &t);
	unsigned int i = pt_index(va, 1);

	if (e == NULL)
		return -1;
	t->prot[i / 64] |= UINT64_C(1) << (i % 64);
	bit_put(live_map, PTE_MFN(*e), 0);
	pool_add(PTE_MFN(*e));
	return mmu_update_one((t->mfn << PAGE_SHIFT) | i * 8, 0);
}

static int
scratch_init(void)
{
	uint8_t *p = scratch;
	unsigned int i;
	int rc = 0;

	fz.arena = p + GUARD_PAGES * PAGE_SIZE;
	fz.arena_size = ARENA_PAGES * PAGE_SIZE;
	fz.junk = fz.arena + (ARENA_PAGES + GUARD_PAGES) * PAGE_SIZE;
	fz.junk_size = JUNK_PAGES * PAGE_SIZE;
	fz.sink = fz.junk + (JUNK_PAGES + GUARD_PAGES) * PAGE_SIZE;
	fz.sink_size = SINK_PAGES * PAGE_SIZE;
	rng_fill(fz.junk, fz.junk_size);
	for (i = 0; i < GUARD_PAGES && rc == 0; i++) {
		rc = guard((uint64_t)fz.arena - (i + 1) * PAGE_SIZE);
		if (rc == 0)
			rc = guard((uint64_t)fz.junk - (i + 1) * PAGE_SIZE);
		if (rc == 0)
			rc = guard((uint64_t)fz.sink - (i + 1) * PAGE_SIZE);
		if (rc == 0)
			rc = guard((uint64_t)fz.sink + fz.sink_size +
			    i * PAGE_SIZE);
	}
	return rc;
}

enum fz_region
region_of(uint64_t va)
{
	uint64_t base = (uint64_t)scratch, pfn;

	if (va - (uint64_t)fz.arena < fz.arena_size)
		return FZ_R_ARENA;
	if (va - (uint64_t)fz.junk < fz.junk_size)
		return FZ_R_JUNK;
	if (va - (uint64_t)fz.sink < fz.sink_size)
		return FZ_R_SINK;
	if (va - base < sizeof(scratch))
		return FZ_R_OTHER;		/* a guard */
	if (va < GUEST_VIRT_BASE || va - GUEST_VIRT_BASE >=
	    (uint64_t)live_end << PAGE_SHIFT)
		return FZ_R_OTHER;
	pfn = virt_to_pfn((const void *)va);
	return table_of(pfn_to_mfn(pfn)) != NULL ? FZ_R_TABLE : FZ_R_LIVE;
}

/*
 * Every free frame into the pool: zeroed (so that pinning one as a
 * table reaches hv with nothing of the live set in it), then unmapped.
 */
static int
pool_carve(void)
{
	struct mmu_batch *b = arena_alloc(sizeof(*b));
	struct live_table *t;
	xm_pfn_t pfn;
	uint64_t *e;

	if (b == NULL)
		return -XM_ENOMEM;
	mmu_batch_init(b);
	live_end = mm_nr_pfns;
	while (frame_alloc(&pfn) == 0) {
		if (pfn < live_end)
			live_end = pfn;
		kmemset(pfn_to_virt(pfn), 0, PAGE_SIZE);
		e = live_l1_entry((uint64_t)pfn_to_virt(pfn), &t);
		if (e == NULL)
			continue;
		mmu_batch_add(b, (t->mfn << PAGE_SHIFT) |
		    pt_index((uint64_t)pfn_to_virt(pfn), 1) * 8, 0);
		bit_put(live_map, pfn_to_mfn(pfn), 0);
		pool_add(pfn_to_mfn(pfn));
	}
	return mmu_batch_flush(b);
}

static void
live_init(void)
{
	xm_pfn_t pfn;
	volatile struct xm_grant_entry_v1 *g = gnttab_entry(0);
	struct live_table *t;
	unsigned int i;
	uint64_t *e;

	for (pfn = 0; pfn < guest_start_info->nr_pages; pfn++)
		bit_put(live_map, pfn_to_mfn(pfn), 1);
	bit_put(live_map, guest_start_info->shared_info >> PAGE_SHIFT, 1);
	for (i = 0; g != NULL && i < GNTTAB_NR_FRAMES; i++) {
		e = live_l1_entry((uint64_t)g + i * PAGE_SIZE, &t);
		if (e != NULL && (*e & PTE_P))
			bit_put(live_map, PTE_MFN(*e), 1);
	}
}

static uint64_t
table_entry(uint64_t mfn)
{
	return (mfn << PAGE_SHIFT) | PTE_TABLE;
}

/*
 * L4[SANDBOX_L4_SLOT] -> L3 -> L2 -> SANDBOX_L1S L1s, from zeroed pool
 * frames, and half the window mapped to pool frames.
 */
static int
sandbox_init(void)
{
	uint64_t l3 = fz.pool[0], l2 = fz.pool[1], base = 2 + SANDBOX_L1S;
	unsigned int i;
	int rc;

	fz.sandbox_l3 = l3;
	fz.sandbox_l2 = l2;
	for (i = 0; i < SANDBOX_L1S; i++)
		fz.sandbox_l1[i] = fz.pool[2 + i];
	if (fz.pool_n < base + SANDBOX_PAGES / 2)
		return -XM_ENOMEM;
	rc = pin_table(3, l3);
	if (rc == 0)
		rc = pin_table(2, l2);
	for (i = 0; i < SANDBOX_L1S && rc == 0; i++) {
		rc = pin_table(1, fz.sandbox_l1[i]);
		if (rc == 0)
			rc = mmu_update_one((l2 << PAGE_SHIFT) | i * 8,
			    table_entry(fz.sandbox_l1[i]));
	}
	if (rc == 0)
		rc = mmu_update_one(l3 << PAGE_SHIFT, table_entry(l2));
	if (rc == 0)
		rc = mmu_update_one((fz.l4_mfn << PAGE_SHIFT) |
		    SANDBOX_L4_SLOT * 8, table_entry(l3));
	for (i = 0; i < SANDBOX_PAGES / 2 && rc == 0; i++)
		rc = mmu_update_one(sandbox_entry_maddr(i),
		    (fz.pool[base + i] << PAGE_SHIFT) | PTE_KERNEL);
	return rc;
}

uint64_t
sandbox_entry_maddr(unsigned int i)
{
	i %= SANDBOX_PAGES;
	return (fz.sandbox_l1[i / PT_ENTRIES] << PAGE_SHIFT) |
	    (i % PT_ENTRIES) * 8;
}

static void
protected_ports_init(void)
{
	const struct xm_start_info *si = guest_start_info;

	if (!(si->flags & XM_SIF_INITDOMAIN) && si->console.domU.evtchn != 0)
		fz.protected_ports[fz.protected_n++] =
		    si->console.domU.evtchn;
}

int
port_protected(uint32_t port)
{
	unsigned int i;

	for (i = 0; i < fz.protected_n; i++)
		if (fz.protected_ports[i] == port)
			return 1;
	return 0;
}

void
port_add(uint32_t port)
{
	if (port_protected(port))
		return;
	if (fz.ports_n < sizeof(fz.ports) / sizeof(fz.ports[0]))
		fz.ports[fz.ports_n++] = port;
	else
		fz.ports[rng_below(fz.ports_n)] = port;
}

/* The timer wakes a structured block; its port must stay bound. */
static void
timer_tick(xm_evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	fz.timer_ticks++;
}

static int
timer_port_init(void)
{
	int port = evtchn_bind_virq(XM_VIRQ_TIMER);

	if (port < 0)
		return port;
	evtchn_bind((xm_evtchn_port_t)port, timer_tick, NULL);
	fz.protected_ports[fz.protected_n++] = (uint32_t)port;
	return 0;
}

/* A hole kept empty, so that addresses under it are unmapped for sure. */
static int
hole_protect(struct live_table *t, unsigned int i)
{
	if (t == NULL || (t->va[i] & PTE_P))
		return 0;
	t->prot[i / 64] |= UINT64_C(1) << (i % 64);
	return 1;
}

static void
holes_init(void)
{
	struct live_table *l4 = table_of(fz.l4_mfn), *l3 = NULL;
	uint64_t e = l4->va[PT_ENTRIES - 1];

	if ((e & PTE_P) && !(e & PTE_PS))
		l3 = table_of(PTE_MFN(e));
	low_hole = hole_protect(l4, 0);
	top_hole = hole_protect(l3, PT_ENTRIES - 1);
}

/*
 * Nothing can be mapped at va, or hv will not touch it for a guest:
 * non-canonical, hv's range, under a protected hole, a guard page.
 */
int
va_unmapped(uint64_t va)
{
	uint64_t top = va >> 47;

	if (top != 0 && top != 0x1ffff)
		return 1;
	if (va >= XM_HYPERVISOR_VIRT_START && va < XM_HYPERVISOR_VIRT_END)
		return 1;
	if (low_hole && va < SANDBOX_VA)
		return 1;
	if (top_hole && va >= UINT64_C(0xffffffffc0000000))
		return 1;
	return va - (uint64_t)scratch < sizeof(scratch) &&
	    region_of(va) == FZ_R_OTHER;
}

/* The protected entries as they are now, to compare with later. */
static void
tables_snapshot(void)
{
	unsigned int i, j;

	for (i = 0; i < ntables; i++)
		for (j = 0; j < PT_ENTRIES; j++)
			tables[i].snap[j] = tables[i].va[j] & ~PTE_AD;
}

uint64_t
self_check(char *buf, size_t n)
{
	uint64_t changed = 0, e;
	unsigned int i, j;

	for (i = 0; i < ntables; i++) {
		for (j = 0; j < PT_ENTRIES; j++) {
			if (!slot_protected(&tables[i], j))
				continue;
			e = tables[i].va[j] & ~PTE_AD;
			if (e == tables[i].snap[j])
				continue;
			if (changed++ == 0)
				ksnprintf(buf, n, "L%d mfn %#lx slot %u: %#lx "
				    "became %#lx", tables[i].level,
				    tables[i].mfn, j, tables[i].snap[j], e);
		}
	}
	return changed;
}

/* Its own id: hv names it as the remote end of a loopback port. */
static int
domid_init(void)
{
	struct xm_evtchn_alloc_unbound au = { .dom = XM_DOMID_SELF,
	    .remote_dom = XM_DOMID_SELF };
	struct xm_evtchn_status st = { .dom = XM_DOMID_SELF };
	int rc;

	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_ALLOC_UNBOUND, &au);
	if (rc < 0)
		return rc;
	st.port = au.port;
	rc = HYPERVISOR_event_channel_op(XM_EVTCHNOP_STATUS, &st);
	if (rc < 0)
		return rc;
	fz.domid = st.u.unbound.dom;
	port_add(au.port);
	return 0;
}

int
self_init(void)
{
	long max = HYPERVISOR_memory_op(XM_XENMEM_MAXIMUM_RAM_PAGE, NULL);
	xm_pfn_t l4pfn;
	int rc;

	fz.max_mfn = max > 0 && max < (1L << 24) ? (uint64_t)max : 1 << 16;
	fz.l4_mfn = virt_to_mfn((void *)guest_start_info->pt_base);
	rc = mm_init();
	if (rc == 0)
		rc = gnttab_init();
	if (rc < 0)
		return rc;
	if (own_pfn(fz.l4_mfn, &l4pfn) ||
	    tables_find(fz.l4_mfn, pfn_to_virt(l4pfn), 4) < 0)
		return -XM_EFAULT;
	live_init();
	/* pool_carve() needs the arena, scratch_init() the pool. */
	fz.arena = scratch + GUARD_PAGES * PAGE_SIZE;
	fz.arena_size = ARENA_PAGES * PAGE_SIZE;
	arena_reset();
	rc = pool_carve();
	if (rc == 0)
		rc = scratch_init();
	if (rc < 0)
		return rc;
	protected_ports_init();
	rc = timer_port_init();
	if (rc == 0)
		rc = domid_init();
	if (rc == 0)
		rc = sandbox_init();
	tables_protect();
	holes_init();
	tables_snapshot();
	fz.live_frames = live_end;
	return rc;
}
