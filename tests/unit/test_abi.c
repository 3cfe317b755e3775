/*
 * Checks xm's guest ABI headers against Xen's public headers: every
 * struct's size and every field's offset and size, every constant's
 * value.  Xen's headers are the reference; they are only needed to
 * build this test.
 */

#include <errno.h>
#include <elf.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <xm/hypercall.h>
#include <xm/arch_x86_64.h>
#include <xm/xen_core.h>
#include <xm/event_channel.h>
#include <xm/grant_table.h>
#include <xm/memory.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/version.h>
#include <xm/callback.h>
#include <xm/physdev.h>
#include <xm/platform.h>
#include <xm/elfnote.h>
#include <xm/xs_wire.h>

/* The newest interface these headers know; xm implements no older one. */
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/nmi.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/callback.h>
#include <xen/physdev.h>
#include <xen/platform.h>
#include <xen/elfnote.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

static unsigned int nchecks;

static void
check(uintmax_t ours, uintmax_t theirs, const char *what, const char *file,
    int line)
{
	nchecks++;
	if (ours == theirs)
		return;
	print_error("%s: xm has %#jx (%jd), Xen %#jx (%jd)\n", what, ours,
	    (intmax_t)ours, theirs, (intmax_t)theirs);
	_fail(file, line);
}

#define CHECK(ours, theirs, what)					\
	check((uintmax_t)(ours), (uintmax_t)(theirs), (what), __FILE__,	\
	    __LINE__)

