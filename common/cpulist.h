/*
 * CPU lists as virsh and libvirt's cpuset write them: "0-3,^2,5" is
 * CPUs 0, 1, 3 and 5.  Items are CPU numbers and ranges A-B (A <= B),
 * separated by commas; an item starting with ^ takes its CPUs out of
 * those named before it.  The set is a bitmap of 64 CPUs, as hv's hard
 * affinity (struct xm_domctl_vcpu_affinity's cpumap): a CPU above 63 is
 * refused, and so is a list that selects no CPU.  xmd (domain.vcpupin),
 * xmctl (vcpupin) and the definitions' cpuset attributes all read lists
 * here, so they agree on every one.
 */
#ifndef XM_COMMON_CPULIST_H
#define XM_COMMON_CPULIST_H

#include <stddef.h>
#include <stdint.h>

#define XM_CPULIST_MAX_CPU	63
/* The longest list xm_cpulist_format writes: "0,2,4,...,62" and NUL. */
#define XM_CPULIST_LEN		96

/*
 * s as a set of CPUs in *map: 0, or -1 with *why saying what is wrong,
 * as a phrase that follows the list ("is empty", "has a range that
 * runs backwards", "has a CPU above 63", "has no CPU").
 */
int	xm_cpulist_parse(const char *s, uint64_t *map, const char **why);
/* map in the shortest form ("0-3,5"; "" for no CPU) into buf. */
const char *xm_cpulist_format(uint64_t map, char *buf, size_t len);
/* The map of CPUs 0 to n - 1 (all 64 when n >= 64). */
uint64_t xm_cpulist_first(unsigned int n);

#endif
