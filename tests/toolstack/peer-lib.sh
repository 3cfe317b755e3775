# Sourced by the toolstack tests that run xmd against ctl-peer, the TEST
# DOUBLE of domain 0 (tests/ctl-peer.c), after lib.sh: start_peer [ARGS]
# listens on $T/ctl.sock, stop_peer ends it; both end at exit.
PEER=$XM_BUILDDIR/tests/ctl-peer
RAW=$XM_BUILDDIR/tests/rpc-raw
PEER_PID=

start_peer()
{
	"$PEER" "$@" "$T/ctl.sock" 2>"$T/peer.log" &
	PEER_PID=$!
	wait_until 5 test -S "$T/ctl.sock"
}

stop_peer()
{
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null
	wait "$PEER_PID" 2>/dev/null
	PEER_PID=
	rm -f "$T/ctl.sock"
}

cleanup()
{
	stop_xmd
	stop_peer
}
trap cleanup EXIT
