# P7 live migration: guests/counter with 64 MiB moves from xmd A's
# node to xmd B's (two QEMU nodes of this machine, xm+unix) with
# `xmctl migrate --live --max-downtime 50` (the downtime P7 aims at;
# the default, 300 ms, is libvirt's), as an idle domain (it only counts), a light
# writer (dirty_pages=64 of 32 MiB each 50 ms line: about 5 MiB/s) and
# a heavy one (every page of 32 MiB each line: faster than any round).
# For each:
# - downtime: from the guest's last instruction on A (just before its
#   suspend call) to its first on B (just after the call returned), by
#   the guest's own wall clock ("counter: stopped for N us").  Both
#   nodes boot hv with clock=rtc (bench/p7.iso), so their wall clocks
#   start on an RTC second edge and agree to about a millisecond;
# - total: the wall time of xmctl migrate, against memory / bandwidth
#   (the domain's pages at the rate round 0 sent them: the channel's
#   speed with the guest running);
# - rounds: pre-copy rounds before the stop-and-copy (A's xmd log).
# xmd's own "suspended here to running there" is printed beside the
# guest's figure.  Tiny mode migrates the idle domain only, with 16 MiB.
. "$XM_SRCDIR/bench/lib.sh"
B=$XM_BUILDDIR
ISO=$B/bench/p7.iso
SA=$BENCH_DIR/a SB=$BENCH_DIR/b
PID_A= PID_B=
mem=$(tiny 64 16)
kinds=$(tiny "idle light heavy" "idle")

stop_both()
{
	XMD_PID=$PID_A bench_stop_xmd
	XMD_PID=$PID_B bench_stop_xmd
}
trap stop_both EXIT

[ -f "$ISO" ] || { echo "$ISO is missing: make bench builds it"; exit 1; }
"$B/xmd/xmd" -s "$SA" -K "$B" -i "$ISO" -m 256M -t 120 -T 60 || exit 1
PID_A=$(cat "$SA/xmd.pid")
"$B/xmd/xmd" -s "$SB" -K "$B" -i "$ISO" -m 256M -t 120 -T 60 || exit 1
PID_B=$(cat "$SB/xmd.pid")
xa() { "$B/xmctl/xmctl" -c "unix://$SA/xmd.sock" "$@"; }
xb() { "$B/xmctl/xmctl" -c "unix://$SB/xmd.sock" "$@"; }

# wait_for SECONDS PATTERN FILE
wait_for()
{
	local i
	for i in $(seq $(($1 * 10))); do
		grep -q "$2" "$3" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no '$2' in $3 after $1 s"
	return 1
}

# define NAME CMDLINE-EXTRA: a counter of $mem MiB printing every 50 ms.
define()
{
	cat >"$BENCH_DIR/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>$mem</memory>
  <os><kernel>guests/counter/counter.elf</kernel>
  <cmdline>counter period_ms=50 xs_control=1 $2</cmdline></os>
</domain>
XML
}

# The last line of A's xmd log matching a pattern, about domain NAME.
xmd_log() { grep "domain '$1'.*$2" "$SA/xmd.log" | tail -1; }

say "P7: counter of $mem MiB, A to B over xm+unix, --max-downtime 50," \
    "QEMU TCG nodes of 256 MiB, hv clock=rtc; kinds: $kinds"
for kind in $kinds; do
	case $kind in
	idle) define idle "" ;;
	light) define light "dirty_kib=32768 dirty_pages=64" ;;
	heavy) define heavy "dirty_kib=32768" ;;
	esac
	xa create "$BENCH_DIR/$kind.xml" >/dev/null || exit 1
	wait_for 30 "^counter 20$" "$SA/console/$kind.log" || exit 1
	t0=$(now_ns)
	xa migrate --live --max-downtime 50 "$kind" "xm+unix://$SB/xmd.sock" \
	    >/dev/null || exit 1
	t1=$(now_ns)
	wait_for 30 "counter: stopped for" "$SB/console/$kind.log" || exit 1
	down_us=$(grep "counter: stopped for" "$SB/console/$kind.log" |
	    tail -1 | sed 's/.*stopped for \(-\{0,1\}[0-9]*\) us.*/\1/')
	round0=$(xmd_log "$kind" "live: round 0 sent")
	rounds=$(xmd_log "$kind" "live: [0-9]* rounds" |
	    sed 's/.*live: \([0-9]*\) rounds.*/\1/')
	xmd_ms=$(grep "domain '$kind': suspended here to running there" \
	    "$SA/xmd.log" | tail -1 | sed 's/.*there: \([0-9]*\) ms.*/\1/')
	set -- $(echo "$round0" |
	    sed 's/.*round 0 sent \([0-9]*\) pages in \([0-9]*\) ms.*/\1 \2/')
	if [ -z "$down_us" ] || [ -z "$rounds" ] || [ $# -ne 2 ]; then
		echo "$kind: no figures in the logs"
		exit 1
	fi
	total_s=$(python3 -c "print(round(($t1 - $t0) / 1e9, 3))")
	# memory / bandwidth: every page at round 0's rate.
	ideal_s=$(python3 -c "print(round($mem * 256 * $2 / max($1, 1) / 1e3, 3))")
	say "$kind: downtime ${down_us} us by the guest's clock, ${xmd_ms} ms" \
	    "by xmd; total ${total_s} s; round 0: $1 pages in $2 ms;" \
	    "$rounds rounds"
	down_ms=$(python3 -c "print(round($down_us / 1e3, 1))")
	if [ "$kind" = heavy ]; then
		bench_emit "P7 $kind downtime" "$down_ms" ms \
		    --note "guest's own clock; xmd saw $xmd_ms ms"
	else
		bench_emit "P7 $kind downtime" "$down_ms" ms \
		    --target "value<=50" \
		    --note "guest's own clock; xmd saw $xmd_ms ms"
	fi
	bench_emit "P7 $kind total" "$total_s" s --baseline "$ideal_s" \
	    --baseline-name "memory / bandwidth of round 0" \
	    --target "ratio<=1.5"
	bench_emit "P7 $kind rounds" "$rounds" rounds
	xb destroy "$kind" >/dev/null || exit 1
done
