# tests: `make check` runs every unit and boot test through tests/harness,
# which ends with "N passed, N failed, N skipped".

XM_UNIT_BINS = tests/unit/test_multiboot2 tests/unit/test_klib \
	tests/unit/test_abi tests/unit/test_xen_elf tests/unit/test_mm
check_PROGRAMS += $(XM_UNIT_BINS)
XM_UNIT_TESTS += $(XM_UNIT_BINS)

tests_unit_test_multiboot2_SOURCES = tests/unit/test_multiboot2.c \
	hv/multiboot2.c $(KLIB_HOST_SOURCES)
tests_unit_test_multiboot2_CPPFLAGS = -I$(srcdir)/hv/include \
	-I$(srcdir)/klib/include -I$(srcdir)/include
tests_unit_test_multiboot2_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_multiboot2_LDADD = $(CMOCKA_LIBS)

tests_unit_test_klib_SOURCES = tests/unit/test_klib.c $(KLIB_HOST_SOURCES)
tests_unit_test_klib_CPPFLAGS = -I$(srcdir)/klib/include -I$(srcdir)/include
tests_unit_test_klib_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_klib_LDADD = $(CMOCKA_LIBS)

tests_unit_test_abi_SOURCES = tests/unit/test_abi.c
tests_unit_test_abi_CPPFLAGS = -I$(srcdir)/include
tests_unit_test_abi_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_abi_LDADD = $(CMOCKA_LIBS)

tests_unit_test_xen_elf_SOURCES = tests/unit/test_xen_elf.c \
	$(KLIB_HOST_SOURCES)
tests_unit_test_xen_elf_CPPFLAGS = -I$(srcdir)/klib/include \
	-I$(srcdir)/include
tests_unit_test_xen_elf_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xen_elf_LDADD = $(CMOCKA_LIBS)

HV_MM_SOURCES = hv/mm/buddy.c hv/mm/frame.c hv/mm/mmu.c hv/mm/pagetype.c \
	hv/mm/pte.c
tests_unit_test_mm_SOURCES = tests/unit/test_mm.c tests/unit/mm_stubs.c \
	tests/unit/mm_stubs.h $(HV_MM_SOURCES) klib/string.c
tests_unit_test_mm_CPPFLAGS = -I$(srcdir)/hv/include -I$(srcdir)/include \
	-I$(srcdir)/klib/include
tests_unit_test_mm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_mm_LDADD = $(CMOCKA_LIBS)

# The hooks hv/mm calls for log-dirty (hv/logdirty.c).
XM_UNIT_BINS += tests/unit/test_mm_logdirty
tests_unit_test_mm_logdirty_SOURCES = tests/unit/test_mm_logdirty.c \
	tests/unit/mm_stubs.c tests/unit/mm_stubs.h $(HV_MM_SOURCES) \
	klib/string.c
tests_unit_test_mm_logdirty_CPPFLAGS = $(tests_unit_test_mm_CPPFLAGS)
tests_unit_test_mm_logdirty_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_mm_logdirty_LDADD = $(CMOCKA_LIBS)

# TLB shootdown (hv/flush.c) with host threads as CPUs.
XM_UNIT_BINS += tests/unit/test_flush
tests_unit_test_flush_SOURCES = tests/unit/test_flush.c hv/flush.c
tests_unit_test_flush_CPPFLAGS = -I$(srcdir)/hv/include -I$(srcdir)/include \
	-I$(srcdir)/klib/include
tests_unit_test_flush_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -pthread
tests_unit_test_flush_LDADD = $(CMOCKA_LIBS) -lpthread

# The credit scheduler's arithmetic (hv/sched_credit_acct.c), and a
# one-CPU simulation that schedules with it.
XM_UNIT_BINS += tests/unit/test_sched_credit
tests_unit_test_sched_credit_SOURCES = tests/unit/test_sched_credit.c \
	hv/sched_credit_acct.c
tests_unit_test_sched_credit_CPPFLAGS = -I$(srcdir)/hv/include \
	-I$(srcdir)/include
tests_unit_test_sched_credit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_sched_credit_LDADD = $(CMOCKA_LIBS)

# The scheduler's domctls (hv/domctl_sched.c) with a fake scheduler.
XM_UNIT_BINS += tests/unit/test_domctl_sched
tests_unit_test_domctl_sched_SOURCES = tests/unit/test_domctl_sched.c \
	hv/domctl_sched.c klib/string.c
tests_unit_test_domctl_sched_CPPFLAGS = -I$(srcdir)/hv/include \
	-I$(srcdir)/include -I$(srcdir)/klib/include
tests_unit_test_domctl_sched_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_domctl_sched_LDADD = $(CMOCKA_LIBS)

