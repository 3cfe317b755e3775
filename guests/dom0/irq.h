/*
 * A device interrupt as an event channel: the line (a GSI) mapped to a
 * pirq of domain 0 with PHYSDEVOP_map_pirq, the pirq bound with
 * EVTCHNOP_bind_pirq.  On each event the device's handler runs (it
 * must quiet the device), then PHYSDEVOP_eoi lets hv unmask the line.
 */

#ifndef _DOM0_IRQ_H_
#define _DOM0_IRQ_H_

#include <stdint.h>

typedef void	irq_handler_t(void);

/* 0, or -XM_E* when hv cannot route it (the caller polls instead). */
int	irq_bind(uint8_t line, irq_handler_t *fn);
/* Events taken so far. */
uint64_t irq_count(void);

#endif /* _DOM0_IRQ_H_ */
