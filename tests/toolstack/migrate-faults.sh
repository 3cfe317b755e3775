# Live migration when something fails (issue 13): whatever goes, one
# copy of the domain runs, on the source A unless the target B had
# confirmed.  guests/counter with 64 MiB migrates from xmd A to xmd B
# and, in turn:
# - B's node (its QEMU) is killed during the first pre-copy round;
# - the network between A and B (tests/toolstack/cutproxy.py, a unix
#   socket joined to B's) is cut during the first round;
# - the network is cut during the stop-and-copy, while A's domain is
#   suspended: A resumes it (its suspend call returns 1, cancelled);
# - B's xmd is killed during the stop-and-copy.
# Each time the migration fails saying the domain runs on A, it counts
# on there, A's hv turns log-dirty off, and B has no copy of it.  Then
# at the commit, where A cannot know what B did without asking
# (migration.status on a new connection):
# - the commit is lost on the way to B: B drops its copy, A learns it
#   does not have the domain and runs its own on;
# - B's answer to the commit is lost: B runs the domain, A learns it
#   and destroys its copy: the migration succeeded.
# Then A's xmd is killed outright, and a new one on its state directory
# takes its node over with the domain and settles the migration from
# the record the first left (migrate_recover.c): killed during the
# rounds or the stop-and-copy, the domain runs on on A; killed with the
# commit sent and B's answer held back, the new xmd asks B, which runs
# it, and destroys A's copy.  A
# heavy writer and --max-rounds 1 make the stop-and-copy long enough
# (16 MiB of tail) to be hit.  Two nodes boot, and B's twice more
# after it is killed: a few minutes of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/migrate-lib.sh"
PROXY_PID=

stop_proxy()
{
	[ -n "$PROXY_PID" ] && kill -TERM "$PROXY_PID" 2>/dev/null
	[ -n "$PROXY_PID" ] && wait "$PROXY_PID" 2>/dev/null
	[ -n "$PROXY_PID" ] && sed "s/^/# proxy $PROXY_N: /" \
	    "$T/proxy-$PROXY_N.out"
	PROXY_PID=
}
trap 'stop_xmd; stop_b; stop_proxy' EXIT

# The network: a proxy on $T/net.sock to B's socket; what each says is
# in its own $T/proxy-N.out, and shown when it ends.
PROXY_N=0
start_proxy()
{
	PROXY_N=$((PROXY_N + 1))
	python3 "$XM_SRCDIR/tests/toolstack/cutproxy.py" "$T/net.sock" \
	    "$B/xmd.sock" "$@" >"$T/proxy-$PROXY_N.out" 2>&1 &
	PROXY_PID=$!
	wait_until 10 grep -q ready "$T/proxy-$PROXY_N.out" && return 0
	echo "# proxy $PROXY_N: not listening after 10 s"
	return 1
}

# migrate URI ARGS...: in the background, its output in $T/mig.out.
migrate()
{
	local uri=$1
	shift
	"$XMCTL" -c "unix://$STATE/xmd.sock" migrate --live "$@" f "$uri" \
	    >"$T/mig.out" 2>&1 &
	MIG=$!
}

# The n-th time A's xmd logs PATTERN about f: wait for it.
logged()
{
	wait_until "$3" sh -c "[ \$(grep -c \"domain 'f' (d[0-9]*): $1\" \
	    \"\$1\") -ge $2 ]" _ "$STATE/xmd.log"
}

# After a failed migration: it says so, runs on A and counts on, A's hv
# turned log-dirty off (the n-th time), B has no copy.
runs_on_a()
{
	local at
	wait "$MIG"
	check "$1: the migration fails" test $? -eq 1
	sed 's/^/# | /' "$T/mig.out"
	check "... saying the domain runs on A" grep -q "runs on here" \
	    "$T/mig.out"
	check "... and it runs on A" runs_at "$STATE" f
	at=$(counter_last "$LOG")
	wait_until 20 grep -q "^counter $((at + 3))\$" "$LOG"
	tap $? "... counting on"
	wait_until 10 sh -c "[ \$(grep -c 'log-dirty off' \"\$1\") -ge $2 ]" \
	    _ "$STATE/node.log"
	tap $? "... A's hv turned log-dirty off"
	if [ -n "$B_PID" ]; then
		wait_until 20 absent_at "$B" f
		tap $? "... and B has no copy of it"
	fi
}

start_xmd -i "$ISO" -m 256M -t 60
tap $? "xmd A starts its node"
start_b
tap $? "xmd B starts its node"
counter f 64 100
LOG=$STATE/console/f.log
x create "$T/f.xml"
has "^Domain 'f' created" "a counter of 64 MiB writing 16 MiB a line"
wait_until 20 grep -q "^counter 3$" "$LOG"
tap $? "it counts on A"

# 1. B's node dies during the first round.
migrate "xm+unix://$B/xmd.sock"
logged "live: sending" 1 30
tap $? "the first round starts"
kill -KILL "$(cat "$B/qemu.pid")"
runs_on_a "B's node killed during the rounds" 1
stop_b
start_b
tap $? "xmd B starts a new node"

# 2. The network is cut during the first round.
start_proxy
tap $? "a network between A and B"
migrate "xm+unix://$T/net.sock"
logged "live: sending" 2 30
tap $? "the first round starts"
stop_proxy
runs_on_a "the network cut during the rounds" 2

