# hv's boot-time builder takes the start-of-day layout from
# klib/xen_layout.c, as xmd's does: a kernel whose VIRT_BASE is not
# page-aligned is refused with its cause (before, hv mapped every page
# one off, and hv/mm refused the tables: "the initial page tables do not
# validate (-16)"), and the other domains still run.
. "$XM_SRCDIR/tests/boot/lib.sh"
HELLO=$XM_BUILDDIR/guests/hello/hello.elf
BAD=$XM_TEST_TMP/layout-unaligned.elf

# hello with VIRT_BASE and PADDR_OFFSET 2 KiB lower: same segments,
# entry and hypercall page, accepted by the ELF parser.
python3 - "$HELLO" "$BAD" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
phoff, = struct.unpack_from('<Q', b, 32)
phentsize, phnum = struct.unpack_from('<HH', b, 54)
for i in range(phnum):
    p = phoff + i * phentsize
    ptype, = struct.unpack_from('<I', b, p)
    if ptype != 4:
        continue
    off, = struct.unpack_from('<Q', b, p + 8)
    size, = struct.unpack_from('<Q', b, p + 32)
    at = off
    while at < off + size:
        namesz, descsz, ntype = struct.unpack_from('<III', b, at)
        desc = at + 12 + (namesz + 3) // 4 * 4
        if ntype in (3, 4) and descsz == 8:	# VIRT_BASE, PADDR_OFFSET
            v, = struct.unpack_from('<Q', b, desc)
            struct.pack_into('<Q', b, desc, v - 0x800)
        at = desc + (descsz + 3) // 4 * 4
open(sys.argv[2], 'wb').write(b)
PY

boot layout -c "poweroff domu=2 domu_mem=8M" "$HELLO:hello exit=0" \
    "$BAD:hello bad" "$HELLO:hello two"
expect "^\(hv\) error: d1: cannot build the domain: the kernel's VIRT_BASE is not page-aligned \(-22\)$" \
    "an unaligned VIRT_BASE is refused, with the cause"
expect_not '^\(d1\)' "the refused domain never runs"
expect '^\(d2\) hello: cmdline "hello two"$' "the next domU runs"
expect_rc 0 "the others power off"
rm -f "$BAD"
finish
