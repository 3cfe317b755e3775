/*
 * The fake machine for test_mm.c: hv/mm's environment over host memory
 * (frames are a malloc'd array, the m2p an array, flushes and log lines
 * are counted and kept), and the helpers that play the guest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/console.h>
#include <hv/mm.h>

#include "mm_stubs.h"

/*
 * The environment hv provides, faked.
 */

static uint8_t		*machine;
struct page_info	*table;
uint64_t		 m2p[NR_FRAMES];
unsigned int		 flushes;
int			 heap_depth;
char			 last_log[256];

void *
mm_map_frame(uint64_t mfn)
{
	assert_true(mfn < NR_FRAMES);
	return machine + mfn * 4096;
}

bool
mm_frame_is_ram(uint64_t mfn)
{
	return mfn < HOLE_START || mfn >= HOLE_END;
}

/* Log-dirty's hooks: the last of each, and how many. */
struct hook_log hooks;

void
mm_mark_dirty(struct mm_domain *d, uint64_t mfn)
{
	(void)d;
	hooks.dirty++;
	hooks.dirty_mfn = mfn;
}

void
mm_shadow_entry_changed(struct mm_domain *d, uint64_t gmfn,
    unsigned int slot)
{
	(void)d;
	hooks.changed++;
	hooks.changed_mfn = gmfn;
	hooks.changed_slot = slot;
}

void
mm_shadow_table_gone(struct mm_domain *d, uint64_t gmfn)
{
	(void)d;
	hooks.gone++;
	hooks.gone_mfn = gmfn;
}

void
mm_fill_hv_l4_slots(uint64_t *l4, uint64_t l4_mfn)
{
	unsigned int i;

	(void)l4_mfn;
	for (i = MM_HV_L4_FIRST; i < MM_HV_L4_END; i++)
		l4[i] = HV_L4E(i);
}

void
mm_tlb_flush_domain(struct mm_domain *d)
{
	(void)d;
	flushes++;
}

void
mm_m2p_set(uint64_t mfn, uint64_t pfn)
{
	assert_true(mfn < NR_FRAMES);
	m2p[mfn] = pfn;
}

void
mm_heap_lock(void)
{
	assert_int_equal(heap_depth, 0);
	heap_depth++;
}

void
mm_heap_unlock(void)
{
	assert_int_equal(heap_depth, 1);
	heap_depth--;
}

int
mm_check_seg_desc_page(uint64_t *descs)
{
	return descs[0] == BAD_DESC ? -XM_EINVAL : 0;
}

void
mm_log_refusal(uint16_t domid, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(last_log, sizeof(last_log), "d%u: ", domid);
	va_start(ap, fmt);
	vsnprintf(last_log + n, sizeof(last_log) - n, fmt, ap);
	va_end(ap);
}

void
hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

void
hv_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * A fresh machine for every test: hv, dom1 and dom2.
 */

struct mm_domain	dom1, dom2;
uint64_t		heap_start;

int
machine_setup(void **state)
{
	(void)state;
	memset(&hooks, 0, sizeof(hooks));
	machine = aligned_alloc(4096, (size_t)NR_FRAMES * 4096);
	table = calloc(NR_FRAMES, sizeof(*table));
	if (machine == NULL || table == NULL)
		return -1;
	/* Old contents that must never reach a domain. */
	memset(machine, 0xaa, (size_t)NR_FRAMES * 4096);
	mm_frame_table_init(table, NR_FRAMES);
	mm_heap_add(HV_IMAGE_END, HOLE_START - HV_IMAGE_END);
	mm_heap_add(HOLE_END, NR_FRAMES - HOLE_END);
	heap_start = mm_free_count();
	mm_domain_init(&dom1, 1, 256);
	mm_domain_init(&dom2, 2, 256);
	flushes = 0;
	last_log[0] = '\0';
	return 0;
}

int
machine_teardown(void **state)
{
	(void)state;
	free(machine);
	free(table);
	return 0;
}

/*
 * The guest's side: it writes its tables as plain memory until it pins
 * them, and asks for everything else.
 */

uint64_t *
pt(uint64_t mfn)
{
	return mm_map_frame(mfn);
}

uint64_t
pte(uint64_t mfn, uint64_t flags)
{
	return (mfn << 12) | flags;
}

uint64_t
frame(struct mm_domain *d)
{
	int64_t mfn = mm_domain_alloc_frame(d);

	assert_true(mfn >= 0);
	return (uint64_t)mfn;
}

uint64_t
pte_maddr(uint64_t table_mfn, unsigned int slot)
{
	return (table_mfn << 12) + slot * 8;
}

const struct page_info *
info(uint64_t mfn)
{
	const struct page_info *pg = mm_page_info(mfn);

	assert_non_null(pg);
	return pg;
}

void
expect_refs(uint64_t mfn, uint32_t count, enum mm_pgt type,
    uint32_t type_count)
{
	const struct page_info *pg = info(mfn);

	assert_int_equal(pg->count, count);
	assert_int_equal(pg->type_count, type_count);
	if (type_count > 0)
		assert_int_equal(pg->type, type);
}

void
tree_write(struct mm_domain *d, struct tree *t)
{
	t->l4 = frame(d);
	t->l3 = frame(d);
	t->l2 = frame(d);
	t->l1 = frame(d);
	t->data = frame(d);
	t->data_ro = frame(d);
	pt(t->l1)[0] = pte(t->data, RW);
	pt(t->l1)[1] = pte(t->data_ro, RO);
	pt(t->l1)[2] = pte(t->l2, RO);
	pt(t->l2)[0] = pte(t->l1, RW);
	pt(t->l3)[0] = pte(t->l2, RW);
	pt(t->l4)[0] = pte(t->l3, RW);
}

void
tree_pin(struct mm_domain *d, struct tree *t)
{
	tree_write(d, t);
	assert_int_equal(mm_pin(d, t->l4, MM_PGT_L4), 0);
}

void
snapshot_take(struct snapshot *s)
{
	uint64_t i;

	for (i = 0; i < NR_FRAMES; i++) {
		s->count[i] = table[i].count;
		s->type_count[i] = table[i].type_count;
		s->flags[i] = table[i].flags & (PGF_ALLOCATED | PGF_PINNED);
		/* A table's validity is a reference of sorts; a type is not. */
		if (table[i].type >= MM_PGT_L1 && table[i].type <= MM_PGT_L4)
			s->flags[i] |= table[i].flags & PGF_VALIDATED;
		s->owner[i] = table[i].owner;
	}
}

void
snapshot_same(const struct snapshot *before)
{
	struct snapshot *now = malloc(sizeof(*now));

	assert_non_null(now);
	snapshot_take(now);
	assert_memory_equal(before, now, sizeof(*now));
	free(now);
}
