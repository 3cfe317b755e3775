/*
 * The TSC as hv's clock. Calibrated once against PIT channel 2 (the
 * speaker gate, which needs no interrupt), CAL_RUNS times, keeping the
 * median: under an emulator on a loaded host a run that lost its CPU
 * for a while between the PIT's start and the TSC's reads is off by a
 * percent or more, and guests' clocks would drift as much between
 * their toolstack's settings of the wall clock.  Guests scale it with the
 * tsc_to_system_mul/tsc_shift pair the PV ABI defines:
 *   ns = ((tsc_delta << shift) * mul) >> 32   (shift may be negative)
 */
#include <stddef.h>
#include <stdint.h>

#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/spinlock.h>
#include <hv/time.h>
#include <hv/x86.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define CAL_MS		20
#define CAL_RUNS	5

uint64_t tsc_hz;
static uint64_t boot_tsc;
static uint64_t boot_wall_ns;	/* wall clock at system time 0 */
static spinlock_t wc_lock = SPINLOCK_INIT;	/* it, and wc_version's */
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

/* The median of CAL_RUNS measurements; their spread in ppm of it. */
static uint64_t
pit_calibrate(uint64_t *spread_ppm)
{
	uint64_t runs[CAL_RUNS], v, mid;
	int i, j;

	for (i = 0; i < CAL_RUNS; i++) {
		v = pit_measure_tsc();
		for (j = i; j > 0 && runs[j - 1] > v; j--)
			runs[j] = runs[j - 1];
		runs[j] = v;
	}
	mid = runs[CAL_RUNS / 2];
	*spread_ppm = mid == 0 ? 0 :
	    (runs[CAL_RUNS - 1] - runs[0]) * 1000000 / mid;
	return mid;
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

#define NS_PER_SEC	UINT64_C(1000000000)

/*
 * clock=rtc: system time 0 is the instant an RTC second began, and the
 * TSC is counted over one RTC second (edge to edge) rather than 20 ms of
 * PIT.  Two nodes then agree on the wall clock to about a millisecond
 * and drift apart by microseconds a minute, which a guest's own clock
 * needs to measure its migration's downtime (bench P7).  It costs one
 * to two seconds of boot, so it is asked for.  false: the caller keeps
 * the PIT's calibration and reads the clock to the second.
 */
static bool
time_init_rtc(void)
{
	uint64_t e0, e1, sec, hz;

	if (rtc_wait_edge(tsc_hz / 1000, &e0) != 0)
		return false;
	sec = rtc_read_epoch();
	if (rtc_wait_edge(tsc_hz / 1000, &e1) != 0 ||
	    rtc_read_epoch() != sec + 1)
		return false;
	hz = e1 - e0;
	/* A second edge missed would make two seconds of one. */
	if (hz < tsc_hz - tsc_hz / 20 || hz > tsc_hz + tsc_hz / 20)
		return false;
	tsc_hz = hz;
	boot_tsc = e0;
	boot_wall_ns = sec * NS_PER_SEC;
	return true;
}

void
time_init(bool rtc_clock)
{
	uint64_t spread;

	tsc_hz = pit_calibrate(&spread);
	if (!rtc_clock || !time_init_rtc()) {
		if (rtc_clock)
			log_warn("time: clock=rtc: no RTC second edge seen; "
			    "the wall clock is right to the second only");
		boot_wall_ns = rtc_read_epoch() * NS_PER_SEC;
		boot_tsc = rdtsc();
	}
	compute_scale(tsc_hz, &tsc_mul, &tsc_shift);
	log_info("time: TSC at %lu kHz (mul %u, shift %d; the PIT's %d runs "
	    "%lu ppm apart), wall clock %lu.%09lu%s", tsc_hz / 1000, tsc_mul,
	    tsc_shift, CAL_RUNS, spread, boot_wall_ns / NS_PER_SEC,
	    boot_wall_ns % NS_PER_SEC, rtc_clock ? " (clock=rtc)" : "");
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

/* Under wc_lock: two writers would break wc_version's odd/even rule. */
static void
publish_wallclock(struct domain *d)
{
	struct xm_shared_info *s = d->shared_info;

	if (s == NULL)
		return;
	s->wc_version++;
	__asm__ volatile("" ::: "memory");
	s->wc_sec = (uint32_t)(boot_wall_ns / NS_PER_SEC);
	s->wc_nsec = (uint32_t)(boot_wall_ns % NS_PER_SEC);
	s->wc_sec_hi = (uint32_t)(boot_wall_ns / NS_PER_SEC >> 32);
	__asm__ volatile("" ::: "memory");
	s->wc_version++;
}

void
time_update_wallclock(struct domain *d)
{
	spin_lock(&wc_lock);
	publish_wallclock(d);
	spin_unlock(&wc_lock);
}

/*
 * The wall clock reads wall_ns when system time is system_ns (settime,
 * hv/platform_op.c); every domain sees it, as in Xen's do_settime.
 */
void
time_set_wallclock(uint64_t wall_ns, uint64_t system_ns)
{
	unsigned int id;

	domain_list_lock();
	spin_lock(&wc_lock);
	boot_wall_ns = wall_ns - system_ns;
	for (id = 0; id < HV_MAX_DOMAINS; id++)
		if (domain_table[id] != NULL)
			publish_wallclock(domain_table[id]);
	spin_unlock(&wc_lock);
	domain_list_unlock();
}
