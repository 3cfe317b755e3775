/*
 * Descriptor tables as a 64-bit PV kernel keeps them: frames of its own
 * mapped read-only, given to hv with set_gdt or MMUEXT_SET_LDT, changed
 * with update_descriptor; and the CPU's view of a selector (lar, lsl).
 */
#ifndef _GUEST_DESC_H_
#define _GUEST_DESC_H_

#include <stdint.h>

#include <xm/hypercall.h>

/* Descriptors (SDM vol. 3, 3.4.5), all DPL 3 unless named. */
#define DESC_CODE64_DPL0	UINT64_C(0x00af9a000000ffff)
#define DESC_CODE64		UINT64_C(0x00affa000000ffff)
#define DESC_CODE32		UINT64_C(0x00cffa000000ffff)	/* 4 GiB */
#define DESC_CODE16		UINT64_C(0x008ffa000000ffff)	/* 4 GiB */
#define DESC_DATA		UINT64_C(0x00cff2000000ffff)	/* 4 GiB */
#define DESC_NOT_PRESENT(d)	((d) & ~(UINT64_C(1) << 47))
/* A 64-bit call gate to sel:off, DPL 3: two entries, low then high. */
#define DESC_GATE_LO(sel, off)	(UINT64_C(0x0000ec0000000000) |	\
	((uint64_t)(sel) << 16) | ((uint64_t)(off) & 0xffff) |		\
	(((uint64_t)(off) & 0xffff0000) << 32))
#define DESC_GATE_HI(off)	((uint64_t)(off) >> 32)
/* One into hv's code segment (0xe008): refused, as by Xen. */
#define DESC_GATE_HV		DESC_GATE_LO(0xe008, 0)
/* A selector of entry i, RPL 3: of the GDT, of the LDT. */
#define SEL(i)			((uint16_t)((i) << 3 | 3))
#define LSEL(i)			((uint16_t)((i) << 3 | 4 | 3))

/*
 * A fresh zeroed frame for descriptors, mapped writable at its direct
 * address (returned; its mfn in *mfn), or NULL.  desc_frame_seal maps it
 * read-only, as set_gdt and SET_LDT want it.
 */
uint64_t	*desc_frame(uint64_t *mfn);
int		 desc_frame_seal(uint64_t *frame, uint64_t mfn);
long		 desc_update(uint64_t maddr, uint64_t desc);
long		 gdt_set(const uint64_t *frames, unsigned int entries);
long		 ldt_set(uint64_t va, uint32_t entries);

/* lar and lsl: what the CPU reads for sel, or 0 if it refuses it. */
static inline uint32_t
desc_lar(uint16_t sel)
{
	uint32_t ar = 0;

	__asm__ volatile("lar %1, %0" : "+r"(ar) : "rm"((uint32_t)sel));
	return ar;
}

static inline uint32_t
desc_lsl(uint16_t sel)
{
	uint32_t limit = 0;

	__asm__ volatile("lsl %1, %0" : "+r"(limit) : "rm"((uint32_t)sel));
	return limit;
}

#endif /* _GUEST_DESC_H_ */
