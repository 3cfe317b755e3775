# Isolation: domain 0 (guests/victim) checks 4 MiB of its memory round
# after round while domain 1 (guests/hostile) attacks hv and it, one
# attempt at a time, and ends with a triple fault of its own.  Every
# attack must be refused as the ABI says, hv must keep running and kill
# the hostile domain with a logged reason, and the victim must finish
# with its memory intact.  On 1 CPU (taking turns) and on 2; then once
# more with the victim destroying the crashed domain (domctl), so that
# hv tears down what the hostile one left behind; and once with domain 0
# destroying a domain that is busy in long hypercalls on the other CPU.
. "$XM_SRCDIR/tests/boot/lib.sh"
VICTIM=$XM_BUILDDIR/guests/victim/victim.elf
HOSTILE=$XM_BUILDDIR/guests/hostile/hostile.elf

# Every TAP line of domain $1 is "ok", and there are as many as planned.
all_ok()
{
	local plan ok

	plan=$(sed -nE "s/^\\(d$1\\) 1\\.\\.([0-9]+)\$/\\1/p" "$SERIAL" |
	    head -n 1)
	ok=$(grep -cE "^\\(d$1\\) ok [0-9]+ - " "$SERIAL")
	[ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$ok" -eq "$plan" ]
	tap $? "$2 (${ok:-0} ok of ${plan:-no plan})"
}

for smp in 1 2; do
	boot "isolation-smp$smp" -s "$smp" -t 150 -c "poweroff domu=1" \
	    "$VICTIM:victim late_ms=1500" "$HOSTILE:hostile"
	all_ok 1 "smp $smp: every attack of d1 is refused as the ABI says"
	expect_not '^\(d1\) not ok' "smp $smp: no attack got through"
	expect '^\(d1\) ok [0-9]+ - mapping every frame not its own' \
	    "smp $smp: d1 tried to map every frame it does not own"
	expect '^\(d1\) # last: a fault on the unmapped stack' \
	    "smp $smp: d1 got to its last attack"
	expect '^\(hv\) warn: d1: crashed: triple fault: cannot deliver #PF page fault, kernel stack 0x[0-9a-f]+ not writable$' \
	    "smp $smp: hv kills d1 for its triple fault and says why"
	expect '^\(hv\) info: d1: shut down \(crash\)$' \
	    "smp $smp: d1 is shut down as crashed"
	expect_not '^\(hv\) (panic|error):' "smp $smp: hv did not panic"
	expect '^\(d0\) ok [0-9]+ - memory intact after [0-9]+ rounds' \
	    "smp $smp: the victim's memory is intact"
	expect '^\(d0\) ok [0-9]+ - another domain shut down while it' \
	    "smp $smp: the victim was checking while d1 attacked"
	all_ok 0 "smp $smp: the victim's checks all pass"
	expect '^\(hv\) info: d0: shut down \(poweroff\)$' \
	    "smp $smp: the victim finishes and powers off"
	expect_rc 13 "smp $smp: the worst shutdown was d1's crash"
done

boot isolation-teardown -s 2 -t 150 -c "poweroff domu=1" \
    "$VICTIM:victim destroy=1 late_ms=1500" "$HOSTILE:hostile"
expect '^\(d1\) ok [0-9]+ - gave back all [0-9]+ frames it still runs on' \
    "teardown: d1 gave its frames back before it died"
expect '^\(hv\) warn: d1: crashed: triple fault: cannot deliver #PF page fault, kernel stack 0x[0-9a-f]+ not writable$' "teardown: d1 crashed"
expect '^\(hv\) info: d1: destroyed$' "teardown: hv destroyed d1"
expect_not 'still referenced' "teardown: hv got every frame of d1 back"
expect_not '^\(hv\) (panic|error):' "teardown: hv did not panic"
expect '^\(d0\) ok [0-9]+ - memory intact after [0-9]+ rounds' \
    "teardown: the victim's memory is intact"
all_ok 0 "teardown: the victim's checks all pass"
expect_rc 0 "teardown: with d1 gone, d0 powered off last"
# Destroyed while it runs: d1 spends its time in long multicalls on the
# other CPU; domain 0 destroys it. hv must get it off its CPU first,
# however long its hypercall (it is preempted, never given up on), and
# free nothing another CPU still uses.
boot isolation-kill -s 2 -t 120 -c "poweroff domu=1" \
    "$VICTIM:victim kill=1 late_ms=1500" "$HOSTILE:hostile busy=1"
expect '^\(d1\) # busy: long multicalls until destroyed' \
    "kill: d1 is busy in long hypercalls"
expect '^\(d0\) ok [0-9]+ - destroyed d1 while it ran \(0\)' \
    "kill: domain 0 destroyed d1 while it ran"
expect '^\(hv\) info: d1: destroyed$' "kill: hv destroyed d1"
expect_not 'still referenced' "kill: hv got every frame of d1 back"
expect_not '^\(hv\) (panic|error|warn):' "kill: hv did not panic or warn"
all_ok 0 "kill: the victim's checks all pass"
expect_rc 0 "kill: with d1 gone, d0 powered off last"
finish
