# The target of a live migration, fed by hand (tests/toolstack/
# livestream.py stands in for the source): guests/counter is saved,
# its file turned into a live stream with stale pre-copy copies and a
# tail, and sent to the same xmd in chunks that cut records anywhere.
# xmd makes the domain once the head has come, writes the pre-copy
# pages as they come and the rest once the stream is whole; the counter
# comes back from its suspend call and counts on.  A damaged stream, a
# word past the p2m and the source going half way leave nothing.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso
trap 'stop_xmd' EXIT

CMD='<cmdline>counter period_ms=50 xs_control=1</cmdline>'
sed -e "s|<cmdline>[^<]*</cmdline>|$CMD|" \
    "$XM_SRCDIR/examples/counter.xml" >"$T/counter.xml"
LOG=$STATE/console/counter.log
send()
{
	OUT=$(python3 "$XM_SRCDIR/tests/toolstack/livestream.py" \
	    "$STATE/xmd.sock" "$T/counter.save" "$1" 2>&1)
	printf '%s\n' "$OUT" | sed "s/^/# $1: /"
}

start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"
x create "$T/counter.xml"
has "^Domain 'counter' created" "create counter xs_control=1"
wait_until 20 grep -q "counter 5" "$LOG"
tap $? "it counts"
x save counter "$T/counter.save"
has "^Domain 'counter' saved" "save counter"
stopped_at=$(counter_last "$LOG")

send damaged
has "checksum" "a damaged stream: finish refuses it"
check "... and nothing is left of it" absent_at "$STATE" counter
send badword
has "pfn|out of range" "a word past the p2m: refused"
check "... and nothing is left of it" absent_at "$STATE" counter
send gone
has "closed" "the source goes half way"
wait_until 20 absent_at "$STATE" counter
tap $? "... and nothing is left of it"
check "no stream file is left" \
    test "$(ls "$STATE" | grep -c '^migrate-in')" -eq 0

send ok
has "finished: paused" "a live stream: finish answers the domain, paused"
has "committed" "... and commit runs it"
wait_until 20 grep -q "counter: suspend returned 0" "$LOG"
tap $? "its suspend call returned 0 in the new domain"
wait_until 20 grep -q "counter $((stopped_at + 3))" "$LOG"
tap $? "it counts on from where it stopped ($stopped_at)"
check "it runs" runs_at "$STATE" counter
grep -q "the migration stream is whole" "$STATE/xmd.log"
tap $? "xmd wrote the pre-copy pages as they came, then the rest"
grep -E "migration|stream" "$STATE/xmd.log" | sed 's/^/# xmd: /'
x destroy counter
finish