# 3. The network is cut during the stop-and-copy.
start_proxy
migrate "xm+unix://$T/net.sock" --max-rounds 1
logged "live: [0-9]* rounds" 1 60
tap $? "the stop-and-copy starts"
stop_proxy
runs_on_a "the network cut during the stop-and-copy" 3
wait_until 10 grep -q "counter: suspend returned 1" "$LOG"
tap $? "... where its suspend call returned 1 (cancelled)"

# 4. B's xmd is killed during the stop-and-copy.
migrate "xm+unix://$B/xmd.sock" --max-rounds 1
logged "live: [0-9]* rounds" 2 60
tap $? "the stop-and-copy starts"
b_node=$(cat "$B/qemu.pid" 2>/dev/null)
kill -KILL "$B_PID"
B_PID=
runs_on_a "B's xmd killed during the stop-and-copy" 4
[ -n "$b_node" ] && kill -TERM "$b_node" 2>/dev/null
start_b
tap $? "xmd B starts a new node"

# 5. The commit is lost on its way to B.
start_proxy --cut-before migration.commit
migrate "xm+unix://$T/net.sock" --max-rounds 1
runs_on_a "the commit lost on its way" 5
check "... A asked B, which said it does not have it" \
    grep -q "domain 'f': .* says it is absent there" "$STATE/xmd.log"
stop_proxy

# 6. B's answer to the commit is lost.
start_proxy --cut-after migration.commit
migrate "xm+unix://$T/net.sock" --max-rounds 1
wait "$MIG"
check "B's answer to the commit lost: the migration succeeds" \
    test $? -eq 0
sed 's/^/# | /' "$T/mig.out"
check "... A asked B, which said it has it" \
    grep -q "domain 'f': .* says it is present there" "$STATE/xmd.log"
check "... it is gone from A" absent_at "$STATE" f
check "... and runs on B" runs_at "$B" f
stop_proxy
x_at "$B" destroy f

# A's xmd killed outright; a new one takes the node over.
kill_a()
{
	kill -KILL "$XMD_PID"
	wait_until 10 gone "$XMD_PID"
	XMD_PID=
	wait "$MIG" 2>/dev/null
	start_xmd -i "$ISO" -m 256M -t 60
	tap $? "$1: a new xmd A starts"
	check "... taking over the node the killed one left" \
	    grep -q "taking over the QEMU (pid [0-9]*) an earlier xmd left running when it was killed" \
	    "$STATE/xmd.log"
}

# After kill_a before the commit: f runs on A, counting, no copy on B.
settled_on_a()
{
	local at
	wait_until 20 grep -q "domain 'f': its migration to .* was cut short when the last xmd stopped, before the commit: it runs on here" \
	    "$STATE/xmd.log"
	tap $? "... which finds the record and settles it: f runs on A"
	wait_until 20 runs_at "$STATE" f
	tap $? "... and it does"
	at=$(counter_last "$LOG")
	wait_until 20 grep -q "^counter $((at + 3))\$" "$LOG"
	tap $? "... counting on"
	wait_until 10 sh -c "[ \$(grep -c 'log-dirty off' \"\$1\") -ge $1 ]" \
	    _ "$STATE/node.log"
	tap $? "... A's hv turned log-dirty off"
	wait_until 20 absent_at "$B" f
	tap $? "... and B has no copy of it"
	check "... and the record is gone" \
	    sh -c "! ls \"\$1\" | grep -q '^migrate-out-.*rec'" _ "$STATE"
}

x create "$T/f.xml"
has "^Domain 'f' created" "f again on A"
wait_until 20 grep -q "^counter 3$" "$LOG"
tap $? "it counts on A"

# 7. A's xmd killed during the first round.
n=$(grep -c "domain 'f' (d[0-9]*): live: sending" "$STATE/xmd.log")
migrate "xm+unix://$B/xmd.sock"
logged "live: sending" $((n + 1)) 30
tap $? "the first round starts"
check "A's xmd keeps a record of the migration" \
    sh -c "ls \"\$1\" | grep -q '^migrate-out-f.rec'" _ "$STATE"
kill_a "A's xmd killed during the rounds"
settled_on_a 7

# 8. A's xmd killed during the stop-and-copy, the domain suspended.
n=$(grep -c "domain 'f' (d[0-9]*): suspended itself" "$STATE/xmd.log")
r=$(grep -c "counter: suspend returned 1" "$LOG")
migrate "xm+unix://$B/xmd.sock" --max-rounds 1
logged "suspended itself" $((n + 1)) 60
tap $? "the stop-and-copy starts: f suspended itself"
kill_a "A's xmd killed during the stop-and-copy"
settled_on_a 8
wait_until 10 sh -c "[ \$(grep -c 'counter: suspend returned 1' \"\$1\") -gt $r ]" \
    _ "$LOG"
tap $? "... where its suspend call returned 1 (cancelled)"

# 9. A's xmd killed with the commit sent, B's answer held back.
start_proxy --hold-after migration.commit
migrate "xm+unix://$T/net.sock" --max-rounds 1
wait_until 90 grep -q held "$T/proxy-$PROXY_N.out"
tap $? "the commit reaches B, its answer is held back"
kill_a "A's xmd killed at the commit"
wait_until 30 grep -q "domain 'f': .* says it is present there" \
    "$STATE/xmd.log"
tap $? "... which asks B: B has it"
wait_until 10 absent_at "$STATE" f
tap $? "... so A's copy is destroyed"
check "... and f runs on B" runs_at "$B" f
check "... and the record is gone" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-out-.*rec'" _ "$STATE"
stop_proxy
x_at "$B" destroy f

check "A's state directory keeps no file of it" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$STATE"
finish
