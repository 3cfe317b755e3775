/*
 * hv's page tables. One top-level table whose slots 256-271 (the range
 * the PV ABI reserves for the hypervisor) are copied into every guest
 * L4; everything below those slots is allocated at boot so that later
 * mappings show up in every address space without touching guest tables.
 *
 *   0xffff800000000000  machine-to-phys table, read-only to guests
 *   0xffff82d080000000  hv's image: text RX, rodata R, data RW+NX
 *   0xffff830000000000  all RAM, RW+NX, 2 MiB pages
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>

#include <hv/bootmem.h>
#include <hv/console.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/paging.h>
#include <hv/x86.h>

extern char hv_text_start[], hv_text_end[], hv_rodata_start[];
extern char hv_rodata_end[], hv_data_start[], hv_image_end[];

uint64_t hv_l4_maddr;
uint64_t *hv_m2p;
uint64_t hv_m2p_entries;
static uint64_t *hv_l4;
static uint64_t nx_bit;
static bool heap_ready;

/* Once the page allocator has every free frame, tables come from it. */
void
paging_heap_ready(void)
{
	heap_ready = true;
}

static uint64_t *
table_alloc(uint64_t *pa)
{
	uint64_t *t;
	int64_t mfn;

	if (heap_ready) {
		mfn = mm_alloc_frames(0);
		if (mfn < 0)
			hv_panic("out of memory for hv's page tables");
		*pa = (uint64_t)mfn << PAGE_SHIFT;
	} else
		*pa = bootmem_alloc(1);
	t = phys_to_virt(*pa);
	kmemset(t, 0, PAGE_SIZE);
	return t;
}

/* The table that entry e points to, made if absent. */
static uint64_t *
table_next(uint64_t *e, uint64_t user)
{
	uint64_t pa;

	if (!(*e & PTE_P)) {
		table_alloc(&pa);
		*e = pa | PTE_P | PTE_W | user;
	}
	ASSERT(!(*e & PTE_PS));
	return phys_to_virt(*e & PTE_ADDR_MASK);
}

static void
map_one(uint64_t va, uint64_t pa, uint64_t flags, int big)
{
	uint64_t user = flags & PTE_U;
	uint64_t *l3 = table_next(&hv_l4[L4_SLOT(va)], user);
	uint64_t *l2 = table_next(&l3[(va >> 30) & 511], user);
	uint64_t *l1;

	if (big) {
		l2[(va >> 21) & 511] = pa | flags | PTE_PS;
		return;
	}
	l1 = table_next(&l2[(va >> 21) & 511], user);
	l1[(va >> 12) & 511] = pa | flags;
}

void
paging_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	const uint64_t big = 1ULL << 21;

	flags = (flags & ~PTE_NX) | ((flags & PTE_NX) ? nx_bit : 0);
	while (size > 0) {
		if (((va | pa) & (big - 1)) == 0 && size >= big) {
			map_one(va, pa, flags, 1);
			va += big, pa += big, size -= big;
		} else {
			map_one(va, pa, flags, 0);
			va += PAGE_SIZE, pa += PAGE_SIZE;
			size = size > PAGE_SIZE ? size - PAGE_SIZE : 0;
		}
	}
}

static void
map_image(void)
{
	uint64_t text = (uint64_t)hv_text_start;
	uint64_t ro = (uint64_t)hv_rodata_start;
	uint64_t data = (uint64_t)hv_data_start;
	uint64_t end = (uint64_t)hv_image_end;

	/* 4 KiB pages: the sections are only page-aligned. */
	for (; text < ro; text += PAGE_SIZE)
		map_one(text, virt_to_phys((void *)text), PTE_P | PTE_G, 0);
	for (; ro < data; ro += PAGE_SIZE)
		map_one(ro, virt_to_phys((void *)ro), PTE_P | PTE_G | nx_bit,
		    0);
	for (; data < end; data += PAGE_SIZE)
		map_one(data, virt_to_phys((void *)data),
		    PTE_P | PTE_W | PTE_G | nx_bit, 0);
}

static void
map_m2p(uint64_t max_mfn)
{
	uint64_t bytes = max_mfn * sizeof(uint64_t);
	uint64_t frames = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t pa = bootmem_alloc(frames);

	hv_m2p = phys_to_virt(pa);
	hv_m2p_entries = frames * (PAGE_SIZE / sizeof(uint64_t));
	kmemset(hv_m2p, 0xff, frames * PAGE_SIZE);	/* all invalid */
	paging_map(HV_RO_MPT_START, pa, frames * PAGE_SIZE,
	    PTE_P | PTE_U | PTE_G | PTE_NX);
}

static uint64_t cpu_cr4_bits;

/* The CR4 features the BSP chose, on another CPU. */
void
paging_cpu_init(void)
{
	write_cr4(read_cr4() | cpu_cr4_bits);
}

static void
enable_cpu_protections(void)
{
	uint32_t a, b, c, d;
	uint64_t cr4 = read_cr4() | CR4_PGE;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		if (b & (1U << 7))
			cr4 |= CR4_SMEP;
		if (b & (1U << 20))
			cr4 |= CR4_SMAP;
	}
	write_cr4(cr4);
	cpu_cr4_bits = cr4 & (CR4_PGE | CR4_SMEP | CR4_SMAP);
	log_info("paging: NX %s, SMEP %s, SMAP %s", nx_bit ? "on" : "off",
	    (cr4 & CR4_SMEP) ? "on" : "off", (cr4 & CR4_SMAP) ? "on" : "off");
}

void
paging_init(void)
{
	uint64_t max_mfn = bootmem_max_mfn();
	unsigned int slot;

	nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
	/* Until the new direct map is live, only the first 4 GiB are. */
	bootmem_set_ceiling(4ULL << 30);
	hv_l4 = table_alloc(&hv_l4_maddr);
	for (slot = HV_FIRST_L4_SLOT; slot <= HV_LAST_L4_SLOT; slot++)
		table_next(&hv_l4[slot], slot == L4_SLOT(HV_RO_MPT_START) ?
		    PTE_U : 0);
	map_image();
	paging_map(HV_DIRECTMAP_START, 0, max_mfn << PAGE_SHIFT,
	    PTE_P | PTE_W | PTE_G | PTE_NX);
	map_m2p(max_mfn);
	write_cr3(hv_l4_maddr);
	bootmem_set_ceiling(~0ULL);
	enable_cpu_protections();
	log_info("paging: %lu MiB direct-mapped, m2p of %lu entries",
	    (max_mfn << PAGE_SHIFT) >> 20, hv_m2p_entries);
}

void
paging_fill_hv_slots(uint64_t *l4)
{
	unsigned int slot;

	for (slot = HV_FIRST_L4_SLOT; slot <= HV_LAST_L4_SLOT; slot++)
		l4[slot] = hv_l4[slot];
}

void
paging_flush_tlb_all(void)
{
	uint64_t cr4 = read_cr4();

	/* Toggling PGE flushes global entries too. */
	write_cr4(cr4 & ~CR4_PGE);
	write_cr4(cr4);
}
