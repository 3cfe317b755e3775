# hv reports the usable memory QEMU was given with -m, read from the
# multiboot2 memory map (less the BIOS's holes, a few hundred KiB).
. "$XM_SRCDIR/tests/boot/lib.sh"

for mb in 96 300; do
	boot "memory-$mb" -m "${mb}M" -c "poweroff"
	got=$(capture 'memory: ([0-9]+) MiB usable')
	[ -n "$got" ] && [ "$got" -le "$mb" ] && [ "$got" -ge $((mb - 2)) ]
	tap $? "with -m ${mb}M hv reports ${mb} MiB less holes (got ${got:-none})"
	expect_rc 0 "with -m ${mb}M hv powers off cleanly"
done
finish
