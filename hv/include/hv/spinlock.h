/*
 * Ticket spinlocks: fair between CPUs. hv runs with interrupts off, so
 * a lock is never taken by an interrupt on the CPU that holds it; for
 * the same reason a CPU waiting here answers TLB flush requests by
 * polling, since the holder may be waiting for exactly that.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <stdint.h>

#include <hv/flush.h>

typedef struct {
	volatile uint16_t	next;
	volatile uint16_t	owner;
} spinlock_t;

#define SPINLOCK_INIT	{ 0, 0 }

static inline void
spin_lock(spinlock_t *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
		flush_poll_pending();
		__asm__ volatile("pause" ::: "memory");
	}
}

static inline void
spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1),
	    __ATOMIC_RELEASE);
}

static inline void
spin_lock_init(spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

#endif
