/*
 * Xen x86-64 PV guest ABI: the core.  start_info, shared_info and
 * vcpu_info, time, the page table update calls (mmu_update, mmuext_op,
 * update_va_mapping), multicall, virtual IRQs, vm_assist and the
 * console (console_io and the start_info console ring).
 */

#ifndef _XM_XEN_CORE_H_
#define _XM_XEN_CORE_H_

#include <stdint.h>

#include "hypercall.h"
#include "arch_x86_64.h"

/*
 * Virtual IRQs, bound to event channels with EVTCHNOP_bind_virq.  Some
 * are per vCPU (TIMER, DEBUG, XENOPROF, XENPMU), the rest global and
 * mostly meant for domain 0.
 */
#define XM_VIRQ_TIMER		0	/* vCPU timer fired */
#define XM_VIRQ_DEBUG		1	/* dump debug state, please */
#define XM_VIRQ_CONSOLE		2	/* input on hv's console */
#define XM_VIRQ_DOM_EXC		3	/* some domain died or changed */
#define XM_VIRQ_TBUF		4
/* 5 is unassigned. */
#define XM_VIRQ_DEBUGGER	6
#define XM_VIRQ_XENOPROF	7
#define XM_VIRQ_CON_RING	8	/* hv's console ring has data */
#define XM_VIRQ_PCPU_STATE	9
#define XM_VIRQ_MEM_EVENT	10
#define XM_VIRQ_ARGO		11
#define XM_VIRQ_ENOMEM		12	/* hv's heap runs low */
#define XM_VIRQ_XENPMU		13
/* 14-15 are unassigned; 16-23 belong to the architecture. */
#define XM_VIRQ_ARCH_0		16
#define XM_VIRQ_ARCH_1		17
#define XM_VIRQ_ARCH_2		18
#define XM_VIRQ_ARCH_3		19
#define XM_VIRQ_ARCH_4		20
#define XM_VIRQ_ARCH_5		21
#define XM_VIRQ_ARCH_6		22
#define XM_VIRQ_ARCH_7		23
#define XM_VIRQ_MCA		XM_VIRQ_ARCH_0
#define XM_NR_VIRQS		24

/*
 * 2-level event channels: one pending and one mask bit per port in
 * shared_info, 64 words of 64 bits each, found through a 64-bit
 * selector word per vCPU.
 */
#define XM_EVTCHN_2L_NR_CHANNELS	(64 * 64)
#define XM_NR_EVENT_CHANNELS		XM_EVTCHN_2L_NR_CHANNELS

/*
 * mmu_update: the low two bits of ptr select the command, the rest is
 * the machine address of the entry (or frame) it applies to.
 */
#define XM_MMU_NORMAL_PT_UPDATE		0
#define XM_MMU_MACHPHYS_UPDATE		1
#define XM_MMU_PT_UPDATE_PRESERVE_AD	2	/* keep the A and D bits */
#define XM_MMU_PT_UPDATE_NO_TRANSLATE	3
#define XM_MMU_UPDATE_CMD_MASK		UINT64_C(3)

struct xm_mmu_update {
	uint64_t	ptr;
	uint64_t	val;
};
_Static_assert(sizeof(struct xm_mmu_update) == 16, "xm_mmu_update");

/* mmuext_op commands */
#define XM_MMUEXT_PIN_L1_TABLE		0
#define XM_MMUEXT_PIN_L2_TABLE		1
#define XM_MMUEXT_PIN_L3_TABLE		2
#define XM_MMUEXT_PIN_L4_TABLE		3
#define XM_MMUEXT_UNPIN_TABLE		4
#define XM_MMUEXT_NEW_BASEPTR		5
#define XM_MMUEXT_TLB_FLUSH_LOCAL	6
#define XM_MMUEXT_INVLPG_LOCAL		7
#define XM_MMUEXT_TLB_FLUSH_MULTI	8
#define XM_MMUEXT_INVLPG_MULTI		9
#define XM_MMUEXT_TLB_FLUSH_ALL		10
#define XM_MMUEXT_INVLPG_ALL		11
#define XM_MMUEXT_FLUSH_CACHE		12
#define XM_MMUEXT_SET_LDT		13
/* 14 is unassigned. */
#define XM_MMUEXT_NEW_USER_BASEPTR	15
#define XM_MMUEXT_CLEAR_PAGE		16
#define XM_MMUEXT_COPY_PAGE		17
#define XM_MMUEXT_FLUSH_CACHE_GLOBAL	18
#define XM_MMUEXT_MARK_SUPER		19
#define XM_MMUEXT_UNMARK_SUPER		20

