/*
 * Reading and writing guest memory through the guest's own mappings (hv
 * runs on the current vCPU's page tables). Every access is range-checked
 * (never hv's range, never non-canonical) and a fault ends it with
 * -EFAULT instead of a crash.
 */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool	guest_range_ok(uint64_t gva, size_t n);
int	copy_from_guest(void *dst, uint64_t gva, size_t n);
int	copy_to_guest(uint64_t gva, const void *src, size_t n);
void	guest_access_init(bool smap);

extern bool	hv_smap_on;	/* CR4.SMAP: the copies use stac/clac */

#endif
