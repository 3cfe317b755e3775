/*
 * Boot-time memory: the usable RAM ranges from the multiboot2 map, less
 * what is already in use (hv's image, the boot information, the
 * modules), handed out in frames before the page allocator exists and
 * then given to it whole.
 */
#ifndef HV_BOOTMEM_H
#define HV_BOOTMEM_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/multiboot2.h>

#define BOOTMEM_MAX_RANGES	64

struct bootmem_range {
	uint64_t	start;		/* first frame */
	uint64_t	end;		/* one past the last frame */
};

void	 bootmem_init(const struct mb2_boot *);
void	 bootmem_reserve(uint64_t start_pa, uint64_t end_pa);
uint64_t bootmem_alloc(uint64_t nr_frames);	/* physical address */
uint64_t bootmem_max_mfn(void);
bool	 bootmem_is_ram(uint64_t mfn);
void	 bootmem_set_ceiling(uint64_t pa);	/* allocate below pa only */
unsigned int bootmem_ranges(const struct bootmem_range **);
void	 bootmem_release_all(void (*give)(uint64_t first, uint64_t count));

#endif
