/*
 * pagetable: the PV MMU.  Maps all of its memory (mm_init), builds a
 * new L2 and L1 tables for an empty 1 GiB slot, maps, remaps and
 * unmaps thousands of pages there in batches (mmu_update with many
 * entries, multicall of update_va_mapping), checks every mapping
 * shows the right frame, and checks what hv must refuse: writable
 * mappings of page tables, hv's own L4 slots, frames the domain does
 * not own.  Results are TAP lines.
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/traps.h>

/* L3 slot 511 of the top L4 slot: empty in a guest built by hv. */
#define TEST_VA		UINT64_C(0xffffffffc0000000)
#define NR_MAP_MAX	2048
#define NR_L1_MAX	(NR_MAP_MAX / PT_ENTRIES)
#define ROUNDS		2
#define MC_BATCH	64
#define PROBES		64
#define PATTERN		UINT64_C(0x5a17000000000000)
/* Above any real frame: an invalid p2m entry, not a frame to count. */
#define MFN_SANE	(UINT64_C(1) << 40)

static xm_pfn_t		data[NR_MAP_MAX];
static unsigned int	nr_data;
static xm_pfn_t		l2pfn;
static xm_pfn_t		l1pfn[NR_L1_MAX];
static unsigned int	nr_l1;
static struct mmu_batch	batch;
static struct xm_multicall_entry mc[MC_BATCH];

static uint64_t
va_of(unsigned int i)
{
	return TEST_VA + (uint64_t)i * PAGE_SIZE;
}

static uint64_t
pattern(xm_pfn_t pfn)
{
	return PATTERN ^ pfn;
}

/* Machine address of the L1 entry for va_of(i). */
static uint64_t
l1e_maddr(unsigned int i)
{
	return (pfn_to_mfn(l1pfn[i / PT_ENTRIES]) << PAGE_SHIFT) +
	    (i % PT_ENTRIES) * sizeof(uint64_t);
}

static uint64_t
data_pte(unsigned int i)
{
	return (pfn_to_mfn(data[i]) << PAGE_SHIFT) | PTE_KERNEL;
}

static void
test_direct_map(void)
{
	xm_pfn_t pfn, bad_m2p = 0, bad_map = 0;
	uint64_t e;
	int rc;

	rc = mm_init();
	TEST_OK(rc == 0, "mm_init maps all %lu frames (first free %lu, %d)",
	    mm_nr_pfns, mm_first_free, rc);
	if (rc != 0)
		return;
	for (pfn = 0; pfn < mm_nr_pfns; pfn++) {
		if (mfn_to_pfn(pfn_to_mfn(pfn)) != pfn)
			bad_m2p++;
		/* The image maps shared_info and such over some pages. */
		if (pfn < virt_to_pfn(guest_image_end))
			continue;
		e = pt_lookup((uint64_t)pfn_to_virt(pfn));
		if (!(e & PTE_P) || PTE_MFN(e) != pfn_to_mfn(pfn))
			bad_map++;
	}
	TEST_OK(bad_m2p == 0, "m2p inverts the p2m for every frame (%lu bad)",
	    bad_m2p);
	TEST_OK(bad_map == 0, "every frame after the image is in the direct "
	    "map (%lu bad)", bad_map);
}

static int
build_l1s(void)
{
	uint64_t l2maddr = pfn_to_mfn(l2pfn) << PAGE_SHIFT;
	unsigned int k;
	int rc;

	mmu_batch_init(&batch);
	for (k = 0; k < nr_l1; k++) {
		rc = table_alloc(1, &l1pfn[k]);
		if (rc < 0)
			return rc;
		mmu_batch_add(&batch, l2maddr + pt_index(va_of(k * PT_ENTRIES),
		    2) * sizeof(uint64_t),
		    (pfn_to_mfn(l1pfn[k]) << PAGE_SHIFT) | PTE_TABLE);
	}
	return mmu_batch_flush(&batch);
}

static int
build_tables(void)
{
	uint64_t *l3e = pt_entry(TEST_VA, 3);
	int rc;

	if (l3e == NULL || (*l3e & PTE_P))
		return -XM_EEXIST;
	rc = table_alloc(2, &l2pfn);
	if (rc == 0)
		rc = build_l1s();
	if (rc == 0)
		rc = mmu_update_one(pt_entry_maddr(TEST_VA, 3),
		    (pfn_to_mfn(l2pfn) << PAGE_SHIFT) | PTE_TABLE);
	return rc;
}

static int
alloc_data(void)
{
	xm_pfn_t avail = frames_free();
	uint64_t *p;
	unsigned int i;

	/* Leave some frames for the tables. */
	if (avail < 128)
		return -XM_ENOMEM;
	nr_data = avail > NR_MAP_MAX + 64 ? NR_MAP_MAX : avail - 64;
	nr_l1 = (nr_data + PT_ENTRIES - 1) / PT_ENTRIES;
	for (i = 0; i < nr_data; i++) {
		if (frame_alloc(&data[i]) < 0)
			return -XM_ENOMEM;
		p = pfn_to_virt(data[i]);
		p[0] = pattern(data[i]);
		p[PT_ENTRIES - 1] = ~pattern(data[i]);
	}
	return 0;
}

