# hv: the hypervisor, a freestanding ELF that GRUB loads (multiboot2).

noinst_PROGRAMS += hv/xm-hv.elf

HV_HEADER_FILES = \
	hv/include/hv/compiler.h \
	hv/include/hv/bootmem.h \
	hv/include/hv/bounce.h \
	hv/include/hv/console.h \
	hv/include/hv/context.h \
	hv/include/hv/continuation.h \
	hv/include/hv/desc.h \
	hv/include/hv/domain.h \
	hv/include/hv/domain_build.h \
	hv/include/hv/grant_table.h \
	hv/include/hv/domctl.h \
	hv/include/hv/stats.h \
	hv/include/hv/flush.h \
	hv/include/hv/event.h \
	hv/include/hv/guest_access.h \
	hv/include/hv/heap.h \
	hv/include/hv/hypercall.h \
	hv/include/hv/ioapic.h \
	hv/include/hv/irq.h \
	hv/include/hv/layout.h \
	hv/include/hv/mm.h \
	hv/include/hv/logdirty.h \
	hv/include/hv/multiboot2.h \
	hv/include/hv/paging.h \
	hv/include/hv/percpu.h \
	hv/include/hv/power.h \
	hv/include/hv/sched.h \
	hv/include/hv/sched_credit.h \
	hv/include/hv/smp.h \
	hv/include/hv/spinlock.h \
	hv/include/hv/time.h \
	hv/include/hv/traps.h \
	hv/include/hv/uart.h \
	hv/include/hv/version.h \
	hv/include/hv/x86.h \
	hv/mm/mm_internal.h \
	hv/grant_internal.h \
	hv/sched_core.h

hv_xm_hv_elf_SOURCES = \
	hv/bootmem.c \
	hv/console.c \
	hv/console_io.c \
	hv/continuation.c \
	hv/domain.c \
	hv/domain_build.c \
	hv/domctl.c \
	hv/domctl_domain.c \
	hv/domctl_mem.c \
	hv/domctl_sched.c \
	hv/domctl_vcpu.c \
	hv/evtchn.c \
	hv/flush.c \
	hv/grant_copy.c \
	hv/grant_map.c \
	hv/grant_table.c \
	hv/hc_mm.c \
	hv/logdirty.c \
	hv/heap.c \
	hv/hypercall.c \
	hv/main.c \
	hv/memory_op.c \
	hv/multiboot2.c \
	hv/physdev.c \
	hv/schedule.c \
	hv/stats.c \
	hv/sched_op.c \
	hv/sched_cpu.c \
	hv/sched_credit.c \
	hv/sched_credit_acct.c \
	hv/sched_rr.c \
	hv/vcpu_op.c \
	hv/vcpu_timer.c \
	hv/vm_assist.c \
	hv/xen_version.c \
	hv/platform_op.c \
	hv/mm/buddy.c \
	hv/mm/frame.c \
	hv/mm/mmu.c \
	hv/mm/pagetype.c \
	hv/mm/pte.c \
	hv/x86/acpi.c \
	hv/x86/apic.c \
	hv/x86/boot.S \
	hv/x86/bounce.c \
	hv/x86/context.c \
	hv/x86/cpu.c \
	hv/x86/entry.S \
	hv/x86/flush.c \
	hv/x86/guest_access.c \
	hv/x86/ldt.c \
	hv/x86/msr_pv.c \
	hv/x86/cpuid_pv.c \
	hv/x86/desc_tables.c \
	hv/x86/emul_priv.c \
	hv/x86/guest_traps.c \
	hv/x86/ptwr.c \
	hv/x86/hc_cpu.c \
	hv/x86/trap_table.c \
	hv/x86/debugreg.c \
	hv/x86/ioapic.c \
	hv/x86/irq.c \
	hv/x86/mm_env.c \
	hv/x86/paging.c \
	hv/x86/percpu.c \
	hv/x86/power.c \
	hv/x86/rtc.c \
	hv/x86/smp.c \
	hv/x86/time.c \
	hv/x86/traps.c \
	hv/x86/uart.c \
	$(KLIB_SOURCES)

hv_xm_hv_elf_CPPFLAGS = -include $(srcdir)/hv/include/hv/compiler.h \
	-I$(srcdir)/hv/include -I$(srcdir)/include \
	-I$(srcdir)/klib/include -DXM_VERSION=\"$(PACKAGE_VERSION)\"
hv_xm_hv_elf_CFLAGS = $(HV_CFLAGS)
hv_xm_hv_elf_CCASFLAGS = $(HV_CFLAGS)
hv_xm_hv_elf_LINK = $(KERNEL_LD) -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments --build-id=sha1 \
	-T $(srcdir)/hv/x86/hv.ld -o $@
EXTRA_hv_xm_hv_elf_DEPENDENCIES = hv/x86/hv.ld
EXTRA_DIST += hv/x86/hv.ld $(HV_HEADER_FILES)
