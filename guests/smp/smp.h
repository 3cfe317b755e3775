/*
 * guests/smp: a domain that brings up all its vCPUs as a PV kernel does
 * (VCPUOP_initialise, VCPUOP_up) and runs a parallel job over them,
 * signalled with events across vCPUs.  Shared between vCPU 0 (smp.c)
 * and the workers (worker.c).
 */

#ifndef _SMP_H_
#define _SMP_H_

#include <stdint.h>

#include <xm/event_channel.h>

#define SMP_MAX_VCPUS	8		/* hv's HV_MAX_VCPUS */

enum smp_cmd {
	SMP_IDLE,
	SMP_WORK,	/* sum job(seed, i) for i in [lo, hi) */
	SMP_TIMEOUT,	/* poll an idle port for timeout_ns, time it */
	SMP_DOWN,	/* VCPUOP_down itself */
	SMP_DESC,	/* watch a descriptor of a shared GDT frame */
};

/*
 * One worker's mailbox: vCPU 0 writes the command and signals the
 * worker's ports (masked, polled); the worker answers on done_port,
 * which notifies vCPU 0.
 */
struct smp_worker {
	/* written by vCPU 0 */
	xm_evtchn_port_t	ipi_port;	/* bind_ipi, to this vCPU */
	xm_evtchn_port_t	moved_port;	/* loopback, bind_vcpu'd here */
	xm_evtchn_port_t	done_port;	/* bind_ipi, to vCPU 0 */
	xm_evtchn_port_t	idle_port;	/* unbound: never signalled */
	volatile uint64_t	cmd;		/* enum smp_cmd */
	volatile uint64_t	round;
	uint64_t		seed, lo, hi;
	uint64_t		timeout_ns;
	/* written by the worker */
	volatile uint64_t	started;	/* its vCPU id + 1 */
	volatile uint64_t	acked;		/* the round it finished */
	uint64_t		result;
	uint64_t		wakeups;	/* polls ended by its ports */
	uint64_t		late;		/* ... or by the 2 s timeout */
	uint64_t		woke_ipi, woke_moved;
	uint64_t		timeout_took;	/* SMP_TIMEOUT's poll, ns */
	int64_t			timeout_rc;
	int64_t			down_rc;	/* if VCPUOP_down returned */
	/* SMP_DESC (desc.c) */
	uint64_t		gdt_mfn;	/* by vCPU 0 */
	volatile uint64_t	desc_ready;	/* its GDT is set */
	uint64_t		desc_limit;	/* lsl it saw last */
	int64_t			desc_rc;	/* set_gdt's */
	uint64_t		desc_stayed;	/* never left its CPU */
};

extern struct smp_worker smp_workers[SMP_MAX_VCPUS];

/* The job: a fixed mix of seed and i, summed. */
uint64_t	smp_job(uint64_t seed, uint64_t lo, uint64_t hi);
/* A context for vCPU k that starts its worker loop. */
void		smp_worker_context(struct xm_vcpu_guest_context *c,
		    unsigned int vcpu);
/* A GDT frame shared by the workers, changed by vCPU 0 (desc.c). */
void		smp_desc_worker(struct smp_worker *w, unsigned int vcpu);
void		smp_desc_check(unsigned int nr_vcpus, void (*post)(void),
		    int (*wait)(void), int alone);

#endif /* _SMP_H_ */
