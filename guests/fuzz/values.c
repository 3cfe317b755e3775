/*
 * Argument generators: the values hypercalls are made of.  Each mixes
 * the plausible (its own frames, ports, grant references and domain
 * ids, pointers into its scratch memory) with the hostile (boundaries,
 * other domains' frames, hv's range, non-canonical and unmapped
 * addresses, its own read-only page tables), so that a call gets past
 * hv's first checks often enough to reach the deeper ones.
 */

#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>

#include <guest/gnttab.h>
#include <guest/guest.h>
#include <guest/mm.h>

#include "fuzz.h"
#include "hostile.h"

static const uint64_t boundaries[] = {
	0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x7fff,
	0x8000, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000,
	0xffffffff, UINT64_C(0x100000000), UINT64_C(0x100000001),
	UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000),
	~UINT64_C(0), ~UINT64_C(0) - 1, ~UINT64_C(0xfff),
	UINT64_C(0x000fffffffffffff), UINT64_C(0x0010000000000000),
};

uint64_t
gen_small(void)
{
	return rng_below(rng_one_in(4) ? 4096 : 64);
}

uint64_t
gen_boundary(void)
{
	uint64_t v = RNG_PICK(boundaries);

	switch (rng_below(4)) {
	case 0:
		return v - 1;
	case 1:
		return v + 1;
	}
	return v;
}

uint64_t
gen_domid(void)
{
	static const uint64_t ids[] = { 0, 1, 2, 3, 4, XM_DOMID_SELF,
	    XM_DOMID_IO, XM_DOMID_XEN, XM_DOMID_COW, XM_DOMID_INVALID,
	    XM_DOMID_IDLE, 0x7ff5, 0x7ffe, 0x8000, 0xffff, 0x7fef };

	if (rng_one_in(4))
		return fz.domid;
	if (rng_one_in(16))
		return rng_next();
	return RNG_PICK(ids);
}

uint64_t
gen_port(void)
{
	static const uint64_t ports[] = { 0, 1, 63, 64, 1023, 4095, 4096,
	    0x7fffffff, 0x80000000, 0xffffffff, UINT64_C(0x100000000) };

	switch (rng_below(5)) {
	case 0:
	case 1:
		if (fz.ports_n > 0)
			return fz.ports[rng_below(fz.ports_n)];
		/* FALLTHROUGH */
	case 2:
		return rng_below(64);
	case 3:
		return RNG_PICK(ports);
	}
	return rng_next();
}

uint64_t
gen_gref(void)
{
	static const uint64_t refs[] = { 0, 1, 7, 8, GNTTAB_NR_ENTRIES - 1,
	    GNTTAB_NR_ENTRIES, 0xffff, 0x10000, 0xffffffff };

	switch (rng_below(4)) {
	case 0:
	case 1:
		if (fz.grefs_n > 0)
			return fz.grefs[rng_below(fz.grefs_n)];
		/* FALLTHROUGH */
	case 2:
		return rng_below(64);
	}
	return RNG_PICK(refs);
}

/*
 * A frame of another domain: the m2p (readable by every guest) has a
 * pfn for frames somebody owns.  Free frames and hv's look the same
 * from here, which is fine: those are worth trying too.
 */
static uint64_t
other_mfn(void)
{
	const volatile uint64_t *m2p =
	    (const volatile uint64_t *)XM_MACH2PHYS_VIRT_START;
	uint64_t mfn = 0;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		mfn = rng_below(fz.max_mfn);
		if (!mfn_is_own(mfn) && m2p[mfn] < (UINT64_C(1) << 24))
			return mfn;
	}
	return mfn;
}

uint64_t
gen_mfn(void)
{
	switch (rng_below(12)) {
	case 0:
	case 1:
		return live_any();
	case 2:
	case 3:
	case 4:
		return pool_any();
	case 5:
	case 6:
		return other_mfn();
	case 7:
		return HV_IMAGE_MFN + rng_below(0x400);
	case 8:
		return rng_below(0x100);
	case 9:
		return fz.max_mfn + 1 + rng_below(1024);
	case 10:
		return guest_start_info->shared_info >> PAGE_SHIFT;
	}
	return gen_boundary() & UINT64_C(0xffffffffff);
}