/* A constant: same value, and same signedness once widened. */
#define CHECK_CONST(ours, theirs)					\
	CHECK((ours), (theirs), #ours " vs " #theirs)

#define CHECK_SIZE(ours, theirs)					\
	CHECK(sizeof(struct ours), sizeof(struct theirs),		\
	    "sizeof " #ours " vs " #theirs)

/* A field: same offset and same size. */
#define CHECK_FIELD(os, of, ts, tf) do {				\
	CHECK(offsetof(struct os, of), offsetof(struct ts, tf),		\
	    "offsetof " #os "." #of " vs " #ts "." #tf);		\
	CHECK(sizeof(((struct os *)0)->of), sizeof(((struct ts *)0)->tf), \
	    "sizeof " #os "." #of " vs " #ts "." #tf);			\
} while (0)

/* The common case: the field has the same name on both sides. */
#define CHECK_SAME(os, ts, f)	CHECK_FIELD(os, f, ts, f)

static void
test_hypercall(void **state)
{
	(void)state;

	CHECK(sizeof(xm_guest_handle_t), sizeof(XEN_GUEST_HANDLE(void)),
	    "guest handle size");
	CHECK(sizeof(xm_pfn_t), sizeof(xen_pfn_t), "xm_pfn_t size");
	CHECK(sizeof(xm_domid_t), sizeof(domid_t), "xm_domid_t size");

	CHECK_CONST(XM_HYPERCALL_SET_TRAP_TABLE, __HYPERVISOR_set_trap_table);
	CHECK_CONST(XM_HYPERCALL_MMU_UPDATE, __HYPERVISOR_mmu_update);
	CHECK_CONST(XM_HYPERCALL_SET_GDT, __HYPERVISOR_set_gdt);
	CHECK_CONST(XM_HYPERCALL_STACK_SWITCH, __HYPERVISOR_stack_switch);
	CHECK_CONST(XM_HYPERCALL_SET_CALLBACKS, __HYPERVISOR_set_callbacks);
	CHECK_CONST(XM_HYPERCALL_FPU_TASKSWITCH, __HYPERVISOR_fpu_taskswitch);
	CHECK_CONST(XM_HYPERCALL_SCHED_OP_COMPAT,
	    __HYPERVISOR_sched_op_compat);
	CHECK_CONST(XM_HYPERCALL_PLATFORM_OP, __HYPERVISOR_platform_op);
	CHECK_CONST(XM_HYPERCALL_SET_DEBUGREG, __HYPERVISOR_set_debugreg);
	CHECK_CONST(XM_HYPERCALL_GET_DEBUGREG, __HYPERVISOR_get_debugreg);
	CHECK_CONST(XM_HYPERCALL_UPDATE_DESCRIPTOR,
	    __HYPERVISOR_update_descriptor);
	CHECK_CONST(XM_HYPERCALL_MEMORY_OP, __HYPERVISOR_memory_op);
	CHECK_CONST(XM_HYPERCALL_MULTICALL, __HYPERVISOR_multicall);
	CHECK_CONST(XM_HYPERCALL_UPDATE_VA_MAPPING,
	    __HYPERVISOR_update_va_mapping);
	CHECK_CONST(XM_HYPERCALL_SET_TIMER_OP, __HYPERVISOR_set_timer_op);
	CHECK_CONST(XM_HYPERCALL_EVENT_CHANNEL_OP_COMPAT,
	    __HYPERVISOR_event_channel_op_compat);
	CHECK_CONST(XM_HYPERCALL_XEN_VERSION, __HYPERVISOR_xen_version);
	CHECK_CONST(XM_HYPERCALL_CONSOLE_IO, __HYPERVISOR_console_io);
	CHECK_CONST(XM_HYPERCALL_PHYSDEV_OP_COMPAT,
	    __HYPERVISOR_physdev_op_compat);
	CHECK_CONST(XM_HYPERCALL_GRANT_TABLE_OP, __HYPERVISOR_grant_table_op);
	CHECK_CONST(XM_HYPERCALL_VM_ASSIST, __HYPERVISOR_vm_assist);
	CHECK_CONST(XM_HYPERCALL_UPDATE_VA_MAPPING_OTHERDOMAIN,
	    __HYPERVISOR_update_va_mapping_otherdomain);
	CHECK_CONST(XM_HYPERCALL_IRET, __HYPERVISOR_iret);
	CHECK_CONST(XM_HYPERCALL_VCPU_OP, __HYPERVISOR_vcpu_op);
	CHECK_CONST(XM_HYPERCALL_SET_SEGMENT_BASE,
	    __HYPERVISOR_set_segment_base);
	CHECK_CONST(XM_HYPERCALL_MMUEXT_OP, __HYPERVISOR_mmuext_op);
	CHECK_CONST(XM_HYPERCALL_XSM_OP, __HYPERVISOR_xsm_op);
	CHECK_CONST(XM_HYPERCALL_NMI_OP, __HYPERVISOR_nmi_op);
	CHECK_CONST(XM_HYPERCALL_SCHED_OP, __HYPERVISOR_sched_op);
	CHECK_CONST(XM_HYPERCALL_CALLBACK_OP, __HYPERVISOR_callback_op);
	CHECK_CONST(XM_HYPERCALL_XENOPROF_OP, __HYPERVISOR_xenoprof_op);
	CHECK_CONST(XM_HYPERCALL_EVENT_CHANNEL_OP,
	    __HYPERVISOR_event_channel_op);
	CHECK_CONST(XM_HYPERCALL_PHYSDEV_OP, __HYPERVISOR_physdev_op);
	CHECK_CONST(XM_HYPERCALL_HVM_OP, __HYPERVISOR_hvm_op);
	CHECK_CONST(XM_HYPERCALL_SYSCTL, __HYPERVISOR_sysctl);
	CHECK_CONST(XM_HYPERCALL_DOMCTL, __HYPERVISOR_domctl);
	CHECK_CONST(XM_HYPERCALL_KEXEC_OP, __HYPERVISOR_kexec_op);
	CHECK_CONST(XM_HYPERCALL_TMEM_OP, __HYPERVISOR_tmem_op);
	CHECK_CONST(XM_HYPERCALL_ARGO_OP, __HYPERVISOR_argo_op);
	CHECK_CONST(XM_HYPERCALL_XENPMU_OP, __HYPERVISOR_xenpmu_op);
	CHECK_CONST(XM_HYPERCALL_DM_OP, __HYPERVISOR_dm_op);
	CHECK_CONST(XM_HYPERCALL_HYPFS_OP, __HYPERVISOR_hypfs_op);
	CHECK_CONST(XM_HYPERCALL_ARCH_0, __HYPERVISOR_arch_0);
	CHECK_CONST(XM_HYPERCALL_ARCH_1, __HYPERVISOR_arch_1);
	CHECK_CONST(XM_HYPERCALL_ARCH_2, __HYPERVISOR_arch_2);
	CHECK_CONST(XM_HYPERCALL_ARCH_3, __HYPERVISOR_arch_3);
	CHECK_CONST(XM_HYPERCALL_ARCH_4, __HYPERVISOR_arch_4);
	CHECK_CONST(XM_HYPERCALL_ARCH_5, __HYPERVISOR_arch_5);
	CHECK_CONST(XM_HYPERCALL_ARCH_6, __HYPERVISOR_arch_6);
	CHECK_CONST(XM_HYPERCALL_ARCH_7, __HYPERVISOR_arch_7);
	CHECK_CONST(XM_HYPERCALL_COUNT, __HYPERVISOR_arch_7 + 1);

	/* Xen states the stub size only in prose: number * 32. */
	CHECK_CONST(XM_HYPERCALL_STUB_SIZE, 32);
	CHECK_CONST(XM_HYPERCALL_STUB_OFFSET(XM_HYPERCALL_IRET), 23 * 32);
	CHECK_CONST(XM_HYPERCALL_STUB_COUNT, 128);

	CHECK_CONST(XM_EPERM, XEN_EPERM);
	CHECK_CONST(XM_ENOENT, XEN_ENOENT);
	CHECK_CONST(XM_ESRCH, XEN_ESRCH);
	CHECK_CONST(XM_EIO, XEN_EIO);
	CHECK_CONST(XM_ENXIO, XEN_ENXIO);
	CHECK_CONST(XM_E2BIG, XEN_E2BIG);
	CHECK_CONST(XM_ENOEXEC, XEN_ENOEXEC);
	CHECK_CONST(XM_EBADF, XEN_EBADF);
	CHECK_CONST(XM_ECHILD, XEN_ECHILD);
	CHECK_CONST(XM_EAGAIN, XEN_EAGAIN);
	CHECK_CONST(XM_EWOULDBLOCK, XEN_EWOULDBLOCK);
	CHECK_CONST(XM_ENOMEM, XEN_ENOMEM);
	CHECK_CONST(XM_EACCES, XEN_EACCES);
	CHECK_CONST(XM_EFAULT, XEN_EFAULT);
	CHECK_CONST(XM_EBUSY, XEN_EBUSY);
	CHECK_CONST(XM_EEXIST, XEN_EEXIST);
	CHECK_CONST(XM_EXDEV, XEN_EXDEV);
	CHECK_CONST(XM_ENODEV, XEN_ENODEV);
	CHECK_CONST(XM_ENOTDIR, XEN_ENOTDIR);
	CHECK_CONST(XM_EISDIR, XEN_EISDIR);
	CHECK_CONST(XM_EINVAL, XEN_EINVAL);
	CHECK_CONST(XM_ENFILE, XEN_ENFILE);
	CHECK_CONST(XM_EMFILE, XEN_EMFILE);
	CHECK_CONST(XM_ENOSPC, XEN_ENOSPC);
	CHECK_CONST(XM_EROFS, XEN_EROFS);
	CHECK_CONST(XM_EMLINK, XEN_EMLINK);
	CHECK_CONST(XM_EDOM, XEN_EDOM);
	CHECK_CONST(XM_ERANGE, XEN_ERANGE);
	CHECK_CONST(XM_EDEADLK, XEN_EDEADLK);
	CHECK_CONST(XM_EDEADLOCK, XEN_EDEADLOCK);
	CHECK_CONST(XM_ENAMETOOLONG, XEN_ENAMETOOLONG);
	CHECK_CONST(XM_ENOLCK, XEN_ENOLCK);
	CHECK_CONST(XM_ENOSYS, XEN_ENOSYS);
	CHECK_CONST(XM_ENOTEMPTY, XEN_ENOTEMPTY);
	CHECK_CONST(XM_ENODATA, XEN_ENODATA);
	CHECK_CONST(XM_ETIME, XEN_ETIME);
	CHECK_CONST(XM_EBADMSG, XEN_EBADMSG);
	CHECK_CONST(XM_EOVERFLOW, XEN_EOVERFLOW);
	CHECK_CONST(XM_EILSEQ, XEN_EILSEQ);
	CHECK_CONST(XM_ENOTSOCK, XEN_ENOTSOCK);
	CHECK_CONST(XM_EMSGSIZE, XEN_EMSGSIZE);
	CHECK_CONST(XM_EOPNOTSUPP, XEN_EOPNOTSUPP);
	CHECK_CONST(XM_EADDRINUSE, XEN_EADDRINUSE);
	CHECK_CONST(XM_EADDRNOTAVAIL, XEN_EADDRNOTAVAIL);
	CHECK_CONST(XM_ENOBUFS, XEN_ENOBUFS);
	CHECK_CONST(XM_EISCONN, XEN_EISCONN);
	CHECK_CONST(XM_ENOTCONN, XEN_ENOTCONN);
	CHECK_CONST(XM_ETIMEDOUT, XEN_ETIMEDOUT);
	CHECK_CONST(XM_ECONNREFUSED, XEN_ECONNREFUSED);
	/* Hidden from guests in Xen's header; Linux has the numbers. */
	CHECK_CONST(XM_EINTR, EINTR);
	CHECK_CONST(XM_ERESTART, ERESTART);

	CHECK_CONST(XM_DOMID_FIRST_RESERVED, DOMID_FIRST_RESERVED);
	CHECK_CONST(XM_DOMID_SELF, DOMID_SELF);
	CHECK_CONST(XM_DOMID_IO, DOMID_IO);
	CHECK_CONST(XM_DOMID_XEN, DOMID_XEN);
	CHECK_CONST(XM_DOMID_COW, DOMID_COW);
	CHECK_CONST(XM_DOMID_INVALID, DOMID_INVALID);
	CHECK_CONST(XM_DOMID_IDLE, DOMID_IDLE);
	CHECK_CONST(XM_DOMID_MASK, DOMID_MASK);
}

static void
test_arch_x86_64(void **state)
{
	static const uint8_t prefix[] = XM_EMULATE_PREFIX_BYTES;
	unsigned int b[XM_EMULATE_PREFIX_LEN];
	int i, n;

	(void)state;

	CHECK_CONST(XM_HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_START);
	CHECK_CONST(XM_HYPERVISOR_VIRT_END, HYPERVISOR_VIRT_END);
	CHECK_CONST(XM_MACH2PHYS_VIRT_START, MACH2PHYS_VIRT_START);
	CHECK_CONST(XM_MACH2PHYS_VIRT_END, MACH2PHYS_VIRT_END);
	CHECK_CONST(XM_MACH2PHYS_NR_ENTRIES, MACH2PHYS_NR_ENTRIES);
	CHECK_CONST(XM_PFN_TO_CR3(0x12345), xen_pfn_to_cr3(0x12345));
	CHECK_CONST(XM_CR3_TO_PFN(0x12345000), xen_cr3_to_pfn(0x12345000));

	CHECK_CONST(XM_FLAT_RING3_CS32, FLAT_RING3_CS32);
	CHECK_CONST(XM_FLAT_RING3_DS32, FLAT_RING3_DS32);
	CHECK_CONST(XM_FLAT_RING3_SS32, FLAT_RING3_SS32);
	CHECK_CONST(XM_FLAT_RING3_CS64, FLAT_RING3_CS64);
	CHECK_CONST(XM_FLAT_RING3_DS64, FLAT_RING3_DS64);
	CHECK_CONST(XM_FLAT_RING3_SS64, FLAT_RING3_SS64);
	CHECK_CONST(XM_FLAT_KERNEL_CS32, FLAT_KERNEL_CS32);
	CHECK_CONST(XM_FLAT_KERNEL_DS32, FLAT_KERNEL_DS32);
	CHECK_CONST(XM_FLAT_KERNEL_SS32, FLAT_KERNEL_SS32);
	CHECK_CONST(XM_FLAT_KERNEL_CS64, FLAT_KERNEL_CS64);
	CHECK_CONST(XM_FLAT_KERNEL_DS64, FLAT_KERNEL_DS64);
	CHECK_CONST(XM_FLAT_KERNEL_SS64, FLAT_KERNEL_SS64);
	CHECK_CONST(XM_FLAT_KERNEL_CS, FLAT_KERNEL_CS);
	CHECK_CONST(XM_FLAT_KERNEL_DS, FLAT_KERNEL_DS);
	CHECK_CONST(XM_FLAT_KERNEL_SS, FLAT_KERNEL_SS);
	CHECK_CONST(XM_FLAT_USER_CS32, FLAT_USER_CS32);
	CHECK_CONST(XM_FLAT_USER_DS32, FLAT_USER_DS32);
	CHECK_CONST(XM_FLAT_USER_SS32, FLAT_USER_SS32);
	CHECK_CONST(XM_FLAT_USER_CS64, FLAT_USER_CS64);
	CHECK_CONST(XM_FLAT_USER_DS64, FLAT_USER_DS64);
	CHECK_CONST(XM_FLAT_USER_SS64, FLAT_USER_SS64);
	CHECK_CONST(XM_FLAT_USER_CS, FLAT_USER_CS);
	CHECK_CONST(XM_FLAT_USER_DS, FLAT_USER_DS);
	CHECK_CONST(XM_FLAT_USER_SS, FLAT_USER_SS);

	CHECK_CONST(XM_FIRST_RESERVED_GDT_PAGE, FIRST_RESERVED_GDT_PAGE);
	CHECK_CONST(XM_FIRST_RESERVED_GDT_BYTE, FIRST_RESERVED_GDT_BYTE);
	CHECK_CONST(XM_FIRST_RESERVED_GDT_ENTRY, FIRST_RESERVED_GDT_ENTRY);
	CHECK_CONST(XM_LEGACY_MAX_VCPUS, XEN_LEGACY_MAX_VCPUS);

	CHECK_CONST(XM_SEGBASE_FS, SEGBASE_FS);
	CHECK_CONST(XM_SEGBASE_GS_USER, SEGBASE_GS_USER);
	CHECK_CONST(XM_SEGBASE_GS_KERNEL, SEGBASE_GS_KERNEL);
	CHECK_CONST(XM_SEGBASE_GS_USER_SEL, SEGBASE_GS_USER_SEL);

	CHECK_CONST(XM_NMIREASON_IO_ERROR, XEN_NMIREASON_io_error);
	CHECK_CONST(XM_NMIREASON_PCI_SERR, XEN_NMIREASON_pci_serr);
	CHECK_CONST(XM_NMIREASON_UNKNOWN, XEN_NMIREASON_unknown);

	/* Xen's prefix is assembler text; compare the bytes it names. */
	n = sscanf(XEN_EMULATE_PREFIX, ".byte %x,%x,%x,%x,%x", &b[0], &b[1],
	    &b[2], &b[3], &b[4]);
	CHECK(n, XM_EMULATE_PREFIX_LEN, "XEN_EMULATE_PREFIX byte count");
	CHECK(sizeof(prefix), XM_EMULATE_PREFIX_LEN, "XM_EMULATE_PREFIX_LEN");
	for (i = 0; i < XM_EMULATE_PREFIX_LEN; i++)
		CHECK(prefix[i], b[i], "XM_EMULATE_PREFIX_BYTES");

	CHECK_SIZE(xm_trap_info, trap_info);
	CHECK_SAME(xm_trap_info, trap_info, vector);
	CHECK_SAME(xm_trap_info, trap_info, flags);
	CHECK_SAME(xm_trap_info, trap_info, cs);
	CHECK_SAME(xm_trap_info, trap_info, address);
	/* Xen has accessor macros instead of names for the bits. */
	{
		struct trap_info ti = { .flags = 0 };

		TI_SET_DPL(&ti, 3);
		CHECK(XM_TI_DPL_MASK, TI_GET_DPL(&ti), "XM_TI_DPL_MASK");
		TI_SET_IF(&ti, 1);
		CHECK(XM_TI_MASK_EVENTS, TI_GET_IF(&ti), "XM_TI_MASK_EVENTS");
	}

	CHECK_SIZE(xm_cpu_user_regs, cpu_user_regs);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r15);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r14);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r13);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r12);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rbp);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rbx);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r11);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r10);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r9);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, r8);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rax);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rcx);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rdx);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rsi);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rdi);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, error_code);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, entry_vector);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rip);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, cs);
	CHECK_FIELD(xm_cpu_user_regs, pad0, cpu_user_regs, _pad0);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, saved_upcall_mask);
	CHECK_FIELD(xm_cpu_user_regs, pad1, cpu_user_regs, _pad1);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rflags);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, rsp);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, ss);
	CHECK_FIELD(xm_cpu_user_regs, pad2, cpu_user_regs, _pad2);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, es);
	CHECK_FIELD(xm_cpu_user_regs, pad3, cpu_user_regs, _pad3);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, ds);
	CHECK_FIELD(xm_cpu_user_regs, pad4, cpu_user_regs, _pad4);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, fs);
	CHECK_FIELD(xm_cpu_user_regs, pad5, cpu_user_regs, _pad5);
	CHECK_SAME(xm_cpu_user_regs, cpu_user_regs, gs);
	CHECK_FIELD(xm_cpu_user_regs, pad6, cpu_user_regs, _pad6);

	CHECK_CONST(XM_VGCF_I387_VALID, VGCF_i387_valid);
	CHECK_CONST(XM_VGCF_IN_KERNEL, VGCF_in_kernel);
	CHECK_CONST(XM_VGCF_FAILSAFE_DISABLES_EVENTS,
	    VGCF_failsafe_disables_events);
	CHECK_CONST(XM_VGCF_SYSCALL_DISABLES_EVENTS,
	    VGCF_syscall_disables_events);
	CHECK_CONST(XM_VGCF_ONLINE, VGCF_online);
	CHECK_CONST(XM_VGCF_IN_SYSCALL, VGCF_in_syscall);

	CHECK_SIZE(xm_vcpu_guest_context, vcpu_guest_context);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, fpu_ctxt);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, flags);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, user_regs);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, trap_ctxt);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context,
	    trap_ctxt[255].address);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, ldt_base);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, ldt_ents);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, gdt_frames);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, gdt_ents);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, kernel_ss);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, kernel_sp);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, ctrlreg);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, debugreg);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context,
	    event_callback_eip);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context,
	    failsafe_callback_eip);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context,
	    syscall_callback_eip);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, vm_assist);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, fs_base);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, gs_base_kernel);
	CHECK_SAME(xm_vcpu_guest_context, vcpu_guest_context, gs_base_user);

	CHECK_SIZE(xm_arch_shared_info, arch_shared_info);
	CHECK_SAME(xm_arch_shared_info, arch_shared_info, max_pfn);
	CHECK_SAME(xm_arch_shared_info, arch_shared_info,
	    pfn_to_mfn_frame_list_list);
	CHECK_SAME(xm_arch_shared_info, arch_shared_info, nmi_reason);
	CHECK_SAME(xm_arch_shared_info, arch_shared_info, p2m_cr3);
	CHECK_SAME(xm_arch_shared_info, arch_shared_info, p2m_vaddr);
	CHECK_SAME(xm_arch_shared_info, arch_shared_info, p2m_generation);

	CHECK_SIZE(xm_arch_vcpu_info, arch_vcpu_info);
	CHECK_SAME(xm_arch_vcpu_info, arch_vcpu_info, cr2);
	CHECK_SAME(xm_arch_vcpu_info, arch_vcpu_info, pad);

	CHECK_SIZE(xm_iret_context, iret_context);
	CHECK_SAME(xm_iret_context, iret_context, rax);
	CHECK_SAME(xm_iret_context, iret_context, r11);
	CHECK_SAME(xm_iret_context, iret_context, rcx);
	CHECK_SAME(xm_iret_context, iret_context, flags);
	CHECK_SAME(xm_iret_context, iret_context, rip);
	CHECK_SAME(xm_iret_context, iret_context, cs);
	CHECK_SAME(xm_iret_context, iret_context, rflags);
	CHECK_SAME(xm_iret_context, iret_context, rsp);
	CHECK_SAME(xm_iret_context, iret_context, ss);
}

