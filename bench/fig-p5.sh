# P5 scale and P9 hv memory per domain.  On one node (xmd's embedded
# QEMU node, TCG, one CPU, memory enough for the largest scale), 1, 8,
# 32, 64 and 128 CPU-bound domains of 16 MiB (guests/cpubench, the
# workload of P1, with short repetitions and no end), added a scale at a
# time.  At each scale, once every domain reports work, the domains'
# own reports (bench/guest_work.py) give the work all of them did over
# one window of hv's time: aggregate work/s relative to 1 domain, the
# baseline of the same run.  P9: hv's free memory (nodeinfo, hv's
# free-frame count) before the first domain and at the largest scale,
# per domain, minus the domain's own pages.
. "$XM_SRCDIR/bench/lib.sh"
B=$XM_BUILDDIR
scales=${BENCH_P5_SCALES:-$(tiny "1 8 32 64 128" "1 2")}
secs=${BENCH_P5_SECS:-$(tiny 30 1)}
settle=$(tiny 2 0.5)
mib=16
# A repetition of ~15 ms, shorter than a time slice.
passes=1000
max=0
for n in $scales; do [ "$n" -gt "$max" ] && max=$n; done
node_mib=$((max * (mib + 1) + 128))
S=$BENCH_DIR/state
XMD_PID=

cleanup()
{
	[ -n "$XMD_PID" ] && kill "$XMD_PID" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$XMD_PID" 2>/dev/null || break
		sleep 0.1
	done
}
trap cleanup EXIT

"$B/xmd/xmd" -s "$S" -K "$B" -i "$B/xm.iso" -m "${node_mib}M" -t 120 \
    -T 60 || exit 1
XMD_PID=$(cat "$S/xmd.pid")
xmctl() { "$B/xmctl/xmctl" -c "unix://$S/xmd.sock" "$@"; }
doms() { if [ "$1" -eq 1 ]; then echo "1 domain"; else echo "$1 domains"; fi; }
free_kib() { json_get "$(xmctl nodeinfo --json)" free_kib; }

create_one()
{
	cat >"$BENCH_DIR/w$1.xml" <<XML
<domain type='xen'>
  <name>w$1</name>
  <memory unit='MiB'>$mib</memory>
  <os><kernel>guests/cpubench/cpubench.elf</kernel>
    <cmdline>passes=$passes reps=1000000000</cmdline></os>
</domain>
XML
	xmctl create "$BENCH_DIR/w$1.xml" >/dev/null
}

free0=$(free_kib) || exit 1
say "P5: cpubench domains of $mib MiB ($passes passes a repetition) on" \
    "xmd's embedded node (TCG, 1 CPU, $node_mib MiB); a window of" \
    "${secs}s at each scale, $settle s after the last domain's first work"
have=0 base= reached=0 free1= err=
for n in $scales; do
	while [ "$have" -lt "$n" ]; do
		if ! e=$(create_one "$((have + 1))" 2>&1); then
			err="domain $((have + 1)) not created: $e"
			break
		fi
		have=$((have + 1))
	done
	if [ "$have" -lt "$n" ]; then
		say "P5 $(doms $n): $err"
		bench_emit "P5 scale, $(doms $n)" - MB/s \
		    --target "ratio>=0.97" --note "not measured: $err"
		continue
	fi
	logs=()
	for i in $(seq "$n"); do logs+=("$S/console/w$i.log"); done
	res=$(python3 "$XM_SRCDIR/bench/guest_work.py" "$secs" "$settle" \
	    "$((60 + n * 3))" "${logs[@]}") || exit 1
	set -- $(json_get "$res" total_mbs reps late)
	say "P5 $(doms $n): $1 MB/s in all, $2 repetitions counted," \
	    "$3 domains silent after the window"
	if [ -z "$base" ]; then
		base=$1
		bench_emit "P5 scale, $(doms $n)" "$1" MB/s \
		    --note "work/s of every domain together (the baseline)"
	else
		bench_emit "P5 scale, $(doms $n)" "$1" MB/s \
		    --baseline "$base" --baseline-name "1 domain" \
		    --target "ratio>=0.97" \
		    --note "work/s of every domain together; $3 silent"
	fi
	reached=$n
	free1=$(free_kib) || exit 1
done

# Each domain's own pages: what xmd reports it has (guest pages).
[ "$reached" -gt 0 ] || exit 1
dom_kib=$(json_get "$(xmctl dominfo --json w1)" current_kib) || exit 1
per=$(python3 -c 'import sys
f0, f1, n, d = map(int, sys.argv[1:])
print(round((f0 - f1) / n - d, 2))' "$free0" "$free1" "$reached" "$dom_kib")
say "P9: hv free memory $free0 KiB before, $free1 KiB with $reached" \
    "domains of $dom_kib KiB"
bench_emit "P9 hv memory per domain" "$per" KiB --target "value<=16" \
    --note "hv's free memory used per domain beyond its $dom_kib KiB, $reached domains"
