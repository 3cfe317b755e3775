/*
 * Segment selectors and descriptor tables. hv's selectors sit where Xen
 * puts them (the last GDT page, from entry 0x1c00) so that the flat ring-3
 * selectors PV guests use are the ones the ABI names; the entries below
 * 0x1c00 belong to guests.
 */
#ifndef HV_DESC_H
#define HV_DESC_H

#define GDT_FIRST_HV_ENTRY	0x1c00
#define HV_CS64			0xe008
#define HV_DS			0xe010
#define HV_CS32			0xe018
#define GUEST_CS32		0xe023
#define GUEST_DS32		0xe02b
#define GUEST_CS64		0xe033
#define GUEST_SS		0xe02b
#define TSS_SEL			0xe040
#define LDT_SEL			0xe050
#define GDT_ENTRIES		(GDT_FIRST_HV_ENTRY + 14)

/* A descriptor's bits, as 64 bits (SDM vol. 3, 3.4.5 and 5.8.3). */
#define DESC_PER_FRAME		512
#define DESC_GATE_SEL		(UINT64_C(0xffff) << 16)	/* its target */
#define DESC_GATE_RESERVED	(UINT64_C(0xff) << 32)
#define DESC_TYPE(d)		(((d) >> 40) & 0xf)
#define DESC_TYPE_CALL_GATE	0xc
#define DESC_CODE		(UINT64_C(1) << 43)
#define DESC_S			(UINT64_C(1) << 44)	/* code or data */
#define DESC_DPL_SHIFT		45
#define DESC_DPL		(UINT64_C(3) << DESC_DPL_SHIFT)
#define DESC_P			(UINT64_C(1) << 47)
#define DESC_L			(UINT64_C(1) << 53)
#define DESC_DB			(UINT64_C(1) << 54)
#define DESC_G			(UINT64_C(1) << 55)

#define IST_DF			1
#define IST_NMI			2
#define IST_MC			3

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct tss64 {
	uint32_t	reserved0;
	uint64_t	rsp[3];
	uint64_t	reserved1;
	uint64_t	ist[7];
	uint64_t	reserved2;
	uint16_t	reserved3;
	uint16_t	iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS is 104 bytes");


void	cpu_tables_init(unsigned int cpu);
uint64_t *cpu_gdt(unsigned int cpu);

/* A guest's GDT (hv/x86/desc_tables.c). */
struct vcpu;
bool	desc_check(uint64_t *desc);
long	gdt_set(struct vcpu *, const uint64_t *frames, unsigned int entries);
long	gdt_set_locked(struct vcpu *, const uint64_t *frames,
	    unsigned int entries);
void	gdt_load(struct vcpu *);
void	gdt_release(struct vcpu *);
void	desc_refresh(struct vcpu *);
/* Its LDT (hv/x86/ldt.c). */
#define LDT_MAX_ENTS	8192
#define LDT_MAX_FRAMES	(LDT_MAX_ENTS / 512)
long	ldt_set_op(struct vcpu *, uint64_t base, uint64_t ents);
void	ldt_set_locked(struct vcpu *, uint64_t base, unsigned int ents);
void	ldt_load(struct vcpu *);
void	ldt_release(struct vcpu *);
bool	ldt_uses(const struct vcpu *, uint64_t mfn);
bool	ldt_fault(struct vcpu *, uint32_t sel);
uint64_t ldt_cpu_desc(const struct vcpu *, unsigned int cpu,
	    unsigned int idx);
/* Its data selectors (vcpu.sel): saved, loaded, user gs set by a call. */
#define SEG_DS	0
#define SEG_ES	1
#define SEG_FS	2
#define SEG_GS	3
void	seg_save(struct vcpu *);
void	seg_load(struct vcpu *);
long	seg_load_user_gs(struct vcpu *, uint16_t sel);
void	cpu_set_rsp0(unsigned int cpu, uint64_t rsp0);
void	cpu_set_io_access(unsigned int cpu, bool allowed);
void	traps_init(void);
void	traps_load(void);
struct xm_cpu_user_regs;
void	trap_dispatch(struct xm_cpu_user_regs *);
#endif

#endif