# domctl's table and dispatcher (hv/domctl.c) with fake handlers.
XM_UNIT_BINS += tests/unit/test_domctl
tests_unit_test_domctl_SOURCES = tests/unit/test_domctl.c hv/domctl.c \
	klib/string.c
tests_unit_test_domctl_CPPFLAGS = -I$(srcdir)/hv/include \
	-I$(srcdir)/include -I$(srcdir)/klib/include
tests_unit_test_domctl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_domctl_LDADD = $(CMOCKA_LIBS)

# hv's statistics (hv/stats.c) over a fake domain table and clock.
XM_UNIT_BINS += tests/unit/test_hv_stats
tests_unit_test_hv_stats_SOURCES = tests/unit/test_hv_stats.c hv/stats.c \
	klib/string.c
tests_unit_test_hv_stats_CPPFLAGS = $(tests_unit_test_domctl_CPPFLAGS)
tests_unit_test_hv_stats_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_hv_stats_LDADD = $(CMOCKA_LIBS)

# The hypercall table (hv/hypercall.c) with fake handlers.
XM_UNIT_BINS += tests/unit/test_hypercall
tests_unit_test_hypercall_SOURCES = tests/unit/test_hypercall.c \
	hv/hypercall.c
tests_unit_test_hypercall_CPPFLAGS = $(tests_unit_test_domctl_CPPFLAGS)
tests_unit_test_hypercall_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_hypercall_LDADD = $(CMOCKA_LIBS)

XM_BOOT_TESTS += \
	tests/boot/banner.sh \
	tests/boot/memory.sh \
	tests/boot/modules.sh \
	tests/boot/exception.sh \
	tests/boot/dom0.sh \
	tests/boot/domus.sh \
	tests/boot/evtimer.sh \
	tests/boot/pagetable.sh \
	tests/boot/grants.sh \
	tests/boot/isolation.sh \
	tests/boot/tlbshoot.sh \
	tests/boot/smp.sh \
	tests/boot/privop.sh \
	tests/boot/suspend.sh \
	tests/boot/logdirty.sh \
	tests/boot/xenhdr.sh \
	tests/boot/layout.sh \
	tests/boot/fuzz.sh \
	tests/boot/sched_credit.sh

EXTRA_DIST += tests/harness tests/tap.sh tests/boot/lib.sh $(XM_BOOT_TESTS)

# The harness's own counts, on small fake tests.
XM_UNIT_TESTS += $(srcdir)/tests/harness-test.sh
EXTRA_DIST += tests/harness-test.sh

# Tests run in parallel, XM_TEST_JOBS at a time (default: one per CPU).
XM_TEST_JOBS ?=

check-local: xm.iso
	@XM_SRCDIR=$(srcdir) XM_BUILDDIR=. GRUB_PC_DIR=$(GRUB_PC_DIR) \
	    $(BASH) $(srcdir)/tests/harness -j "$(XM_TEST_JOBS)" \
	    $(XM_UNIT_TESTS) $(addprefix $(srcdir)/,$(XM_BOOT_TESTS))

# check-unit: the tests that boot nothing (unit tests, test doubles of a
# node), a minute or two; what a package build runs (debian/rules).
check-unit: all
	@$(MAKE) $(AM_MAKEFLAGS) $(check_PROGRAMS)
	@XM_SRCDIR=$(srcdir) XM_BUILDDIR=. GRUB_PC_DIR=$(GRUB_PC_DIR) \
	    $(BASH) $(srcdir)/tests/harness -j "$(XM_TEST_JOBS)" \
	    $(XM_UNIT_TESTS)
.PHONY: check-unit

clean-local:
	rm -rf tests/logs

# fuzz-hv: the long hypercall fuzz run (tests/boot/fuzz.sh): two fuzzers
# of FUZZ_CALLS calls each beside the victim on 2 CPUs; FUZZ_SEED=S or
# S1,S2 replays a run.  The log is tests/logs/fuzz-hv.log; the figures
# (calls/s, distinct paths) are printed at the end.
FUZZ_CALLS ?= 1000000
FUZZ_SEED ?=

fuzz-hv: xm.iso hv/xm-hv.elf guests/fuzz/fuzz.elf guests/victim/victim.elf
	@mkdir -p tests/logs
	@XM_SRCDIR=$(srcdir) XM_BUILDDIR=. GRUB_PC_DIR=$(GRUB_PC_DIR) \
	    XM_TEST_TMP=tests/logs XM_FUZZ_CALLS=$(FUZZ_CALLS) \
	    XM_FUZZ_SEED=$(FUZZ_SEED) $(BASH) $(srcdir)/tests/boot/fuzz.sh \
	    >tests/logs/fuzz-hv.log 2>&1; rc=$$?; \
	    grep -E '^(not )?ok |^# seeds|^# figures' tests/logs/fuzz-hv.log; \
	    exit $$rc