static void
test_xen_core(void **state)
{
	(void)state;

	CHECK_CONST(XM_VIRQ_TIMER, VIRQ_TIMER);
	CHECK_CONST(XM_VIRQ_DEBUG, VIRQ_DEBUG);
	CHECK_CONST(XM_VIRQ_CONSOLE, VIRQ_CONSOLE);
	CHECK_CONST(XM_VIRQ_DOM_EXC, VIRQ_DOM_EXC);
	CHECK_CONST(XM_VIRQ_TBUF, VIRQ_TBUF);
	CHECK_CONST(XM_VIRQ_DEBUGGER, VIRQ_DEBUGGER);
	CHECK_CONST(XM_VIRQ_XENOPROF, VIRQ_XENOPROF);
	CHECK_CONST(XM_VIRQ_CON_RING, VIRQ_CON_RING);
	CHECK_CONST(XM_VIRQ_PCPU_STATE, VIRQ_PCPU_STATE);
	CHECK_CONST(XM_VIRQ_MEM_EVENT, VIRQ_MEM_EVENT);
	CHECK_CONST(XM_VIRQ_ARGO, VIRQ_ARGO);
	CHECK_CONST(XM_VIRQ_ENOMEM, VIRQ_ENOMEM);
	CHECK_CONST(XM_VIRQ_XENPMU, VIRQ_XENPMU);
	CHECK_CONST(XM_VIRQ_ARCH_0, VIRQ_ARCH_0);
	CHECK_CONST(XM_VIRQ_ARCH_1, VIRQ_ARCH_1);
	CHECK_CONST(XM_VIRQ_ARCH_2, VIRQ_ARCH_2);
	CHECK_CONST(XM_VIRQ_ARCH_3, VIRQ_ARCH_3);
	CHECK_CONST(XM_VIRQ_ARCH_4, VIRQ_ARCH_4);
	CHECK_CONST(XM_VIRQ_ARCH_5, VIRQ_ARCH_5);
	CHECK_CONST(XM_VIRQ_ARCH_6, VIRQ_ARCH_6);
	CHECK_CONST(XM_VIRQ_ARCH_7, VIRQ_ARCH_7);
	CHECK_CONST(XM_NR_VIRQS, NR_VIRQS);
	CHECK_CONST(XM_EVTCHN_2L_NR_CHANNELS, EVTCHN_2L_NR_CHANNELS);
	CHECK_CONST(XM_NR_EVENT_CHANNELS, EVTCHN_2L_NR_CHANNELS);

	CHECK_CONST(XM_MMU_NORMAL_PT_UPDATE, MMU_NORMAL_PT_UPDATE);
	CHECK_CONST(XM_MMU_MACHPHYS_UPDATE, MMU_MACHPHYS_UPDATE);
	CHECK_CONST(XM_MMU_PT_UPDATE_PRESERVE_AD, MMU_PT_UPDATE_PRESERVE_AD);
	CHECK_CONST(XM_MMU_PT_UPDATE_NO_TRANSLATE,
	    MMU_PT_UPDATE_NO_TRANSLATE);
	CHECK_SIZE(xm_mmu_update, mmu_update);
	CHECK_SAME(xm_mmu_update, mmu_update, ptr);
	CHECK_SAME(xm_mmu_update, mmu_update, val);

	CHECK_CONST(XM_MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L1_TABLE);
	CHECK_CONST(XM_MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L2_TABLE);
	CHECK_CONST(XM_MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L3_TABLE);
	CHECK_CONST(XM_MMUEXT_PIN_L4_TABLE, MMUEXT_PIN_L4_TABLE);
	CHECK_CONST(XM_MMUEXT_UNPIN_TABLE, MMUEXT_UNPIN_TABLE);
	CHECK_CONST(XM_MMUEXT_NEW_BASEPTR, MMUEXT_NEW_BASEPTR);
	CHECK_CONST(XM_MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_TLB_FLUSH_LOCAL);
	CHECK_CONST(XM_MMUEXT_INVLPG_LOCAL, MMUEXT_INVLPG_LOCAL);
	CHECK_CONST(XM_MMUEXT_TLB_FLUSH_MULTI, MMUEXT_TLB_FLUSH_MULTI);
	CHECK_CONST(XM_MMUEXT_INVLPG_MULTI, MMUEXT_INVLPG_MULTI);
	CHECK_CONST(XM_MMUEXT_TLB_FLUSH_ALL, MMUEXT_TLB_FLUSH_ALL);
	CHECK_CONST(XM_MMUEXT_INVLPG_ALL, MMUEXT_INVLPG_ALL);
	CHECK_CONST(XM_MMUEXT_FLUSH_CACHE, MMUEXT_FLUSH_CACHE);
	CHECK_CONST(XM_MMUEXT_SET_LDT, MMUEXT_SET_LDT);
	CHECK_CONST(XM_MMUEXT_NEW_USER_BASEPTR, MMUEXT_NEW_USER_BASEPTR);
	CHECK_CONST(XM_MMUEXT_CLEAR_PAGE, MMUEXT_CLEAR_PAGE);
	CHECK_CONST(XM_MMUEXT_COPY_PAGE, MMUEXT_COPY_PAGE);
	CHECK_CONST(XM_MMUEXT_FLUSH_CACHE_GLOBAL, MMUEXT_FLUSH_CACHE_GLOBAL);
	CHECK_CONST(XM_MMUEXT_MARK_SUPER, MMUEXT_MARK_SUPER);
	CHECK_CONST(XM_MMUEXT_UNMARK_SUPER, MMUEXT_UNMARK_SUPER);
	CHECK_SIZE(xm_mmuext_op, mmuext_op);
	CHECK_SAME(xm_mmuext_op, mmuext_op, cmd);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg1);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg1.mfn);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg1.linear_addr);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg2);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg2.nr_ents);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg2.vcpumask);
	CHECK_SAME(xm_mmuext_op, mmuext_op, arg2.src_mfn);

	CHECK_CONST(XM_UVMF_NONE, UVMF_NONE);
	CHECK_CONST(XM_UVMF_TLB_FLUSH, UVMF_TLB_FLUSH);
	CHECK_CONST(XM_UVMF_INVLPG, UVMF_INVLPG);
	CHECK_CONST(XM_UVMF_FLUSHTYPE_MASK, UVMF_FLUSHTYPE_MASK);
	CHECK_CONST(XM_UVMF_MULTI, UVMF_MULTI);
	CHECK_CONST(XM_UVMF_LOCAL, UVMF_LOCAL);
	CHECK_CONST(XM_UVMF_ALL, UVMF_ALL);

	CHECK_CONST(XM_CONSOLEIO_WRITE, CONSOLEIO_write);
	CHECK_CONST(XM_CONSOLEIO_READ, CONSOLEIO_read);

	CHECK_CONST(XM_VMASST_CMD_ENABLE, VMASST_CMD_enable);
	CHECK_CONST(XM_VMASST_CMD_DISABLE, VMASST_CMD_disable);
	CHECK_CONST(XM_VMASST_TYPE_4GB_SEGMENTS, VMASST_TYPE_4gb_segments);
	CHECK_CONST(XM_VMASST_TYPE_4GB_SEGMENTS_NOTIFY,
	    VMASST_TYPE_4gb_segments_notify);
	CHECK_CONST(XM_VMASST_TYPE_WRITABLE_PAGETABLES,
	    VMASST_TYPE_writable_pagetables);
	CHECK_CONST(XM_VMASST_TYPE_PAE_EXTENDED_CR3,
	    VMASST_TYPE_pae_extended_cr3);
	CHECK_CONST(XM_VMASST_TYPE_ARCHITECTURAL_IOPL,
	    VMASST_TYPE_architectural_iopl);
	CHECK_CONST(XM_VMASST_TYPE_RUNSTATE_UPDATE_FLAG,
	    VMASST_TYPE_runstate_update_flag);
	CHECK_CONST(XM_VMASST_TYPE_M2P_STRICT, VMASST_TYPE_m2p_strict);

	CHECK_SIZE(xm_multicall_entry, multicall_entry);
	CHECK_SAME(xm_multicall_entry, multicall_entry, op);
	CHECK_SAME(xm_multicall_entry, multicall_entry, result);
	CHECK_SAME(xm_multicall_entry, multicall_entry, args);

	CHECK_SIZE(xm_vcpu_time_info, vcpu_time_info);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, version);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, pad0);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, tsc_timestamp);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, system_time);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, tsc_to_system_mul);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, tsc_shift);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, flags);
	CHECK_SAME(xm_vcpu_time_info, vcpu_time_info, pad1);
	CHECK_CONST(XM_PVCLOCK_TSC_STABLE_BIT, XEN_PVCLOCK_TSC_STABLE_BIT);
	CHECK_CONST(XM_PVCLOCK_GUEST_STOPPED, XEN_PVCLOCK_GUEST_STOPPED);

	CHECK_SIZE(xm_vcpu_info, vcpu_info);
	CHECK_SAME(xm_vcpu_info, vcpu_info, evtchn_upcall_pending);
	CHECK_SAME(xm_vcpu_info, vcpu_info, evtchn_upcall_mask);
	CHECK_SAME(xm_vcpu_info, vcpu_info, evtchn_pending_sel);
	CHECK_SAME(xm_vcpu_info, vcpu_info, arch);
	CHECK_SAME(xm_vcpu_info, vcpu_info, time);

	CHECK_SIZE(xm_shared_info, shared_info);
	CHECK_SAME(xm_shared_info, shared_info, vcpu_info);
	CHECK_SAME(xm_shared_info, shared_info, vcpu_info[31].time);
	CHECK_SAME(xm_shared_info, shared_info, evtchn_pending);
	CHECK_SAME(xm_shared_info, shared_info, evtchn_mask);
	CHECK_SAME(xm_shared_info, shared_info, wc_version);
	CHECK_SAME(xm_shared_info, shared_info, wc_sec);
	CHECK_SAME(xm_shared_info, shared_info, wc_nsec);
	CHECK_SAME(xm_shared_info, shared_info, wc_sec_hi);
	CHECK_SAME(xm_shared_info, shared_info, arch);

	CHECK_CONST(XM_MAX_GUEST_CMDLINE, MAX_GUEST_CMDLINE);
	CHECK(XM_START_INFO_MAGIC_LEN, sizeof(((start_info_t *)0)->magic),
	    "XM_START_INFO_MAGIC_LEN");
	CHECK(sizeof(XM_START_INFO_MAGIC) <= XM_START_INFO_MAGIC_LEN, 1,
	    "XM_START_INFO_MAGIC fits");
	CHECK_SIZE(xm_start_info, start_info);
	CHECK_SAME(xm_start_info, start_info, magic);
	CHECK_SAME(xm_start_info, start_info, nr_pages);
	CHECK_SAME(xm_start_info, start_info, shared_info);
	CHECK_SAME(xm_start_info, start_info, flags);
	CHECK_SAME(xm_start_info, start_info, store_mfn);
	CHECK_SAME(xm_start_info, start_info, store_evtchn);
	CHECK_SAME(xm_start_info, start_info, console);
	CHECK_SAME(xm_start_info, start_info, console.domU);
	CHECK_SAME(xm_start_info, start_info, console.domU.mfn);
	CHECK_SAME(xm_start_info, start_info, console.domU.evtchn);
	CHECK_SAME(xm_start_info, start_info, console.dom0);
	CHECK_SAME(xm_start_info, start_info, console.dom0.info_off);
	CHECK_SAME(xm_start_info, start_info, console.dom0.info_size);
	CHECK_SAME(xm_start_info, start_info, pt_base);
	CHECK_SAME(xm_start_info, start_info, nr_pt_frames);
	CHECK_SAME(xm_start_info, start_info, mfn_list);
	CHECK_SAME(xm_start_info, start_info, mod_start);
	CHECK_SAME(xm_start_info, start_info, mod_len);
	CHECK_SAME(xm_start_info, start_info, cmd_line);
	CHECK_SAME(xm_start_info, start_info, first_p2m_pfn);
	CHECK_SAME(xm_start_info, start_info, nr_p2m_frames);

	CHECK_CONST(XM_SIF_PRIVILEGED, SIF_PRIVILEGED);
	CHECK_CONST(XM_SIF_INITDOMAIN, SIF_INITDOMAIN);
	CHECK_CONST(XM_SIF_MULTIBOOT_MOD, SIF_MULTIBOOT_MOD);
	CHECK_CONST(XM_SIF_MOD_START_PFN, SIF_MOD_START_PFN);
	CHECK_CONST(XM_SIF_VIRT_P2M_4TOOLS, SIF_VIRT_P2M_4TOOLS);
	CHECK_CONST(XM_SIF_PM_MASK, SIF_PM_MASK);

	CHECK_SIZE(xm_multiboot_mod_list, xen_multiboot_mod_list);
	CHECK_SAME(xm_multiboot_mod_list, xen_multiboot_mod_list, mod_start);
	CHECK_SAME(xm_multiboot_mod_list, xen_multiboot_mod_list, mod_end);
	CHECK_SAME(xm_multiboot_mod_list, xen_multiboot_mod_list, cmdline);
	CHECK_SAME(xm_multiboot_mod_list, xen_multiboot_mod_list, pad);

	CHECK(sizeof(xm_console_ring_idx_t), sizeof(XENCONS_RING_IDX),
	    "xm_console_ring_idx_t size");
	CHECK_SIZE(xm_console_interface, xencons_interface);
	CHECK_SAME(xm_console_interface, xencons_interface, in);
	CHECK_SAME(xm_console_interface, xencons_interface, out);
	CHECK_SAME(xm_console_interface, xencons_interface, in_cons);
	CHECK_SAME(xm_console_interface, xencons_interface, in_prod);
	CHECK_SAME(xm_console_interface, xencons_interface, out_cons);
	CHECK_SAME(xm_console_interface, xencons_interface, out_prod);
	{
		struct xm_console_interface c;
		struct xencons_interface x;

		CHECK(XM_CONSOLE_IDX(5000U, c.out),
		    MASK_XENCONS_IDX(5000U, x.out), "XM_CONSOLE_IDX out");
		CHECK(XM_CONSOLE_IDX(5000U, c.in),
		    MASK_XENCONS_IDX(5000U, x.in), "XM_CONSOLE_IDX in");
	}

	CHECK_SIZE(xm_xs_interface, xenstore_domain_interface);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, req);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, rsp);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, req_cons);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, req_prod);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, rsp_cons);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, rsp_prod);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface,
	    server_features);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface,
	    connection);
	CHECK_SAME(xm_xs_interface, xenstore_domain_interface, error);
}