struct xm_mmuext_op {
	uint32_t	cmd;		/* XM_MMUEXT_* */
	uint32_t	pad;
	union {
		/* pin, unpin, new (user) baseptr, clear/copy, mark super */
		xm_pfn_t	mfn;
		/* invlpg, set_ldt */
		uint64_t	linear_addr;
	} arg1;
	union {
		/* set_ldt */
		uint32_t	nr_ents;
		/* the *_MULTI commands: a bitmap of vCPUs */
		xm_guest_handle_t vcpumask;
		/* copy_page */
		xm_pfn_t	src_mfn;
	} arg2;
};
_Static_assert(sizeof(struct xm_mmuext_op) == 24, "xm_mmuext_op");

/*
 * update_va_mapping flags.  With XM_UVMF_MULTI the guest address of a
 * vCPU bitmap is or-ed into the flags word, which works because the
 * bitmap is word aligned and so leaves the low three bits free.
 */
#define XM_UVMF_NONE		UINT64_C(0)
#define XM_UVMF_TLB_FLUSH	UINT64_C(1)
#define XM_UVMF_INVLPG		UINT64_C(2)
#define XM_UVMF_FLUSHTYPE_MASK	UINT64_C(3)
#define XM_UVMF_MULTI		UINT64_C(0)
#define XM_UVMF_LOCAL		UINT64_C(0)
#define XM_UVMF_ALL		UINT64_C(4)

/* console_io commands */
#define XM_CONSOLEIO_WRITE	0
#define XM_CONSOLEIO_READ	1

/* vm_assist: commands, then the assists a guest may turn on */
#define XM_VMASST_CMD_ENABLE			0
#define XM_VMASST_CMD_DISABLE			1
#define XM_VMASST_TYPE_4GB_SEGMENTS		0
#define XM_VMASST_TYPE_4GB_SEGMENTS_NOTIFY	1
#define XM_VMASST_TYPE_WRITABLE_PAGETABLES	2
#define XM_VMASST_TYPE_PAE_EXTENDED_CR3		3
#define XM_VMASST_TYPE_ARCHITECTURAL_IOPL	4
#define XM_VMASST_TYPE_RUNSTATE_UPDATE_FLAG	5
#define XM_VMASST_TYPE_M2P_STRICT		32

/*
 * One call of a multicall batch.  hv writes each call's return value
 * into result and goes on with the next even when one fails, so the
 * guest must check every entry, not just the multicall's own result.
 */
struct xm_multicall_entry {
	uint64_t	op;
	uint64_t	result;
	uint64_t	args[6];
};
_Static_assert(sizeof(struct xm_multicall_entry) == 64,
    "xm_multicall_entry");

/*
 * Per-vCPU time.  hv makes version odd before and even after an
 * update; a reader retries until it sees the same even version on
 * both sides of its reads.  Now, in ns since boot, is
 * system_time + (((tsc - tsc_timestamp) << tsc_shift) *
 * tsc_to_system_mul >> 32), a negative shift going right.
 */
struct xm_vcpu_time_info {
	uint32_t	version;
	uint32_t	pad0;
	uint64_t	tsc_timestamp;
	uint64_t	system_time;
	uint32_t	tsc_to_system_mul;
	int8_t		tsc_shift;
	uint8_t		flags;		/* XM_PVCLOCK_* */
	uint8_t		pad1[2];
};
_Static_assert(sizeof(struct xm_vcpu_time_info) == 32, "xm_vcpu_time_info");

#define XM_PVCLOCK_TSC_STABLE_BIT	(1U << 0)
#define XM_PVCLOCK_GUEST_STOPPED	(1U << 1)

/*
 * Per-vCPU event state.  hv sets evtchn_upcall_pending and a bit in
 * evtchn_pending_sel for each word of shared_info.evtchn_pending with
 * news; evtchn_upcall_mask is the guest's interrupt flag.
 */
struct xm_vcpu_info {
	uint8_t		evtchn_upcall_pending;
	uint8_t		evtchn_upcall_mask;
	uint8_t		pad[6];
	uint64_t	evtchn_pending_sel;
	struct xm_arch_vcpu_info arch;
	struct xm_vcpu_time_info time;
};
_Static_assert(sizeof(struct xm_vcpu_info) == 64, "xm_vcpu_info");

