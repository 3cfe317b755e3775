# Statistics on the real node (QEMU on xm.iso: hv and domain 0): right
# after create a domain's CPU time is small (not the node's uptime) and
# its used memory is not above its maximum; then, over samples, its
# counters only grow, cpu.time is the sum of its vCPUs' times, a vCPU's
# four run-state times add up to its age on hv's clock (they grow
# exactly as that clock does, and their sum lies between the sample's
# time less hv's uptime just after and just before create), and each
# CPU's busy and idle times add up to the uptime.  hv's clock, not the
# host's: under TCG the two need not agree.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso
RAW=$XM_BUILDDIR/tests/rpc-raw

trap 'stop_xmd' EXIT

# hv's uptime, from node.stats
uptime()
{
	printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"node.stats"}' |
	    "$RAW" "$STATE/xmd.sock" 5000 |
	    sed -n 's/.*"xm.uptime":\([0-9]*\).*/\1/p'
}

# domain.stats of counter, as JSON in $T/NAME.json
stats()
{
	printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"domain.stats","params":{"domain":"counter"}}' |
	    "$RAW" "$STATE/xmd.sock" 5000 >"$T/$1.json"
	echo "# $1: $(cat "$T/$1.json")"
}

# py EXPR...: a python3 check over a, b (stats of counter) and t0, t1.
py()
{
	python3 - "$T" "$@" <<'PY'
import json, sys
T = sys.argv[1]
def load(n):
    try:
        return json.load(open("%s/%s.json" % (T, n)))["result"]["domains"][0]["stats"]
    except Exception:
        return None
a, b = load("a"), load("b")
env = dict(a=a, b=b, t=dict(l.split("=") for l in open(T + "/times").read().split()))
for check in sys.argv[2:]:
    if not eval(check, env):
        print("# failed: " + check)
        sys.exit(1)
PY
}

printf 'stats_interval_ms = 250\n' >"$T/xmd.conf"
start_xmd -f "$T/xmd.conf" -i "$ISO" -t 60
tap $? "xmd starts the embedded node"
sleep 2		# the node has been up for a while

t0=$(uptime)
x create "$XM_SRCDIR/examples/counter.xml"
has "^Domain 'counter' created" "create counter"
x dominfo --json counter
cpu=$(printf '%s\n' "$OUT" | sed -n 's/.*"cpu_time_ns": \([0-9]*\).*/\1/p')
max=$(printf '%s\n' "$OUT" | sed -n 's/.*"memory_kib": \([0-9]*\).*/\1/p')
cur=$(printf '%s\n' "$OUT" | sed -n 's/.*"current_kib": \([0-9]*\).*/\1/p')
[ -n "$cpu" ] && [ "$cpu" -lt 1000000000 ]
tap $? "right after create, cpu_time_ns is small ($cpu ns), not the node's uptime"
[ -n "$cur" ] && [ -n "$max" ] && [ "$cur" -le "$max" ]
tap $? "right after create, used memory ($cur KiB) <= maximum ($max KiB)"
sleep 0.6	# a sample taken after create: its uptime is past it
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"node.stats"}' |
    "$RAW" "$STATE/xmd.sock" 5000)
echo "# node.stats: $OUT"
up=$(printf '%s\n' "$OUT" | sed -n 's/.*"xm.uptime":\([0-9]*\).*/\1/p')
[ -n "$up" ] && [ "$cpu" -lt $((up / 2)) ]
tap $? "the domain's CPU time is far below hv's uptime ($up ns)"

sleep 1
stats a
sleep 2
stats b
echo "t0=$t0 t1=$up" >"$T/times"
py 'a is not None and b is not None'
tap $? "domain.stats answers for counter, twice"
py 'b["xm.sample.time"] > a["xm.sample.time"]'
tap $? "the second answer is a later sample"
py 'all(b[k] >= a[k] for k in ("cpu.time", "xm.hypercalls.total", "xm.events.received", "xm.events.sent", "vcpu.0.time"))'
tap $? "counters never go back"
py 'b["xm.hypercalls.total"] > a["xm.hypercalls.total"]' \
    'b["xm.events.received"] > a["xm.events.received"]'
tap $? "a running counter makes hypercalls and receives (timer) events"
py 'a["cpu.time"] == sum(a["vcpu.%d.time" % i] for i in range(a["vcpu.maximum"]))'
tap $? "cpu.time is the sum of the vCPUs' times"
py 'b["vcpu.0.time"] + b["vcpu.0.wait"] + b["vcpu.0.xm.blocked"] + b["vcpu.0.xm.offline"] - a["vcpu.0.time"] - a["vcpu.0.wait"] - a["vcpu.0.xm.blocked"] - a["vcpu.0.xm.offline"] == b["xm.sample.time"] - a["xm.sample.time"]'
tap $? "the run-state times grow exactly as hv's clock between samples"
py 'b["xm.sample.time"] - int(t["t1"]) <= b["vcpu.0.time"] + b["vcpu.0.wait"] + b["vcpu.0.xm.blocked"] + b["vcpu.0.xm.offline"] <= b["xm.sample.time"] - int(t["t0"])'
tap $? "the run-state times add up to the vCPU's age on hv's clock"
py 'b["xm.hypercalls.sched_op"] > 0' 'b.get("xm.hypercalls.set_timer_op", 0) + b.get("xm.hypercalls.vcpu_op", 0) > 0' \
    'sum(v for k, v in b.items() if k.startswith("xm.hypercalls.") and k not in ("xm.hypercalls.total", "xm.hypercalls.rate")) == b["xm.hypercalls.total"]'
tap $? "hypercalls by name: the counter blocks and sets timers; their sum is the total"
py 'a["vcpu.0.xm.offline"] > 0'
tap $? "the time between create and start counts (offline): the vCPU's age starts at create"
py 'b["balloon.current"] <= b["balloon.maximum"]' 'b["state.state"] in (1, 2)' \
    'b["vcpu.current"] == 1'
tap $? "balloon.current <= balloon.maximum; running; one vCPU up"

OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"node.stats"}' |
    "$RAW" "$STATE/xmd.sock" 5000)
echo "# node.stats: $OUT"
printf '%s\n' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)["result"]
for i in range(r["xm.cpus"]):
    assert r["cpu.%d.xm.busy" % i] + r["cpu.%d.xm.idle" % i] == r["xm.uptime"]
    assert r["cpu.%d.xm.idle" % i] > 0
' 2>&1
tap $? "node.stats: each CPU's busy + idle = hv's uptime, idle > 0"

x domstats --json counter
printf '%s\n' "$OUT" | python3 -m json.tool >/dev/null 2>&1
tap $? "domstats --json parses"
x destroy counter
stop_xmd
tap $? "xmd stops"
[ "$tap_failed" -eq 0 ] || show_logs "$STATE/node.log"
finish
