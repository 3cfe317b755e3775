# A domain that suspends itself, on the real node: guests/counter with
# suspend_at=3 calls SCHEDOP_shutdown(SHUTDOWN_suspend) after its third
# line.  xmd does not take that for a poweroff: the domain waits in
# state "suspended" (domain.suspended is sent), its count stands still,
# and `xmctl resume` lets it run on where it stopped, as Xen's
# toolstack cancels a suspend: its suspend call returns 1, it counts on
# to its limit and powers off, and on_poweroff destroys it.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso

trap 'stop_xmd' EXIT

sed -e 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=50 limit=8 suspend_at=3</cmdline>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/counter.xml"

# Its console log, which outlives the domain.
logged()
{
	grep -q -- "$1" "$STATE/console/counter.log"
}

state_is()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" domstate counter 2>/dev/null |
	    grep -q "^$1"
}

gone()
{
	! "$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^counter "
}

start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"
"$XMCTL" -c "unix://$STATE/xmd.sock" event --loop --json >"$T/events" 2>&1 &
EV_PID=$!
trap 'kill "$EV_PID" 2>/dev/null; stop_xmd' EXIT
sleep 1		# subscribed before the domain starts
x create "$T/counter.xml"
has "^Domain 'counter' created" "create counter suspend_at=3"
wait_until 20 state_is suspended
tap $? "it suspends itself: state suspended, not destroyed"
grep -q "suspended itself; it waits" "$STATE/xmd.log"
tap $? "xmd says so in its log"
wait_until 5 grep -q '"event":"domain.suspended".*"domain":"counter"' \
    "$T/events"
tap $? "... and sends domain.suspended"
x domstats --json counter
has '"state.state": *7' "domstats: libvirt's state 7 (pmsuspended)"
sleep 0.3
logged "counter 4"
check "its count stands still while it is suspended" test $? -ne 0
x shutdown counter
has "cannot shut down: it is suspended" \
    "shutdown of a suspended domain: refused, saying why"
x resume counter
has "^Domain 'counter' resumed" "resume lets it run on"
wait_until 20 logged "counter: suspend returned 1"
tap $? "its suspend call returned 1, as for a cancelled suspend"
wait_until 20 logged "counter 8"
tap $? "it counted on from where it stopped"
wait_until 20 gone
tap $? "it powered off at its limit and on_poweroff destroyed it"
x resume counter
refused_rc=$RC
check "resume of a domain that is gone: an error" test "$refused_rc" -ne 0
finish
