/*
 * TLB coherence between CPUs.
 *
 * Each domain knows the CPUs whose TLB may hold its translations
 * (domain.dirty_cpus, a bit per CPU): a CPU joins when it loads one of
 * the domain's vCPUs, before the CR3 write, and leaves once it has
 * switched to another domain or to idle, whose CR3 write dropped every
 * translation of the domain (hv never lets a guest mapping be global).
 * A vCPU keeps the same for itself (vcpu.dirty_cpus, at most one bit),
 * for the guest's "flush these vCPUs" requests.
 *
 * flush_cpus() flushes this CPU itself and sends the others a flush
 * IPI, then waits until every one of them has flushed.  hv runs with
 * interrupts off, so a CPU takes that IPI only while it runs a guest or
 * idles; wherever hv waits for another CPU (spin_lock, flush_cpus
 * itself) it polls for requests with flush_poll_pending(), so that a
 * CPU spinning on a lock that the flushing CPU holds, or two CPUs that
 * flush each other at once, still answer.
 */
#ifndef HV_FLUSH_H
#define HV_FLUSH_H

#include <stdint.h>

#define FLUSH_ALL	UINT64_MAX	/* every translation, not one page */

struct domain;
struct vcpu;
struct xm_mmuext_op;

/* CPUs with a flush request they have not served yet. */
extern volatile uint64_t flush_requested;

void	flush_poll(void);
void	flush_cpus(uint64_t cpus, uint64_t va);
void	flush_domain(struct domain *);

/* context_switch: before next's CR3 is loaded; after prev's is gone. */
void	flush_vcpu_load(struct vcpu *next);
void	flush_vcpu_unload(struct vcpu *prev, const struct vcpu *next);

/* The guest's TLB operations: mmuext_op's and update_va_mapping's. */
long	flush_mmuext(struct vcpu *, const struct xm_mmuext_op *);
long	flush_uvmf(struct vcpu *, uint64_t va, uint64_t flags);

/* The CPU's part (hv/x86/flush.c): this CPU, its own flush, the IPI. */
unsigned int	flush_arch_cpu(void);
void		flush_arch_local(uint64_t va);
void		flush_arch_ipi(unsigned int cpu);

/*
 * Cheap enough for every turn of a spin loop: one load while nobody
 * asks anything, which is also all it does before a CPU has per-CPU
 * data (no request can be addressed to it then).
 */
static inline void
flush_poll_pending(void)
{
	if (__atomic_load_n(&flush_requested, __ATOMIC_RELAXED) != 0)
		flush_poll();
}

#endif
