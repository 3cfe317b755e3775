# hv's boot-time builder takes the start-of-day layout from
# klib/xen_layout.c, as xmd's does, and refuses with its cause what
# that refuses: a kernel whose VIRT_BASE is not page-aligned (before,
# hv mapped every page one off, and hv/mm refused the tables: "the
# initial page tables do not validate (-16)"), and one in the top 2 MiB,
# where the layout would wrap around past 2^64 (before, hv mapped none
# of it).  The other domains still run.
. "$XM_SRCDIR/tests/boot/lib.sh"
HELLO=$XM_BUILDDIR/guests/hello/hello.elf
UNALIGNED=$XM_TEST_TMP/layout-unaligned.elf
TOP=$XM_TEST_TMP/layout-top.elf

# hello with its Xen notes moved: patch HELLO OUT NOTE=DELTA...
patch()
{
	python3 - "$@" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
delta = {int(k): int(v, 0) for k, v in (a.split('=') for a in sys.argv[3:])}
phoff, = struct.unpack_from('<Q', b, 32)
phentsize, phnum = struct.unpack_from('<HH', b, 54)
for i in range(phnum):
    p = phoff + i * phentsize
    if struct.unpack_from('<I', b, p)[0] != 4:	# PT_NOTE
        continue
    off, = struct.unpack_from('<Q', b, p + 8)
    size, = struct.unpack_from('<Q', b, p + 32)
    at = off
    while at < off + size:
        namesz, descsz, ntype = struct.unpack_from('<III', b, at)
        desc = at + 12 + (namesz + 3) // 4 * 4
        if ntype in delta and descsz == 8:
            v, = struct.unpack_from('<Q', b, desc)
            struct.pack_into('<Q', b, desc, (v + delta[ntype]) % 2**64)
        at = desc + (descsz + 3) // 4 * 4
open(sys.argv[2], 'wb').write(b)
PY
}

# VIRT_BASE (3) and PADDR_OFFSET (4) 2 KiB lower: the same segments.
patch "$HELLO" "$UNALIGNED" 3=-0x800 4=-0x800
# VIRT_BASE, ENTRY (1) and HYPERCALL_PAGE (2) moved to -2 MiB.
patch "$HELLO" "$TOP" 1=0x7fe00000 2=0x7fe00000 3=0x7fe00000

boot layout -c "poweroff domu=3 domu_mem=8M" "$HELLO:hello exit=0" \
    "$UNALIGNED:hello unaligned" "$TOP:hello top" "$HELLO:hello three"
expect "^\(hv\) error: d1: cannot build the domain: the kernel's VIRT_BASE is not page-aligned \(-22\)$" \
    "an unaligned VIRT_BASE is refused, with the cause"
expect "^\(hv\) error: d2: cannot build the domain: the kernel's start-of-day layout runs past the end of its half of the address space \(-12\)$" \
    "a layout that would wrap past 2^64 is refused, with the cause"
expect_not '^\(d[12]\)' "the refused domains never run"
expect '^\(d3\) hello: cmdline "hello three"$' "the next domU runs"
expect_rc 0 "the others power off"
rm -f "$UNALIGNED" "$TOP"
finish
