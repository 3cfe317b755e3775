/*
 * A split virtqueue in the legacy (virtio 0.9.5) layout: the descriptor
 * table, the available ring and, on the next VRING_ALIGN boundary, the
 * used ring, in one machine-contiguous area the device reads at the
 * machine address the driver wrote into the queue PFN register.
 *
 * Pure bookkeeping, no I/O: the driver adds one-descriptor buffers
 * (each within one page) by machine address, notifies the device
 * itself, and takes back what the device used.  The free list and the
 * lengths posted live outside the shared area, so a device that writes
 * nonsense into the used ring cannot corrupt them.  Compiles as
 * freestanding and as host code.
 */

#ifndef _DOM0_VRING_H_
#define _DOM0_VRING_H_

#include <stddef.h>
#include <stdint.h>

#define VRING_ALIGN		4096
#define VRING_NUM_MAX		1024

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2	/* the device writes the buffer */
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY	1

struct vring_desc {
	uint64_t	addr;		/* machine address */
	uint32_t	len;
	uint16_t	flags;
	uint16_t	next;
};
_Static_assert(sizeof(struct vring_desc) == 16, "vring_desc");

struct vring_avail {
	uint16_t	flags;
	uint16_t	idx;
	uint16_t	ring[];
};

struct vring_used_elem {
	uint32_t	id;
	uint32_t	len;
};
_Static_assert(sizeof(struct vring_used_elem) == 8, "vring_used_elem");

struct vring_used {
	uint16_t	flags;
	uint16_t	idx;
	struct vring_used_elem ring[];
};

/*
 * vr_avail_idx is the next avail slot, vr_last_used the next used
 * entry to take; vr_bad counts used entries refused.
 */
struct vring {
	unsigned int			 vr_num;
	volatile struct vring_desc	*vr_desc;
	volatile struct vring_avail	*vr_avail;
	volatile struct vring_used	*vr_used;
	uint16_t			 vr_avail_idx;
	uint16_t			 vr_last_used;
	uint16_t			 vr_free_head;
	uint16_t			 vr_num_free;
	uint64_t			 vr_bad;
	uint16_t			 vr_next[VRING_NUM_MAX];
	uint32_t			 vr_len[VRING_NUM_MAX];
	uint8_t				 vr_busy[VRING_NUM_MAX];
};

/* Bytes of the shared area for a queue of num entries (0: bad num). */
size_t	vring_bytes(unsigned int num);
/*
 * Lay the queue out in mem (vring_bytes(num) bytes, VRING_ALIGN
 * aligned, zeroed by the caller).  0, or -1 when num is not a power of
 * two in 1..VRING_NUM_MAX.
 */
int	vring_init(struct vring *vr, unsigned int num, void *mem);
/*
 * Offer one buffer; the device reads it, or writes it if dev_writes.
 * Returns its descriptor id, -1 when the queue is full.
 */
int	vring_add(struct vring *vr, uint64_t maddr, uint32_t len,
	    int dev_writes);
/*
 * Take the next buffer the device is done with: its descriptor id
 * (free again), with the bytes the device wrote in *len (at most what
 * was posted).  -1 when there is none.
 */
int	vring_take(struct vring *vr, uint32_t *len);
/* Buffers the device holds. */
unsigned int vring_in_flight(const struct vring *vr);
/* Whether the device wants to be notified of new buffers. */
int	vring_want_notify(const struct vring *vr);

#endif /* _DOM0_VRING_H_ */
