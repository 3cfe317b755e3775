/*
 * Event channels (2-level ABI): ports per domain, their bindings, and
 * the pending/mask bits in shared_info that hv sets and guests clear.
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <stdint.h>

#include <xm/arch_x86_64.h>

#define EVTCHN_MAX_PORTS	1024
/* Ports come in buckets, allocated as a domain first needs one. */
#define EVTCHN_BUCKET_PORTS	64
#define EVTCHN_BUCKETS		(EVTCHN_MAX_PORTS / EVTCHN_BUCKET_PORTS)

struct domain;
struct vcpu;

enum evtchn_state {
	ECS_FREE,
	ECS_UNBOUND,
	ECS_INTERDOMAIN,
	ECS_PIRQ,
	ECS_VIRQ,
	ECS_IPI,
};

struct evtchn {
	uint8_t		state;		/* enum evtchn_state */
	uint8_t		notify_vcpu;
	uint16_t	remote_dom;	/* unbound: who may bind; interdomain */
	uint32_t	remote_port;	/* interdomain */
	uint32_t	virq;		/* virq or pirq number */
};

int	evtchn_init(struct domain *);
void	evtchn_destroy(struct domain *);
void	evtchn_send_virq(struct domain *, unsigned int virq);
void	evtchn_send_virq_vcpu(struct vcpu *, unsigned int virq);
void	evtchn_send_port(struct domain *, unsigned int port);
void	evtchn_send_pirq(struct domain *, unsigned int port);
int	evtchn_alloc_unbound_for(struct domain *, uint16_t remote,
	    uint32_t *port);
void	evtchn_send_dom_exc(void);

/* Upcalls: raise one into the guest if one is pending and unmasked. */
void	event_deliver_upcall(struct vcpu *, struct xm_cpu_user_regs *);
void	vcpu_timer_check(struct vcpu *, uint64_t now);
void	vcpu_timer_changed(struct vcpu *, uint64_t now);
uint64_t vcpu_timer_next(const struct vcpu *);

#endif
