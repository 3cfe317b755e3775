/*
 * The TSC as hv's clock. Calibrated once against PIT channel 2 (the
 * speaker gate, which needs no interrupt); guests scale it with the
 * tsc_to_system_mul/tsc_shift pair the PV ABI defines:
 *   ns = ((tsc_delta << shift) * mul) >> 32   (shift may be negative)
 */
#include <stddef.h>
#include <stdint.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/time.h>
#include <hv/x86.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define CAL_MS		20

uint64_t tsc_hz;
static uint64_t boot_tsc;
static uint64_t boot_epoch;	/* wall clock at system time 0, seconds */
static uint32_t tsc_mul;
static int8_t tsc_shift;

uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t
pit_measure_tsc(void)
{
	uint16_t count = PIT_HZ * CAL_MS / 1000;
	uint64_t t0, t1;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on */
	outb(PIT_CMD, 0xb0);		/* ch2, lo/hi, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		;
	t1 = rdtsc();
	return (t1 - t0) * 1000 / CAL_MS;
}

/* mul and shift such that ns = ((delta << shift) * mul) >> 32. */
static void
compute_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	uint64_t target = 1000000000ULL;
	int s = 0;

	while (hz > 2 * target) {
		hz >>= 1;
		s--;
	}
	while (hz <= target) {
		hz <<= 1;
		s++;
	}
	/* Now target < hz <= 2 * target, so target / hz fits in 32 bits. */
	*mul = (uint32_t)((target << 32) / hz);
	*shift = (int8_t)s;
}

void
time_init(void)
{
	tsc_hz = pit_measure_tsc();
	boot_epoch = rtc_read_epoch();
	boot_tsc = rdtsc();
	compute_scale(tsc_hz, &tsc_mul, &tsc_shift);
	log_info("time: TSC at %lu kHz (mul %u, shift %d), wall clock %lu",
	    tsc_hz / 1000, tsc_mul, tsc_shift, boot_epoch);
}

static uint64_t
scale_delta(uint64_t delta)
{
	if (tsc_shift < 0)
		delta >>= -tsc_shift;
	else
		delta <<= tsc_shift;
	return (uint64_t)(((unsigned __int128)delta * tsc_mul) >> 32);
}

uint64_t
time_now(void)
{
	return scale_delta(rdtsc() - boot_tsc);
}

/*
 * The copy of v's time info in the area it registered (for a vDSO), as
 * Xen writes it: an odd version first, then the rest, then the even one.
 * v's page tables are loaded.  In user mode a PV kernel's memory is not
 * mapped: then the copy waits for its next entry to kernel mode.
 */
void
time_publish_area(struct vcpu *v)
{
	struct xm_vcpu_time_info t;
	int rc;

	if (v->time_area == 0 || v->vcpu_info == NULL)
		return;
	t = v->vcpu_info->time;
	t.version |= 1;
	rc = copy_to_guest(v->time_area, &t.version, sizeof(t.version));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rc |= copy_to_guest(v->time_area, &t, sizeof(t));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t.version++;
	rc |= copy_to_guest(v->time_area, &t.version, sizeof(t.version));
	v->time_pending = rc != 0 && !v->in_kernel;
}

void
time_update_vcpu(struct vcpu *v)
{
	struct xm_vcpu_time_info *t;
	uint64_t tsc;

	if (v->vcpu_info == NULL)
		return;
	t = &v->vcpu_info->time;
	tsc = rdtsc();
	t->version++;
	__asm__ volatile("" ::: "memory");
	t->tsc_timestamp = tsc;
	t->system_time = scale_delta(tsc - boot_tsc);
	t->tsc_to_system_mul = tsc_mul;
	t->tsc_shift = tsc_shift;
	__asm__ volatile("" ::: "memory");
	t->version++;
	time_publish_area(v);
}

void
time_update_wallclock(struct domain *d)
{
	struct xm_shared_info *s = d->shared_info;

	s->wc_version++;
	__asm__ volatile("" ::: "memory");
	s->wc_sec = (uint32_t)boot_epoch;
	s->wc_nsec = 0;
	s->wc_sec_hi = (uint32_t)(boot_epoch >> 32);
	__asm__ volatile("" ::: "memory");
	s->wc_version++;
}
