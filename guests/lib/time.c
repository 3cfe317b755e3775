/*
 * System time and the wall clock.  hv publishes, per vCPU, the system
 * time at one TSC reading and the TSC's rate as a 32.32 fixed-point
 * multiplier after a binary shift; the guest extrapolates with its own
 * rdtsc.  Readers retry while hv is mid-update (odd version) or the
 * version moved under them.
 */

#include <stdint.h>

#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/time.h>

#define barrier()	__asm__ volatile("" ::: "memory")

uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t
scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t
monotonic_ns(void)
{
	volatile struct xm_vcpu_time_info *t = &guest_vcpu_info()->time;
	uint64_t tsc_stamp, system_time, tsc;
	uint32_t version, mul;
	int8_t shift;

	do {
		version = t->version;
		barrier();
		tsc_stamp = t->tsc_timestamp;
		system_time = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tsc = rdtsc();
		barrier();
	} while ((version & 1) != 0 || version != t->version);
	/* A TSC read before hv's stamp counts as no time at all. */
	if (tsc < tsc_stamp)
		return system_time;
	return system_time + scale_delta(tsc - tsc_stamp, mul, shift);
}

void
wallclock(uint64_t *sec, uint32_t *nsec)
{
	volatile struct xm_shared_info *s = guest_shared_info;
	uint64_t wc_sec, ns;
	uint32_t version, wc_nsec;

	do {
		version = s->wc_version;
		barrier();
		wc_sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
		wc_nsec = s->wc_nsec;
		barrier();
	} while ((version & 1) != 0 || version != s->wc_version);
	ns = wc_nsec + monotonic_ns();
	*sec = wc_sec + ns / NSEC_PER_SEC;
	*nsec = ns % NSEC_PER_SEC;
}
