# TLB coherence across CPUs (issue 8, class 1): guests/tlbshoot, a
# domain with two vCPUs, takes a page away from under vCPU 1 every way
# the ABI offers (and gives the frame back to hv, or makes it a page
# table) while vCPU 1 keeps using it; once the hypercall has returned,
# vCPU 1 must fault.  Beside it, domain 0 (guests/victim) checks that
# its memory stays intact.  On 2 CPUs the vCPUs run on different CPUs,
# where hv with a CPU-local flush lets vCPU 1 go on through its CPU's
# stale TLB entry; on 1 CPU they take turns.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

for smp in 2 1; do
	boot "tlbshoot-smp$smp" -s "$smp" -t 60 \
	    -c "poweroff domu=1 domu_vcpus=2" \
	    "$G/victim/victim.elf:victim rounds=10" \
	    "$G/tlbshoot/tlbshoot.elf:tlbshoot"
	expect '^\(hv\) info: d1: .* 2 vCPUs, ' "smp $smp: d1 has 2 vCPUs"
	if [ "$smp" -eq 2 ]; then
		# Placement puts vCPU 1 apart from vCPU 0, wherever that is.
		expect '^\(hv\) info: d1: vCPU 1 up on cpu(0 \(its others on cpu1|1 \(its others on cpu0)\)$' \
		    "smp 2: vCPU 1 runs on another CPU than vCPU 0"
	fi
	expect_guest_tap d1 "smp $smp: tlbshoot"
	expect_not '^\(d1\) # a stale TLB entry' \
	    "smp $smp: no stale translation was used"
	expect '^\(hv\) info: d1: its last vCPU up \(0\) went down$' \
	    "smp $smp: the last vCPU going down ..."
	expect '^\(hv\) info: d1: shut down \(poweroff\)$' \
	    "smp $smp: ... powers d1 off"
	expect '^\(d0\) ok [0-9]+ - memory intact after [0-9]+ rounds' \
	    "smp $smp: the victim's memory is intact"
	expect_guest_tap d0 "smp $smp: victim"
	expect_not '^\(hv\) (panic|error):' "smp $smp: hv did not panic"
	expect_rc 0 "smp $smp: every domain powered off"
done
finish
