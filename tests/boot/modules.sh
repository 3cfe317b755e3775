# hv lists the multiboot2 modules GRUB loaded, with their sizes and
# strings: these will be the domain kernels.
. "$XM_SRCDIR/tests/boot/lib.sh"

mod1=$XM_TEST_TMP/modules-1.bin
mod2=$XM_TEST_TMP/modules-2.bin
head -c 10240 /dev/zero >"$mod1"
head -c 3000 /dev/zero >"$mod2"
boot modules -c "poweroff" "$mod1:dom0 console=hvc0 root=none" "$mod2"
expect '^\(hv\) info: modules: 2$' "hv counts two modules"
expect "^\(hv\) info: module 0: 0x[0-9a-f]+-0x[0-9a-f]+ \(10 KiB\) 'dom0 console=hvc0 root=none'$" \
    "module 0 has its size and its full string"
expect "^\(hv\) info: module 1: 0x[0-9a-f]+-0x[0-9a-f]+ \(3 KiB\) 'modules-2.bin'$" \
    "module 1 has its size and its file name as string"
expect_rc 0 "hv powers off cleanly"
rm -f "$mod1" "$mod2"
finish
