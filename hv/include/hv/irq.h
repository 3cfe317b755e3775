/* Interrupt vectors hv uses for itself. */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include <xm/arch_x86_64.h>

#define VECTOR_TIMER		0xf0
#define VECTOR_RESCHEDULE	0xf1
#define VECTOR_FLUSH		0xf2	/* hv/x86/flush.c */
#define VECTOR_KICK		0xf3	/* back through hv: deliver events */
#define VECTOR_SPURIOUS		0xff

void	irq_dispatch(unsigned int vector, struct xm_cpu_user_regs *);

#endif
