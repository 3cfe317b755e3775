# Statistics against ctl-peer, a TEST DOUBLE of domain 0 (host only):
# xmd samples the node (stats_interval_ms from xmd.conf), domain.stats
# and node.stats answer from its samples with libvirt's domstats keys,
# xmctl domstats prints them as virsh does and --json as JSON; counters
# never go back between samples; used memory is never above the
# maximum (the builder's rounding and hv's shared_info frame).
# The real node's figures are checked in tests/toolstack/lifecycle.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

define()
{
	cat >"$T/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='KiB'>$2</memory>
  <os><kernel>guests/hello/hello.elf</kernel><cmdline>$1</cmdline></os>
</domain>
XML
	echo "$T/$1.xml"
}

# The value of key in $OUT's key=value lines.
val()
{
	printf '%s\n' "$OUT" | sed -n "s/^  $1=//p" | head -n 1
}

# xmd.conf's keys, checked with xmd -n
printf 'stats_interval_ms = 50\n' >"$T/bad.conf"
OUT=$("$XMD" -n -f "$T/bad.conf" 2>&1)
has "^xmd: .*bad.conf:1: stats_interval_ms '50': too small \(100\.\.3600000\)$" \
    "xmd.conf: a sampling interval below 100 ms is refused"
printf 'stats_samples = 1\n' >"$T/bad.conf"
OUT=$("$XMD" -n -f "$T/bad.conf" 2>&1)
has "stats_samples '1': too small \(2\.\.3600\)$" "xmd.conf: fewer than 2 samples is refused"
printf 'metrics_listen = nowhere\n' >"$T/bad.conf"
OUT=$("$XMD" -n -f "$T/bad.conf" 2>&1)
has "metrics_listen must be ADDRESS:PORT$" "xmd.conf: metrics_listen must be ADDRESS:PORT"
printf 'metrics_listen = 127.0.0.1:9177\n' >"$T/bad.conf"
OUT=$("$XMD" -n -f "$T/bad.conf" 2>&1)
has "bad.conf:1: metrics_listen needs tls_cert and tls_key \(or metrics_plain = yes for plain HTTP\)$" \
    "xmd.conf: /metrics is TLS unless metrics_plain says plain HTTP"

# A port nobody listens on now, for /metrics.
MPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Plain HTTP, as xmd.conf says; TLS is tests/toolstack/metrics-tls.sh.
printf 'stats_interval_ms = 200\nstats_samples = 5\nmetrics_listen = 127.0.0.1:%s\nmetrics_plain = yes\ntoken = read-only metrics-scrape-s3cret\n' \
    "$MPORT" >"$T/xmd.conf"
chmod 600 "$T/xmd.conf"		# a token: others may not read it
start_peer -m 192
start_xmd -f "$T/xmd.conf" -N "$T/ctl.sock" -T 2
tap $? "xmd is ready"

x create "$(define s1 65536)"
has "^Domain 's1' created" "create a 64 MiB domain"
x create "$(define odd 65537)"
has "^Domain 'odd' created" "create a domain of 65537 KiB"

# --- memory: used <= max ------------------------------------------------
for d in s1 odd; do
	x dominfo "$d"
	max=$(printf '%s\n' "$OUT" | sed -n 's/^Max memory: *\([0-9]*\) KiB$/\1/p')
	cur=$(printf '%s\n' "$OUT" | sed -n 's/^Used memory: *\([0-9]*\) KiB$/\1/p')
	[ -n "$max" ] && [ -n "$cur" ] && [ "$cur" -le "$max" ]
	tap $? "dominfo $d: used memory ($cur KiB) is not above the maximum ($max KiB)"
done
x dominfo s1
has '^Used memory: +65536 KiB$' "dominfo s1: uses the 65536 KiB it was given"

# --- domstats -------------------------------------------------------------
sleep 1
x domstats s1
[ "$RC" -eq 0 ]
tap $? "domstats s1: exit status 0"
has "^Domain: 's1'$" "domstats: Domain: 'name' first"
for k in state.state cpu.time vcpu.current vcpu.maximum vcpu.0.state \
    vcpu.0.time vcpu.0.wait balloon.current balloon.maximum \
    xm.hypercalls.total xm.hypercalls.rate xm.events.sent \
    xm.events.received xm.cpu.percent; do
	has "^  $k=[0-9.]+$" "domstats: $k"
