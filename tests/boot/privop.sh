# The instructions and calls Xen emulates or answers for a PV kernel
# (issue 12): guests/privop, a domU beside domain 0 (guests/victim),
# checks XENVER_get_features, CPUID through the forced-emulation prefix,
# PHYSDEVOP_set_iopl and then cli/sti and port I/O, the control
# registers, clts and wbinvd, and that what hv does not emulate stays
# its #GP.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

boot privop -s 1 -t 60 -c "poweroff domu=1" \
    "$G/victim/victim.elf:victim rounds=5" "$G/privop/privop.elf:privop"
expect_guest_tap d1 "privop"
expect '^\(hv\) info: d1: shut down \(poweroff\)$' "privop powered off"
expect_guest_tap d0 "the victim"
expect_not '^\(hv\) (panic|error):' "hv did not panic"
expect_rc 0 "every domain powered off"
finish
