/*
 * TLB shootdown (hv/include/hv/flush.h): the dirty-CPU sets, flush
 * requests between CPUs, and the guest's flush operations.  The CPU's
 * own part (flushing, the IPI, which CPU this is) is hv/x86/flush.c;
 * tests/unit/test_flush.c runs this file on host threads.
 *
 * A request to CPU c is a sequence number: the requester increments
 * req_seq[c], sets c's bit in flush_requested and sends the IPI; c
 * clears its bit, reads req_seq[c], flushes, and publishes what it read
 * in done_seq[c].  A requester whose number is <= done_seq[c] knows that
 * c flushed after the request was made, so after the page-table change
 * that came before it.  A request that arrives while c is flushing
 * sets the bit again and is served by the next poll; none is lost.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/flush.h>
#include <hv/guest_access.h>
#include <hv/percpu.h>
#include <hv/time.h>

#define FLUSH_WARN_NS	1000000000ULL	/* a CPU this late is worth a line */

volatile uint64_t flush_requested;
static volatile uint64_t req_seq[HV_MAX_CPUS];
static volatile uint64_t done_seq[HV_MAX_CPUS];

static uint64_t
cpu_bit(unsigned int cpu)
{
	return UINT64_C(1) << cpu;
}

void
flush_poll(void)
{
	unsigned int cpu = flush_arch_cpu();
	uint64_t seq;

	if (!(__atomic_load_n(&flush_requested, __ATOMIC_ACQUIRE) &
	    cpu_bit(cpu)))
		return;
	__atomic_fetch_and(&flush_requested, ~cpu_bit(cpu), __ATOMIC_SEQ_CST);
	seq = __atomic_load_n(&req_seq[cpu], __ATOMIC_SEQ_CST);
	flush_arch_local(FLUSH_ALL);
	__atomic_store_n(&done_seq[cpu], seq, __ATOMIC_RELEASE);
}

static uint64_t
request(unsigned int cpu)
{
	uint64_t seq = __atomic_add_fetch(&req_seq[cpu], 1, __ATOMIC_SEQ_CST);

	__atomic_fetch_or(&flush_requested, cpu_bit(cpu), __ATOMIC_SEQ_CST);
	flush_arch_ipi(cpu);
	return seq;
}

/* Until cpu has served request seq, serving our own meanwhile. */
static void
wait_done(unsigned int cpu, uint64_t seq)
{
	uint64_t t0 = time_now();
	bool warned = false;

	while (__atomic_load_n(&done_seq[cpu], __ATOMIC_ACQUIRE) < seq) {
		flush_poll_pending();
		__asm__ volatile("pause" ::: "memory");
		if (!warned && time_now() - t0 > FLUSH_WARN_NS) {
			log_warn("flush: cpu%u has not answered for 1 s", cpu);
			warned = true;
		}
	}
}

/*
 * Flush va (or FLUSH_ALL) on every CPU in cpus and return when all of
 * them have.  Other CPUs flush everything; a single page is only worth
 * telling apart here.
 */
void
flush_cpus(uint64_t cpus, uint64_t va)
{
	uint64_t seq[HV_MAX_CPUS];
	unsigned int me = flush_arch_cpu(), cpu;

	if (cpus & cpu_bit(me))
		flush_arch_local(va);
	cpus &= ~cpu_bit(me);
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (cpus & cpu_bit(cpu))
			seq[cpu] = request(cpu);
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (cpus & cpu_bit(cpu))
			wait_done(cpu, seq[cpu]);
}

/*
 * The page-table write the caller made must be visible before the set
 * is read, or a CPU that joins meanwhile could be missed while it still
 * walks the old entry: the fence pairs with the one in flush_vcpu_load.
 */
static uint64_t
dirty_cpus(volatile uint64_t *set)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(set, __ATOMIC_ACQUIRE);
}

void
flush_domain(struct domain *d)
{
	flush_cpus(dirty_cpus(&d->dirty_cpus), FLUSH_ALL);
}

void
flush_vcpu_load(struct vcpu *next)
{
	uint64_t bit = cpu_bit(flush_arch_cpu());

	__atomic_store_n(&next->dirty_cpus, bit, __ATOMIC_RELAXED);
	__atomic_fetch_or(&next->domain->dirty_cpus, bit, __ATOMIC_SEQ_CST);
}

