# hv boots from the GRUB ISO, prints its banner and powers off with
# status 0 when told to.
. "$XM_SRCDIR/tests/boot/lib.sh"

boot banner -c "poweroff"
expect '^\(hv\) info: xm-hv [0-9]+\.[0-9]+\.[0-9]+ \(x86-64 PV hypervisor\)' \
    "the banner names hv and its version"
expect '^\(hv\) info: command line: poweroff' "hv echoes its command line"
expect 'booting from GRUB' "hv names its loader"
expect '^\(hv\) info: boot complete' "hv completes its boot"
expect_rc 0 "hv powers off through isa-debug-exit with code 0"
expect_not 'panic|exception' "nothing goes wrong on the way"
finish
