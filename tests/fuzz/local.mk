# tests/fuzz: libFuzzer targets for the host code (issue 8), one per kind
# of input: control frames as xmd reads them, control requests as domain
# 0 reads them (its code compiled for the host over tests/fuzz/dom0_host.c),
# JSON-RPC requests, definitions in XML and JSON, Xen PV kernel images,
# xenstore requests from hostile domains, save files given to restore.
# They build with clang only, never as part of plain `make`:
#
#   make fuzz-build    build them (tests/fuzz/fuzz_TARGET)
#   make fuzz-host     build, then run each for FUZZ_RUNS executions, or
#                      FUZZ_SECONDS at most (tests/fuzz/run.sh)
#   make fuzz          all the fuzzing: fuzz-host, then fuzz-hv
#
# `make check` builds them when configure found clang and runs
# tests/fuzz/smoke.sh: each target over its corpus and 2000 inputs more
# (every case fails, saying why, without clang).

FUZZ_RUNS ?= 10000000
FUZZ_SECONDS ?= 1800

FUZZ_TARGETS = ctl_frame dom0_ctl rpc def_xml def_json xen_elf xenstore \
	savefile
FUZZ_BINS = $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)
CLEANFILES += $(FUZZ_BINS)

FUZZ_CC = $(CLANG) -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -I$(srcdir)/tests/fuzz
FUZZ_COMMON_H = tests/fuzz/fuzz.h

FUZZ_CTL_SRC = tests/fuzz/fuzz_ctl_frame.c xmd/ctl_frame.c klib/ctlop.c
FUZZ_CTL_DEPS = $(FUZZ_CTL_SRC) xmd/ctl_frame.h include/xm/ctl.h \
	include/xm/ctl_ops.h klib/include/klib/ctlop.h

# Domain 0's control path: the stream, the op table, the server, the
# handlers; <guest/hypercall.h> is tests/fuzz/shim's.
FUZZ_DOM0_SRC = tests/fuzz/fuzz_dom0_ctl.c tests/fuzz/dom0_host.c \
	guests/dom0/ctl_stream.c guests/dom0/ctl_ops.c \
	guests/dom0/ctl_server.c guests/dom0/ops_domain.c \
	guests/dom0/ops_mem.c guests/dom0/ops_sched.c guests/dom0/ops_stats.c \
	guests/dom0/ops_logdirty.c \
	guests/dom0/ops_clock.c \
	guests/dom0/conback.c guests/dom0/ringback.c guests/dom0/storeback.c \
	xmd/ctl_frame.c \
	klib/string.c klib/ctlop.c
FUZZ_DOM0_DEPS = $(FUZZ_DOM0_SRC) tests/fuzz/dom0_host.h \
	tests/fuzz/shim/guest/hypercall.h guests/dom0/ctl_stream.h \
	guests/dom0/ctl_ops.h guests/dom0/ctl_server.h guests/dom0/ops.h \
	guests/dom0/hc.h guests/dom0/ringback.h include/xm/ctl.h \
	include/xm/ctl_ops.h klib/include/klib/ctlop.h \
	include/xm/domctl.h
FUZZ_DOM0_FLAGS = -DXM_VERSION=\"$(PACKAGE_VERSION)\" \
	-I$(srcdir)/tests/fuzz/shim -I$(srcdir)/guests/lib/include \
	-I$(srcdir)/guests/dom0 -I$(srcdir)/xmd -I$(srcdir)/include \
	-I$(srcdir)/klib/include

FUZZ_RPC_SRC = tests/fuzz/fuzz_rpc.c xmd/rpc_dispatch.c xmd/rpc_audit.c
FUZZ_RPC_DEPS = $(FUZZ_RPC_SRC) tests/fuzz/utf8.h xmd/rpc_dispatch.h \
	xmd/rpc_audit.h
FUZZ_RPC_FLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd -I$(srcdir)/libxmctl/include \
	$(JSONC_CFLAGS)

# Definitions: the schema only through $XM_SCHEMA_DIR, which the target
# sets to the source tree's for the written forms (tests/fuzz/def_check.c).
FUZZ_DEF_SRC = tests/fuzz/def_check.c common/def_fields.c \
	common/def_json.c common/def_opaque.c common/def_rng.c common/def_write.c \
	common/def_xml.c common/domain_def.c common/paths.c common/uuid.c \
	common/parse_num.c common/cpulist.c
FUZZ_DEF_DEPS = $(FUZZ_DEF_SRC) tests/fuzz/def_check.h \
	common/domain_def.h common/def_table.h common/parse_num.h \
	common/cpulist.h \
	schemas/domain.rng
FUZZ_DEF_FLAGS = -D_GNU_SOURCE -I$(srcdir)/common \
	-DFUZZ_SCHEMA_DIR=\"$(abs_top_srcdir)/schemas\" \
	$(LIBXML2_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS)

FUZZ_ELF_SRC = tests/fuzz/fuzz_xen_elf.c klib/xen_elf.c klib/string.c \
	klib/xen_elf_notes.c klib/xen_layout.c xmd/layout.c
FUZZ_ELF_DEPS = $(FUZZ_ELF_SRC) klib/include/klib/xen_elf.h \
	klib/xen_elf_int.h \
	klib/include/klib/xen_layout.h xmd/layout.h
FUZZ_ELF_FLAGS = -I$(srcdir)/xmd -I$(srcdir)/klib/include \
	-I$(srcdir)/include