static void
test_event_channel(void **state)
{
	(void)state;

	CHECK(sizeof(xm_evtchn_port_t), sizeof(evtchn_port_t),
	    "xm_evtchn_port_t size");

	CHECK_CONST(XM_EVTCHNOP_BIND_INTERDOMAIN, EVTCHNOP_bind_interdomain);
	CHECK_CONST(XM_EVTCHNOP_BIND_VIRQ, EVTCHNOP_bind_virq);
	CHECK_CONST(XM_EVTCHNOP_BIND_PIRQ, EVTCHNOP_bind_pirq);
	CHECK_CONST(XM_EVTCHNOP_CLOSE, EVTCHNOP_close);
	CHECK_CONST(XM_EVTCHNOP_SEND, EVTCHNOP_send);
	CHECK_CONST(XM_EVTCHNOP_STATUS, EVTCHNOP_status);
	CHECK_CONST(XM_EVTCHNOP_ALLOC_UNBOUND, EVTCHNOP_alloc_unbound);
	CHECK_CONST(XM_EVTCHNOP_BIND_IPI, EVTCHNOP_bind_ipi);
	CHECK_CONST(XM_EVTCHNOP_BIND_VCPU, EVTCHNOP_bind_vcpu);
	CHECK_CONST(XM_EVTCHNOP_UNMASK, EVTCHNOP_unmask);
	CHECK_CONST(XM_EVTCHNOP_RESET, EVTCHNOP_reset);
	CHECK_CONST(XM_EVTCHNOP_INIT_CONTROL, EVTCHNOP_init_control);
	CHECK_CONST(XM_EVTCHNOP_EXPAND_ARRAY, EVTCHNOP_expand_array);
	CHECK_CONST(XM_EVTCHNOP_SET_PRIORITY, EVTCHNOP_set_priority);

	CHECK_SIZE(xm_evtchn_alloc_unbound, evtchn_alloc_unbound);
	CHECK_SAME(xm_evtchn_alloc_unbound, evtchn_alloc_unbound, dom);
	CHECK_SAME(xm_evtchn_alloc_unbound, evtchn_alloc_unbound, remote_dom);
	CHECK_SAME(xm_evtchn_alloc_unbound, evtchn_alloc_unbound, port);

	CHECK_SIZE(xm_evtchn_bind_interdomain, evtchn_bind_interdomain);
	CHECK_SAME(xm_evtchn_bind_interdomain, evtchn_bind_interdomain,
	    remote_dom);
	CHECK_SAME(xm_evtchn_bind_interdomain, evtchn_bind_interdomain,
	    remote_port);
	CHECK_SAME(xm_evtchn_bind_interdomain, evtchn_bind_interdomain,
	    local_port);

	CHECK_SIZE(xm_evtchn_bind_virq, evtchn_bind_virq);
	CHECK_SAME(xm_evtchn_bind_virq, evtchn_bind_virq, virq);
	CHECK_SAME(xm_evtchn_bind_virq, evtchn_bind_virq, vcpu);
	CHECK_SAME(xm_evtchn_bind_virq, evtchn_bind_virq, port);

	CHECK_SIZE(xm_evtchn_bind_pirq, evtchn_bind_pirq);
	CHECK_SAME(xm_evtchn_bind_pirq, evtchn_bind_pirq, pirq);
	CHECK_SAME(xm_evtchn_bind_pirq, evtchn_bind_pirq, flags);
	CHECK_SAME(xm_evtchn_bind_pirq, evtchn_bind_pirq, port);
	CHECK_CONST(XM_BIND_PIRQ_WILL_SHARE, BIND_PIRQ__WILL_SHARE);

	CHECK_SIZE(xm_evtchn_bind_ipi, evtchn_bind_ipi);
	CHECK_SAME(xm_evtchn_bind_ipi, evtchn_bind_ipi, vcpu);
	CHECK_SAME(xm_evtchn_bind_ipi, evtchn_bind_ipi, port);

	CHECK_SIZE(xm_evtchn_close, evtchn_close);
	CHECK_SAME(xm_evtchn_close, evtchn_close, port);
	CHECK_SIZE(xm_evtchn_send, evtchn_send);
	CHECK_SAME(xm_evtchn_send, evtchn_send, port);

	CHECK_CONST(XM_EVTCHNSTAT_CLOSED, EVTCHNSTAT_closed);
	CHECK_CONST(XM_EVTCHNSTAT_UNBOUND, EVTCHNSTAT_unbound);
	CHECK_CONST(XM_EVTCHNSTAT_INTERDOMAIN, EVTCHNSTAT_interdomain);
	CHECK_CONST(XM_EVTCHNSTAT_PIRQ, EVTCHNSTAT_pirq);
	CHECK_CONST(XM_EVTCHNSTAT_VIRQ, EVTCHNSTAT_virq);
	CHECK_CONST(XM_EVTCHNSTAT_IPI, EVTCHNSTAT_ipi);
	CHECK_SIZE(xm_evtchn_status, evtchn_status);
	CHECK_SAME(xm_evtchn_status, evtchn_status, dom);
	CHECK_SAME(xm_evtchn_status, evtchn_status, port);
	CHECK_SAME(xm_evtchn_status, evtchn_status, status);
	CHECK_SAME(xm_evtchn_status, evtchn_status, vcpu);
	CHECK_SAME(xm_evtchn_status, evtchn_status, u);
	CHECK_SAME(xm_evtchn_status, evtchn_status, u.unbound.dom);
	CHECK_SAME(xm_evtchn_status, evtchn_status, u.interdomain.dom);
	CHECK_SAME(xm_evtchn_status, evtchn_status, u.interdomain.port);
	CHECK_SAME(xm_evtchn_status, evtchn_status, u.pirq);
	CHECK_SAME(xm_evtchn_status, evtchn_status, u.virq);

	CHECK_SIZE(xm_evtchn_bind_vcpu, evtchn_bind_vcpu);
	CHECK_SAME(xm_evtchn_bind_vcpu, evtchn_bind_vcpu, port);
	CHECK_SAME(xm_evtchn_bind_vcpu, evtchn_bind_vcpu, vcpu);

	CHECK_SIZE(xm_evtchn_unmask, evtchn_unmask);
	CHECK_SAME(xm_evtchn_unmask, evtchn_unmask, port);

	CHECK_SIZE(xm_evtchn_reset, evtchn_reset);
	CHECK_SAME(xm_evtchn_reset, evtchn_reset, dom);
}

