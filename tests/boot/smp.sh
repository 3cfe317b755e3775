# SMP guests (issue 11, section 1): on 4 CPUs, two domains of 4 vCPUs
# each (guests/smp) bring their vCPUs up as a PV kernel does and run a
# job split over them, signalled across vCPUs with events: IPI ports,
# a port moved with EVTCHNOP_bind_vcpu, SCHEDOP_poll of masked ports
# (as Linux waits for a spinlock), an IPI port back to vCPU 0 while it
# sleeps.  Beside them domain 0 (guests/victim) checks its memory.  On 1
# CPU the same must work by taking turns.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

for smp in ${XM_SMP_LIST:-4 1}; do
	boot "smp-smp$smp" -s "$smp" -t 120 \
	    -c "poweroff domu=2 domu_vcpus=4" \
	    "$G/victim/victim.elf:victim rounds=10" \
	    "$G/smp/smp.elf:smp rounds=40" \
	    "$G/smp/smp.elf:smp rounds=40 work=5000"
	for d in 1 2; do
		expect "^\\(hv\\) info: d$d: .* 4 vCPUs, " \
		    "smp $smp: d$d has 4 vCPUs"
		expect_guest_tap "d$d" "smp $smp: d$d (guests/smp)"
		expect "^\\(hv\\) info: d$d: shut down \\(poweroff\\)\$" \
		    "smp $smp: d$d powered off"
	done
	expect '^\(d0\) ok [0-9]+ - memory intact after [0-9]+ rounds' \
	    "smp $smp: the victim's memory is intact"
	expect_guest_tap d0 "smp $smp: victim"
	expect_not '^\(hv\) (panic|error):' "smp $smp: hv did not panic"
	expect_rc 0 "smp $smp: every domain powered off"
done
# A GDT frame two vCPUs share, each on a CPU of its own: vCPU 0's
# update_descriptor reaches vCPU 1 where it runs (hv interrupts its CPU
# to refresh its copy), as on Xen where the CPU reads the frame itself.
boot smp-desc -s 4 -t 60 -c "poweroff domu=1 domu_vcpus=2" \
    "$G/victim/victim.elf:victim rounds=3" \
    "$G/smp/smp.elf:smp rounds=5 desc_alone=1"
expect_guest_tap d1 "smp-desc: d1 (guests/smp, desc_alone)"
expect_not '^\(hv\) (panic|error):' "smp-desc: hv did not panic"
expect_rc 0 "smp-desc: every domain powered off"
finish