/* How many of the test pages do not show the frame they should. */
static unsigned int
check_mappings(int reversed)
{
	const volatile uint64_t *p;
	unsigned int i, bad = 0;
	xm_pfn_t pfn;

	for (i = 0; i < nr_data; i++) {
		pfn = data[reversed ? nr_data - 1 - i : i];
		p = (const volatile uint64_t *)va_of(i);
		if (p[0] != pattern(pfn) || p[PT_ENTRIES - 1] != ~pattern(pfn))
			bad++;
	}
	return bad;
}

static void
map_batched(unsigned int round)
{
	unsigned int i, bad = 0;
	uint64_t *direct;

	mmu_batch_init(&batch);
	for (i = 0; i < nr_data; i++)
		mmu_batch_add(&batch, l1e_maddr(i), data_pte(i));
	mmu_batch_flush(&batch);
	TEST_OK(batch.rc == 0 && batch.done == nr_data, "round %u: "
	    "mmu_update mapped %u pages, %u per call (%u done, %d)", round,
	    nr_data, MMU_BATCH_MAX, batch.done, batch.rc);
	TEST_OK(check_mappings(0) == 0, "round %u: each page shows its frame",
	    round);
	for (i = 0; i < nr_data; i++)
		((volatile uint64_t *)va_of(i))[1] = round * NR_MAP_MAX + i;
	for (i = 0; i < nr_data; i++) {
		direct = pfn_to_virt(data[i]);
		if (direct[1] != round * NR_MAP_MAX + i)
			bad++;
	}
	TEST_OK(bad == 0, "round %u: writes through them reach the frames",
	    round);
}

/* update_va_mapping of va_of(first..first+n) in one multicall. */
static unsigned int
remap_chunk(unsigned int first, unsigned int n)
{
	unsigned int k, failed = 0;

	for (k = 0; k < n; k++)
		multicall_update_va_mapping(&mc[k], va_of(first + k),
		    data_pte(nr_data - 1 - (first + k)), XM_UVMF_INVLPG);
	if (HYPERVISOR_multicall(mc, n) < 0)
		return n;
	for (k = 0; k < n; k++)
		if (mc[k].result != 0)
			failed++;
	return failed;
}

static void
remap_multicall(unsigned int round)
{
	unsigned int i, n, failed = 0;

	for (i = 0; i < nr_data; i += n) {
		n = nr_data - i < MC_BATCH ? nr_data - i : MC_BATCH;
		failed += remap_chunk(i, n);
	}
	TEST_OK(failed == 0, "round %u: multicall remapped %u pages in "
	    "reverse, %u per call (%u failed)", round, nr_data, MC_BATCH,
	    failed);
	TEST_OK(check_mappings(1) == 0,
	    "round %u: each page shows its new frame", round);
}

static void
unmap_batched(unsigned int round)
{
	unsigned int i, step, faults = 0, probes = 0, left = 0;
	uint64_t v;

	mmu_batch_init(&batch);
	for (i = 0; i < nr_data; i++)
		mmu_batch_add(&batch, l1e_maddr(i), 0);
	mmu_batch_flush(&batch);
	TEST_OK(batch.rc == 0 && batch.done == nr_data &&
	    tlb_flush_local() == 0, "round %u: mmu_update unmapped %u pages",
	    round, nr_data);
	for (i = 0; i < nr_data; i++)
		if (pt_lookup(va_of(i)) != 0)
			left++;
	step = nr_data / PROBES ? nr_data / PROBES : 1;
	for (i = 0; i < nr_data; i += step, probes++)
		if (probe_read64((const void *)va_of(i), &v) == -XM_EFAULT &&
		    trap_last.vector == TRAP_PF && trap_last.cr2 == va_of(i))
			faults++;
	TEST_OK(left == 0 && faults == probes, "round %u: entries are clear "
	    "(%u left) and %u of %u probes fault at their address", round,
	    left, faults, probes);
}

/* Page tables may be mapped read-only, never writable. */
static void
refuse_writable_table(void)
{
	xm_pfn_t l1mfn = pfn_to_mfn(l1pfn[0]);
	const volatile uint64_t *view = (const volatile uint64_t *)va_of(0);

	TEST_OK(mmu_update_one(l1e_maddr(0), (l1mfn << PAGE_SHIFT) |
	    PTE_KERNEL) < 0, "mmu_update refuses a writable mapping of an L1");
	TEST_OK(map_frame_at(va_of(0), l1mfn, PTE_KERNEL) < 0,
	    "update_va_mapping refuses it too");
	mmu_update_one(l1e_maddr(5), data_pte(5));
	TEST_OK(map_frame_at(va_of(0), l1mfn, PTE_KERNEL_RO) == 0 &&
	    PTE_MFN(view[5]) == pfn_to_mfn(data[5]),
	    "a read-only mapping of it is allowed and shows its entries");
	TEST_OK(probe_write64((volatile void *)va_of(0), 0) == -XM_EFAULT &&
	    probe_write64(pfn_to_virt(l1pfn[0]), 0) == -XM_EFAULT &&
	    PTE_MFN(view[0]) == l1mfn,
	    "writing to a page table faults and changes nothing");
	unmap_at(va_of(0));
	unmap_at(va_of(5));
}

