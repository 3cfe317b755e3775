# Event channels, VIRQ_TIMER, one-shot and periodic timers, and time in
# a guest (guests/evtimer judges itself in TAP; hv's part is delivering
# events and time correctly), on 1 and 2 CPUs. A guest that sleeps lets
# domUs run beside it: d1 runs hello while d0 sleeps.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

for smp in 1 2; do
	boot "evtimer-smp$smp" -s "$smp" -t 90 -c "poweroff domu=1" \
	    "$G/evtimer/evtimer.elf:evtimer" "$G/hello/hello.elf:hello"
	expect_guest_tap d0 "smp $smp: evtimer"
	expect '^\(d1\) hello: powering off$' "smp $smp: a domU runs beside it"
	expect_not 'panic' "smp $smp: hv keeps running"
	expect_rc 0 "smp $smp: both powered off"
done
finish
