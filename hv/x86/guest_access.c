/*
 * Guest memory access with fault fixup. With SMAP on, hv may touch user
 * pages (all of a PV guest's, kernel included) only between stac and
 * clac, so the copy is bracketed by them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <hv/guest_access.h>
#include <hv/layout.h>

/* Read by the entry code too (entry.S), which clears AC with it. */
bool hv_smap_on;

void
guest_access_init(bool smap)
{
	hv_smap_on = smap;
}

bool
guest_range_ok(uint64_t gva, size_t n)
{
	uint64_t end = gva + n;

	if (end < gva)
		return false;
	/* Lower canonical half, or above hv's range in the upper half. */
	return end <= 0x0000800000000000ULL || gva >= HV_RESERVED_END;
}

/* Returns the number of bytes not copied. */
static size_t
raw_copy(void *dst, const void *src, size_t n)
{
	if (hv_smap_on)
		__asm__ volatile("stac" ::: "memory");
	__asm__ volatile(
	    "1:	rep movsb\n"
	    "2:\n"
	    "	.pushsection .ex_table, \"a\"\n"
	    "	.balign 8\n"
	    "	.quad 1b, 2b\n"
	    "	.popsection\n"
	    : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	if (hv_smap_on)
		__asm__ volatile("clac" ::: "memory");
	return n;
}

int
copy_from_guest(void *dst, uint64_t gva, size_t n)
{
	if (!guest_range_ok(gva, n))
		return -XM_EFAULT;
	return raw_copy(dst, (const void *)gva, n) == 0 ? 0 : -XM_EFAULT;
}

int
copy_to_guest(uint64_t gva, const void *src, size_t n)
{
	if (!guest_range_ok(gva, n))
		return -XM_EFAULT;
	return raw_copy((void *)gva, src, n) == 0 ? 0 : -XM_EFAULT;
}