.PHONY: fuzz-hv

# The toolstack's host code: the control channel's frame codec, domain
# definitions, the JSON-RPC dispatcher, the builder's layout.
# (XM_UNIT_BINS are built by check and run by the harness, see above.)
XM_UNIT_BINS += tests/unit/test_ctl_frame tests/unit/test_domain_def \
	tests/unit/test_rpc_dispatch tests/unit/test_layout \
	tests/unit/test_layout_tables

tests_unit_test_ctl_frame_SOURCES = tests/unit/test_ctl_frame.c \
	xmd/ctl_frame.c xmd/ctl_frame.h $(KLIB_CTLOP_SOURCES)
tests_unit_test_ctl_frame_CPPFLAGS = -I$(srcdir)/xmd -I$(srcdir)/include \
	-I$(srcdir)/klib/include
tests_unit_test_ctl_frame_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ctl_frame_LDADD = $(CMOCKA_LIBS)

# xmd's log-dirty requests and replies (xmd/logdirty.c), steps_send a stub.
XM_UNIT_BINS += tests/unit/test_logdirty
tests_unit_test_logdirty_SOURCES = tests/unit/test_logdirty.c \
	xmd/logdirty.c xmd/logdirty.h xmd/ctl_frame.c xmd/ctl_frame.h \
	$(KLIB_CTLOP_SOURCES)
tests_unit_test_logdirty_CPPFLAGS = $(tests_unit_test_ctl_frame_CPPFLAGS)
tests_unit_test_logdirty_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_logdirty_LDADD = $(CMOCKA_LIBS)

tests_unit_test_domain_def_SOURCES = tests/unit/test_domain_def.c \
	$(XM_COMMON_SOURCES)
tests_unit_test_domain_def_CPPFLAGS = $(XM_COMMON_CPPFLAGS)
tests_unit_test_domain_def_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(XM_COMMON_CFLAGS)
tests_unit_test_domain_def_LDADD = $(CMOCKA_LIBS) $(XM_COMMON_LIBS)

# xmd's rings of statistics samples and their rates.
XM_UNIT_BINS += tests/unit/test_stats_ring
tests_unit_test_stats_ring_SOURCES = tests/unit/test_stats_ring.c \
	xmd/stats_ring.c xmd/stats_ring.h
tests_unit_test_stats_ring_CPPFLAGS = -I$(srcdir)/xmd -I$(srcdir)/include \
	-I$(srcdir)/libxmctl/include
tests_unit_test_stats_ring_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_stats_ring_LDADD = $(CMOCKA_LIBS)

tests_unit_test_rpc_dispatch_SOURCES = tests/unit/test_rpc_dispatch.c \
	xmd/rpc_dispatch.c xmd/rpc_dispatch.h
tests_unit_test_rpc_dispatch_CPPFLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd \
	-I$(srcdir)/libxmctl/include
tests_unit_test_rpc_dispatch_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_rpc_dispatch_LDADD = $(CMOCKA_LIBS) $(JSONC_LIBS)

# The parser of users' numbers and sizes (common/parse_num.c).
XM_UNIT_BINS += tests/unit/test_kernel_image
tests_unit_test_kernel_image_SOURCES = tests/unit/test_kernel_image.c \
	xmd/kernel_image.c xmd/kernel_image.h xmd/kernel_unpack.c
tests_unit_test_kernel_image_CPPFLAGS = -I$(srcdir)/xmd
tests_unit_test_kernel_image_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(KIMG_CFLAGS)
tests_unit_test_kernel_image_LDADD = $(CMOCKA_LIBS) $(KIMG_LIBS)

XM_UNIT_BINS += tests/unit/test_parse_num
tests_unit_test_parse_num_SOURCES = tests/unit/test_parse_num.c \
	common/parse_num.c common/parse_num.h
tests_unit_test_parse_num_CPPFLAGS = -I$(srcdir)/common
tests_unit_test_parse_num_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_parse_num_LDADD = $(CMOCKA_LIBS)

# libxmctl's URIs (libxmctl/uri.c): schemes, hosts, ports, queries.
XM_UNIT_BINS += tests/unit/test_uri
tests_unit_test_uri_SOURCES = tests/unit/test_uri.c \
	libxmctl/uri.c libxmctl/uri.h
tests_unit_test_uri_CPPFLAGS = -I$(srcdir)/libxmctl
tests_unit_test_uri_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_uri_LDADD = $(CMOCKA_LIBS)

# The default state and socket directories (common/paths.c).
XM_UNIT_BINS += tests/unit/test_paths
tests_unit_test_paths_SOURCES = tests/unit/test_paths.c \
	common/paths.c common/paths.h
