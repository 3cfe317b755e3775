/*
 * Split virtqueue bookkeeping (see vring.h).  The device may run on
 * another CPU: the descriptor and the avail slot are written before
 * avail->idx is published, and a used element is read only after
 * used->idx says it is there.
 */

#include <stddef.h>
#include <stdint.h>

#include "vring.h"

#define wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

static size_t
align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

static int
num_ok(unsigned int num)
{
	return num != 0 && num <= VRING_NUM_MAX && (num & (num - 1)) == 0;
}

static size_t
used_offset(unsigned int num)
{
	return align_up(sizeof(struct vring_desc) * num +
	    sizeof(uint16_t) * (3 + num), VRING_ALIGN);
}

size_t
vring_bytes(unsigned int num)
{
	if (!num_ok(num))
		return 0;
	return used_offset(num) + sizeof(uint16_t) * 3 +
	    sizeof(struct vring_used_elem) * num;
}

int
vring_init(struct vring *vr, unsigned int num, void *mem)
{
	unsigned int i;

	if (!num_ok(num))
		return -1;
	vr->vr_num = num;
	vr->vr_desc = mem;
	vr->vr_avail = (void *)((char *)mem + sizeof(struct vring_desc) * num);
	vr->vr_used = (void *)((char *)mem + used_offset(num));
	vr->vr_avail_idx = 0;
	vr->vr_last_used = 0;
	vr->vr_free_head = 0;
	vr->vr_num_free = (uint16_t)num;
	vr->vr_bad = 0;
	for (i = 0; i < num; i++) {
		vr->vr_next[i] = (uint16_t)(i + 1);
		vr->vr_len[i] = 0;
		vr->vr_busy[i] = 0;
	}
	return 0;
}

int
vring_add(struct vring *vr, uint64_t maddr, uint32_t len, int dev_writes)
{
	volatile struct vring_desc *d;
	uint16_t id;

	if (vr->vr_num_free == 0)
		return -1;
	id = vr->vr_free_head;
	vr->vr_free_head = vr->vr_next[id];
	vr->vr_num_free--;
	vr->vr_busy[id] = 1;
	vr->vr_len[id] = len;
	d = &vr->vr_desc[id];
	d->addr = maddr;
	d->len = len;
	d->flags = dev_writes ? VRING_DESC_F_WRITE : 0;
	d->next = 0;
	vr->vr_avail->ring[vr->vr_avail_idx % vr->vr_num] = id;
	wmb();
	vr->vr_avail->idx = ++vr->vr_avail_idx;
	return id;
}

static void
desc_free(struct vring *vr, uint16_t id)
{
	vr->vr_busy[id] = 0;
	vr->vr_next[id] = vr->vr_free_head;
	vr->vr_free_head = id;
	vr->vr_num_free++;
}

int
vring_take(struct vring *vr, uint32_t *len)
{
	volatile struct vring_used_elem *e;
	uint32_t id, n;

	for (;;) {
		if (vr->vr_used->idx == vr->vr_last_used)
			return -1;
		rmb();
		e = &vr->vr_used->ring[vr->vr_last_used % vr->vr_num];
		id = e->id;
		n = e->len;
		vr->vr_last_used++;
		if (id < vr->vr_num && vr->vr_busy[id])
			break;
		vr->vr_bad++;
	}
	*len = n < vr->vr_len[id] ? n : vr->vr_len[id];
	desc_free(vr, (uint16_t)id);
	return (int)id;
}

unsigned int
vring_in_flight(const struct vring *vr)
{
	return vr->vr_num - vr->vr_num_free;
}

int
vring_want_notify(const struct vring *vr)
{
	mb();
	return !(vr->vr_used->flags & VRING_USED_F_NO_NOTIFY);
}
