# The credit scheduler, judged by domain 0 (guests/schedtest) from hv's
# own accounting (VCPU_LIST) while three CPU-bound domUs run:
# - one CPU: weights 1:2:4 give shares within 10 % of entitlement, a
#   25 % cap holds within 3 points, domain 0 wakes promptly next to the
#   hogs (BOOST), bad parameters are refused and change nothing.  One
#   CPU, because weights are shares of a CPU that is fully contended;
#   3 s per measurement, because at 30 ms periods that is 100 periods,
#   enough for 10 % on a loaded host.
# - two CPUs: weights 1:2:4 give max-min fair shares (the heaviest a
#   whole CPU, the others 1:2 of the other), with vCPUs moving between
#   CPUs as they steal work; pinning is exact (a vCPU pinned to CPU 1 is only ever seen
#   there, one pinned to CPU 0 only there, both pinned away from where
#   they were; two CPUs, since pinning to one of one proves nothing), and
#   sched_tslice_ms= is taken; domUs have two vCPUs (the second stays
#   down), for caps above 100 % and VCPU_LIST of several vCPUs.
# - sched=rr: the round-robin policy is selectable and says so.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests/schedtest/schedtest.elf
HOGS=("$G:hog role=hog" "$G:hog role=hog" "$G:hog role=hog")

boot sched-credit -s 1 -t 90 -c "poweroff domu=3" \
    "$G:schedtest weights=1 cap=1 secs=3" "${HOGS[@]}"
expect '^\(hv\) info: sched: credit scheduler, 30 ms time slice$' \
    "credit is the default, 30 ms slices"
expect_guest_tap d0 "smp 1: weights, cap, wake-ups, bad parameters"
expect '^\(d0\) ok [0-9]+ - d1 at weight 64' "smp 1: weights measured"
expect '^\(hv\) warn: d1: scheduler weight 0 refused' \
    "a refusal names the domain"
expect_not '^\(hv\) (panic|error):' "smp 1: hv did not panic"
expect_rc 0 "smp 1: domain 0 powered off last"

boot sched-pin -s 2 -t 90 -c "poweroff domu=3 domu_vcpus=2 sched_tslice_ms=20" \
    "$G:schedtest weights=1 cpus=2 pin=1" "${HOGS[@]}"
expect '^\(hv\) info: sched: credit scheduler, 20 ms time slice$' \
    "sched_tslice_ms=20 is taken"
expect_guest_tap d0 "smp 2: weights, pinning, bad parameters"
expect '^\(hv\) info: d2: vCPU 0 affinity 0x2$' "hv logs the pinning"
expect_not '^\(hv\) (panic|error):' "smp 2: hv did not panic"
expect_rc 0 "smp 2: domain 0 powered off last"

boot sched-rr -s 2 -t 60 -c "poweroff domu=3 sched=rr" \
    "$G:schedtest sched=rr pin=1" "${HOGS[@]}"
expect '^\(hv\) info: sched: rr scheduler' "sched=rr selects round-robin"
expect_guest_tap d0 "rr: pinning, bad parameters"
expect_rc 0 "rr: domain 0 powered off last"
finish