tests_unit_test_paths_CPPFLAGS = -I$(srcdir)/common
tests_unit_test_paths_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_paths_LDFLAGS = -Wl,--wrap=geteuid
tests_unit_test_paths_LDADD = $(CMOCKA_LIBS)

# Files that hold secrets: refused when every user may use them
# (common/secret_file.c).
XM_UNIT_BINS += tests/unit/test_secret_file
tests_unit_test_secret_file_SOURCES = tests/unit/test_secret_file.c \
	common/secret_file.c common/secret_file.h
tests_unit_test_secret_file_CPPFLAGS = -I$(srcdir)/common
tests_unit_test_secret_file_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_secret_file_LDADD = $(CMOCKA_LIBS)

# CPU lists, "0-3,^2,5" (common/cpulist.c).
XM_UNIT_BINS += tests/unit/test_cpulist
tests_unit_test_cpulist_SOURCES = tests/unit/test_cpulist.c \
	common/cpulist.c common/cpulist.h common/parse_num.c \
	common/parse_num.h
tests_unit_test_cpulist_CPPFLAGS = -I$(srcdir)/common
tests_unit_test_cpulist_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cpulist_LDADD = $(CMOCKA_LIBS)

tests_unit_test_layout_SOURCES = tests/unit/test_layout.c \
	tests/unit/layout_fixture.h klib/xen_layout.c klib/string.c
tests_unit_test_layout_CPPFLAGS = -I$(srcdir)/klib/include -I$(srcdir)/include
tests_unit_test_layout_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_layout_LDADD = $(CMOCKA_LIBS)
tests_unit_test_layout_tables_SOURCES = tests/unit/test_layout_tables.c \
	tests/unit/layout_fixture.h \
	xmd/layout.c xmd/layout.h klib/xen_elf.c klib/xen_elf_notes.c \
	klib/xen_elf_int.h klib/xen_layout.c klib/string.c
tests_unit_test_layout_tables_CPPFLAGS = -I$(srcdir)/xmd \
	-I$(srcdir)/klib/include -I$(srcdir)/include
tests_unit_test_layout_tables_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_layout_tables_LDADD = $(CMOCKA_LIBS)

# Test doubles and helpers for the toolstack tests: ctl-peer plays domain
# 0's end of the control channel (ONLY for tests of xmd's protocol
# handling, never a node); rpc-raw sends xmd what xmctl never would.
check_PROGRAMS += tests/ctl-peer tests/rpc-raw
tests_ctl_peer_SOURCES = tests/ctl-peer.c tests/ctl-peer.h tests/ctl-peer-boot.c \
	tests/ctl-peer-sched.c \
	tests/ctl-peer-sched.h tests/ctl-peer-stats.c tests/ctl-peer-stats.h \
	xmd/ctl_frame.c xmd/ctl_frame.h \
	$(KLIB_CTLOP_SOURCES)
tests_ctl_peer_CPPFLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd -I$(srcdir)/include \
	-I$(srcdir)/klib/include
tests_rpc_raw_SOURCES = tests/rpc-raw.c

# xmd, xmctl and libxmctl against ctl-peer: the protocol, the builder's
# requests, JSON-RPC errors (host only, no QEMU).
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/peer.sh
EXTRA_DIST += tests/toolstack/peer.sh tests/toolstack/lib.sh \
	tests/toolstack/peer-lib.sh \
	tests/toolstack/fake-runner.sh tests/toolstack/lifecycle.sh tests/defs
# xmd + the QEMU node (hv and domain 0) + xmctl, end to end.
XM_BOOT_TESTS += tests/toolstack/lifecycle.sh
# make install DESTDIR: the installed tree boots a node and runs hello.
XM_BOOT_TESTS += tests/toolstack/install.sh
EXTRA_DIST += tests/toolstack/install.sh
# Console logs turn over at console_log_size, keeping _files old ones.
XM_BOOT_TESTS += tests/toolstack/console-logs.sh
EXTRA_DIST += tests/toolstack/console-logs.sh
# xmd.service and sd_notify: READY, RELOADING, STOPPING.
XM_BOOT_TESTS += tests/toolstack/systemd.sh
EXTRA_DIST += tests/toolstack/systemd.sh

