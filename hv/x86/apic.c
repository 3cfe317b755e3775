/*
 * The local APIC: its timer (one-shot, calibrated against the TSC) for
 * time slices and vCPU timers, EOIs and IPIs. The legacy PICs are
 * remapped away from the exception vectors and masked; hv does not use
 * them.
 */
#include <stdbool.h>
#include <stdint.h>

#include <hv/console.h>
#include <hv/irq.h>
#include <hv/paging.h>
#include <hv/time.h>
#include <hv/x86.h>

#define APIC_PHYS	0xfee00000ULL
#define APIC_VIRT	0xffff82d040000000ULL
#define APIC_ID		0x020
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_IRR	0x200
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0
#define MSR_APIC_BASE	0x1b

static uint64_t apic_ticks_per_ms;
static int apic_mapped;

static inline uint32_t
apic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(APIC_VIRT + reg);
}

static inline void
apic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_VIRT + reg) = v;
}

static void
pic_disable(void)
{
	/* ICW1-4: remap to 0x20/0x28, then mask every line. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void
apic_calibrate(void)
{
	uint64_t t0 = rdtsc(), wait = tsc_hz / 100;	/* 10 ms */
	uint32_t left;

	apic_write(APIC_TIMER_INIT, 0xffffffff);
	while (rdtsc() - t0 < wait)
		;
	left = apic_read(APIC_TIMER_CUR);
	apic_write(APIC_TIMER_INIT, 0);
	apic_ticks_per_ms = (0xffffffffULL - left) / 10;
	if (apic_ticks_per_ms == 0)
		apic_ticks_per_ms = 1;
}

void
apic_init(void)
{
	if (!apic_mapped) {
		pic_disable();
		paging_map(APIC_VIRT, APIC_PHYS, 4096,
		    PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX);
		apic_mapped = 1;
	}
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1ULL << 11));
	apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
	apic_write(APIC_TIMER_DIV, 0x3);		/* divide by 16 */
	apic_write(APIC_LVT_TIMER, VECTOR_TIMER);	/* one-shot */
	if (apic_ticks_per_ms == 0) {
		apic_calibrate();
		log_info("apic: timer at %lu kHz", apic_ticks_per_ms);
	}
}

/*
 * The next timer interrupt, at deadline_ns or within APIC_MAX_WAIT_NS,
 * whichever is sooner: a CPU never sleeps longer than that, so that a
 * vCPU timer that fell due without its interrupt (seen on 2 CPUs under
 * heavy load, cause not yet found) is fired late instead of never. It
 * also keeps the tick arithmetic below from overflowing.
 */
#define APIC_MAX_WAIT_NS	50000000ULL	/* 50 ms */

void
apic_timer_set(uint64_t deadline_ns)
{
	uint64_t now = time_now(), wait, ticks;

	wait = deadline_ns > now ? deadline_ns - now : 0;
	if (wait > APIC_MAX_WAIT_NS)
		wait = APIC_MAX_WAIT_NS;
	ticks = wait / 1000 * apic_ticks_per_ms / 1000 + 1;
	apic_write(APIC_TIMER_INIT, (uint32_t)ticks);
}

void
apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* An interrupt waits in the IRR (hv runs with them off): timer, IPI. */
bool
apic_irq_pending(void)
{
	unsigned int i;

	for (i = 1; i < 8; i++)		/* vectors 32-255 */
		if (apic_read(APIC_IRR + i * 0x10) != 0)
			return true;
	return false;
}

unsigned int
apic_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

void
apic_send_ipi(unsigned int dest, unsigned int vector)
{
	while (apic_read(APIC_ICR_LO) & (1U << 12))
		cpu_relax();
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, vector);
}

/* Start every other CPU at vector << 12 (real mode). */
void
apic_broadcast_init_sipi(unsigned int vector, void (*delay_us)(uint64_t))
{
	const uint32_t all_but_self = 3U << 18;

	apic_write(APIC_ICR_HI, 0);
	apic_write(APIC_ICR_LO, all_but_self | 0x4500);		/* INIT */
	delay_us(10000);
	apic_write(APIC_ICR_LO, all_but_self | 0x4600 | vector);	/* SIPI */
	delay_us(200);
	apic_write(APIC_ICR_LO, all_but_self | 0x4600 | vector);
	delay_us(200);
}
