/* hv's heap: small objects in size classes, large ones in whole frames. */
#ifndef HV_HEAP_H
#define HV_HEAP_H

#include <stddef.h>

void	*hv_alloc(size_t);		/* zeroed, 16-byte aligned */
void	 hv_free(void *);
void	*hv_alloc_pages(unsigned int order);	/* zeroed, page aligned */
void	 hv_free_pages(void *, unsigned int order);

#endif