# The system's xmd: /var/lib/xm and /run/xm, their modes, the sockets'
# owners (in a mount namespace of the test's own).
XM_BOOT_TESTS += tests/toolstack/system-dirs.sh
EXTRA_DIST += tests/toolstack/system-dirs.sh tests/toolstack/own_mounts.sh
# xm+ssh:// through OpenSSH's ssh and an sshd of the test's own.
XM_BOOT_TESTS += tests/toolstack/ssh.sh
EXTRA_DIST += tests/toolstack/ssh.sh
# xmd as a daemon logs to syslog too (syslog = no: not).
XM_BOOT_TESTS += tests/toolstack/syslog.sh
EXTRA_DIST += tests/toolstack/syslog.sh
# The GRUB entry (tools/20_xm.in), as grub-mkconfig runs it (host only).
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/grub.sh
EXTRA_DIST += tests/toolstack/grub.sh
# A domain that suspends itself waits; resume cancels the suspend.
XM_BOOT_TESTS += tests/toolstack/suspend-cancel.sh
# save to a file and restore from it: the counter counts on; bad files
# are refused and make nothing.
XM_BOOT_TESTS += tests/toolstack/save-restore.sh
EXTRA_DIST += tests/toolstack/save-restore.sh
# migration between two nodes of one machine, stop and copy.
XM_BOOT_TESTS += tests/toolstack/migrate.sh
EXTRA_DIST += tests/toolstack/migrate.sh
# A node managed over a serial line (COM2, a 16550), as a PC without
# virtio-serial: xmd -N on QEMU's pseudo-terminal.
XM_BOOT_TESTS += tests/toolstack/serial-node.sh
EXTRA_DIST += tests/toolstack/serial-node.sh
# Live migration: rounds under log-dirty, --max-rounds, abort and a
# target killed during a round (two nodes).
XM_BOOT_TESTS += tests/toolstack/migrate-live.sh
EXTRA_DIST += tests/toolstack/migrate-live.sh tests/toolstack/migrate-lib.sh
# migrate --bandwidth, --persistent and --undefinesource; failures that
# leave the definitions as they were (two nodes).
XM_BOOT_TESTS += tests/toolstack/migrate-opts.sh
EXTRA_DIST += tests/toolstack/migrate-opts.sh
# Live migration when the target node, the network or the target xmd
# fails during the rounds or the stop-and-copy.
XM_BOOT_TESTS += tests/toolstack/migrate-faults.sh
EXTRA_DIST += tests/toolstack/migrate-faults.sh tests/toolstack/cutproxy.py
# The control channel pushes back: xmd stopped mid-save loses nothing.
XM_BOOT_TESTS += tests/toolstack/slow-reader.sh
EXTRA_DIST += tests/toolstack/slow-reader.sh
# A live stream fed to xmd in pieces that cut records anywhere.
XM_BOOT_TESTS += tests/toolstack/stream-in.sh
EXTRA_DIST += tests/toolstack/stream-in.sh tests/toolstack/livestream.py
# Statistics on the real node: first figures and consistency.
XM_BOOT_TESTS += tests/toolstack/stats-node.sh
EXTRA_DIST += tests/toolstack/stats-node.sh
# Memory limits on the real node: currentMemory at start, setmaxmem
# refused by hv at the limit, setmem and setmaxmem --config.
XM_BOOT_TESTS += tests/toolstack/mem.sh
EXTRA_DIST += tests/toolstack/mem.sh

# Domain 0's pure parts as host code: the control stream and op table,
# the virtqueue bookkeeping, the domain-state table.
XM_DOM0_UNIT_BINS = tests/unit/test_dom0_ctl tests/unit/test_dom0_vring \
	tests/unit/test_dom0_domtab tests/unit/test_ctlop \
	tests/unit/test_dom0_ops_sched tests/unit/test_dom0_ops_logdirty
check_PROGRAMS += $(XM_DOM0_UNIT_BINS)
XM_UNIT_TESTS += $(XM_DOM0_UNIT_BINS)
DOM0_TEST_CPPFLAGS = -I$(srcdir)/guests/dom0 -I$(srcdir)/include \
	-I$(srcdir)/klib/include

# klib/ctlop.c: the op table and payload rules both ends share.
tests_unit_test_ctlop_SOURCES = tests/unit/test_ctlop.c $(KLIB_CTLOP_SOURCES)
tests_unit_test_ctlop_CPPFLAGS = $(DOM0_TEST_CPPFLAGS)
tests_unit_test_ctlop_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ctlop_LDADD = $(CMOCKA_LIBS)

tests_unit_test_dom0_ctl_SOURCES = tests/unit/test_dom0_ctl.c \
	guests/dom0/ctl_ops.c guests/dom0/ctl_stream.c $(KLIB_HOST_SOURCES) \
	$(KLIB_CTLOP_SOURCES)
tests_unit_test_dom0_ctl_CPPFLAGS = $(DOM0_TEST_CPPFLAGS)
tests_unit_test_dom0_ctl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dom0_ctl_LDADD = $(CMOCKA_LIBS)

# The scheduler requests' handlers over a fake hv (tests/fuzz/shim's
# hypercall entry).
tests_unit_test_dom0_ops_sched_SOURCES = tests/unit/test_dom0_ops_sched.c \
	guests/dom0/ops_sched.c $(KLIB_HOST_SOURCES)
