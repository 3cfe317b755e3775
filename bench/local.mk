# bench: `make bench` measures xm's speed as ratios against baselines
# measured in the same run (issue 11 section 4).  Each figure is one
# script, bench/fig-NAME.sh, that appends its results to a file;
# bench/run runs them and writes bench/results.json.  Not part of
# `make check`: tests/bench-smoke.sh checks the machinery in tiny mode.
#
# A new figure adds bench/fig-NAME.sh (see bench/lib.sh), lists it in
# BENCH_FIGURES and adds what it needs to bench-deps.

BENCH_FIGURES = p1 p5 p6 p7 p8 create linux
BENCH_FIGS ?= $(BENCH_FIGURES)
BENCH_MODE ?= full

# The bare kernel of P1: bench/work.c and bench/cpubench.c without hv,
# booted by QEMU's -kernel through the PVH note.
BENCH_DRIVER_SOURCES = bench/work.c bench/work.h bench/cpubench.c \
	bench/cpubench.h
noinst_PROGRAMS += bench/native/native.elf
bench_native_native_elf_SOURCES = bench/native/boot.S bench/native/native.c \
	$(BENCH_DRIVER_SOURCES) klib/format.c klib/mem.c klib/parse.c \
	klib/string.c
bench_native_native_elf_CPPFLAGS = -I$(srcdir)/bench -I$(srcdir)/klib/include \
	-I$(srcdir)/include
bench_native_native_elf_CFLAGS = $(GUEST_CFLAGS) -mcmodel=small
bench_native_native_elf_CCASFLAGS = $(GUEST_CFLAGS) -mcmodel=small
bench_native_native_elf_LINK = $(KERNEL_LD) -nostdlib -static \
	-z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T $(srcdir)/bench/native/native.ld -o $@
EXTRA_bench_native_native_elf_DEPENDENCIES = bench/native/native.ld

# The same driver as a PV domain.
noinst_PROGRAMS += guests/cpubench/cpubench.elf
guests_cpubench_cpubench_elf_SOURCES = guests/cpubench/cpubench.c \
	$(BENCH_DRIVER_SOURCES) $(GUEST_NOTES)
guests_cpubench_cpubench_elf_CPPFLAGS = $(GUEST_CPPFLAGS) -I$(srcdir)/bench \
	-DXM_GUEST_OS=\"xm-cpubench\"
guests_cpubench_cpubench_elf_CFLAGS = $(GUEST_CFLAGS)
guests_cpubench_cpubench_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_cpubench_cpubench_elf_LDADD = $(GUEST_LIB)
guests_cpubench_cpubench_elf_LINK = $(GUEST_LINK)
EXTRA_guests_cpubench_cpubench_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# P6's timer guest: how late a blocked vCPU wakes next to CPU hogs.
noinst_PROGRAMS += guests/wakelat/wakelat.elf
guests_wakelat_wakelat_elf_SOURCES = guests/wakelat/wakelat.c $(GUEST_NOTES)
guests_wakelat_wakelat_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-wakelat\"
guests_wakelat_wakelat_elf_CFLAGS = $(GUEST_CFLAGS)
guests_wakelat_wakelat_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_wakelat_wakelat_elf_LDADD = $(GUEST_LIB)
guests_wakelat_wakelat_elf_LINK = $(GUEST_LINK)
EXTRA_guests_wakelat_wakelat_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# P7's nodes: xm.iso's hv and domain 0 with clock=rtc added to hv's
# command line, so that two nodes' wall clocks agree to about a
# millisecond and a migrated guest can time its own downtime.
bench/p7.iso: hv/xm-hv.elf guests/dom0/dom0.elf $(srcdir)/tools/xm-mkiso Makefile
	$(AM_V_GEN)$(SHELL) $(srcdir)/tools/xm-mkiso -d $(GRUB_PC_DIR) \
		-o $@ -c "$(HV_CMDLINE) clock=rtc" hv/xm-hv.elf $(XM_ISO_MODULES)

XM_BENCH_FILES = bench/run bench/lib.sh bench/results.py bench/rpc_load.py \
	bench/first_line.py bench/guest_work.py bench/shares.py \
	$(addprefix bench/fig-,$(addsuffix .sh,$(BENCH_FIGURES)))
EXTRA_DIST += $(XM_BENCH_FILES) bench/native/native.ld

bench-deps: xm.iso bench/p7.iso guests/counter/counter.elf hv/xm-hv.elf guests/dom0/dom0.elf \
    guests/hello/hello.elf guests/cpubench/cpubench.elf \
    guests/wakelat/wakelat.elf \
    bench/native/native.elf xmd/xmd xmctl/xmctl tests/ctl-peer

# BENCH_FIGS=p1 picks figures; BENCH_MODE=tiny runs each briefly.
bench: bench-deps
	@XM_SRCDIR=$(srcdir) XM_BUILDDIR=. GRUB_PC_DIR=$(GRUB_PC_DIR) \
	    BENCH_MODE=$(BENCH_MODE) $(BASH) $(srcdir)/bench/run \
	    -o bench/results.json $(BENCH_FIGS)

# The machinery in tiny mode, in `make check` (never judges speed), and
# its arithmetic without a node.
XM_BOOT_TESTS += tests/bench-smoke.sh
check-local: bench/p7.iso
XM_UNIT_TESTS += $(srcdir)/tests/bench-tools.sh
EXTRA_DIST += tests/bench-tools.sh

CLEANFILES += bench/results.json bench/p7.iso
.PHONY: bench bench-deps
