# Live migration between two nodes of one machine (issue 13): xmd A
# sends guests/counter, which keeps writing 16 MiB of its memory, to
# xmd B while it runs (log-dirty on in A's hv, pre-copy rounds), then
# asks it to suspend and sends the rest; on B it counts on from where
# it stopped, and the checksum of its memory it printed before the
# suspend is the one it prints after.  With --verbose the rounds show
# as migration.progress lines.  A writer faster than the rounds stops
# at --max-rounds and still arrives whole.  A migration aborted, or
# whose target xmd is killed, during a round leaves the domain
# running on A with log-dirty off.  Options that need --live are
# refused without it.  Two QEMU nodes boot: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/migrate-lib.sh"
trap 'stop_xmd; stop_b' EXIT

start_xmd -i "$ISO" -m 256M -t 60
tap $? "xmd A starts its node"
start_b
tap $? "xmd B starts its node"

counter light 32 50 64
LOG_A=$STATE/console/light.log
LOG_B=$B/console/light.log
x create "$T/light.xml"
has "^Domain 'light' created" "a counter writing 64 of 4096 pages a line"
wait_until 20 grep -q "^counter 5$" "$LOG_A"
tap $? "it counts on A"

x migrate --max-rounds 3 light "xm+unix://$B/xmd.sock"
check "--max-rounds without --live: a usage error" test "$RC" -eq 2
has "max-rounds.*--live" "... naming both"
x migrate --live --max-rounds 0 light "xm+unix://$B/xmd.sock"
check "--max-rounds 0: an error" test "$RC" -ne 0
check "... and it runs on A" runs_at "$STATE" light

"$XMCTL" -c "unix://$STATE/xmd.sock" migrate --live --verbose light \
    "xm+unix://$B/xmd.sock" >"$T/light.out" 2>&1
tap $? "xmctl migrate --live --verbose: light to B"
sed 's/^/# | /' "$T/light.out" | tail -5
check "--verbose shows the pre-copy rounds" grep -qi "precopy" "$T/light.out"
check "A sent its pages while it ran, in rounds" \
    grep -q "domain 'light' (d[0-9]*): live: round 0 sent" "$STATE/xmd.log"
# As Xen's: the rounds go on while each at least halves what is dirty,
# until fewer than 50 are; before, the first round whose rest fitted the
# allowed downtime ended them, and the tail held 200 pages.
awk '/domain .light. \(d[0-9]*\): live: round [0-9]* sent/ {
	for (i = 1; i <= NF; i++) if ($i == "sent") sent = $(i + 1) }
    /domain .light. \(d[0-9]*\): live: [0-9]* rounds, / {
	for (i = 1; i <= NF; i++) if ($i == "left") left = $(i - 1) }
    END { print "# last round sent " sent ", the tail held " left
	exit !(left != "" && (left < 50 || left * 2 > sent)) }' \
    "$STATE/xmd.log"
tap $? "the rounds ended once few were dirty, or a round did not halve them"
check "A's hv tracked it with log-dirty, then stopped" \
    grep -q "log-dirty off" "$STATE/node.log"
stopped_at=$(counter_last "$LOG_A")
check "it is gone from A" absent_at "$STATE" light
check "it runs on B" runs_at "$B" light
wait_until 20 grep -q "counter: suspend returned 0" "$LOG_B"
tap $? "on B its suspend call returned 0"
wait_until 20 grep -q "^counter $((stopped_at + 3))\$" "$LOG_B"
tap $? "it counts on on B from where it stopped on A ($stopped_at)"
check "its memory's checksum after the migration is the one before" \
    sums_equal "$LOG_A" "$LOG_B"
check "both xmd set their node's wall clock to the host's" \
    sh -c 'grep -q "node: wall clock set to the host" "$1/xmd.log" &&
	grep -q "node: wall clock set to the host" "$2/xmd.log"' _ "$STATE" "$B"
set_again() # XMD-LOG: a setting asked for by a migration, then done
{
	awk '/node: setting its wall clock again, for a migration/ { a = 1 }
	    a && /node: wall clock set to the host/ { f = 1 }
	    END { exit !f }' "$1"
}
check "... and again as the migration began, both" \
    eval 'set_again "$STATE/xmd.log" && set_again "$B/xmd.log"'
grep -h "node: wall clock set to the host" "$STATE/xmd.log" "$B/xmd.log" |
    sed 's/^/# /'
stopped=$(grep -o "counter: stopped for -*[0-9]* us" "$LOG_B" | tail -1 |
    grep -o -- "-*[0-9]* us" | cut -d' ' -f1)
echo "# by its own clock it was stopped for ${stopped:-?} us"
# Read across two nodes' clocks, the downtime is only as right as they
# agree.  Each xmd sets its node's wall clock to the host's within half
# its best probe's round trip (a ms or two), and again every 60 s; in
# between, on a loaded host, the nodes' clocks were seen to drift apart
# by hundreds of ms (distcheck read -278 ms right after a setting 2 ms
# right: most likely hv's TSC rate, calibrated under TCG).  Without the
# setting they would disagree by up to a second, the RTC's, and the
# guest's clock would jump as much: so the reading is checked against a
# second either way (below 30 s, as before, above).
check "... so by its own clock it was stopped for a while, not for less than -1 s" \
    test "${stopped:--9999999}" -gt -1000000 -a "${stopped:--1}" -lt 30000000
check "A's state directory keeps no file of it" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$STATE"
x_at "$B" destroy light