done
has '^  state.state=1$' "domstats: state.state is running (1)"
has '^  xm.hypercalls.sched_op=[0-9]+$' "domstats: hypercalls by name (xm.hypercalls.sched_op)"
has '^  balloon.maximum=65536$' "domstats: balloon.maximum is the definition's"
c1=$(val cpu.time)
h1=$(val xm.hypercalls.total)
e1=$(val xm.events.received)
t1=$(val xm.sample.time)
sleep 1
x domstats s1
c2=$(val cpu.time)
h2=$(val xm.hypercalls.total)
e2=$(val xm.events.received)
t2=$(val xm.sample.time)
[ "$t2" -gt "$t1" ]
tap $? "domstats: a later sample ($t1 -> $t2)"
[ "$c2" -ge "$c1" ] && [ "$h2" -ge "$h1" ] && [ "$e2" -ge "$e1" ]
tap $? "domstats: counters never go back (cpu $c1 -> $c2, hypercalls $h1 -> $h2, events $e1 -> $e2)"
[ "$c2" -gt "$c1" ]
tap $? "domstats: a running domain's CPU time grows"

x domstats
has "^Domain: 's1'$" "domstats without operands: s1"
has "^Domain: 'odd'$" "domstats without operands: odd"
x domstats s1 odd
[ "$(printf '%s\n' "$OUT" | grep -c '^Domain: ')" -eq 2 ]
tap $? "domstats s1 odd: both"
x domstats nosuch
[ "$RC" -eq 1 ]
tap $? "domstats nosuch: exit status 1"
has "^xmctl: domain 'nosuch': no such domain$" "domstats nosuch: the error names it"

x domstats --json s1
printf '%s\n' "$OUT" | python3 -m json.tool >/dev/null 2>&1
tap $? "domstats --json: JSON (python3 -m json.tool)"
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)["domains"][0]
s = d["stats"]
assert d["name"] == "s1"
assert s["vcpu.maximum"] == 1 and s["state.state"] == 1
t = sum(s["vcpu.%d.%s" % (0, k)] for k in ("time", "wait", "xm.blocked", "xm.offline"))
assert s["cpu.time"] == s["vcpu.0.time"], "cpu.time is the vCPUs sum"
' 2>&1
tap $? "domstats --json: cpu.time is the sum of the vCPUs' times"

# --- node.stats over JSON-RPC ---------------------------------------------
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"node.stats"}' |
    "$RAW" "$STATE/xmd.sock" 2000)
echo "# rpc: $OUT"
printf '%s\n' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)["result"]
assert r["xm.cpus"] == 1 and r["xm.sample.interval_ms"] == 200
assert r["xm.sample.kept"] == 5 and r["xm.domains"] == 2
assert r["cpu.0.xm.busy"] + r["cpu.0.xm.idle"] == r["xm.uptime"]
' 2>&1
tap $? "node.stats: CPUs, the sampling, busy + idle = uptime"
# events.subscribe {stats: true}: a domain.stats notification per sample
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"stats":true}}' |
    timeout 2 "$RAW" "$STATE/xmd.sock" 1500)
n=$(printf '%s\n' "$OUT" | grep -c '"method": *"domain.stats"')
echo "# $n domain.stats notifications in 2 s"
[ "$n" -ge 3 ]
tap $? "events.subscribe {stats: true}: domain.stats pushed every sample"
printf '%s\n' "$OUT" | grep '"method": *"domain.stats"' | head -n 1 |
    python3 -c 'import json, sys; p = json.load(sys.stdin)["params"]; assert {d["name"] for d in p["domains"]} == {"s1", "odd"}' 2>&1
tap $? "the pushed domain.stats has every running domain"
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"events.subscribe"}' |
    "$RAW" "$STATE/xmd.sock" 800)
