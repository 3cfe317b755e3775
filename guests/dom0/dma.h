/*
 * Memory a device reads and writes by machine address.  A virtqueue
 * must be machine-contiguous; a pseudo-physically contiguous area of
 * domain 0 need not be, so dma_alloc() swaps the frames behind a window
 * of its image for one extent of 2^order machine-contiguous frames
 * (decrease_reservation, then increase_reservation with extent_order,
 * as Linux's xen_create_contiguous_region does with an exchange),
 * unless the frames there happen to be contiguous already.
 */

#ifndef _DOM0_DMA_H_
#define _DOM0_DMA_H_

#include <stdint.h>

#define DMA_ORDER_MAX	4

/*
 * 2^order zeroed pages, machine-contiguous: their address in *va and
 * the machine address of the first in *maddr.  0 or -XM_E*.
 * force_exchange: swap frames even when they are contiguous already.
 */
int	dma_alloc(unsigned int order, int force_exchange, void **va,
	    uint64_t *maddr);

#endif /* _DOM0_DMA_H_ */
