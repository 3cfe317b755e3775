# A guest's own page tables, validated by hv: thousands of mappings made
# and undone in mmu_update batches and multicalls, pins, and the
# refusals the PV MMU owes (guests/pagetable judges itself in TAP), on 1
# and 2 CPUs.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

for smp in 1 2; do
	boot "pagetable-smp$smp" -s "$smp" -t 90 -c "poweroff" \
	    "$G/pagetable/pagetable.elf:pagetable"
	expect_guest_tap d0 "smp $smp: pagetable"
	expect '^\(hv\) warn: d0: writable mapping of mfn 0x[0-9a-f]+ refused$' \
	    "smp $smp: hv logs the refusals with the domain id"
	expect_not 'panic' "smp $smp: hv keeps running"
	expect_rc 0 "smp $smp: the guest powers off"
done
finish