void
flush_vcpu_unload(struct vcpu *prev, const struct vcpu *next)
{
	uint64_t bit = cpu_bit(flush_arch_cpu());

	__atomic_store_n(&prev->dirty_cpus, 0, __ATOMIC_RELEASE);
	if (next == NULL || next->domain != prev->domain)
		__atomic_fetch_and(&prev->domain->dirty_cpus, ~bit,
		    __ATOMIC_SEQ_CST);
}

/*
 * A guest's vCPU bitmap (64-bit words at gva, as the ABI has it) as the
 * CPUs that may hold those vCPUs' translations.  Bits past the domain's
 * vCPUs are ignored, so one word covers every domain hv can have.
 */
static int
vcpumask_to_cpus(struct domain *d, uint64_t gva, uint64_t *cpus)
{
	uint64_t vmask;
	unsigned int i;

	_Static_assert(HV_MAX_VCPUS <= 64, "one word of vCPU bits");
	if (copy_from_guest(&vmask, gva, sizeof(vmask)) != 0)
		return -XM_EFAULT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*cpus = 0;
	for (i = 0; i < d->max_vcpus; i++)
		if ((vmask & (UINT64_C(1) << i)) && d->vcpus[i] != NULL)
			*cpus |= __atomic_load_n(&d->vcpus[i]->dirty_cpus,
			    __ATOMIC_ACQUIRE);
	return 0;
}

/* invlpg of an address outside the guest's range is quietly skipped. */
static bool
guest_page(uint64_t va)
{
	return guest_range_ok(va, 1);
}

long
flush_mmuext(struct vcpu *v, const struct xm_mmuext_op *op)
{
	struct domain *d = v->domain;
	uint64_t va = op->arg1.linear_addr, cpus;

	switch (op->cmd) {
	case XM_MMUEXT_TLB_FLUSH_LOCAL:
		flush_arch_local(FLUSH_ALL);
		return 0;
	case XM_MMUEXT_INVLPG_LOCAL:
		if (guest_page(va))
			flush_arch_local(va);
		return 0;
	case XM_MMUEXT_TLB_FLUSH_MULTI:
	case XM_MMUEXT_INVLPG_MULTI:
		if (vcpumask_to_cpus(d, op->arg2.vcpumask, &cpus) != 0)
			return -XM_EINVAL;	/* as Xen: not -EFAULT */
		break;
	case XM_MMUEXT_TLB_FLUSH_ALL:
	case XM_MMUEXT_INVLPG_ALL:
		cpus = dirty_cpus(&d->dirty_cpus);
		break;
	default:
		return -XM_ENOSYS;
	}
	if (op->cmd == XM_MMUEXT_TLB_FLUSH_MULTI ||
	    op->cmd == XM_MMUEXT_TLB_FLUSH_ALL)
		flush_cpus(cpus, FLUSH_ALL);
	else if (guest_page(va))
		flush_cpus(cpus, va);
	return 0;
}

/*
 * update_va_mapping's flags: a flush type (none, all of the TLB, one
 * page) and whose TLBs: this vCPU's (UVMF_LOCAL), every vCPU's
 * (UVMF_ALL) or, for any other value of the upper bits, those in the
 * vCPU bitmap they point to (UVMF_MULTI).  Without a flush type this
 * CPU is flushed anyway, which costs little and keeps hv's own view of
 * the guest's memory simple.
 */
long
flush_uvmf(struct vcpu *v, uint64_t va, uint64_t flags)
{
	uint64_t who = flags & ~XM_UVMF_FLUSHTYPE_MASK, cpus;
	uint64_t type = flags & XM_UVMF_FLUSHTYPE_MASK;
	int rc;

	if (type != XM_UVMF_TLB_FLUSH && type != XM_UVMF_INVLPG) {
		flush_arch_local(FLUSH_ALL);
		return 0;
	}
	if (who == XM_UVMF_LOCAL)
		cpus = cpu_bit(flush_arch_cpu());
	else if (who == XM_UVMF_ALL)
		cpus = dirty_cpus(&v->domain->dirty_cpus);
	else if ((rc = vcpumask_to_cpus(v->domain, who, &cpus)) != 0)
		return rc;
	flush_cpus(cpus, type == XM_UVMF_INVLPG ? va : FLUSH_ALL);
	return 0;
}
