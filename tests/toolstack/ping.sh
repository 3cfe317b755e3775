# The control channel's round trip (XM_CTL_OP_ECHO) against ctl-peer, a
# TEST DOUBLE of domain 0 (host only): xmctl ping [--count N] [--json],
# node.ping's parameters over JSON-RPC, a read-only connection, echoes
# across garbage on the channel, and an echo the node never answers.
# The real node answers it in tests/toolstack/lifecycle.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"
# ECHO's number, from the op list (for ctl-peer -x).
ECHO_OP=$(sed -n 's/.*X(XM_CTL_OP_ECHO, \([0-9]*\),.*/\1/p' \
    "$XM_SRCDIR/include/xm/ctl_ops.h")

rpc()
{
	OUT=$(printf '%s\n' "$@" | "$RAW" "$STATE/xmd.sock" 2000)
	echo "# rpc: $OUT"
}

[ -n "$ECHO_OP" ]
tap $? "ECHO is op $ECHO_OP in the op list"

start_peer
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd is ready"

x ping
[ "$RC" -eq 0 ]
tap $? "ping: exit status 0"
has '^1 echoes of 64 bytes: round trip min/avg/max = [0-9.]+/[0-9.]+/[0-9.]+ ms$' \
    "ping: one echo and its round trip"
x ping --count 20
has '^20 echoes of 64 bytes: ' "ping --count 20: twenty echoes"
x ping --count 3 --json
has '^  "count": 3,$' "ping --json: the count"
has '^  "size": 64,$' "ping --json: the size"
min=$(printf '%s\n' "$OUT" | sed -n 's/^  "min_ns": \([0-9]*\),$/\1/p')
avg=$(printf '%s\n' "$OUT" | sed -n 's/^  "avg_ns": \([0-9]*\),$/\1/p')
max=$(printf '%s\n' "$OUT" | sed -n 's/^  "max_ns": \([0-9]*\)$/\1/p')
[ -n "$min" ] && [ "$min" -gt 0 ] && [ "$min" -le "$avg" ] &&
    [ "$avg" -le "$max" ]
tap $? "ping --json: min <= avg <= max"

x ping --count 0
[ "$RC" -eq 2 ]
tap $? "ping --count 0: a usage error (exit status 2)"
has "^xmctl: count '0': too small [(]1\.\.1000[)]\$" "ping --count 0: the reason"
x ping --count 1001
has "^xmctl: count '1001': too large [(]1\.\.1000[)]\$" \
    "ping --count 1001: the reason"
x ping --count 3x
has "^xmctl: count '3x': not a number\$" "ping --count 3x: the reason"
x ping extra
[ "$RC" -eq 2 ]
tap $? "ping takes no operand"

RC=0
OUT=$("$XMCTL" -r -c "unix://$STATE/xmd.sock" ping 2>&1) || RC=$?
[ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q '^1 echoes of 64 bytes'
tap $? "ping on a read-only connection"

# The largest payload goes and comes back whole; one byte more is refused.
rpc '{"jsonrpc":"2.0","id":1,"method":"node.ping","params":{"count":2,"size":65536}}'
has '"result":\{"count":2,"size":65536,' "node.ping: 65536 bytes, twice"
rpc '{"jsonrpc":"2.0","id":2,"method":"node.ping","params":{"size":0}}'
has '"result":\{"count":1,"size":0,' "node.ping: an empty echo"
rpc '{"jsonrpc":"2.0","id":3,"method":"node.ping","params":{"size":65537}}'
has '"code":-32602,"message":"node: size 65537: must be from 0 to 65536"' \
    "node.ping: size 65537 is refused"
rpc '{"jsonrpc":"2.0","id":4,"method":"node.ping","params":{"count":"many"}}'
has '"code":-32602' "node.ping: a count that is no integer is refused"
check "xmd still runs" kill -0 "$XMD_PID"

# Garbage before every other reply: xmd skips it and the echoes match.
stop_xmd
stop_peer
start_peer -g 2
start_xmd -N "$T/ctl.sock" -T 2
x ping --count 10
has '^10 echoes of 64 bytes: ' "ping across garbage on the channel"

# A node that never answers ECHO: the ping fails with a timeout.
stop_xmd
stop_peer
start_peer -x "$ECHO_OP"
start_xmd -N "$T/ctl.sock" -T 1
x ping --count 2
[ "$RC" -eq 1 ]
tap $? "ping with no answer: exit status 1"
has '^xmctl: node: echo 1 of 2: the node did not answer in time$' \
    "ping with no answer: the reason"
x nodeinfo
[ "$RC" -eq 0 ]
tap $? "the node still answers other requests"

[ "$tap_failed" -eq 0 ] || show_logs "$T/peer.log"
finish
