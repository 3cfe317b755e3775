/*
 * Long hypercalls are preemptible: a batch that has run long enough
 * (something else wants the CPU: an interrupt is pending, a reschedule
 * was asked for, the vCPU is being paused) stops where it is and makes
 * the guest issue the same hypercall again with the arguments of the
 * rest, as Xen's hypercall_create_continuation does. hv runs with
 * interrupts off, so this is what bounds the time a guest keeps a CPU.
 */
#ifndef HV_CONTINUATION_H
#define HV_CONTINUATION_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/hypercall.h>

/* Should the running batch stop here and continue later? */
bool	hypercall_preempt_check(void);

/*
 * Restart hypercall nr with these arguments (its first arguments, as
 * many as its row in the hypercall table takes; the other registers are
 * the guest's) when the guest next runs: the caller returns the value
 * this returns, straight away. Inside a multicall the arguments go back
 * into the multicall's entry instead, and the multicall itself is
 * continued from that entry.
 */
#define hypercall_continue(nr, ...)					\
	hypercall_continue_args((nr),					\
	    (const uint64_t[HYPERCALL_MAX_ARGS]){ __VA_ARGS__ },	\
	    sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

/* n: how many arguments the caller gave, checked against the table. */
long	hypercall_continue_args(unsigned int nr, const uint64_t *args,
	    unsigned int n);

#endif
