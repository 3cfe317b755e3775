# klib: the freestanding C library that hv and the guest kernels share.
# Listed here, compiled by each kernel with its own flags.

KLIB_SOURCES = \
	klib/format.c \
	klib/mem.c \
	klib/parse.c \
	klib/string.c \
	klib/xen_elf.c \
	klib/xen_elf_int.h \
	klib/xen_elf_notes.c \
	klib/xen_layout.c \
	klib/include/klib/format.h \
	klib/include/klib/parse.h \
	klib/include/klib/ns16550.h \
	klib/include/klib/portio.h \
	klib/include/klib/string.h \
	klib/include/klib/xen_elf.h \
	klib/include/klib/xen_layout.h

KLIB_HOST_SOURCES = \
	klib/format.c \
	klib/parse.c \
	klib/string.c \
	klib/xen_elf.c \
	klib/xen_elf_int.h \
	klib/xen_elf_notes.c \
	klib/xen_layout.c

# The control channel's op table and payload check: domain 0 compiles
# it freestanding, xmd and the tests for the host (not in hv).
KLIB_CTLOP_SOURCES = klib/ctlop.c klib/include/klib/ctlop.h
