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

# start_tls_xmd [LINES...]: xmd on ctl-peer with TLS on 127.0.0.1 and a
# random high port (PORT), the server certificate $T/server.pem, the CA
# $T/ca.pem, cert_role admin, and LINES more of xmd.conf; a few ports
# are tried, in case one is taken.
start_tls_xmd()
{
	local try rc=1
	for try in 1 2 3 4 5; do
		PORT=$((20000 + RANDOM % 40000))
		{
			printf 'tcp_listen = 127.0.0.1:%s\n' "$PORT"
			printf 'tls_cert = %s\ntls_key = %s\ntls_ca = %s\n' \
			    "$T/server.pem" "$T/server.key" "$T/ca.pem"
			printf 'cert_role = admin\n'
			printf '%s\n' "$@"
		} >"$T/xmd.conf"
		chmod 600 "$T/xmd.conf"		# it may hold tokens
		start_xmd -N "$T/ctl.sock" -f "$T/xmd.conf" && return 0
		rc=$?
	done
	return $rc
}