printf '%s\n' "$OUT" | grep -q '"method": *"domain.stats"'
[ $? -ne 0 ]
tap $? "events.subscribe without stats: no domain.stats pushes"
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"domain.stats","params":{"domain":"s1","x":1}}' |
    "$RAW" "$STATE/xmd.sock" 2000)
echo "# rpc: $OUT"
printf '%s\n' "$OUT" | grep -q '"code": *-32602'
tap $? "domain.stats: an unknown parameter is refused"

# --- /metrics -------------------------------------------------------------
scrape()
{
	python3 - "$MPORT" "$@" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request("http://127.0.0.1:%s/metrics" % sys.argv[1])
if len(sys.argv) > 2:
    req.add_header("Authorization", "Bearer " + sys.argv[2])
try:
    r = urllib.request.urlopen(req, timeout=5)
    print("status %d" % r.status)
    sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    print("status %d" % e.code)
PY
}
OUT=$(scrape)
has '^status 401$' "/metrics without the token: 401"
OUT=$(scrape wrong)
has '^status 401$' "/metrics with a wrong token: 401"
OUT=$(scrape metrics-scrape-s3cret)
has '^status 200$' "/metrics with the token: 200"
has '^xm_domain_cpu_seconds_total\{domain="s1",uuid="[0-9a-f-]{36}"\} [0-9.e+]+$' \
    "/metrics: xm_domain_cpu_seconds_total{domain,uuid}"
has '^xm_domain_vcpu_seconds_total\{domain="s1",uuid="[0-9a-f-]{36}",vcpu="0",state="running"\} ' \
    "/metrics: per vCPU and run state"
has '^xm_node_cpu_seconds_total\{cpu="0",mode="idle"\} ' "/metrics: the node's CPUs"
if command -v promtool >/dev/null; then
	printf '%s\n' "$OUT" | sed 1d | promtool check metrics >"$T/promtool.out" 2>&1
	tap $? "/metrics passes promtool check metrics"
	sed 's/^/# promtool: /' "$T/promtool.out"
else
	tap 0 "promtool check metrics # SKIP needs: promtool (Debian package prometheus)"
fi

# --- top -b ---------------------------------------------------------------
x top -b -d 1 -n 2
[ "$RC" -eq 0 ]
tap $? "top -b -d 1 -n 2: exit status 0"
[ "$(printf '%s\n' "$OUT" | grep -c '^NAME  *STATE  *CPU(sec)  *CPU(%)  *MEM(k)  *MEM(%)  *MAXMEM(k)  *VCPUS  *HCALLS/s  *EVENTS/s$')" -eq 2 ]
tap $? "top -b -n 2: two tables, each with xentop's header"
has '^s1 +running +[0-9]+ +[0-9.]+ +65536 +[0-9.]+ +65536 +1 +[0-9.]+ +[0-9.]+$' \
    "top -b: a line per domain with its figures"
x top -b -n 1 -s mem
[ "$(printf '%s\n' "$OUT" | sed -n 2p | cut -d' ' -f1)" = odd ]
tap $? "top -b -s mem: equal memory, then by name"
x top -b -n 1 -s bogus
[ "$RC" -eq 2 ]
tap $? "top -s bogus: a usage error (2)"
has "^xmctl: top: sort key 'bogus': not name, cpu or mem$" "top -s bogus: says why"
# The live view on a terminal (script(1) gives it one): two screens.
OUT=$(TERM=xterm script -qec "$XMCTL -c unix://$STATE/xmd.sock top -d 1 -n 2" /dev/null 2>&1)
RC=$?
[ "$RC" -eq 0 ]
tap $? "top (live, ncurses): two screens, exit status 0"
has 'q quits, n c m sort' "top (live): its screen was drawn"
x top -b -d 0 -n 1
[ "$RC" -eq 2 ]
tap $? "top -d 0: a usage error"

x destroy odd
sleep 1
x domstats
[ "$(printf '%s\n' "$OUT" | grep -c '^Domain: ')" -eq 1 ]
tap $? "a destroyed domain leaves domstats"

stop_xmd
tap $? "xmd stops"
[ "$tap_failed" -eq 0 ] || show_logs "$T/peer.log"
finish