static void
test_grant_table(void **state)
{
	(void)state;

	CHECK(sizeof(xm_grant_ref_t), sizeof(grant_ref_t),
	    "xm_grant_ref_t size");
	CHECK(sizeof(xm_grant_handle_t), sizeof(grant_handle_t),
	    "xm_grant_handle_t size");

	CHECK_CONST(XM_GNTTABOP_MAP_GRANT_REF, GNTTABOP_map_grant_ref);
	CHECK_CONST(XM_GNTTABOP_UNMAP_GRANT_REF, GNTTABOP_unmap_grant_ref);
	CHECK_CONST(XM_GNTTABOP_SETUP_TABLE, GNTTABOP_setup_table);
	CHECK_CONST(XM_GNTTABOP_DUMP_TABLE, GNTTABOP_dump_table);
	CHECK_CONST(XM_GNTTABOP_TRANSFER, GNTTABOP_transfer);
	CHECK_CONST(XM_GNTTABOP_COPY, GNTTABOP_copy);
	CHECK_CONST(XM_GNTTABOP_QUERY_SIZE, GNTTABOP_query_size);
	CHECK_CONST(XM_GNTTABOP_UNMAP_AND_REPLACE,
	    GNTTABOP_unmap_and_replace);
	CHECK_CONST(XM_GNTTABOP_SET_VERSION, GNTTABOP_set_version);
	CHECK_CONST(XM_GNTTABOP_GET_STATUS_FRAMES,
	    GNTTABOP_get_status_frames);
	CHECK_CONST(XM_GNTTABOP_GET_VERSION, GNTTABOP_get_version);
	CHECK_CONST(XM_GNTTABOP_SWAP_GRANT_REF, GNTTABOP_swap_grant_ref);
	CHECK_CONST(XM_GNTTABOP_CACHE_FLUSH, GNTTABOP_cache_flush);

	CHECK_SIZE(xm_grant_entry_v1, grant_entry_v1);
	CHECK_SAME(xm_grant_entry_v1, grant_entry_v1, flags);
	CHECK_SAME(xm_grant_entry_v1, grant_entry_v1, domid);
	CHECK_SAME(xm_grant_entry_v1, grant_entry_v1, frame);

	CHECK_CONST(XM_GNTTAB_NR_RESERVED_ENTRIES,
	    GNTTAB_NR_RESERVED_ENTRIES);
	CHECK_CONST(XM_GNTTAB_RESERVED_CONSOLE, GNTTAB_RESERVED_CONSOLE);
	CHECK_CONST(XM_GNTTAB_RESERVED_XENSTORE, GNTTAB_RESERVED_XENSTORE);

	CHECK_CONST(XM_GTF_INVALID, GTF_invalid);
	CHECK_CONST(XM_GTF_PERMIT_ACCESS, GTF_permit_access);
	CHECK_CONST(XM_GTF_ACCEPT_TRANSFER, GTF_accept_transfer);
	CHECK_CONST(XM_GTF_TRANSITIVE, GTF_transitive);
	CHECK_CONST(XM_GTF_TYPE_MASK, GTF_type_mask);
	CHECK_CONST(XM_GTF_READONLY, GTF_readonly);
	CHECK_CONST(XM_GTF_READING, GTF_reading);
	CHECK_CONST(XM_GTF_WRITING, GTF_writing);
	CHECK_CONST(XM_GTF_PWT, GTF_PWT);
	CHECK_CONST(XM_GTF_PCD, GTF_PCD);
	CHECK_CONST(XM_GTF_PAT, GTF_PAT);
	CHECK_CONST(XM_GTF_SUB_PAGE, GTF_sub_page);
	CHECK_CONST(XM_GTF_TRANSFER_COMMITTED, GTF_transfer_committed);
	CHECK_CONST(XM_GTF_TRANSFER_COMPLETED, GTF_transfer_completed);

	CHECK_CONST(XM_GNTMAP_DEVICE_MAP, GNTMAP_device_map);
	CHECK_CONST(XM_GNTMAP_HOST_MAP, GNTMAP_host_map);
	CHECK_CONST(XM_GNTMAP_READONLY, GNTMAP_readonly);
	CHECK_CONST(XM_GNTMAP_APPLICATION_MAP, GNTMAP_application_map);
	CHECK_CONST(XM_GNTMAP_CONTAINS_PTE, GNTMAP_contains_pte);
	CHECK_CONST(XM_GNTMAP_GUEST_AVAIL0, _GNTMAP_guest_avail0);
	CHECK_CONST(XM_GNTMAP_GUEST_AVAIL_MASK, GNTMAP_guest_avail_mask);

	CHECK_CONST(XM_GNTST_OKAY, GNTST_okay);
	CHECK_CONST(XM_GNTST_GENERAL_ERROR, GNTST_general_error);
	CHECK_CONST(XM_GNTST_BAD_DOMAIN, GNTST_bad_domain);
	CHECK_CONST(XM_GNTST_BAD_GNTREF, GNTST_bad_gntref);
	CHECK_CONST(XM_GNTST_BAD_HANDLE, GNTST_bad_handle);
	CHECK_CONST(XM_GNTST_BAD_VIRT_ADDR, GNTST_bad_virt_addr);
	CHECK_CONST(XM_GNTST_BAD_DEV_ADDR, GNTST_bad_dev_addr);
	CHECK_CONST(XM_GNTST_NO_DEVICE_SPACE, GNTST_no_device_space);
	CHECK_CONST(XM_GNTST_PERMISSION_DENIED, GNTST_permission_denied);
	CHECK_CONST(XM_GNTST_BAD_PAGE, GNTST_bad_page);
	CHECK_CONST(XM_GNTST_BAD_COPY_ARG, GNTST_bad_copy_arg);
	CHECK_CONST(XM_GNTST_ADDRESS_TOO_BIG, GNTST_address_too_big);
	CHECK_CONST(XM_GNTST_EAGAIN, GNTST_eagain);
	CHECK_CONST(XM_GNTST_NO_SPACE, GNTST_no_space);

	CHECK_SIZE(xm_gnttab_map_grant_ref, gnttab_map_grant_ref);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref, host_addr);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref, flags);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref, ref);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref, dom);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref, status);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref, handle);
	CHECK_SAME(xm_gnttab_map_grant_ref, gnttab_map_grant_ref,
	    dev_bus_addr);

	CHECK_SIZE(xm_gnttab_unmap_grant_ref, gnttab_unmap_grant_ref);
	CHECK_SAME(xm_gnttab_unmap_grant_ref, gnttab_unmap_grant_ref,
	    host_addr);
	CHECK_SAME(xm_gnttab_unmap_grant_ref, gnttab_unmap_grant_ref,
	    dev_bus_addr);
	CHECK_SAME(xm_gnttab_unmap_grant_ref, gnttab_unmap_grant_ref, handle);
	CHECK_SAME(xm_gnttab_unmap_grant_ref, gnttab_unmap_grant_ref, status);

	CHECK_SIZE(xm_gnttab_setup_table, gnttab_setup_table);
	CHECK_SAME(xm_gnttab_setup_table, gnttab_setup_table, dom);
	CHECK_SAME(xm_gnttab_setup_table, gnttab_setup_table, nr_frames);
	CHECK_SAME(xm_gnttab_setup_table, gnttab_setup_table, status);
	CHECK_SAME(xm_gnttab_setup_table, gnttab_setup_table, frame_list);

	CHECK_SIZE(xm_gnttab_dump_table, gnttab_dump_table);
	CHECK_SAME(xm_gnttab_dump_table, gnttab_dump_table, dom);
	CHECK_SAME(xm_gnttab_dump_table, gnttab_dump_table, status);

	CHECK_SIZE(xm_gnttab_transfer, gnttab_transfer);
	CHECK_SAME(xm_gnttab_transfer, gnttab_transfer, mfn);
	CHECK_SAME(xm_gnttab_transfer, gnttab_transfer, domid);
	CHECK_SAME(xm_gnttab_transfer, gnttab_transfer, ref);
	CHECK_SAME(xm_gnttab_transfer, gnttab_transfer, status);

	CHECK_CONST(XM_GNTCOPY_SOURCE_GREF, GNTCOPY_source_gref);
	CHECK_CONST(XM_GNTCOPY_DEST_GREF, GNTCOPY_dest_gref);
	CHECK_SIZE(xm_gnttab_copy_ptr, gnttab_copy_ptr);
	CHECK_SAME(xm_gnttab_copy_ptr, gnttab_copy_ptr, u);
	CHECK_SAME(xm_gnttab_copy_ptr, gnttab_copy_ptr, u.ref);
	CHECK_SAME(xm_gnttab_copy_ptr, gnttab_copy_ptr, u.gmfn);
	CHECK_SAME(xm_gnttab_copy_ptr, gnttab_copy_ptr, domid);
	CHECK_SAME(xm_gnttab_copy_ptr, gnttab_copy_ptr, offset);
	CHECK_SIZE(xm_gnttab_copy, gnttab_copy);
	CHECK_SAME(xm_gnttab_copy, gnttab_copy, source);
	CHECK_SAME(xm_gnttab_copy, gnttab_copy, dest);
	CHECK_SAME(xm_gnttab_copy, gnttab_copy, dest.offset);
	CHECK_SAME(xm_gnttab_copy, gnttab_copy, len);
	CHECK_SAME(xm_gnttab_copy, gnttab_copy, flags);
	CHECK_SAME(xm_gnttab_copy, gnttab_copy, status);

	CHECK_SIZE(xm_gnttab_query_size, gnttab_query_size);
	CHECK_SAME(xm_gnttab_query_size, gnttab_query_size, dom);
	CHECK_SAME(xm_gnttab_query_size, gnttab_query_size, nr_frames);
	CHECK_SAME(xm_gnttab_query_size, gnttab_query_size, max_nr_frames);
	CHECK_SAME(xm_gnttab_query_size, gnttab_query_size, status);

	CHECK_SIZE(xm_gnttab_unmap_and_replace, gnttab_unmap_and_replace);
	CHECK_SAME(xm_gnttab_unmap_and_replace, gnttab_unmap_and_replace,
	    host_addr);
	CHECK_SAME(xm_gnttab_unmap_and_replace, gnttab_unmap_and_replace,
	    new_addr);
	CHECK_SAME(xm_gnttab_unmap_and_replace, gnttab_unmap_and_replace,
	    handle);
	CHECK_SAME(xm_gnttab_unmap_and_replace, gnttab_unmap_and_replace,
	    status);
}