/* Mostly present, with any mix of the other bits. */
uint64_t
gen_pte(void)
{
	uint64_t flags, mfn;

	if (rng_one_in(16))
		return rng_one_in(2) ? 0 : rng_next();
	mfn = gen_mfn();
	flags = rng_one_in(8) ? rng_next() & UINT64_C(0xfff0000000000fff) :
	    PTE_P | PTE_US | PTE_A | (rng_one_in(2) ? PTE_RW : 0);
	if (rng_one_in(8))
		flags ^= (uint64_t)1 << rng_below(64);
	return ((mfn << PAGE_SHIFT) & PTE_ADDR_MASK) | flags;
}

static uint64_t
hv_addr(void)
{
	static const uint64_t bases[] = { HV_RANGE_START, HV_IMAGE_VA,
	    HV_DIRECTMAP, HV_DIRECTMAP + (HV_IMAGE_MFN << PAGE_SHIFT),
	    XM_HYPERVISOR_VIRT_END - PAGE_SIZE, XM_MACH2PHYS_VIRT_END };

	return RNG_PICK(bases) + rng_below(4 * PAGE_SIZE);
}

/* Above the lower half, or just below hv's range in the upper one. */
static uint64_t
noncanonical(void)
{
	if (rng_one_in(2))
		return NONCANONICAL + rng_below(UINT64_C(1) << 40);
	return HV_RANGE_START - 1 - rng_below(PAGE_SIZE);
}

static uint64_t
unmapped_low(void)
{
	return (UINT64_C(0x10000000) + rng_below(UINT64_C(1) << 32)) &
	    ~UINT64_C(7);
}

static uint64_t
image_addr(void)
{
	uint64_t len = (uint64_t)(guest_image_end - guest_image_start);

	return (uint64_t)guest_image_start + rng_below(len);
}

static uint64_t
table_addr(void)
{
	return guest_start_info->pt_base + (rng_below(PAGE_SIZE) & ~7UL);
}

static uint64_t
sandbox_addr(void)
{
	return SANDBOX_VA + rng_below((uint64_t)SANDBOX_PAGES * PAGE_SIZE);
}

/* The last page of the address space: lengths wrap around zero. */
static uint64_t
top_addr(void)
{
	return ~UINT64_C(0) - rng_below(PAGE_SIZE);
}

uint64_t
gen_bad_ptr(void)
{
	switch (rng_below(6)) {
	case 0:
		return 0;
	case 1:
		return unmapped_low();
	case 2:
		return hv_addr();
	case 3:
		return noncanonical();
	case 4:
		return top_addr();
	}
	return (uint64_t)fz.arena - PAGE_SIZE + rng_below(PAGE_SIZE);
}

uint64_t
gen_ptr(void)
{
	switch (rng_below(12)) {
	case 0:
	case 1:
	case 2:
		return junk_ptr(rng_below(256));
	case 3:
		return sink_ptr(rng_below(256));
	case 4:
		return image_addr();
	case 5:
		return table_addr();
	case 6:
		return sandbox_addr();
	case 7:
		return rng_one_in(2) ? (uint64_t)guest_start_info :
		    (uint64_t)guest_shared_info + rng_below(PAGE_SIZE);
	case 8:
		return (uint64_t)fz.junk + fz.junk_size - rng_below(64);
	}
	return gen_bad_ptr();
}

uint64_t
gen_va(void)
{
	switch (rng_below(8)) {
	case 0:
	case 1:
	case 2:
		return (sandbox_addr() & ~(uint64_t)(PAGE_SIZE - 1)) |
		    (rng_one_in(8) ? rng_below(PAGE_SIZE) : 0);
	case 3:
		return image_addr();
	case 4:
		return (uint64_t)pfn_to_virt(rng_below(mm_nr_pfns + 8));
	case 5:
		return junk_ptr(0) + rng_below(fz.junk_size + 2 * PAGE_SIZE);
	}
	return gen_bad_ptr();
}

uint64_t
gen_count(uint64_t usual)
{
	static const uint64_t counts[] = { 0, 1, 2, 128, 255, 256, 512,
	    4096, 65535, 65536, 65537, 0x7fffffff, 0x80000000,
	    0xffffffff, UINT64_C(0x100000000), UINT64_C(0x100000001),
	    ~UINT64_C(0) };

	if (rng_one_in(8))
		return RNG_PICK(counts);
	return 1 + rng_below(usual);
}

uint64_t
gen_value(void)
{
	switch (rng_below(10)) {
	case 0:
	case 1:
		return gen_small();
	case 2:
	case 3:
		return gen_boundary();
	case 4:
		return gen_mfn();
	case 5:
	case 6:
		return gen_ptr();
	case 7:
		return gen_domid();
	case 8:
		return gen_port();
	}
	return rng_next();
}
