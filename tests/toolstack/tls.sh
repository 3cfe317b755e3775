# xmd's TCP listener (TLS) against ctl-peer, a TEST DOUBLE of domain 0
# (tests/ctl-peer.c), on 127.0.0.1 and a random high port: a client
# certificate that verifies gives its role; without one, auth.token
# first; a wrong token closes the connection; a read-only token cannot
# destroy; a client that does not speak TLS gets nothing.  rpc-tls
# (tests/rpc-tls.c) is the client; the certificates are made here.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"
TLS=$XM_BUILDDIR/tests/rpc-tls
RO_TOKEN=read-only-secret-0123456789
ADMIN_TOKEN=admin-secret-0123456789abcdef


req()
{
	printf '{"jsonrpc":"2.0","id":%s,"method":"%s","params":%s}' "$1" "$2" "$3"
}

# tls [RPC-TLS OPTIONS] -- LINES...: what xmd answered, in $OUT.
tls()
{
	local opts=()
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	OUT=$(printf '%s\n' "$@" | "$TLS" "${opts[@]}" 127.0.0.1 "$PORT" \
	    "$T/ca.pem" 2>&1)
	printf '%s\n' "$@" | sed 's/^/# > /'
	printf '%s\n' "$OUT" | sed 's/^/# < /'
}

ca ca "xm test CA"
cert server localhost ca "subjectAltName=IP:127.0.0.1,DNS:localhost"
cert admin "xm admin" ca
ca rogue-ca "not the xm CA"
cert rogue "rogue" rogue-ca
[ -f "$T/server.pem" ] && [ -f "$T/admin.pem" ] && [ -f "$T/rogue.pem" ]
tap $? "openssl: a CA, the server's and the clients' certificates"

start_peer -m 128
start_tls_xmd "client_timeout = 1" "token = read-only $RO_TOKEN" \
    "token = admin $ADMIN_TOKEN"
tap $? "xmd listens on 127.0.0.1:$PORT with TLS"
"$XMD" -n -f "$T/xmd.conf" >"$T/n.out" 2>&1
tap $? "xmd -n: the configuration with TCP and TLS is good"
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created \(id 1\)$" "a domain to look at (unix socket)"

# (1) a client certificate from the CA: admin (cert_role)
tls -c "$T/admin.pem" -k "$T/admin.key" -- \
    "$(req 1 domain.list '{}')" "$(req 2 domain.pause '{"domain":"hello"}')"
has '"id":1,"result":\[.*"name":"hello"' "certificate: domain.list"
has '"id":2,"result"' "certificate (cert_role = admin): domain.pause"
check "... the domain is paused" sh -c \
    "'$XMCTL' -c 'unix://$STATE/xmd.sock' domstate hello | grep -q paused"
grep -q "peer=127\.0\.0\.1:[0-9]* role=admin method=domain.pause domain=\"hello\" result=ok" \
    "$STATE/audit.log"
tap $? "the audit log names the TCP client by address and port"

# (2) no certificate, no token
tls -- "$(req 3 domain.list '{}')"
has '"id":3,"error":\{"code":9,"message":"authenticate first"\}' \
    "no certificate: domain.list first is 'authenticate first'"

# (3) a wrong token
tls -- "$(req 4 auth.token '{"token":"wrong-token-0123456789"}')" \
    "$(req 5 domain.list '{}')"
has '"id":4,"error":\{"code":9,"message":"wrong token"\}' "a wrong token is refused"
has '^closed$' "... and the connection closed"
printf '%s\n' "$OUT" | grep -q '"id":5'
[ $? -ne 0 ]
tap $? "... before the next request"

# (4) the read-only token
tls -- "$(req 6 auth.token "{\"token\":\"$RO_TOKEN\"}")" \
    "$(req 7 domain.list '{}')" "$(req 8 domain.destroy '{"domain":"hello"}')"
has '"id":6,"result":\{"role":"read-only"\}' "the read-only token"
has '"id":7,"result":\[.*"name":"hello"' "... can list"
has '"id":8,"error":\{"code":9,"message":"method .domain.destroy. needs the admin role; this connection is read-only"\}' \
    "... but not destroy"
check "... and the domain is still there" sh -c \
    "'$XMCTL' -c 'unix://$STATE/xmd.sock' list | grep -q '^hello '"

# the admin token
tls -- "$(req 9 auth.token "{\"token\":\"$ADMIN_TOKEN\"}")" \
    "$(req 10 domain.resume '{"domain":"hello"}')" \
    "$(req 11 auth.token "{\"token\":\"$ADMIN_TOKEN\"}")"
has '"id":9,"result":\{"role":"admin"\}' "the admin token"
has '"id":10,"result"' "... can resume"
has '"id":11,"error":\{"code":4,' "... and auth.token twice is an error"

# a certificate from another CA: no handshake
tls -c "$T/rogue.pem" -k "$T/rogue.key" -- "$(req 12 domain.list '{}')"
printf '%s\n' "$OUT" | grep -q '"id":12,"result"'
[ $? -ne 0 ]
tap $? "a certificate from another CA gets no answer"

# (5) plain TCP
tls -p -- "$(req 13 domain.list '{}')"
printf '%s\n' "$OUT" | grep -q 'jsonrpc'
[ $? -ne 0 ]
tap $? "plain TCP: no JSON-RPC answer"
has 'closed$' "... and the connection is dropped"

# a TCP client that never says who it is
start=$(date +%s)
tls -w 4000 -- ""
has '^closed$' "a client without a role that sends nothing is dropped"
[ $(($(date +%s) - start)) -le 3 ]
tap $? "... after client_timeout (1 s)"

# auth.token on the unix socket
OUT=$(printf '%s\n' "$(req 14 auth.token "{\"token\":\"$ADMIN_TOKEN\"}")" |
    "$XM_BUILDDIR/tests/rpc-raw" "$STATE/xmd.sock" 300)
has '"id":14,"error":\{"code":4,"message":"this connection is admin already"' \
    "auth.token on a unix socket: nothing to prove"
x list
has '^hello +1 ' "unix clients are served as before"
stop_xmd
tap $? "xmd stops"
show_logs "$T/peer.log"
finish
