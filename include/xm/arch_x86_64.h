/*
 * Xen x86-64 PV guest ABI: the architecture part.  Address space split,
 * the flat segments hv provides, trap tables, register frames and the
 * vCPU context a domain builder or VCPUOP_initialise hands to hv.
 */

#ifndef _XM_ARCH_X86_64_H_
#define _XM_ARCH_X86_64_H_

#include <stdint.h>

/*
 * hv owns this slice of every address space (PML4 slots 256-271); the
 * guest may not map anything there.  The first part of it is the
 * read-only machine-to-physical table that hv shows to every guest.
 */
#define XM_HYPERVISOR_VIRT_START	UINT64_C(0xffff800000000000)
#define XM_HYPERVISOR_VIRT_END		UINT64_C(0xffff880000000000)
#define XM_MACH2PHYS_VIRT_START		UINT64_C(0xffff800000000000)
#define XM_MACH2PHYS_VIRT_END		UINT64_C(0xffff804000000000)
#define XM_MACH2PHYS_NR_ENTRIES		\
	((XM_MACH2PHYS_VIRT_END - XM_MACH2PHYS_VIRT_START) >> 3)

/* CR3 holds a frame number shifted into place, with no flags. */
#define XM_PFN_TO_CR3(pfn)	((uint64_t)(pfn) << 12)
#define XM_CR3_TO_PFN(cr3)	((uint64_t)(cr3) >> 12)

/*
 * Flat segments in hv's reserved part of every GDT, so that a guest
 * can run without loading a GDT of its own.  The guest kernel runs in
 * ring 3 too, so kernel and user selectors are the same.
 */
#define XM_FLAT_RING3_CS32	0xe023	/* GDT entry 7172 */
#define XM_FLAT_RING3_DS32	0xe02b	/* GDT entry 7173 */
#define XM_FLAT_RING3_SS32	0xe02b
#define XM_FLAT_RING3_CS64	0xe033	/* GDT entry 7174 */
#define XM_FLAT_RING3_DS64	0x0000	/* null: long mode ignores it */
#define XM_FLAT_RING3_SS64	0xe02b

#define XM_FLAT_KERNEL_CS32	XM_FLAT_RING3_CS32
#define XM_FLAT_KERNEL_DS32	XM_FLAT_RING3_DS32
#define XM_FLAT_KERNEL_SS32	XM_FLAT_RING3_SS32
#define XM_FLAT_KERNEL_CS64	XM_FLAT_RING3_CS64
#define XM_FLAT_KERNEL_DS64	XM_FLAT_RING3_DS64
#define XM_FLAT_KERNEL_SS64	XM_FLAT_RING3_SS64
#define XM_FLAT_KERNEL_CS	XM_FLAT_KERNEL_CS64
#define XM_FLAT_KERNEL_DS	XM_FLAT_KERNEL_DS64
#define XM_FLAT_KERNEL_SS	XM_FLAT_KERNEL_SS64

#define XM_FLAT_USER_CS32	XM_FLAT_RING3_CS32
#define XM_FLAT_USER_DS32	XM_FLAT_RING3_DS32
#define XM_FLAT_USER_SS32	XM_FLAT_RING3_SS32
#define XM_FLAT_USER_CS64	XM_FLAT_RING3_CS64
#define XM_FLAT_USER_DS64	XM_FLAT_RING3_DS64
#define XM_FLAT_USER_SS64	XM_FLAT_RING3_SS64
#define XM_FLAT_USER_CS		XM_FLAT_USER_CS64
#define XM_FLAT_USER_DS		XM_FLAT_USER_DS64
#define XM_FLAT_USER_SS		XM_FLAT_USER_SS64

/*
 * A guest GDT may use frames 0-13; from frame 14 (entry 7168) on the
 * GDT belongs to hv, which is where the flat segments above live.
 */
#define XM_FIRST_RESERVED_GDT_PAGE	14
#define XM_FIRST_RESERVED_GDT_BYTE	(XM_FIRST_RESERVED_GDT_PAGE * 4096)
#define XM_FIRST_RESERVED_GDT_ENTRY	(XM_FIRST_RESERVED_GDT_BYTE / 8)

/* vCPUs that have a vcpu_info slot inside shared_info. */
#define XM_LEGACY_MAX_VCPUS		32

/* Which base set_segment_base changes. */
#define XM_SEGBASE_FS		0
#define XM_SEGBASE_GS_USER	1
#define XM_SEGBASE_GS_KERNEL	2
#define XM_SEGBASE_GS_USER_SEL	3	/* load user %gs selector, base[15:0] */

/*
 * Bits of arch_shared_info.nmi_reason, for a guest that takes NMIs
 * without access to the platform's NMI status port.
 */
#define XM_NMIREASON_IO_ERROR	(UINT64_C(1) << 0)
#define XM_NMIREASON_PCI_SERR	(UINT64_C(1) << 1)
#define XM_NMIREASON_UNKNOWN	(UINT64_C(1) << 2)

/*
 * The prefix (ud2; 'x' 'e' 'n') that marks an instruction hv should
 * emulate rather than fault, e.g. cpuid; Linux PV kernels use it.
 */
#define XM_EMULATE_PREFIX_LEN	5
#define XM_EMULATE_PREFIX_BYTES	{ 0x0f, 0x0b, 0x78, 0x65, 0x6e }

/*
 * One entry of the virtual IDT registered with set_trap_table.  The
 * table passed in ends with an entry whose address is 0.
 */
