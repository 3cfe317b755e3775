/*
 * The x86 side of TLB shootdown (hv/flush.c): which CPU this is, its
 * own flush, and the IPI that asks another CPU to poll.
 */
#include <stdint.h>

#include <hv/context.h>
#include <hv/flush.h>
#include <hv/irq.h>
#include <hv/percpu.h>
#include <hv/time.h>
#include <hv/x86.h>

unsigned int
flush_arch_cpu(void)
{
	return this_cpu()->cpu;
}

/* Guest mappings are never global: a CR3 write drops all of them. */
void
flush_arch_local(uint64_t va)
{
	if (va == FLUSH_ALL)
		vcpu_reload_cr3(this_cpu()->current);
	else
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void
flush_arch_ipi(unsigned int cpu)
{
	apic_send_ipi(percpu_get(cpu)->apic_id, VECTOR_FLUSH);
}
