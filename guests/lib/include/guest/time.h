/*
 * Time: system time (ns since hv booted) from vCPU 0's vcpu_time_info
 * and the TSC, the wall clock from shared_info, and sleeping on the
 * vCPU's one-shot timer, which hv signals on VIRQ_TIMER.
 */

#ifndef _GUEST_TIME_H_
#define _GUEST_TIME_H_

#include <stdint.h>

#define NSEC_PER_USEC	UINT64_C(1000)
#define NSEC_PER_MSEC	UINT64_C(1000000)
#define NSEC_PER_SEC	UINT64_C(1000000000)

uint64_t	rdtsc(void);
uint64_t	monotonic_ns(void);
/* Wall clock now: seconds and ns since the Unix epoch. */
void		wallclock(uint64_t *sec, uint32_t *nsec);

/*
 * Bind VIRQ_TIMER and stop the periodic timer hv may start a vCPU
 * with; sleep_ns() and friends call it on first use.  0 or -XM_E*.
 */
int		timer_init(void);
/*
 * In a domain restored from a save: bind VIRQ_TIMER anew if it was
 * bound.  Timers armed before the save are gone (a periodic one too).
 * 0 or -XM_E*.
 */
int		timer_resume(void);
/* VIRQ_TIMER events so far. */
uint64_t	timer_ticks(void);
/* One-shot at absolute system time; 0 cancels. */
int		timer_set_oneshot(uint64_t deadline_ns);
/* The same through the older set_timer_op. */
int		timer_set_timer_op(uint64_t deadline_ns);
int		timer_set_periodic(uint64_t period_ns);
int		timer_stop_periodic(void);

/* Block until system time reaches deadline (or ns from now). */
void		sleep_until(uint64_t deadline_ns);
void		sleep_ns(uint64_t ns);
/* Block until the next VIRQ_TIMER event. */
void		timer_wait_tick(void);

#endif /* _GUEST_TIME_H_ */