static void
test_memory(void **state)
{
	(void)state;

	CHECK_CONST(XM_XENMEM_INCREASE_RESERVATION,
	    XENMEM_increase_reservation);
	CHECK_CONST(XM_XENMEM_DECREASE_RESERVATION,
	    XENMEM_decrease_reservation);
	CHECK_CONST(XM_XENMEM_MAXIMUM_RAM_PAGE, XENMEM_maximum_ram_page);
	CHECK_CONST(XM_XENMEM_CURRENT_RESERVATION,
	    XENMEM_current_reservation);
	CHECK_CONST(XM_XENMEM_MAXIMUM_RESERVATION,
	    XENMEM_maximum_reservation);
	CHECK_CONST(XM_XENMEM_MACHPHYS_MFN_LIST, XENMEM_machphys_mfn_list);
	CHECK_CONST(XM_XENMEM_POPULATE_PHYSMAP, XENMEM_populate_physmap);
	CHECK_CONST(XM_XENMEM_ADD_TO_PHYSMAP, XENMEM_add_to_physmap);
	CHECK_CONST(XM_XENMEM_MEMORY_MAP, XENMEM_memory_map);
	CHECK_CONST(XM_XENMEM_MACHINE_MEMORY_MAP, XENMEM_machine_memory_map);
	CHECK_CONST(XM_XENMEM_EXCHANGE, XENMEM_exchange);
	CHECK_CONST(XM_XENMEM_MACHPHYS_MAPPING, XENMEM_machphys_mapping);
	CHECK_CONST(XM_XENMEM_SET_MEMORY_MAP, XENMEM_set_memory_map);
	CHECK_CONST(XM_XENMEM_MAXIMUM_GPFN, XENMEM_maximum_gpfn);
	CHECK_CONST(XM_XENMEM_REMOVE_FROM_PHYSMAP,
	    XENMEM_remove_from_physmap);
	CHECK_CONST(XM_XENMEM_SET_POD_TARGET, XENMEM_set_pod_target);
	CHECK_CONST(XM_XENMEM_GET_POD_TARGET, XENMEM_get_pod_target);
	CHECK_CONST(XM_XENMEM_ADD_TO_PHYSMAP_BATCH,
	    XENMEM_add_to_physmap_batch);
	CHECK_CONST(XM_XENMEM_MACHPHYS_COMPAT_MFN_LIST,
	    XENMEM_machphys_compat_mfn_list);
	CHECK_CONST(XM_XENMEM_GET_VNUMAINFO, XENMEM_get_vnumainfo);
	CHECK_CONST(XM_XENMEM_ACQUIRE_RESOURCE, XENMEM_acquire_resource);

	CHECK_CONST(XM_XENMEMF_ADDRESS_BITS(32), XENMEMF_address_bits(32));
	CHECK_CONST(XM_XENMEMF_GET_ADDRESS_BITS(0x1234),
	    XENMEMF_get_address_bits(0x1234));
	CHECK_CONST(XM_XENMEMF_NODE(3), XENMEMF_node(3));
	CHECK_CONST(XM_XENMEMF_GET_NODE(0x400), XENMEMF_get_node(0x400));
	CHECK_CONST(XM_XENMEMF_POPULATE_ON_DEMAND,
	    XENMEMF_populate_on_demand);
	CHECK_CONST(XM_XENMEMF_EXACT_NODE_REQUEST,
	    XENMEMF_exact_node_request);
	CHECK_CONST(XM_XENMEMF_EXACT_NODE(2), XENMEMF_exact_node(2));
	CHECK_CONST(XM_XENMEMF_VNODE, XENMEMF_vnode);

	CHECK_SIZE(xm_memory_reservation, xen_memory_reservation);
	CHECK_SAME(xm_memory_reservation, xen_memory_reservation,
	    extent_start);
	CHECK_SAME(xm_memory_reservation, xen_memory_reservation, nr_extents);
	CHECK_SAME(xm_memory_reservation, xen_memory_reservation,
	    extent_order);
	CHECK_SAME(xm_memory_reservation, xen_memory_reservation, mem_flags);
	CHECK_SAME(xm_memory_reservation, xen_memory_reservation, domid);

	CHECK_SIZE(xm_memory_exchange, xen_memory_exchange);
	CHECK_SAME(xm_memory_exchange, xen_memory_exchange, in);
	CHECK_SAME(xm_memory_exchange, xen_memory_exchange, out);
	CHECK_SAME(xm_memory_exchange, xen_memory_exchange, out.domid);
	CHECK_SAME(xm_memory_exchange, xen_memory_exchange, nr_exchanged);

	CHECK_SIZE(xm_machphys_mfn_list, xen_machphys_mfn_list);
	CHECK_SAME(xm_machphys_mfn_list, xen_machphys_mfn_list, max_extents);
	CHECK_SAME(xm_machphys_mfn_list, xen_machphys_mfn_list, extent_start);
	CHECK_SAME(xm_machphys_mfn_list, xen_machphys_mfn_list, nr_extents);

	CHECK_SIZE(xm_machphys_mapping, xen_machphys_mapping);
	CHECK_SAME(xm_machphys_mapping, xen_machphys_mapping, v_start);
	CHECK_SAME(xm_machphys_mapping, xen_machphys_mapping, v_end);
	CHECK_SAME(xm_machphys_mapping, xen_machphys_mapping, max_mfn);

	CHECK_CONST(XM_XENMAPSPACE_SHARED_INFO, XENMAPSPACE_shared_info);
	CHECK_CONST(XM_XENMAPSPACE_GRANT_TABLE, XENMAPSPACE_grant_table);
	CHECK_CONST(XM_XENMAPSPACE_GMFN, XENMAPSPACE_gmfn);
	CHECK_CONST(XM_XENMAPSPACE_GMFN_RANGE, XENMAPSPACE_gmfn_range);
	CHECK_CONST(XM_XENMAPSPACE_GMFN_FOREIGN, XENMAPSPACE_gmfn_foreign);
	CHECK_CONST(XM_XENMAPSPACE_DEV_MMIO, XENMAPSPACE_dev_mmio);
	CHECK_CONST(XM_XENMAPIDX_GRANT_TABLE_STATUS,
	    XENMAPIDX_grant_table_status);

	CHECK_SIZE(xm_add_to_physmap, xen_add_to_physmap);
	CHECK_SAME(xm_add_to_physmap, xen_add_to_physmap, domid);
	CHECK_SAME(xm_add_to_physmap, xen_add_to_physmap, size);
	CHECK_SAME(xm_add_to_physmap, xen_add_to_physmap, space);
	CHECK_SAME(xm_add_to_physmap, xen_add_to_physmap, idx);
	CHECK_SAME(xm_add_to_physmap, xen_add_to_physmap, gpfn);

	CHECK_SIZE(xm_remove_from_physmap, xen_remove_from_physmap);
	CHECK_SAME(xm_remove_from_physmap, xen_remove_from_physmap, domid);
	CHECK_SAME(xm_remove_from_physmap, xen_remove_from_physmap, gpfn);

	CHECK_SIZE(xm_memory_map, xen_memory_map);
	CHECK_SAME(xm_memory_map, xen_memory_map, nr_entries);
	CHECK_SAME(xm_memory_map, xen_memory_map, buffer);

	CHECK_SIZE(xm_foreign_memory_map, xen_foreign_memory_map);
	CHECK_SAME(xm_foreign_memory_map, xen_foreign_memory_map, domid);
	CHECK_SAME(xm_foreign_memory_map, xen_foreign_memory_map, map);
	CHECK_SAME(xm_foreign_memory_map, xen_foreign_memory_map,
	    map.buffer);

	/* Xen's headers have no e820 entry; the BIOS format is the fact. */
	CHECK(sizeof(struct xm_e820_entry), 20, "sizeof xm_e820_entry");
	CHECK(offsetof(struct xm_e820_entry, addr), 0, "xm_e820_entry.addr");
	CHECK(offsetof(struct xm_e820_entry, size), 8, "xm_e820_entry.size");
	CHECK(offsetof(struct xm_e820_entry, type), 16, "xm_e820_entry.type");
	CHECK_CONST(XM_E820_RAM, 1);
	CHECK_CONST(XM_E820_RESERVED, 2);
}

static void
test_sched(void **state)
{
	(void)state;

	CHECK_CONST(XM_SCHEDOP_YIELD, SCHEDOP_yield);
	CHECK_CONST(XM_SCHEDOP_BLOCK, SCHEDOP_block);
	CHECK_CONST(XM_SCHEDOP_SHUTDOWN, SCHEDOP_shutdown);
	CHECK_CONST(XM_SCHEDOP_POLL, SCHEDOP_poll);
	CHECK_CONST(XM_SCHEDOP_REMOTE_SHUTDOWN, SCHEDOP_remote_shutdown);
	CHECK_CONST(XM_SCHEDOP_SHUTDOWN_CODE, SCHEDOP_shutdown_code);
	CHECK_CONST(XM_SCHEDOP_WATCHDOG, SCHEDOP_watchdog);
	CHECK_CONST(XM_SCHEDOP_PIN_OVERRIDE, SCHEDOP_pin_override);

	CHECK_CONST(XM_SHUTDOWN_POWEROFF, SHUTDOWN_poweroff);
	CHECK_CONST(XM_SHUTDOWN_REBOOT, SHUTDOWN_reboot);
	CHECK_CONST(XM_SHUTDOWN_SUSPEND, SHUTDOWN_suspend);
	CHECK_CONST(XM_SHUTDOWN_CRASH, SHUTDOWN_crash);
	CHECK_CONST(XM_SHUTDOWN_WATCHDOG, SHUTDOWN_watchdog);
	CHECK_CONST(XM_SHUTDOWN_SOFT_RESET, SHUTDOWN_soft_reset);
	CHECK_CONST(XM_SHUTDOWN_MAX, SHUTDOWN_MAX);

	CHECK_SIZE(xm_sched_shutdown, sched_shutdown);
	CHECK_SAME(xm_sched_shutdown, sched_shutdown, reason);

	CHECK_SIZE(xm_sched_poll, sched_poll);
	CHECK_SAME(xm_sched_poll, sched_poll, ports);
	CHECK_SAME(xm_sched_poll, sched_poll, nr_ports);
	CHECK_SAME(xm_sched_poll, sched_poll, timeout);

	CHECK_SIZE(xm_sched_remote_shutdown, sched_remote_shutdown);
	CHECK_SAME(xm_sched_remote_shutdown, sched_remote_shutdown,
	    domain_id);
	CHECK_SAME(xm_sched_remote_shutdown, sched_remote_shutdown, reason);

	CHECK_SIZE(xm_sched_watchdog, sched_watchdog);
	CHECK_SAME(xm_sched_watchdog, sched_watchdog, id);
	CHECK_SAME(xm_sched_watchdog, sched_watchdog, timeout);

	CHECK_SIZE(xm_sched_pin_override, sched_pin_override);
	CHECK_SAME(xm_sched_pin_override, sched_pin_override, pcpu);
}

