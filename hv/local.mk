# hv: the hypervisor, a freestanding ELF that GRUB loads (multiboot2).

noinst_PROGRAMS += hv/xm-hv.elf

hv_xm_hv_elf_SOURCES = \
	hv/bootmem.c \
	hv/console.c \
	hv/main.c \
	hv/multiboot2.c \
	hv/x86/boot.S \
	hv/x86/cpu.c \
	hv/x86/entry.S \
	hv/x86/paging.c \
	hv/x86/power.c \
	hv/x86/traps.c \
	hv/x86/uart.c \
	hv/include/hv/bootmem.h \
	hv/include/hv/console.h \
	hv/include/hv/desc.h \
	hv/include/hv/layout.h \
	hv/include/hv/multiboot2.h \
	hv/include/hv/paging.h \
	hv/include/hv/percpu.h \
	hv/include/hv/power.h \
	hv/include/hv/uart.h \
	hv/include/hv/x86.h \
	$(KLIB_SOURCES)

hv_xm_hv_elf_CPPFLAGS = -I$(srcdir)/hv/include -I$(srcdir)/include \
	-I$(srcdir)/klib/include -DXM_VERSION=\"$(PACKAGE_VERSION)\"
hv_xm_hv_elf_CFLAGS = $(HV_CFLAGS)
hv_xm_hv_elf_CCASFLAGS = $(HV_CFLAGS)
hv_xm_hv_elf_LINK = $(KERNEL_LD) -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments -T $(srcdir)/hv/x86/hv.ld -o $@
EXTRA_hv_xm_hv_elf_DEPENDENCIES = hv/x86/hv.ld
EXTRA_DIST += hv/x86/hv.ld
