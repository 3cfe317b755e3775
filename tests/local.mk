# tests: `make check` runs every unit and boot test through tests/harness,
# which ends with "N passed, N failed".

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
	tests/boot/xenhdr.sh

EXTRA_DIST += tests/harness tests/boot/lib.sh $(XM_BOOT_TESTS)

# Tests run in parallel, XM_TEST_JOBS at a time (default: one per CPU).
XM_TEST_JOBS ?=

check-local: xm.iso
	@XM_SRCDIR=$(srcdir) XM_BUILDDIR=. GRUB_PC_DIR=$(GRUB_PC_DIR) \
	    $(BASH) $(srcdir)/tests/harness -j "$(XM_TEST_JOBS)" \
	    $(XM_UNIT_TESTS) $(addprefix $(srcdir)/,$(XM_BOOT_TESTS))

clean-local:
	rm -rf tests/logs