static void
refuse_pins(void)
{
	xm_pfn_t mfn = pfn_to_mfn(data[0]);

	kmemset(pfn_to_virt(data[0]), 0, PAGE_SIZE);
	TEST_OK(pin_table(1, mfn) < 0,
	    "pinning a frame that is mapped writable is refused");
	TEST_OK(unpin_table(mfn) < 0,
	    "unpinning a frame that is not pinned is refused");
	TEST_OK(pin_table(2, pfn_to_mfn(l1pfn[0])) < 0,
	    "a frame pinned as L1 cannot be pinned as L2");
}

static void
refuse_foreign(void)
{
	uint64_t l4 = guest_start_info->pt_base;
	uint64_t l3 = *pt_entry(GUEST_VIRT_BASE, 4);
	xm_pfn_t pfn, top = 0, zero_ours = 0;

	TEST_OK(mmu_update_one(virt_to_maddr((void *)l4) + 256 * 8, l3) < 0 &&
	    mmu_update_one(virt_to_maddr((void *)l4) + 271 * 8, l3) < 0,
	    "mmu_update refuses to touch hv's L4 slots 256 and 271");
	for (pfn = 0; pfn < guest_start_info->nr_pages; pfn++) {
		if (pfn_to_mfn(pfn) > top && pfn_to_mfn(pfn) < MFN_SANE)
			top = pfn_to_mfn(pfn);
		if (pfn_to_mfn(pfn) == 0)
			zero_ours = 1;
	}
	TEST_OK(map_frame_at(va_of(0), top + 1, PTE_KERNEL_RO) < 0 &&
	    (zero_ours || map_frame_at(va_of(0), 0, PTE_KERNEL_RO) < 0),
	    "mapping frames the domain does not own is refused "
	    "(mfn %#lx%s)", top + 1, zero_ours ? "" : " and 0");
}

static void
refuse_in_multicall(void)
{
	xm_pfn_t l1mfn = pfn_to_mfn(l1pfn[0]);
	int rc;

	multicall_update_va_mapping(&mc[0], va_of(0), data_pte(0),
	    XM_UVMF_INVLPG);
	multicall_update_va_mapping(&mc[1], va_of(1),
	    (l1mfn << PAGE_SHIFT) | PTE_KERNEL, XM_UVMF_INVLPG);
	multicall_update_va_mapping(&mc[2], va_of(2), data_pte(2),
	    XM_UVMF_INVLPG);
	rc = HYPERVISOR_multicall(mc, 3);
	TEST_OK(rc == 0 && mc[0].result == 0 &&
	    (int64_t)mc[1].result < 0 && mc[2].result == 0,
	    "multicall reports each call's result (%ld %ld %ld)",
	    (int64_t)mc[0].result, (int64_t)mc[1].result,
	    (int64_t)mc[2].result);
	unmap_at(va_of(0));
	unmap_at(va_of(2));
}

static void
teardown(void)
{
	unsigned int k;
	int rc;

	rc = mmu_update_one(pt_entry_maddr(TEST_VA, 3), 0);
	mmu_batch_init(&batch);
	for (k = 0; k < nr_l1; k++)
		mmu_batch_add(&batch, (pfn_to_mfn(l2pfn) << PAGE_SHIFT) +
		    pt_index(va_of(k * PT_ENTRIES), 2) * sizeof(uint64_t), 0);
	if (rc == 0)
		rc = mmu_batch_flush(&batch);
	if (rc == 0)
		rc = tlb_flush_local();
	for (k = 0; k < nr_l1 && rc == 0; k++)
		rc = table_free(l1pfn[k]);
	if (rc == 0)
		rc = table_free(l2pfn);
	TEST_OK(rc == 0 && probe_write64(pfn_to_virt(l1pfn[0]), 1) == 0,
	    "tables unhooked, unpinned and writable again (%d)", rc);
	for (k = 0; k < nr_data; k++)
		frame_free(data[k]);
}

int
guest_main(void)
{
	unsigned int round;
	int rc;

	test_direct_map();
	if (mm_nr_pfns == 0)
		return test_done();
	rc = alloc_data();
	TEST_OK(rc == 0, "%u data frames allocated (%d)", nr_data, rc);
	if (rc == 0)
		rc = build_tables();
	TEST_OK(rc == 0, "built, pinned and hooked an L2 and %u L1 tables "
	    "at %#lx (%d)", nr_l1, TEST_VA, rc);
	if (rc != 0)
		return test_done();
	for (round = 1; round <= ROUNDS; round++) {
		map_batched(round);
		remap_multicall(round);
		unmap_batched(round);
	}
	refuse_writable_table();
	refuse_pins();
	refuse_foreign();
	refuse_in_multicall();
	teardown();
	return test_done();
}