/*
 * The page every domain shares with hv.  vCPUs beyond the first 32
 * need VCPUOP_register_vcpu_info to get a vcpu_info at all.
 */
struct xm_shared_info {
	struct xm_vcpu_info vcpu_info[XM_LEGACY_MAX_VCPUS];
	uint64_t	evtchn_pending[64];
	uint64_t	evtchn_mask[64];
	/*
	 * Wall clock at system time 0, versioned like vcpu_time_info;
	 * seconds are 64 bits split in two so that the low half kept its
	 * place from the 32-bit layout.
	 */
	uint32_t	wc_version;
	uint32_t	wc_sec;
	uint32_t	wc_nsec;
	uint32_t	wc_sec_hi;
	struct xm_arch_shared_info arch;
};
_Static_assert(sizeof(struct xm_shared_info) == 3136, "xm_shared_info");

/*
 * start_info: what the domain builder leaves for a PV guest, which
 * finds it through rsi at entry.  magic is "xen-<ABI version>-<platform>";
 * the ABI version has been 3.0 ever since this layout was settled.
 */
#define XM_START_INFO_MAGIC_LEN		32
#define XM_START_INFO_MAGIC		"xen-3.0-x86_64"
#define XM_MAX_GUEST_CMDLINE		1024

struct xm_start_info {
	/* Filled on boot and again on resume. */
	char		magic[XM_START_INFO_MAGIC_LEN];
	uint64_t	nr_pages;
	uint64_t	shared_info;	/* machine address */
	uint32_t	flags;		/* XM_SIF_* */
	uint32_t	pad0;
	xm_pfn_t	store_mfn;
	uint32_t	store_evtchn;
	uint32_t	pad1;
	union {
		struct {
			xm_pfn_t	mfn;
			uint32_t	evtchn;
			uint32_t	pad;
		} domU;
		/* Domain 0 gets hv's console described instead. */
		struct {
			uint32_t	info_off;
			uint32_t	info_size;
		} dom0;
	} console;
	/* Filled on boot only. */
	uint64_t	pt_base;	/* virtual address of the top table */
	uint64_t	nr_pt_frames;
	uint64_t	mfn_list;	/* virtual address of the p2m */
	uint64_t	mod_start;	/* virtual address, or PFN */
	uint64_t	mod_len;
	int8_t		cmd_line[XM_MAX_GUEST_CMDLINE];
	/* Frames of the initial page tables and p2m. */
	uint64_t	first_p2m_pfn;
	uint64_t	nr_p2m_frames;
};
_Static_assert(sizeof(struct xm_start_info) == 1168, "xm_start_info");

/* xm_start_info.flags */
#define XM_SIF_PRIVILEGED	(1U << 0)
#define XM_SIF_INITDOMAIN	(1U << 1)
#define XM_SIF_MULTIBOOT_MOD	(1U << 2)	/* module is a mod_list */
#define XM_SIF_MOD_START_PFN	(1U << 3)	/* mod_start is a PFN */
#define XM_SIF_VIRT_P2M_4TOOLS	(1U << 4)
#define XM_SIF_PM_MASK		(0xffU << 8)

/*
 * With XM_SIF_MULTIBOOT_MOD the module is an array of these, ended by
 * an entry with mod_start 0; addresses are offsets into the module.
 */
struct xm_multiboot_mod_list {
	uint32_t	mod_start;
	uint32_t	mod_end;	/* last byte, inclusive */
	uint32_t	cmdline;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_multiboot_mod_list) == 16,
    "xm_multiboot_mod_list");

/*
 * The console page named by start_info.console.domU: two byte rings
 * with free-running indexes; an index is reduced modulo the ring's
 * size (a power of two) only when used.
 */
typedef uint32_t xm_console_ring_idx_t;

struct xm_console_interface {
	char		in[1024];
	char		out[2048];
	xm_console_ring_idx_t in_cons;
	xm_console_ring_idx_t in_prod;
	xm_console_ring_idx_t out_cons;
	xm_console_ring_idx_t out_prod;
};
_Static_assert(sizeof(struct xm_console_interface) == 3088,
    "xm_console_interface");

#define XM_CONSOLE_IDX(idx, ring)	((idx) & (sizeof(ring) - 1))

#endif /* _XM_XEN_CORE_H_ */