tests_unit_test_dom0_ops_sched_CPPFLAGS = -I$(srcdir)/tests/fuzz/shim \
	-I$(srcdir)/guests/lib/include $(DOM0_TEST_CPPFLAGS)
tests_unit_test_dom0_ops_sched_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dom0_ops_sched_LDADD = $(CMOCKA_LIBS)

# The LOG_DIRTY request's handler over the same fake hv.
tests_unit_test_dom0_ops_logdirty_SOURCES = \
	tests/unit/test_dom0_ops_logdirty.c guests/dom0/ops_logdirty.c \
	$(KLIB_HOST_SOURCES)
tests_unit_test_dom0_ops_logdirty_CPPFLAGS = \
	$(tests_unit_test_dom0_ops_sched_CPPFLAGS)
tests_unit_test_dom0_ops_logdirty_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dom0_ops_logdirty_LDADD = $(CMOCKA_LIBS)

tests_unit_test_dom0_vring_SOURCES = tests/unit/test_dom0_vring.c \
	guests/dom0/vring.c
tests_unit_test_dom0_vring_CPPFLAGS = $(DOM0_TEST_CPPFLAGS)
tests_unit_test_dom0_vring_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dom0_vring_LDADD = $(CMOCKA_LIBS)

tests_unit_test_dom0_domtab_SOURCES = tests/unit/test_dom0_domtab.c \
	guests/dom0/domtab.c $(KLIB_HOST_SOURCES)
tests_unit_test_dom0_domtab_CPPFLAGS = $(DOM0_TEST_CPPFLAGS)
tests_unit_test_dom0_domtab_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dom0_domtab_LDADD = $(CMOCKA_LIBS)

# ctl-raw sends the node's control channel what xmd never would.
check_PROGRAMS += tests/ctl-raw
tests_ctl_raw_SOURCES = tests/ctl-raw.c xmd/ctl_frame.c xmd/ctl_frame.h \
	$(KLIB_CTLOP_SOURCES)
tests_ctl_raw_CPPFLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd -I$(srcdir)/include \
	-I$(srcdir)/klib/include
XM_BOOT_TESTS += tests/boot/ctl_bad_frames.sh

# Definitions: the written forms (canonical XML and JSON, golden files,
# the XML <-> JSON round trip over examples/ and tests/defs/accept/), and
# the RelaxNG schema with xmllint over the same files.
XM_UNIT_BINS += tests/unit/test_def_roundtrip
XM_UNIT_TESTS += $(srcdir)/tests/defs/xmllint.sh $(srcdir)/tests/defs/jsonschema.sh \
	$(srcdir)/tests/defs/xmctl-def.sh
tests_unit_test_def_roundtrip_SOURCES = tests/unit/test_def_roundtrip.c \
	$(XM_COMMON_SOURCES)
tests_unit_test_def_roundtrip_CPPFLAGS = $(XM_COMMON_CPPFLAGS)
tests_unit_test_def_roundtrip_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(XM_COMMON_CFLAGS)
tests_unit_test_def_roundtrip_LDADD = $(CMOCKA_LIBS) $(XM_COMMON_LIBS)
# What a definition keeps without effect (issue 14): virsh's elements,
# id=, <metadata>, the warnings.
XM_UNIT_BINS += tests/unit/test_def_kept
tests_unit_test_def_kept_SOURCES = tests/unit/test_def_kept.c \
	$(XM_COMMON_SOURCES)
tests_unit_test_def_kept_CPPFLAGS = $(XM_COMMON_CPPFLAGS)
tests_unit_test_def_kept_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(XM_COMMON_CFLAGS)
tests_unit_test_def_kept_LDADD = $(CMOCKA_LIBS) $(XM_COMMON_LIBS)
EXTRA_DIST += tests/defs/xmllint.sh tests/defs/jsonschema.sh \
	tests/defs/schema_check.py tests/defs/xmctl-def.sh \
	examples/libvirt-pv.xml

# The man pages document every xmctl verb, JSON-RPC method, event, error
# code and libxmctl call, and mandoc -T lint is clean (host only).
XM_UNIT_TESTS += $(srcdir)/tests/man/check.sh
EXTRA_DIST += tests/man/check.sh
# xmctl's verbs, events and -r, the example program and libxmctl's
# exported names against ctl-peer (host only).
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/xmctl.sh
EXTRA_DIST += tests/toolstack/xmctl.sh
# What virsh dumpxml prints, kept and given back; xmctl edit (issue 14),
# against ctl-peer (host only).
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/edit.sh
EXTRA_DIST += tests/toolstack/edit.sh tests/toolstack/edit-tty.py
# The control channel's round trip (ECHO, xmctl ping) against ctl-peer.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/ping.sh
EXTRA_DIST += tests/toolstack/ping.sh
# The scheduler's verbs and methods against ctl-peer's model (issue 11).
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/sched.sh
EXTRA_DIST += tests/toolstack/sched.sh
# xenstore's verbs and methods, and shutdown through it, against ctl-peer.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/store.sh
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/store-persist.sh
EXTRA_DIST += tests/toolstack/store-persist.sh
EXTRA_DIST += tests/toolstack/store.sh

