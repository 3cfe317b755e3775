/*
 * tlbshoot: a domain with two vCPUs that checks TLB coherence between
 * CPUs.  vCPU 1 reads or writes a page as fast as it can, so that its
 * CPU's TLB holds the translation, while vCPU 0 takes the mapping away
 * (each way the ABI offers) or gives the frame up (back to hv, or as a
 * page table).  Once vCPU 0's hypercall has returned, no access of
 * vCPU 1's may get through any more: hv must have flushed vCPU 1's CPU
 * before it returned.  Also vCPUOP_initialise/up/down/is_up, and a
 * VIRQ_TIMER bound to vCPU 1.  Results are TAP lines.
 *
 * The vCPUs talk through a mailbox: vCPU 0 posts a job (a round number,
 * a command, an address) and vCPU 1 acknowledges the round, then does
 * the job over and over until the next one comes.
 */

#ifndef _TLBSHOOT_H_
#define _TLBSHOOT_H_

#include <stdint.h>

#include <xm/arch_x86_64.h>

#include <guest/time.h>


/* CMD_TIMER: vCPU 1 arms its one-shot this far ahead. */
#define TIMER_DELAY_NS	(5 * NSEC_PER_MSEC)

enum tlb_cmd {
	CMD_IDLE,		/* spin, touching nothing */
	CMD_READ,		/* read the target, again and again */
	CMD_WRITE,		/* write it (values with bit 0 clear) */
	CMD_TIMER,		/* run a one-shot timer of its own, once */
};

struct mailbox {
	/* vCPU 0's side */
	volatile uint64_t	round;		/* a new job when it changes */
	volatile uint64_t	cmd;		/* enum tlb_cmd */
	volatile uint64_t	target;		/* address to read or write */
	volatile uint64_t	removed;	/* round whose removal returned */
	volatile uint64_t	timer_port;	/* CMD_TIMER: its VIRQ_TIMER */
	/* vCPU 1's side */
	volatile uint64_t	ack;		/* round it has started on */
	volatile uint64_t	round_hits;	/* accesses that went through */
	volatile uint64_t	faulted;	/* round an access faulted in */
	volatile uint64_t	stale;		/* through after "removed": all */
	volatile uint64_t	beats;		/* rises while vCPU 1 runs */
	volatile int64_t	timer_rc;	/* CMD_TIMER: arming it */
	volatile uint64_t	timer_done;	/* round whose timer fired */
};

extern struct mailbox	mb;

/* second.c: vCPU 1's code and its context. */
void	second_context(struct xm_vcpu_guest_context *c);

/* rounds.c: the shootdown rounds, with vCPU 1 up and running. */
void	rounds_run(void);

/* tlbshoot.c: post a job and wait until vCPU 1 has taken it. */
uint64_t job_post(enum tlb_cmd cmd, uint64_t target);
/* Spin (yielding) until *p == want or timeout_ns pass; 1 if it came. */
int	wait_eq(volatile uint64_t *p, uint64_t want, uint64_t timeout_ns);
int	wait_ge(volatile uint64_t *p, uint64_t want, uint64_t timeout_ns);

#endif /* _TLBSHOOT_H_ */