static void
test_vcpu(void **state)
{
	(void)state;

	CHECK_CONST(XM_VCPUOP_INITIALISE, VCPUOP_initialise);
	CHECK_CONST(XM_VCPUOP_UP, VCPUOP_up);
	CHECK_CONST(XM_VCPUOP_DOWN, VCPUOP_down);
	CHECK_CONST(XM_VCPUOP_IS_UP, VCPUOP_is_up);
	CHECK_CONST(XM_VCPUOP_GET_RUNSTATE_INFO, VCPUOP_get_runstate_info);
	CHECK_CONST(XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA,
	    VCPUOP_register_runstate_memory_area);
	CHECK_CONST(XM_VCPUOP_SET_PERIODIC_TIMER, VCPUOP_set_periodic_timer);
	CHECK_CONST(XM_VCPUOP_STOP_PERIODIC_TIMER,
	    VCPUOP_stop_periodic_timer);
	CHECK_CONST(XM_VCPUOP_SET_SINGLESHOT_TIMER,
	    VCPUOP_set_singleshot_timer);
	CHECK_CONST(XM_VCPUOP_STOP_SINGLESHOT_TIMER,
	    VCPUOP_stop_singleshot_timer);
	CHECK_CONST(XM_VCPUOP_REGISTER_VCPU_INFO, VCPUOP_register_vcpu_info);
	CHECK_CONST(XM_VCPUOP_SEND_NMI, VCPUOP_send_nmi);
	CHECK_CONST(XM_VCPUOP_GET_PHYSID, VCPUOP_get_physid);
	CHECK_CONST(XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA,
	    VCPUOP_register_vcpu_time_memory_area);

	CHECK_CONST(XM_RUNSTATE_RUNNING, RUNSTATE_running);
	CHECK_CONST(XM_RUNSTATE_RUNNABLE, RUNSTATE_runnable);
	CHECK_CONST(XM_RUNSTATE_BLOCKED, RUNSTATE_blocked);
	CHECK_CONST(XM_RUNSTATE_OFFLINE, RUNSTATE_offline);
	CHECK_CONST(XM_RUNSTATE_UPDATE, XEN_RUNSTATE_UPDATE);

	CHECK_SIZE(xm_vcpu_runstate_info, vcpu_runstate_info);
	CHECK_SAME(xm_vcpu_runstate_info, vcpu_runstate_info, state);
	CHECK_SAME(xm_vcpu_runstate_info, vcpu_runstate_info,
	    state_entry_time);
	CHECK_SAME(xm_vcpu_runstate_info, vcpu_runstate_info, time);

	CHECK_SIZE(xm_vcpu_register_runstate_memory_area,
	    vcpu_register_runstate_memory_area);
	CHECK_FIELD(xm_vcpu_register_runstate_memory_area, addr,
	    vcpu_register_runstate_memory_area, addr.p);

	CHECK_SIZE(xm_vcpu_set_periodic_timer, vcpu_set_periodic_timer);
	CHECK_SAME(xm_vcpu_set_periodic_timer, vcpu_set_periodic_timer,
	    period_ns);

	CHECK_SIZE(xm_vcpu_set_singleshot_timer, vcpu_set_singleshot_timer);
	CHECK_SAME(xm_vcpu_set_singleshot_timer, vcpu_set_singleshot_timer,
	    timeout_abs_ns);
	CHECK_SAME(xm_vcpu_set_singleshot_timer, vcpu_set_singleshot_timer,
	    flags);
	CHECK_CONST(XM_VCPU_SSHOTTMR_FUTURE, VCPU_SSHOTTMR_future);

	CHECK_SIZE(xm_vcpu_register_vcpu_info, vcpu_register_vcpu_info);
	CHECK_SAME(xm_vcpu_register_vcpu_info, vcpu_register_vcpu_info, mfn);
	CHECK_SAME(xm_vcpu_register_vcpu_info, vcpu_register_vcpu_info,
	    offset);
	CHECK_SAME(xm_vcpu_register_vcpu_info, vcpu_register_vcpu_info, rsvd);

	CHECK_SIZE(xm_vcpu_get_physid, vcpu_get_physid);
	CHECK_SAME(xm_vcpu_get_physid, vcpu_get_physid, phys_id);

	CHECK_SIZE(xm_vcpu_register_time_memory_area,
	    vcpu_register_time_memory_area);
	CHECK_FIELD(xm_vcpu_register_time_memory_area, addr,
	    vcpu_register_time_memory_area, addr.p);
}

static void
test_version(void **state)
{
	(void)state;

	CHECK_CONST(XM_XENVER_VERSION, XENVER_version);
	CHECK_CONST(XM_XENVER_EXTRAVERSION, XENVER_extraversion);
	CHECK_CONST(XM_XENVER_COMPILE_INFO, XENVER_compile_info);
	CHECK_CONST(XM_XENVER_CAPABILITIES, XENVER_capabilities);
	CHECK_CONST(XM_XENVER_CHANGESET, XENVER_changeset);
	CHECK_CONST(XM_XENVER_PLATFORM_PARAMETERS,
	    XENVER_platform_parameters);
	CHECK_CONST(XM_XENVER_GET_FEATURES, XENVER_get_features);
	CHECK_CONST(XM_XENVER_PAGESIZE, XENVER_pagesize);
	CHECK_CONST(XM_XENVER_GUEST_HANDLE, XENVER_guest_handle);
	CHECK_CONST(XM_XENVER_COMMANDLINE, XENVER_commandline);
	CHECK_CONST(XM_XENVER_BUILD_ID, XENVER_build_id);

	CHECK_CONST(XM_XENVER_EXTRAVERSION_LEN, XEN_EXTRAVERSION_LEN);
	CHECK_CONST(XM_XENVER_CAPABILITIES_LEN, XEN_CAPABILITIES_INFO_LEN);
	CHECK_CONST(XM_XENVER_CHANGESET_LEN, XEN_CHANGESET_INFO_LEN);
	CHECK_CONST(XM_XENVER_COMMANDLINE_LEN, sizeof(xen_commandline_t));
	CHECK_CONST(XM_XENVER_GUEST_HANDLE_LEN,
	    sizeof(xen_domain_handle_t));

	CHECK_SIZE(xm_compile_info, xen_compile_info);
	CHECK_SAME(xm_compile_info, xen_compile_info, compiler);
	CHECK_SAME(xm_compile_info, xen_compile_info, compile_by);
	CHECK_SAME(xm_compile_info, xen_compile_info, compile_domain);
	CHECK_SAME(xm_compile_info, xen_compile_info, compile_date);

	CHECK_SIZE(xm_platform_parameters, xen_platform_parameters);
	CHECK_SAME(xm_platform_parameters, xen_platform_parameters,
	    virt_start);

	CHECK_SIZE(xm_feature_info, xen_feature_info);
	CHECK_SAME(xm_feature_info, xen_feature_info, submap_idx);
	CHECK_SAME(xm_feature_info, xen_feature_info, submap);

	CHECK_CONST(XM_XENFEAT_WRITABLE_PAGE_TABLES,
	    XENFEAT_writable_page_tables);
	CHECK_CONST(XM_XENFEAT_WRITABLE_DESCRIPTOR_TABLES,
	    XENFEAT_writable_descriptor_tables);
	CHECK_CONST(XM_XENFEAT_AUTO_TRANSLATED_PHYSMAP,
	    XENFEAT_auto_translated_physmap);
	CHECK_CONST(XM_XENFEAT_SUPERVISOR_MODE_KERNEL,
	    XENFEAT_supervisor_mode_kernel);
	CHECK_CONST(XM_XENFEAT_PAE_PGDIR_ABOVE_4GB,
	    XENFEAT_pae_pgdir_above_4gb);
	CHECK_CONST(XM_XENFEAT_MMU_PT_UPDATE_PRESERVE_AD,
	    XENFEAT_mmu_pt_update_preserve_ad);
	CHECK_CONST(XM_XENFEAT_HIGHMEM_ASSIST, XENFEAT_highmem_assist);
	CHECK_CONST(XM_XENFEAT_GNTTAB_MAP_AVAIL_BITS,
	    XENFEAT_gnttab_map_avail_bits);
	CHECK_CONST(XM_XENFEAT_HVM_CALLBACK_VECTOR,
	    XENFEAT_hvm_callback_vector);
	CHECK_CONST(XM_XENFEAT_HVM_SAFE_PVCLOCK, XENFEAT_hvm_safe_pvclock);
	CHECK_CONST(XM_XENFEAT_HVM_PIRQS, XENFEAT_hvm_pirqs);
	CHECK_CONST(XM_XENFEAT_DOM0, XENFEAT_dom0);
	CHECK_CONST(XM_XENFEAT_MEMORY_OP_VNODE_SUPPORTED,
	    XENFEAT_memory_op_vnode_supported);
	CHECK_CONST(XM_XENFEAT_ARM_SMCCC_SUPPORTED,
	    XENFEAT_ARM_SMCCC_supported);
	CHECK_CONST(XM_XENFEAT_LINUX_RSDP_UNRESTRICTED,
	    XENFEAT_linux_rsdp_unrestricted);
	CHECK_CONST(XM_XENFEAT_NOT_DIRECT_MAPPED, XENFEAT_not_direct_mapped);
	CHECK_CONST(XM_XENFEAT_DIRECT_MAPPED, XENFEAT_direct_mapped);
	CHECK_CONST(XM_XENFEAT_NR_SUBMAPS, XENFEAT_NR_SUBMAPS);

	CHECK_SIZE(xm_build_id, xen_build_id);
	CHECK_SAME(xm_build_id, xen_build_id, len);
	CHECK(offsetof(struct xm_build_id, buf),
	    offsetof(struct xen_build_id, buf), "offsetof xm_build_id.buf");
}

static void
test_callback(void **state)
{
	(void)state;

	CHECK_CONST(XM_CALLBACKOP_REGISTER, CALLBACKOP_register);
	CHECK_CONST(XM_CALLBACKOP_UNREGISTER, CALLBACKOP_unregister);
	CHECK_CONST(XM_CALLBACKTYPE_EVENT, CALLBACKTYPE_event);
	CHECK_CONST(XM_CALLBACKTYPE_FAILSAFE, CALLBACKTYPE_failsafe);
	CHECK_CONST(XM_CALLBACKTYPE_SYSCALL, CALLBACKTYPE_syscall);
	CHECK_CONST(XM_CALLBACKTYPE_SYSENTER_DEPRECATED,
	    CALLBACKTYPE_sysenter_deprecated);
	CHECK_CONST(XM_CALLBACKTYPE_NMI, CALLBACKTYPE_nmi);
	CHECK_CONST(XM_CALLBACKTYPE_SYSENTER, CALLBACKTYPE_sysenter);
	CHECK_CONST(XM_CALLBACKTYPE_SYSCALL32, CALLBACKTYPE_syscall32);
	CHECK_CONST(XM_CALLBACKF_MASK_EVENTS, CALLBACKF_mask_events);

	CHECK_SIZE(xm_callback_register, callback_register);
	CHECK_SAME(xm_callback_register, callback_register, type);
	CHECK_SAME(xm_callback_register, callback_register, flags);
	CHECK_SAME(xm_callback_register, callback_register, address);

	CHECK_SIZE(xm_callback_unregister, callback_unregister);
	CHECK_SAME(xm_callback_unregister, callback_unregister, type);
	CHECK_FIELD(xm_callback_unregister, pad, callback_unregister,
	    _unused);

	CHECK_CONST(XM_NMIOP_REGISTER_CALLBACK, XENNMI_register_callback);
	CHECK_CONST(XM_NMIOP_UNREGISTER_CALLBACK, XENNMI_unregister_callback);
	CHECK_SIZE(xm_nmi_callback, xennmi_callback);
	CHECK_SAME(xm_nmi_callback, xennmi_callback, handler_address);
	CHECK_SAME(xm_nmi_callback, xennmi_callback, pad);
}

static void
test_platform(void **state)
{
	(void)state;

	CHECK_CONST(XM_HYPERCALL_PLATFORM_OP, __HYPERVISOR_platform_op);
	CHECK_CONST(XM_PF_INTERFACE_VERSION, XENPF_INTERFACE_VERSION);
	CHECK_CONST(XM_PF_SETTIME32, XENPF_settime32);
	CHECK_CONST(XM_PF_SETTIME64, XENPF_settime64);
	CHECK_SIZE(xm_pf_settime32, xenpf_settime32);
	CHECK_SAME(xm_pf_settime32, xenpf_settime32, secs);
	CHECK_SAME(xm_pf_settime32, xenpf_settime32, nsecs);
	CHECK_SAME(xm_pf_settime32, xenpf_settime32, system_time);
	CHECK_SIZE(xm_pf_settime64, xenpf_settime64);
	CHECK_SAME(xm_pf_settime64, xenpf_settime64, secs);
	CHECK_SAME(xm_pf_settime64, xenpf_settime64, nsecs);
	CHECK_SAME(xm_pf_settime64, xenpf_settime64, mbz);
	CHECK_SAME(xm_pf_settime64, xenpf_settime64, system_time);
	CHECK_SIZE(xm_platform_op, xen_platform_op);
	CHECK_SAME(xm_platform_op, xen_platform_op, cmd);
	CHECK_SAME(xm_platform_op, xen_platform_op, interface_version);
	CHECK_SAME(xm_platform_op, xen_platform_op, u);
}