# Debian's Linux to its shell on the real node (tools/xm-fetch-linux).
XM_BOOT_TESTS += tests/linux/debian.sh tests/linux/debian_smp.sh
# ... saved to a file and restored from it, twice (issue 13).
XM_BOOT_TESTS += tests/linux/debian_save.sh
EXTRA_DIST += tests/linux/debian.sh tests/linux/debian_smp.sh \
	tests/linux/debian_save.sh \
	tests/linux/mkinitramfs.py tests/linux/compat32.s \
	tools/xm-fetch-linux

# bzImages of every compression, against ctl-peer and on the real node.
XM_BOOT_TESTS += tests/toolstack/kernel_image.sh
EXTRA_DIST += tests/toolstack/kernel_image.sh tests/toolstack/mkbzimage.py

# Statistics (domain.stats, node.stats, xmctl domstats) against ctl-peer.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/stats.sh
EXTRA_DIST += tests/toolstack/stats.sh

# Reads from xmd's state against ctl-peer: prompt, and writing nothing.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/reads.sh
EXTRA_DIST += tests/toolstack/reads.sh

# Memory limits (setmaxmem, setmem, currentMemory) against ctl-peer.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/mem-peer.sh
EXTRA_DIST += tests/toolstack/mem-peer.sh

# /metrics with TLS and the TCP listener's tokens and certificates.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/metrics-tls.sh
EXTRA_DIST += tests/toolstack/metrics-tls.sh

# Persistent domains, xmd restarting over a running node, events in
# order and the read-only socket, on the real node (issue 5; peer.sh
# covers the same against ctl-peer).
XM_BOOT_TESTS += tests/toolstack/persist.sh
EXTRA_DIST += tests/toolstack/persist.sh

# xmd's TCP listener with TLS, against ctl-peer: client certificates,
# tokens, their roles, and clients that do not speak TLS (rpc-tls is
# the client).
check_PROGRAMS += tests/rpc-tls
tests_rpc_tls_SOURCES = tests/rpc-tls.c
tests_rpc_tls_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_rpc_tls_LDADD = $(OPENSSL_LIBS)
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/tls.sh
EXTRA_DIST += tests/toolstack/tls.sh

# xmctl by xm+tls:// and xm+ssh:// (a stand-in for ssh), against
# ctl-peer: the client's CA, certificate and tokens, and its errors.
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/remote-tls.sh
EXTRA_DIST += tests/toolstack/remote-tls.sh tests/toolstack/tls-close.py

# The domain record on the wire (common/dom_record.c): round trip, and
# a missing or mistyped field named in the error.
XM_UNIT_BINS += tests/unit/test_dom_record
tests_unit_test_dom_record_SOURCES = tests/unit/test_dom_record.c \
	common/dom_record.c common/dom_record.h common/dr_fields.h \
	common/stats_record.c
tests_unit_test_dom_record_CPPFLAGS = $(XM_COMMON_CPPFLAGS)
tests_unit_test_dom_record_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_dom_record_LDADD = $(CMOCKA_LIBS) $(JSONC_LIBS)

# libxmctl's migration with options against a scripted xmd: the
# requests, and the migration.progress notifications to the callback.
XM_UNIT_BINS += tests/unit/test_migrate_progress
tests_unit_test_migrate_progress_SOURCES = \
	tests/unit/test_migrate_progress.c
tests_unit_test_migrate_progress_CPPFLAGS = -D_GNU_SOURCE \
	-I$(srcdir)/libxmctl/include
tests_unit_test_migrate_progress_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_migrate_progress_LDADD = libxmctl/libxmctl.la \
	$(CMOCKA_LIBS) $(JSONC_LIBS)

# domain.migrate's options as xmd reads them (bandwidth, persistent,
# undefine_source, ...), and the token bucket that paces the rounds.
XM_UNIT_BINS += tests/unit/test_migrate_opts
tests_unit_test_migrate_opts_SOURCES = tests/unit/test_migrate_opts.c \
	xmd/migrate_opts.c xmd/migrate_opts.h xmd/pace.c xmd/pace.h
tests_unit_test_migrate_opts_CPPFLAGS = -I$(srcdir)/xmd \
	$(XM_COMMON_CPPFLAGS)
