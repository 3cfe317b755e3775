/*
 * Bringing up the other CPUs: INIT-SIPI-SIPI to all but this one; each
 * application processor takes the next CPU number (boot.S: ap_start64),
 * sets up its tables, per-CPU data and local APIC, and runs the
 * scheduler. CPUs beyond HV_MAX_CPUS stay parked.
 */
#include <stdint.h>

#include <klib/string.h>

#include <hv/console.h>
#include <hv/desc.h>
#include <hv/heap.h>
#include <hv/layout.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/x86.h>

#define AP_TRAMPOLINE	0x8000
#define AP_FRAME_ROOM	512	/* below cpu_info, for ap_main's frames */

extern uint64_t ap_trampoline_phys, ap_trampoline_size;
extern uint32_t ap_next;
extern uint64_t ap_stacks[HV_AP_MAX];
static uint64_t ap_stack_tops[HV_AP_MAX];

__attribute__((noreturn)) void	ap_main(unsigned int);

void
ap_main(unsigned int cpu)
{
	write_cr3(hv_l4_maddr);
	cpu_tables_init(cpu);
	traps_load();
	paging_cpu_init();
	percpu_init(cpu, (void *)ap_stack_tops[cpu - 1]);
	apic_init();
	this_cpu()->apic_id = apic_id();
	log_info("cpu%u: online, APIC id %u", cpu, this_cpu()->apic_id);
	sched_start_cpu();
}

static void
delay_us(uint64_t us)
{
	uint64_t t0 = rdtsc(), ticks = tsc_hz / 1000000 * us;

	while (rdtsc() - t0 < ticks)
		cpu_relax();
}

void
smp_boot(unsigned int max_cpus)
{
	unsigned int i, want, present = acpi_count_cpus();
	uint64_t t0;

	/* Without a MADT, wake whoever is there and wait for them. */
	if (present != 0 && present < max_cpus)
		max_cpus = present;
	want = max_cpus > 1 ? max_cpus - 1 : 0;
	if (want > HV_AP_MAX)
		want = HV_AP_MAX;
	if (want == 0) {
		log_info("smp: 1 CPU online");
		return;
	}
	for (i = 0; i < want; i++) {
		uint8_t *stack = hv_alloc_pages(HV_STACK_ORDER);

		if (stack == NULL)
			break;
		ap_stack_tops[i] = (uint64_t)stack + HV_STACK_SIZE;
		ap_stacks[i] = ap_stack_tops[i] - 4096;
	}
	kmemcpy(phys_to_virt(AP_TRAMPOLINE), phys_to_virt(ap_trampoline_phys),
	    ap_trampoline_size);
	apic_broadcast_init_sipi(AP_TRAMPOLINE >> 12, delay_us);
	/* Wait for them to check in: at most half a second. */
	t0 = time_now();
	while (time_now() - t0 < 500000000ULL &&
	    nr_cpus_online < want + 1)
		cpu_relax();
	delay_us(10000);
	log_info("smp: %u CPU%s online", nr_cpus_online,
	    nr_cpus_online == 1 ? "" : "s");
}
