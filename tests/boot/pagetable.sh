# A guest's own page tables, validated by hv: thousands of mappings made
# and undone in mmu_update batches and multicalls, pins, and the
# refusals the PV MMU owes (guests/pagetable judges itself in TAP).
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

boot pagetable -t 90 -c "poweroff" "$G/pagetable/pagetable.elf:pagetable"
expect_guest_tap d0 "pagetable"
expect '^\(hv\) warn: d0: writable mapping of mfn 0x[0-9a-f]+ refused$' \
    "hv logs the refusals with the domain id"
expect_not 'panic' "hv keeps running"
expect_rc 0 "the guest powers off"
finish