static void
test_physdev(void **state)
{
	(void)state;

	CHECK_CONST(XM_PHYSDEVOP_IRQ_UNMASK_NOTIFY,
	    PHYSDEVOP_IRQ_UNMASK_NOTIFY);
	CHECK_CONST(XM_PHYSDEVOP_IRQ_STATUS_QUERY, PHYSDEVOP_irq_status_query);
	CHECK_CONST(XM_PHYSDEVOP_SET_IOPL, PHYSDEVOP_set_iopl);
	CHECK_CONST(XM_PHYSDEVOP_SET_IOBITMAP, PHYSDEVOP_set_iobitmap);
	CHECK_CONST(XM_PHYSDEVOP_APIC_READ, PHYSDEVOP_apic_read);
	CHECK_CONST(XM_PHYSDEVOP_APIC_WRITE, PHYSDEVOP_apic_write);
	CHECK_CONST(XM_PHYSDEVOP_ALLOC_IRQ_VECTOR, PHYSDEVOP_alloc_irq_vector);
	CHECK_CONST(XM_PHYSDEVOP_FREE_IRQ_VECTOR, PHYSDEVOP_free_irq_vector);
	CHECK_CONST(XM_PHYSDEVOP_EOI, PHYSDEVOP_eoi);
	CHECK_CONST(XM_PHYSDEVOP_MAP_PIRQ, PHYSDEVOP_map_pirq);
	CHECK_CONST(XM_PHYSDEVOP_UNMAP_PIRQ, PHYSDEVOP_unmap_pirq);
	CHECK_CONST(XM_PHYSDEVOP_MANAGE_PCI_ADD, PHYSDEVOP_manage_pci_add);
	CHECK_CONST(XM_PHYSDEVOP_MANAGE_PCI_REMOVE,
	    PHYSDEVOP_manage_pci_remove);
	CHECK_CONST(XM_PHYSDEVOP_PIRQ_EOI_GMFN_V1, PHYSDEVOP_pirq_eoi_gmfn_v1);
	CHECK_CONST(XM_PHYSDEVOP_RESTORE_MSI, PHYSDEVOP_restore_msi);
	CHECK_CONST(XM_PHYSDEVOP_MANAGE_PCI_ADD_EXT,
	    PHYSDEVOP_manage_pci_add_ext);
	CHECK_CONST(XM_PHYSDEVOP_SETUP_GSI, PHYSDEVOP_setup_gsi);
	CHECK_CONST(XM_PHYSDEVOP_GET_FREE_PIRQ, PHYSDEVOP_get_free_pirq);
	CHECK_CONST(XM_PHYSDEVOP_PCI_MMCFG_RESERVED,
	    PHYSDEVOP_pci_mmcfg_reserved);
	CHECK_CONST(XM_PHYSDEVOP_PCI_DEVICE_ADD, PHYSDEVOP_pci_device_add);
	CHECK_CONST(XM_PHYSDEVOP_PCI_DEVICE_REMOVE,
	    PHYSDEVOP_pci_device_remove);
	CHECK_CONST(XM_PHYSDEVOP_RESTORE_MSI_EXT, PHYSDEVOP_restore_msi_ext);
	CHECK_CONST(XM_PHYSDEVOP_PIRQ_EOI_GMFN_V2, PHYSDEVOP_pirq_eoi_gmfn_v2);
	CHECK_CONST(XM_PHYSDEVOP_DBGP_OP, PHYSDEVOP_dbgp_op);
	CHECK_CONST(XM_PHYSDEVOP_PREPARE_MSIX, PHYSDEVOP_prepare_msix);
	CHECK_CONST(XM_PHYSDEVOP_RELEASE_MSIX, PHYSDEVOP_release_msix);

	CHECK_SIZE(xm_physdev_eoi, physdev_eoi);
	CHECK_SAME(xm_physdev_eoi, physdev_eoi, irq);

	CHECK_SIZE(xm_physdev_pirq_eoi_gmfn, physdev_pirq_eoi_gmfn);
	CHECK_SAME(xm_physdev_pirq_eoi_gmfn, physdev_pirq_eoi_gmfn, gmfn);

	CHECK_SIZE(xm_physdev_irq_status_query, physdev_irq_status_query);
	CHECK_SAME(xm_physdev_irq_status_query, physdev_irq_status_query,
	    irq);
	CHECK_SAME(xm_physdev_irq_status_query, physdev_irq_status_query,
	    flags);
	CHECK_CONST(XM_XENIRQSTAT_NEEDS_EOI, XENIRQSTAT_needs_eoi);
	CHECK_CONST(XM_XENIRQSTAT_SHARED, XENIRQSTAT_shared);

	CHECK_SIZE(xm_physdev_set_iopl, physdev_set_iopl);
	CHECK_SAME(xm_physdev_set_iopl, physdev_set_iopl, iopl);

	CHECK_SIZE(xm_physdev_set_iobitmap, physdev_set_iobitmap);
	CHECK_SAME(xm_physdev_set_iobitmap, physdev_set_iobitmap, bitmap);
	CHECK_SAME(xm_physdev_set_iobitmap, physdev_set_iobitmap, nr_ports);

	CHECK_CONST(XM_MAP_PIRQ_TYPE_MSI, MAP_PIRQ_TYPE_MSI);
	CHECK_CONST(XM_MAP_PIRQ_TYPE_GSI, MAP_PIRQ_TYPE_GSI);
	CHECK_CONST(XM_MAP_PIRQ_TYPE_UNKNOWN, MAP_PIRQ_TYPE_UNKNOWN);
	CHECK_CONST(XM_MAP_PIRQ_TYPE_MSI_SEG, MAP_PIRQ_TYPE_MSI_SEG);
	CHECK_CONST(XM_MAP_PIRQ_TYPE_MULTI_MSI, MAP_PIRQ_TYPE_MULTI_MSI);

	CHECK_SIZE(xm_physdev_map_pirq, physdev_map_pirq);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, domid);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, type);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, index);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, pirq);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, bus);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, devfn);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, entry_nr);
	CHECK_SAME(xm_physdev_map_pirq, physdev_map_pirq, table_base);

	CHECK_SIZE(xm_physdev_unmap_pirq, physdev_unmap_pirq);
	CHECK_SAME(xm_physdev_unmap_pirq, physdev_unmap_pirq, domid);
	CHECK_SAME(xm_physdev_unmap_pirq, physdev_unmap_pirq, pirq);

	CHECK_SIZE(xm_physdev_get_free_pirq, physdev_get_free_pirq);
	CHECK_SAME(xm_physdev_get_free_pirq, physdev_get_free_pirq, type);
	CHECK_SAME(xm_physdev_get_free_pirq, physdev_get_free_pirq, pirq);
}

static void
test_elfnote(void **state)
{
	(void)state;

	CHECK(strcmp(XM_ELFNOTE_NAME, "Xen"), 0, "XM_ELFNOTE_NAME");
	CHECK(sizeof(XM_ELFNOTE_NAME), XM_ELFNOTE_NAMESZ, "XM_ELFNOTE_NAMESZ");

	CHECK_CONST(XM_ELFNOTE_INFO, XEN_ELFNOTE_INFO);
	CHECK_CONST(XM_ELFNOTE_ENTRY, XEN_ELFNOTE_ENTRY);
	CHECK_CONST(XM_ELFNOTE_HYPERCALL_PAGE, XEN_ELFNOTE_HYPERCALL_PAGE);
	CHECK_CONST(XM_ELFNOTE_VIRT_BASE, XEN_ELFNOTE_VIRT_BASE);
	CHECK_CONST(XM_ELFNOTE_PADDR_OFFSET, XEN_ELFNOTE_PADDR_OFFSET);
	CHECK_CONST(XM_ELFNOTE_XEN_VERSION, XEN_ELFNOTE_XEN_VERSION);
	CHECK_CONST(XM_ELFNOTE_GUEST_OS, XEN_ELFNOTE_GUEST_OS);
	CHECK_CONST(XM_ELFNOTE_GUEST_VERSION, XEN_ELFNOTE_GUEST_VERSION);
	CHECK_CONST(XM_ELFNOTE_LOADER, XEN_ELFNOTE_LOADER);
	CHECK_CONST(XM_ELFNOTE_PAE_MODE, XEN_ELFNOTE_PAE_MODE);
	CHECK_CONST(XM_ELFNOTE_FEATURES, XEN_ELFNOTE_FEATURES);
	CHECK_CONST(XM_ELFNOTE_BSD_SYMTAB, XEN_ELFNOTE_BSD_SYMTAB);
	CHECK_CONST(XM_ELFNOTE_HV_START_LOW, XEN_ELFNOTE_HV_START_LOW);
	CHECK_CONST(XM_ELFNOTE_L1_MFN_VALID, XEN_ELFNOTE_L1_MFN_VALID);
	CHECK_CONST(XM_ELFNOTE_SUSPEND_CANCEL, XEN_ELFNOTE_SUSPEND_CANCEL);
	CHECK_CONST(XM_ELFNOTE_INIT_P2M, XEN_ELFNOTE_INIT_P2M);
	CHECK_CONST(XM_ELFNOTE_MOD_START_PFN, XEN_ELFNOTE_MOD_START_PFN);
	CHECK_CONST(XM_ELFNOTE_SUPPORTED_FEATURES,
	    XEN_ELFNOTE_SUPPORTED_FEATURES);
	CHECK_CONST(XM_ELFNOTE_PHYS32_ENTRY, XEN_ELFNOTE_PHYS32_ENTRY);
	CHECK_CONST(XM_ELFNOTE_MAX, XEN_ELFNOTE_MAX);
	CHECK_CONST(XM_ELFNOTE_CRASH_INFO, XEN_ELFNOTE_CRASH_INFO);
	CHECK_CONST(XM_ELFNOTE_CRASH_REGS, XEN_ELFNOTE_CRASH_REGS);
	CHECK_CONST(XM_ELFNOTE_DUMPCORE_NONE, XEN_ELFNOTE_DUMPCORE_NONE);
	CHECK_CONST(XM_ELFNOTE_DUMPCORE_HEADER, XEN_ELFNOTE_DUMPCORE_HEADER);
	CHECK_CONST(XM_ELFNOTE_DUMPCORE_XEN_VERSION,
	    XEN_ELFNOTE_DUMPCORE_XEN_VERSION);
	CHECK_CONST(XM_ELFNOTE_DUMPCORE_FORMAT_VERSION,
	    XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION);

	/* The note header against the host's ELF definition. */
	CHECK(sizeof(struct xm_elfnote_header), sizeof(Elf64_Nhdr),
	    "sizeof xm_elfnote_header vs Elf64_Nhdr");
	CHECK(offsetof(struct xm_elfnote_header, namesz),
	    offsetof(Elf64_Nhdr, n_namesz), "xm_elfnote_header.namesz");
	CHECK(offsetof(struct xm_elfnote_header, descsz),
	    offsetof(Elf64_Nhdr, n_descsz), "xm_elfnote_header.descsz");
	CHECK(offsetof(struct xm_elfnote_header, type),
	    offsetof(Elf64_Nhdr, n_type), "xm_elfnote_header.type");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hypercall),
		cmocka_unit_test(test_arch_x86_64),
		cmocka_unit_test(test_xen_core),
		cmocka_unit_test(test_event_channel),
		cmocka_unit_test(test_grant_table),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_sched),
		cmocka_unit_test(test_vcpu),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_callback),
		cmocka_unit_test(test_physdev),
		cmocka_unit_test(test_platform),
		cmocka_unit_test(test_elfnote),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("test_abi: %u checks\n", nchecks);
	return rc;
}
