# Migration between two nodes of one machine (issue 13), stop and copy:
# xmd A moves guests/counter (xs_control=1) to xmd B through B's admin
# socket (xm+unix:///PATH).  The counter, asked to suspend through
# xenstore on A, comes back on B from its suspend call and counts on
# from where it stopped; A has no copy left.  A target where the name
# is taken, or no target at all, leaves the domain running on A.  Two
# QEMU nodes boot: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso
B=$T/b
B_PID=

stop_b()
{
	[ -n "$B_PID" ] || return 0
	kill -TERM "$B_PID" 2>/dev/null
	wait_until 10 gone "$B_PID"
}
trap 'stop_xmd; stop_b' EXIT

sed -e 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=50 xs_control=1</cmdline>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/counter.xml"
LOG_A=$STATE/console/counter.log
LOG_B=$B/console/counter.log

# xmctl on B: output in $OUT, status in $RC.
xb()
{
	RC=0
	OUT=$("$XMCTL" -c "unix://$B/xmd.sock" "$@" 2>&1) || RC=$?
	echo "# \$ xmctl(B) $* (status $RC)"
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}

runs_on()
{
	"$XMCTL" -c "unix://$1/xmd.sock" list | grep -q "^counter .* running"
}

absent_on()
{
	! "$XMCTL" -c "unix://$1/xmd.sock" list | grep -q "^counter "
}

last_count()
{
	grep -o '^counter [0-9]*' "$1" | tail -n 1 | cut -d' ' -f2
}

start_xmd -i "$ISO" -m 256M -t 60
tap $? "xmd A starts its node"
"$XMD" -s "$B" -K "$XM_BUILDDIR" -i "$ISO" -m 256M -t 60
tap $? "xmd B starts its node"
B_PID=$(cat "$B/xmd.pid" 2>/dev/null)
x create "$T/counter.xml"
has "^Domain 'counter' created" "counter created on A"
wait_until 20 grep -q "counter 5" "$LOG_A"
tap $? "it counts on A"

x migrate counter "xm+unix://$T/nowhere.sock"
check "to a target that is not there: an error" test "$RC" -eq 1
has "cannot connect to $T/nowhere.sock" "... naming the socket"
check "... and it runs on A" runs_on "$STATE"
x migrate counter "xm://host/"
has "not one this xmd migrates to" "a URI of another kind: refused"

xb create "$T/counter.xml"
has "^Domain 'counter' created" "a counter of the same name on B"
x migrate counter "xm+unix://$B/xmd.sock"
check "to a target where its name is taken: an error" test "$RC" -eq 1
has "exists on the target" "... saying so"
check "... and it runs on A, not suspended" runs_on "$STATE"
xb destroy counter
wait_until 10 absent_on "$B"
tap $? "B's counter destroyed"

x migrate counter "xm+unix://$B/xmd.sock"
has "^Domain 'counter' migrated to xm\+unix://$B/xmd\.sock" \
    "xmctl migrate: counter to B"
stopped_at=$(last_count "$LOG_A")
check "it is gone from A" absent_on "$STATE"
check "it runs on B" runs_on "$B"
wait_until 20 grep -q "counter: suspend returned 0" "$LOG_B"
tap $? "on B its suspend call returned 0"
wait_until 20 grep -q "^counter $((stopped_at + 3))\$" "$LOG_B"
tap $? "it counts on on B from where it stopped on A ($stopped_at)"
# B's log has its own counter's lines before the migrated one's.
check "it did not start again from 1 on B" \
    sh -c "! sed -n '/suspend returned 0/,\$p' \"\$1\" | grep -q '^counter 1\$'" \
    _ "$LOG_B"
check "A's state directory keeps no file of it" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$STATE"
check "nor does B's" sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$B"

# And back, with --json.
"$XMCTL" -c "unix://$B/xmd.sock" migrate --json counter \
    "xm+unix://$STATE/xmd.sock" >"$T/back.json" 2>&1
tap $? "back from B to A"
check "... --json says what was sent" grep -q '"bytes"' "$T/back.json"
back_at=$(last_count "$LOG_B")
wait_until 20 grep -q "^counter $((back_at + 3))\$" "$LOG_A"
tap $? "it counts on on A from $back_at"
x destroy counter
[ "$tap_failed" -eq 0 ] || show_logs "$B/xmd.log"
finish
