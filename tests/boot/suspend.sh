# A suspend that the toolstack cancels, as Xen's libxc does it, driven
# from domain 0 (guests/resumer) through domctl: domain 1
# (guests/counter suspend_at=3) calls SCHEDOP_shutdown(SHUTDOWN_suspend)
# with its start_info frame in rdx and stops; domain 0 finds it so, sets
# the call's return value to 1 in its vCPU context and resumes it; it
# counts on from where it stopped and says the call returned 1.  On two
# CPUs, so that domain 0 reads the context while domain 1's vCPU may
# still be leaving the other one.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

boot suspend -s 2 -t 60 -c "poweroff domu=1" \
    "$G/resumer/resumer.elf:resumer" \
    "$G/counter/counter.elf:counter period_ms=50 limit=6 suspend_at=3"
expect_guest_tap d0 "domain 0 drove the suspend and its cancel"
expect '^\(hv\) info: d1: shut down \(suspend\)$' \
    "hv logs the suspend as a shutdown reason"
expect '^\(hv\) info: d1: resumed after shutdown \(suspend\)$' \
    "... and the resume"
expect '^\(d1\) counter: suspend returned 1$' \
    "domain 1's suspend call returned 1 (cancelled)"
expect '^\(d1\) counter 6$' "it counted on after the resume"
expect '^\(hv\) info: d1: shut down \(poweroff\)$' \
    "then powered off at its limit"
expect_not '^\(hv\) (panic|error):' "hv did not panic"
expect_rc 0 "domain 0 powered off last"
finish