struct xm_trap_info {
	uint8_t		vector;
	uint8_t		flags;		/* XM_TI_* */
	uint16_t	cs;
	uint32_t	pad;
	uint64_t	address;
};
_Static_assert(sizeof(struct xm_trap_info) == 16, "xm_trap_info");

/* The least privileged ring that may raise the vector with int $n. */
#define XM_TI_DPL_MASK		0x3
/* Mask events on entry, like an interrupt gate clearing IF. */
#define XM_TI_MASK_EVENTS	0x4

/*
 * The register frame as hv saves it on entry from a guest; also the
 * user_regs of a vCPU context.  error_code and entry_vector are hv's
 * own scratch space.  saved_upcall_mask stands in for rflags.IF, which
 * a ring-3 guest kernel cannot own.
 */
struct xm_cpu_user_regs {
	uint64_t	r15;
	uint64_t	r14;
	uint64_t	r13;
	uint64_t	r12;
	uint64_t	rbp;
	uint64_t	rbx;
	uint64_t	r11;
	uint64_t	r10;
	uint64_t	r9;
	uint64_t	r8;
	uint64_t	rax;
	uint64_t	rcx;
	uint64_t	rdx;
	uint64_t	rsi;
	uint64_t	rdi;
	uint32_t	error_code;
	uint32_t	entry_vector;
	uint64_t	rip;
	uint16_t	cs;
	uint16_t	pad0;
	uint8_t		saved_upcall_mask;
	uint8_t		pad1[3];
	uint64_t	rflags;
	uint64_t	rsp;
	uint16_t	ss;
	uint16_t	pad2[3];
	uint16_t	es;
	uint16_t	pad3[3];
	uint16_t	ds;
	uint16_t	pad4[3];
	uint16_t	fs;
	uint16_t	pad5[3];
	uint16_t	gs;
	uint16_t	pad6[3];
};
_Static_assert(sizeof(struct xm_cpu_user_regs) == 200, "xm_cpu_user_regs");

/* xm_vcpu_guest_context.flags */
#define XM_VGCF_I387_VALID			(1U << 0)
#define XM_VGCF_IN_KERNEL			(1U << 2)
#define XM_VGCF_FAILSAFE_DISABLES_EVENTS	(1U << 3)
#define XM_VGCF_SYSCALL_DISABLES_EVENTS		(1U << 4)
#define XM_VGCF_ONLINE				(1U << 5)
/*
 * In the iret frame's flags: the guest entered the kernel through
 * syscall, so rcx and r11 are the guest's to lose and hv returns with
 * sysret semantics.
 */
#define XM_VGCF_IN_SYSCALL			(1U << 8)

/*
 * Complete state of a PV vCPU.  Unsigned long in the ABI is 64 bits on
 * x86-64; every such field is uint64_t here.
 */
struct xm_vcpu_guest_context {
	/* First, so that a suitably aligned context suits fxsave. */
	uint8_t		fpu_ctxt[512];
	uint64_t	flags;			/* XM_VGCF_* */
	struct xm_cpu_user_regs user_regs;
	struct xm_trap_info trap_ctxt[256];
	uint64_t	ldt_base;		/* linear address */
	uint64_t	ldt_ents;
	uint64_t	gdt_frames[16];		/* machine frames */
	uint64_t	gdt_ents;
	/* The guest kernel's stack: ring 1's slot in a virtual TSS. */
	uint64_t	kernel_ss;
	uint64_t	kernel_sp;
	/* ctrlreg[1] holds the user page table root, which x86 lacks. */
	uint64_t	ctrlreg[8];
	uint64_t	debugreg[8];
	uint64_t	event_callback_eip;
	uint64_t	failsafe_callback_eip;
	uint64_t	syscall_callback_eip;
	uint64_t	vm_assist;		/* bitmap of XM_VMASST_TYPE_* */
	uint64_t	fs_base;
	uint64_t	gs_base_kernel;
	uint64_t	gs_base_user;
};
_Static_assert(sizeof(struct xm_vcpu_guest_context) == 5168,
    "xm_vcpu_guest_context");

/* The architecture's part of shared_info: where to find the guest p2m. */
struct xm_arch_shared_info {
	uint64_t	max_pfn;
	/* 0: not set up; ~0: too large for the tree, use p2m_vaddr. */
	uint64_t	pfn_to_mfn_frame_list_list;
	uint64_t	nmi_reason;		/* XM_NMIREASON_* */
	/* Valid when p2m_cr3 is non-zero. */
	uint64_t	p2m_cr3;
	uint64_t	p2m_vaddr;
	/* Odd while the guest is changing the p2m mapping. */
	uint64_t	p2m_generation;
};
_Static_assert(sizeof(struct xm_arch_shared_info) == 48,
    "xm_arch_shared_info");

/* The architecture's part of vcpu_info. */
struct xm_arch_vcpu_info {
	uint64_t	cr2;		/* the faulting address of a #PF */
	uint64_t	pad;		/* keeps vcpu_info at 64 bytes */
};
_Static_assert(sizeof(struct xm_arch_vcpu_info) == 16, "xm_arch_vcpu_info");

/*
 * What the guest pushes before the iret hypercall, lowest address
 * first: rsp at the hypercall points at rax.
 */
struct xm_iret_context {
	uint64_t	rax;
	uint64_t	r11;
	uint64_t	rcx;
	uint64_t	flags;		/* XM_VGCF_IN_SYSCALL */
	uint64_t	rip;
	uint64_t	cs;
	uint64_t	rflags;
	uint64_t	rsp;
	uint64_t	ss;
};
_Static_assert(sizeof(struct xm_iret_context) == 72, "xm_iret_context");

#endif /* _XM_ARCH_X86_64_H_ */
