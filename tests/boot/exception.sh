# An exception in hv prints a register dump with the faulting address and
# stops the machine (with status 1 under `poweroff`), instead of a silent
# reset. `debug_fault` makes hv touch an unmapped address on purpose.
. "$XM_SRCDIR/tests/boot/lib.sh"

boot exception -c "poweroff debug_fault"
expect '^\(hv\) error: exception 14 \(#PF page fault\) in hv' \
    "the page fault is named"
expect '^\(hv\) error: page fault at 0x00007ff0deadb000 \(not present, read, data\)' \
    "the faulting address and the kind of access are printed"
expect '^\(hv\) error: RIP e008:0xffff82d080[0-9a-f]{6}' \
    "the dump shows where in hv it happened"
expect '^\(hv\) error: RAX [0-9a-f]{16} RBX' "the general registers are dumped"
expect '^\(hv\) panic: unhandled exception 14' "hv panics"
expect_rc 1 "hv stops the machine with the panic code"
finish
