/*
 * Time: the TSC, calibrated against the PIT at boot, is hv's clock;
 * system time is nanoseconds since boot. Guests get the TSC's scale in
 * vcpu_time_info and compute system time themselves.
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

extern uint64_t tsc_hz;

/* clock_rtc: hv's command line says clock=rtc (see time.c). */
void		time_init(bool clock_rtc);
uint64_t	time_now(void);			/* ns since boot */
uint64_t	rdtsc(void);
void		time_update_vcpu(struct vcpu *);	/* vcpu_time_info */
void		time_publish_area(struct vcpu *);	/* its registered copy */
void		time_update_wallclock(struct domain *);
/* settime: the wall clock is wall_ns at system time system_ns. */
void		time_set_wallclock(uint64_t wall_ns, uint64_t system_ns);
uint64_t	rtc_read_epoch(void);		/* seconds since 1970 */
int		rtc_wait_edge(uint64_t tsc_per_ms, uint64_t *tsc);

/* The local APIC timer, one-shot. */
void		apic_init(void);
void		apic_timer_set(uint64_t deadline_ns);
void		apic_eoi(void);
bool		apic_irq_pending(void);
void		apic_send_ipi(unsigned int apic_id, unsigned int vector);
unsigned int	apic_id(void);
void		apic_broadcast_init_sipi(unsigned int vector,
		    void (*delay_us)(uint64_t));

#endif
