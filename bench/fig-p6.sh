# P6 QoS, on xmd's embedded node (TCG) with cpubench domains (the
# workload of P1, short repetitions, no end) as CPU hogs:
# - weights 1:2:4 (256, 512, 1024) for three hogs on a node with one
#   CPU and on one with two: each domain's share of the work the three
#   did over a window (their own reports, bench/guest_work.py) against
#   its entitlement (the CPUs shared by weight, no domain getting more
#   than its one vCPU can use: 1/7 2/7 4/7 on one CPU, 1/6 2/6 3/6 on
#   two); the figure is the worst relative error;
# - a cap of 25 % on one of three equal hogs on one CPU: its share of
#   the work, in points away from 25;
# - wake-up latency: guests/wakelat sleeps 10 ms at a time next to four
#   hogs on one CPU and reports how late it woke; the figure is p99.
# The baseline of each is its entitlement or target; the window is 30 s
# (BENCH_P6_SECS shortens it).
. "$XM_SRCDIR/bench/lib.sh"
B=$XM_BUILDDIR
secs=${BENCH_P6_SECS:-$(tiny 30 1)}
settle=$(tiny 2 0.5)
# wakelat sleeps 10 ms at a time for as long as a window, 50 times at least.
sleeps=$(python3 -c 'import sys
print(max(50, int(float(sys.argv[1]) * 100)))' "$secs")
XMD_PID= S=

trap bench_stop_xmd EXIT

start_node()
{
	S=$BENCH_DIR/node$1
	"$B/xmd/xmd" -s "$S" -K "$B" -i "$B/xm.iso" -m 256M -S "$1" -t 120 \
	    -T 60 || exit 1
	XMD_PID=$(cat "$S/xmd.pid")
}

xmctl() { "$B/xmctl/xmctl" -c "unix://$S/xmd.sock" "$@"; }

# create NAME KERNEL CMDLINE
create()
{
	cat >"$BENCH_DIR/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>16</memory>
  <os><kernel>$2</kernel><cmdline>$3</cmdline></os>
</domain>
XML
	xmctl create "$BENCH_DIR/$1.xml" >/dev/null || exit 1
}

hog()
{
	create "$1" guests/cpubench/cpubench.elf "passes=1000 reps=1000000000"
}

# work NAME... : the guests' work over the window, as JSON
work()
{
	local logs=() n
	for n in "$@"; do logs+=("$S/console/$n.log"); done
	python3 "$XM_SRCDIR/bench/guest_work.py" "$secs" "$settle" 120 \
	    "${logs[@]}" || exit 1
}

weights()
{
	local cpus=$1 res err got ent
	hog "w1"; hog "w2"; hog "w3"
	xmctl schedinfo --weight 256 w1 >/dev/null &&
	    xmctl schedinfo --weight 512 w2 >/dev/null &&
	    xmctl schedinfo --weight 1024 w3 >/dev/null || exit 1
	res=$(work w1 w2 w3)
	read -r err got ent <<<"$(python3 "$XM_SRCDIR/bench/shares.py" \
	    "$cpus" "256 512 1024" "$res")"
	[ -n "$ent" ] || exit 1
	say "P6 weights on $cpus CPU(s): work $res; shares $got %," \
	    "entitlements $ent %"
	bench_emit "P6 weights 1:2:4, $cpus CPU" "$err" % \
	    --target "value<=2" \
	    --note "worst error against entitlement; shares $got % of entitled $ent %"
	xmctl destroy w1 >/dev/null && xmctl destroy w2 >/dev/null &&
	    xmctl destroy w3 >/dev/null || exit 1
}

cap()
{
	local res got off
	hog c1; hog c2; hog c3
	xmctl schedinfo --cap 25 c3 >/dev/null || exit 1
	res=$(work c1 c2 c3)
	read -r got off <<<"$(python3 -c 'import json, sys
m = json.loads(sys.argv[1])["mbs"]
if sum(m) <= 0:
    sys.exit("p6: no work counted in the window")
got = m[2] / sum(m) * 100
print(round(got, 2), round(abs(got - 25), 2))' "$res")"
	[ -n "$off" ] || exit 1
	say "P6 cap 25 % on one of three hogs on 1 CPU: work $res; it got $got %"
	bench_emit "P6 cap 25 %, 1 CPU" "$off" points --target "value<=2" \
	    --note "the capped domain got $got % of the CPU"
	xmctl destroy c1 >/dev/null && xmctl destroy c2 >/dev/null &&
	    xmctl destroy c3 >/dev/null || exit 1
}

wakeup()
{
	local i log=$S/console/lat.log line
	for i in 1 2 3 4; do hog "l$i"; done
	create lat guests/wakelat/wakelat.elf "sleeps=$sleeps period_us=10000"
	for _ in $(seq $((sleeps / 10 + 120))); do
		line=$(grep -a 'wakelat: sleeps' "$log" 2>/dev/null) && break
		sleep 1
	done
	[ -n "$line" ] || { echo "wakelat: no result in $log"; exit 1; }
	say "P6 wake-up next to 4 hogs on 1 CPU: $line"
	set -- $line
	ms()
	{
		python3 -c 'import sys; print(round(int(sys.argv[1]) / 1e6, 3))' "$1"
	}
	bench_emit "P6 wake-up latency p99, 1 CPU" "$(ms "$7")" ms \
	    --target "value<=2" \
	    --note "$3 sleeps of 10 ms next to 4 hogs; p50 $(ms "$5") ms, max $(ms "$9") ms"
}

say "P6: cpubench hogs of 16 MiB on xmd's embedded node (TCG, 256 MiB);" \
    "windows of ${secs}s, $settle s after the hogs' first work;" \
    "weights 256:512:1024"
start_node 1
weights 1
cap
wakeup
bench_stop_xmd
start_node 2
weights 2