# xmd's xenstore, with its insides (xmd/xs_int.h) for the checks.
FUZZ_XS_SRC = tests/fuzz/fuzz_xenstore.c xmd/xs_api.c xmd/xs_conn.c \
	xmd/xs_control.c \
	xmd/xs_ops.c xmd/xs_path.c xmd/xs_tree.c xmd/xs_txn.c xmd/xs_watch.c
FUZZ_XS_DEPS = $(FUZZ_XS_SRC) xmd/xenstore.h xmd/xs_int.h \
	include/xm/xs_wire.h
FUZZ_XS_FLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd -I$(srcdir)/include

# Save files as restore reads them; zlib (in KIMG) for the CRC-32.
FUZZ_SF_SRC = tests/fuzz/fuzz_savefile.c xmd/savefile.c xmd/restore_image.c \
	xmd/restore_live.c
FUZZ_SF_DEPS = $(FUZZ_SF_SRC) xmd/savefile.h xmd/restore_image.h \
	include/xm/arch_x86_64.h include/xm/domctl.h include/xm/xen_core.h
FUZZ_SF_FLAGS = -D_GNU_SOURCE -I$(srcdir)/xmd -I$(srcdir)/include \
	$(KIMG_CFLAGS)

tests/fuzz/fuzz_ctl_frame: $(FUZZ_CTL_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -I$(srcdir)/xmd -I$(srcdir)/include \
	    -I$(srcdir)/klib/include -o $@ \
	    $(FUZZ_CTL_SRC:%=$(srcdir)/%)

tests/fuzz/fuzz_dom0_ctl: $(FUZZ_DOM0_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_DOM0_FLAGS) -o $@ \
	    $(FUZZ_DOM0_SRC:%=$(srcdir)/%)

tests/fuzz/fuzz_rpc: $(FUZZ_RPC_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_RPC_FLAGS) -o $@ \
	    $(FUZZ_RPC_SRC:%=$(srcdir)/%) $(JSONC_LIBS)

tests/fuzz/fuzz_def_xml tests/fuzz/fuzz_def_json: tests/fuzz/fuzz_%: \
    $(srcdir)/tests/fuzz/fuzz_%.c $(FUZZ_DEF_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_DEF_FLAGS) -o $@ \
	    $(srcdir)/tests/fuzz/fuzz_$*.c $(FUZZ_DEF_SRC:%=$(srcdir)/%) \
	    $(LIBXML2_LIBS) $(JSONC_LIBS) $(UUID_LIBS)

tests/fuzz/fuzz_xen_elf: $(FUZZ_ELF_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_ELF_FLAGS) -o $@ \
	    $(FUZZ_ELF_SRC:%=$(srcdir)/%)

tests/fuzz/fuzz_xenstore: $(FUZZ_XS_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_XS_FLAGS) -o $@ \
	    $(FUZZ_XS_SRC:%=$(srcdir)/%)

tests/fuzz/fuzz_savefile: $(FUZZ_SF_DEPS:%=$(srcdir)/%) \
    $(srcdir)/$(FUZZ_COMMON_H) | fuzz-need-clang
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_SF_FLAGS) -o $@ \
	    $(FUZZ_SF_SRC:%=$(srcdir)/%) $(KIMG_LIBS)

fuzz-need-clang:
	@if test -z "$(CLANG)"; then \
	    echo "fuzz: clang not found: install the Debian package clang" \
	        "(apt-get install clang), then run ./configure again" >&2; \
	    exit 1; \
	fi

fuzz-build: $(FUZZ_BINS)

fuzz-host: fuzz-build
	@$(BASH) $(srcdir)/tests/fuzz/run.sh -r $(FUZZ_RUNS) \
	    -t $(FUZZ_SECONDS) -s $(srcdir) -b . $(FUZZ_TARGETS)

# Everything: the host targets, then the hypercall fuzzer (tests/local.mk).
fuzz: fuzz-host fuzz-hv

# make check: the smoke test, with the targets built when clang is there.
fuzz-check-build:
	@if test -n "$(CLANG)"; then \
	    $(MAKE) $(AM_MAKEFLAGS) fuzz-build; \
	fi
check-local: fuzz-check-build
check-unit: fuzz-check-build
XM_UNIT_TESTS += $(srcdir)/tests/fuzz/smoke.sh

# What the runs found is kept across `make clean`; distclean drops it.
distclean-local: fuzz-clean
fuzz-clean:
	rm -rf tests/fuzz/out

.PHONY: fuzz fuzz-host fuzz-build fuzz-need-clang fuzz-check-build \
	fuzz-clean

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/smoke.sh tests/fuzz/targets.sh \
	tests/fuzz/mkseeds.py tests/fuzz/fuzz.h tests/fuzz/utf8.h \
	tests/fuzz/def_check.h tests/fuzz/def_check.c tests/fuzz/dom0_host.h \
	tests/fuzz/dom0_host.c tests/fuzz/shim tests/fuzz/fuzz_ctl_frame.c \
	tests/fuzz/fuzz_dom0_ctl.c tests/fuzz/fuzz_rpc.c \
	tests/fuzz/fuzz_def_xml.c tests/fuzz/fuzz_def_json.c \
	tests/fuzz/fuzz_xen_elf.c tests/fuzz/fuzz_xenstore.c \
	tests/fuzz/fuzz_savefile.c \
	tests/fuzz/corpus tests/fuzz/ctl.dict tests/fuzz/xenstore.dict \
	tests/fuzz/rpc.dict tests/fuzz/def_xml.dict tests/fuzz/def_json.dict \
	tests/fuzz/xen_elf.dict tests/fuzz/savefile.dict
