/*
 * A vCPU's virtual trap table (set_trap_table, the trap_ctxt of a vCPU
 * context).  The 32 exception vectors live in struct vcpu; vectors 32 to
 * 255 (software interrupts such as int $0x80) in a block allocated on
 * the first handler set there, as few kernels set any.  It keeps hv's
 * memory per vCPU within one page.  The block is published once and
 * freed only with the vCPU, so the CPU running the vCPU may read it
 * without a lock.
 */
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>

#include <hv/domain.h>
#include <hv/heap.h>

static const struct xm_trap_info no_handler;

const struct xm_trap_info *
vcpu_trap(const struct vcpu *v, unsigned int vec)
{
	const struct xm_trap_info *high;

	vec &= 0xff;
	if (vec < VCPU_LOW_TRAPS)
		return &v->traps_low[vec];
	high = __atomic_load_n(&v->traps_high, __ATOMIC_ACQUIRE);
	return high != NULL ? &high[vec - VCPU_LOW_TRAPS] : &no_handler;
}

/* Make room for handlers of vectors 32..255: 0 or -XM_ENOMEM. */
int
vcpu_traps_high(struct vcpu *v)
{
	size_t n = (256 - VCPU_LOW_TRAPS) * sizeof(struct xm_trap_info);
	struct xm_trap_info *high;

	if (v->traps_high != NULL)
		return 0;
	if ((high = hv_alloc(n)) == NULL)
		return -XM_ENOMEM;
	kmemset(high, 0, n);
	__atomic_store_n(&v->traps_high, high, __ATOMIC_RELEASE);
	return 0;
}

/* Room for a whole table of 256 (a vCPU context's): 0 or -XM_ENOMEM. */
int
vcpu_traps_room(struct vcpu *v, const struct xm_trap_info *table)
{
	unsigned int i;

	for (i = VCPU_LOW_TRAPS; i < 256; i++)
		if (table[i].address != 0)
			return vcpu_traps_high(v);
	return 0;
}

/* Set vector vec's entry: 0, or -XM_ENOMEM with nothing changed. */
int
vcpu_trap_set(struct vcpu *v, unsigned int vec, const struct xm_trap_info *t)
{
	vec &= 0xff;
	if (vec < VCPU_LOW_TRAPS) {
		v->traps_low[vec] = *t;
		return 0;
	}
	if (t->address == 0 && v->traps_high == NULL)
		return 0;	/* no handler there already */
	if (vcpu_traps_high(v) != 0)
		return -XM_ENOMEM;
	v->traps_high[vec - VCPU_LOW_TRAPS] = *t;
	return 0;
}

/* Remove every handler (set_trap_table(NULL)). */
void
vcpu_traps_clear(struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < VCPU_LOW_TRAPS; i++)
		v->traps_low[i].address = 0;
	if (v->traps_high != NULL)
		for (i = 0; i < 256 - VCPU_LOW_TRAPS; i++)
			v->traps_high[i].address = 0;
}

void
vcpu_traps_free(struct vcpu *v)
{
	hv_free(v->traps_high);
	v->traps_high = NULL;
}
