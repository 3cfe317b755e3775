# P8 management plane: JSON-RPC domain.list + domain.info of each domain
# (bench/rpc_load.py), from 1 and 8 concurrent clients, with 1 and 64
# domains.  The node is tests/ctl-peer (the test double of domain 0,
# answering over a unix socket, as tests/toolstack/peer.sh runs it) and
# the domains are defined, not running (ctl-peer runs at most 15), so
# this measures xmd and its JSON-RPC server.  Baseline: the same load
# on libvirt's test driver through virsh when virsh is installed;
# otherwise the absolute figures only.
. "$XM_SRCDIR/bench/lib.sh"
B=$XM_BUILDDIR
secs=$(tiny 5 0.3)
S=$BENCH_DIR/state
PEER_PID= XMD_PID=

cleanup()
{
	[ -n "$XMD_PID" ] && kill "$XMD_PID" 2>/dev/null
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

"$B/tests/ctl-peer" -m 256 "$BENCH_DIR/ctl.sock" 2>"$BENCH_DIR/peer.log" &
PEER_PID=$!
for _ in $(seq 50); do [ -S "$BENCH_DIR/ctl.sock" ] && break; sleep 0.1; done
"$B/xmd/xmd" -s "$S" -K "$B" -N "$BENCH_DIR/ctl.sock" -T 5 || exit 1
XMD_PID=$(cat "$S/xmd.pid")
xmctl() { "$B/xmctl/xmctl" -c "unix://$S/xmd.sock" "$@"; }

define_upto()
{
	local have secs
	have=$(xmctl list --all --name | grep -c .)
	[ "$have" -lt "$1" ] || return 0
	secs=$(python3 "$XM_SRCDIR/bench/rpc_load.py" define "$S/xmd.sock" \
	    "$((have + 1))" "$1") || return 1
	say "defined $(($1 - have)) domains in $secs s"
}

have_virsh= baseline="missing (virsh not installed)"
if command -v virsh >/dev/null 2>&1; then
	have_virsh=1
	baseline="libvirt's test driver in virsh -c test:///default"
	baseline="$baseline (in-process, no daemon)"
fi
say "P8: xmd on ctl-peer (test double of domain 0), defined domains," \
    "${secs}s per point; baseline: $baseline"
for ndom in 1 64; do
	define_upto "$ndom" || exit 1
	for nc in 1 8; do
		res=$(python3 "$XM_SRCDIR/bench/rpc_load.py" xmd "$S/xmd.sock" \
		    "$nc" "$secs") || exit 1
		say "xmd $ndom domains $nc clients: $res"
		set -- $(json_get "$res" ops_per_s p50_ms p99_ms domains)
		if [ "$4" -ne "$ndom" ]; then
			echo "listed $4 domains, not $ndom"
			exit 1
		fi
		base=(--note "baseline missing: virsh not installed")
		if [ -n "$have_virsh" ]; then
			vres=$(BENCH_DIR=$BENCH_DIR python3 \
			    "$XM_SRCDIR/bench/rpc_load.py" virsh test:///default \
			    "$nc" "$secs" "$ndom") || exit 1
			say "virsh $ndom domains $nc clients: $vres"
			base=(--baseline "$(json_get "$vres" ops_per_s)"
			    --baseline-name "libvirt test driver")
		fi
		name="P8 rpc ${ndom}dom ${nc}cli"
		bench_emit "$name ops/s" "$1" ops/s "${base[@]}" \
		    --target "ratio>=2" || exit 1
		bench_emit "$name p50" "$2" ms
		if [ "$nc" -eq 1 ]; then
			bench_emit "$name p99" "$3" ms --target "value<=1"
		else
			bench_emit "$name p99" "$3" ms
		fi
	done
done