# Every page every line: more than the rounds can keep up with.
counter heavy 32 50 4096
LOG_H=$STATE/console/heavy.log
x create "$T/heavy.xml"
has "^Domain 'heavy' created" "a counter writing all its 4096 pages a line"
wait_until 20 grep -q "^counter 5$" "$LOG_H"
tap $? "it counts on A"
x migrate --live --max-rounds 1 --max-downtime 1 heavy \
    "xm+unix://$B/xmd.sock"
has "^Domain 'heavy' migrated" "with --max-rounds 1 --max-downtime 1"
check "the rounds stopped after the first" \
    grep -q "domain 'heavy' (d[0-9]*): live: 1 rounds" "$STATE/xmd.log"
check "... and A's log says they ended without converging (max_rounds)" \
    grep -q "domain 'heavy' (d[0-9]*): live: the rounds end without converging (max_rounds)" \
    "$STATE/xmd.log"
wait_until 20 grep -q "counter: suspend returned 0" "$B/console/heavy.log"
tap $? "on B its suspend call returned 0"
check "its memory arrived whole" sums_equal "$LOG_H" "$B/console/heavy.log"
# Back to A with no --max-rounds: the pages it writes again during a
# round wait for the next (Xen's skip), and once a round leaves about as
# many dirty as the one before, the rounds end; before, they went on
# until three times its memory had gone (a total of 3.5 times memory /
# bandwidth for make bench's heavy writer).
wait_until 20 grep -q "^counter 5$" "$B/console/heavy.log"
x_at "$B" migrate --live --max-downtime 1 heavy "xm+unix://$STATE/xmd.sock"
has "^Domain 'heavy' migrated" "and back to A with --max-downtime 1"
grep "domain 'heavy' (d[0-9]*): live: round" "$B/xmd.log" | sed 's/^/# /'
skipped=$(grep "domain 'heavy' (d[0-9]*): live: round 0 sent" "$B/xmd.log" |
    tail -1 | sed -n 's/.*skipped \([0-9]*\) written again.*/\1/p')
check "round 0 skipped the pages it wrote again (${skipped:-none})" \
    test "${skipped:-0}" -gt 1000
check "the rounds ended without converging (not_converging)" \
    grep -q "domain 'heavy' (d[0-9]*): live: the rounds end without converging (not_converging)" \
    "$B/xmd.log"
rounds=$(grep "domain 'heavy' (d[0-9]*): live: [0-9]* rounds" "$B/xmd.log" |
    tail -1 | sed 's/.*live: \([0-9]*\) rounds.*/\1/')
check "... after at most 3 rounds, not 30 (${rounds:-?})" \
    test "${rounds:-99}" -le 3
wait_until 20 sh -c 'grep -A3 "counter: stopped for" "$1" |
    grep -q "counter: memory sum"' _ "$LOG_H"
tap $? "on A its suspend call returned again"
check "its memory arrived whole on A" sums_equal "$B/console/heavy.log" "$LOG_H"
x destroy heavy

# Aborted during its first round (128 MiB: a round of a second or
# two), then B killed during it.
counter slow 128 100 0
LOG_S=$STATE/console/slow.log
x create "$T/slow.xml"
wait_until 20 grep -q "^counter 5$" "$LOG_S"
tap $? "a counter of 128 MiB counts on A"
"$XMCTL" -c "unix://$STATE/xmd.sock" migrate --live slow \
    "xm+unix://$B/xmd.sock" >"$T/abort.out" 2>&1 &
mig=$!
wait_until 30 grep -q "domain 'slow' (d[0-9]*): live: sending" \
    "$STATE/xmd.log"
tap $? "its first round starts"
x migrate-abort slow
has "^Domain 'slow': migration aborted" "xmctl migrate-abort during it"
wait "$mig"
check "the migration fails" test $? -eq 1
sed 's/^/# | /' "$T/abort.out"
check "... saying it was aborted and runs on here" \
    grep -q "aborted.*runs on here" "$T/abort.out"
wait_until 10 sh -c "[ \$(grep -c 'log-dirty off' \"\$1\") -ge 3 ]" \
    _ "$STATE/node.log"
tap $? "A's hv turned log-dirty off"
at=$(counter_last "$LOG_S")
wait_until 20 grep -q "^counter $((at + 5))\$" "$LOG_S"
tap $? "it counts on on A"
check "slow is not on B" absent_at "$B" slow

"$XMCTL" -c "unix://$STATE/xmd.sock" migrate --live slow \
    "xm+unix://$B/xmd.sock" >"$T/fault.out" 2>&1 &
mig=$!
wait_until 30 sh -c "[ \$(grep -c \"domain 'slow' (d[0-9]*): live: sending\" \"\$1\") -ge 2 ]" \
    _ "$STATE/xmd.log"
tap $? "its first round starts again"
b_node=$(cat "$B/qemu.pid" 2>/dev/null)
kill -KILL "$B_PID"
B_PID=
wait "$mig"
check "B killed during the rounds: the migration fails" test $? -eq 1
sed 's/^/# | /' "$T/fault.out"
check "... saying it runs on here" grep -q "runs on here" "$T/fault.out"
at=$(counter_last "$LOG_S")
wait_until 20 grep -q "^counter $((at + 5))\$" "$LOG_S"
tap $? "it counts on on A"
wait_until 10 sh -c "[ \$(grep -c 'log-dirty off' \"\$1\") -ge 4 ]" \
    _ "$STATE/node.log"
tap $? "A's hv turned log-dirty off again"
check "A's state directory keeps no file of it" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$STATE"
[ -n "$b_node" ] && kill -TERM "$b_node" 2>/dev/null
x destroy slow
finish