tests_unit_test_migrate_opts_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS) $(LIBEVENT_CFLAGS)
tests_unit_test_migrate_opts_LDADD = $(CMOCKA_LIBS) $(JSONC_LIBS) \
	$(LIBEVENT_LIBS)

# xmd's and xmctl's options, numbers, -h, help and exit statuses 0/1/2
# (host only, ctl-peer where a node is needed).
XM_UNIT_TESTS += $(srcdir)/tests/toolstack/options.sh
EXTRA_DIST += tests/toolstack/options.sh

# xmd's xenstore (xmd/xs_*.c): the wire, permissions and quotas,
# watches, transactions; tests/unit/xs_fixture.h connects the domains.
XM_UNIT_BINS += tests/unit/test_xs_wire tests/unit/test_xs_perms \
	tests/unit/test_xs_watch tests/unit/test_xs_txn \
	tests/unit/test_xs_save
XM_XS_TEST_SOURCES = tests/unit/xs_fixture.h $(XMD_XS_SOURCES)
XM_XS_TEST_CPPFLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd -I$(srcdir)/include
tests_unit_test_xs_wire_SOURCES = tests/unit/test_xs_wire.c \
	$(XM_XS_TEST_SOURCES)
tests_unit_test_xs_wire_CPPFLAGS = $(XM_XS_TEST_CPPFLAGS)
tests_unit_test_xs_wire_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xs_wire_LDADD = $(CMOCKA_LIBS)
tests_unit_test_xs_perms_SOURCES = tests/unit/test_xs_perms.c \
	$(XM_XS_TEST_SOURCES)
tests_unit_test_xs_perms_CPPFLAGS = $(XM_XS_TEST_CPPFLAGS)
tests_unit_test_xs_perms_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xs_perms_LDADD = $(CMOCKA_LIBS)
tests_unit_test_xs_watch_SOURCES = tests/unit/test_xs_watch.c \
	$(XM_XS_TEST_SOURCES)
tests_unit_test_xs_watch_CPPFLAGS = $(XM_XS_TEST_CPPFLAGS)
tests_unit_test_xs_watch_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xs_watch_LDADD = $(CMOCKA_LIBS)
tests_unit_test_xs_txn_SOURCES = tests/unit/test_xs_txn.c \
	$(XM_XS_TEST_SOURCES)
tests_unit_test_xs_txn_CPPFLAGS = $(XM_XS_TEST_CPPFLAGS)
tests_unit_test_xs_txn_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xs_txn_LDADD = $(CMOCKA_LIBS)
# The save file's framing and checksum (xmd/savefile.c).
XM_UNIT_BINS += tests/unit/test_savefile
tests_unit_test_savefile_SOURCES = tests/unit/test_savefile.c \
	xmd/savefile.c xmd/savefile.h
tests_unit_test_savefile_CPPFLAGS = -I$(srcdir)/xmd
tests_unit_test_savefile_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(KIMG_CFLAGS)
tests_unit_test_savefile_LDADD = $(CMOCKA_LIBS) $(KIMG_LIBS)
# Page tables between mfns and pfns for save (xmd/save_canon.c).
XM_UNIT_BINS += tests/unit/test_save_canon
tests_unit_test_save_canon_SOURCES = tests/unit/test_save_canon.c \
	xmd/save_canon.c xmd/save_canon.h
tests_unit_test_save_canon_CPPFLAGS = -I$(srcdir)/xmd -I$(srcdir)/include
tests_unit_test_save_canon_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_save_canon_LDADD = $(CMOCKA_LIBS)
# A save file read and checked for restore (xmd/restore_image.c).
XM_UNIT_BINS += tests/unit/test_restore_image
tests_unit_test_restore_image_SOURCES = tests/unit/test_restore_image.c \
	xmd/restore_image.c xmd/restore_live.c xmd/restore_image.h \
	xmd/savefile.c
tests_unit_test_restore_image_CPPFLAGS = -I$(srcdir)/xmd -I$(srcdir)/include
tests_unit_test_restore_image_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(KIMG_CFLAGS)
tests_unit_test_restore_image_LDADD = $(CMOCKA_LIBS) $(KIMG_LIBS)

tests_unit_test_xs_save_SOURCES = tests/unit/test_xs_save.c \
	$(XM_XS_TEST_SOURCES)
tests_unit_test_xs_save_CPPFLAGS = $(XM_XS_TEST_CPPFLAGS)
tests_unit_test_xs_save_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_xs_save_LDADD = $(CMOCKA_LIBS)

# xenstore end to end on the real node (guests/xsclient): own trees,
# isolation both ways, xmctl store, a hostile domain's quotas and
# malformed streams, cooperative shutdown and reboot.
XM_BOOT_TESTS += tests/boot/xenstore.sh
# ... and across an xmd restart over the running node.
XM_BOOT_TESTS += tests/boot/xenstore-restart.sh
