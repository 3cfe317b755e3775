/*
 * Host stand-in for guests/lib's <guest/hypercall.h>, for domain 0's
 * code compiled into a fuzz target: a hypercall is a call of
 * fuzz_hypercall() (tests/fuzz/dom0_host.c), which plays hv.  Only the
 * entry points that domain 0's control path uses are here.
 */
#ifndef _GUEST_HYPERCALL_H_
#define _GUEST_HYPERCALL_H_

#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

long	fuzz_hypercall(unsigned int n, uint64_t a1, uint64_t a2);

#define _hypercall1(n, a1)						\
	fuzz_hypercall((n), (uint64_t)(a1), 0)
#define _hypercall2(n, a1, a2)						\
	fuzz_hypercall((n), (uint64_t)(a1), (uint64_t)(a2))

#endif /* _GUEST_HYPERCALL_H_ */
