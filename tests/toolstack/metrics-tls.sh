# /metrics with TLS against ctl-peer, a TEST DOUBLE of domain 0
# (tests/ctl-peer.c): the JSON-RPC TCP listener's rules (xmd.conf's
# tls_cert, tls_key, tls_ca and tokens).  Without metrics_plain, a
# scrape over TLS without a token or a client certificate gets 401
# (with WWW-Authenticate: Bearer), a wrong token 401, a token of
# either role 200, a client certificate from tls_ca 200 without a
# token; plain HTTP gets no answer; the TLS answer passes promtool.
# Plain HTTP (metrics_plain = yes) is tests/toolstack/stats.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"
TOKEN=metrics-read-only-0123456789

# scrape SCHEME [TOKEN [CLIENT-CERT-NAME]]: "status N" and the body.
scrape()
{
	python3 - "$MPORT" "$T" "$@" <<'PY'
import socket, ssl, sys, urllib.request, urllib.error
port, tmp, scheme = sys.argv[1], sys.argv[2], sys.argv[3]
token = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
client = sys.argv[5] if len(sys.argv) > 5 else None
ctx = None
if scheme == "https":
    ctx = ssl.create_default_context(cafile=tmp + "/ca.pem")
    if client:
        ctx.load_cert_chain(tmp + "/" + client + ".pem",
                            tmp + "/" + client + ".key")
req = urllib.request.Request("%s://127.0.0.1:%s/metrics" % (scheme, port))
if token:
    req.add_header("Authorization", "Bearer " + token)
try:
    r = urllib.request.urlopen(req, timeout=5, context=ctx)
    print("status %d" % r.status)
    sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    print("status %d" % e.code)
    print("www-authenticate: %s" % e.headers.get("WWW-Authenticate"))
except (urllib.error.URLError, OSError, socket.timeout) as e:
    print("no answer: %s" % e)
PY
}

ca ca "xm test CA"
cert server localhost ca "subjectAltName=IP:127.0.0.1,DNS:localhost"
cert scraper "prometheus" ca
[ -f "$T/server.pem" ] && [ -f "$T/scraper.pem" ]
tap $? "openssl: a CA, the server's and a scraper's certificates"

# xmd.conf: TLS needs its files, and a way to prove who one is.
printf 'metrics_listen = 127.0.0.1:9177\ntls_cert = %s\ntls_key = %s\n' \
    "$T/server.pem" "$T/server.key" >"$T/bad.conf"
OUT=$("$XMD" -n -f "$T/bad.conf" 2>&1)
has "bad.conf:1: metrics_listen needs tls_ca \(client certificates\) or a token$" \
    "xmd.conf: /metrics with TLS needs tls_ca or a token, as tcp_listen"
printf 'metrics_listen = 127.0.0.1:9177\nmetrics_plain = yes\n' >"$T/plain.conf"
"$XMD" -n -f "$T/plain.conf" >"$T/n.out" 2>&1
tap $? "xmd.conf: plain HTTP when metrics_plain = yes says so"

MPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/xmd.conf" <<CONF
stats_interval_ms = 200
metrics_listen = 127.0.0.1:$MPORT
tls_cert = $T/server.pem
tls_key = $T/server.key
tls_ca = $T/ca.pem
token = read-only $TOKEN
token = admin admin-token-0123456789abcdef
CONF
# Tokens are passwords: xmd refuses an xmd.conf with tokens that every
# user may read (as ssh a key), naming the file and the fix; 0640 is
# fine (a group of admins), and so is a file without tokens (above).
chmod 644 "$T/xmd.conf"
OUT=$("$XMD" -n -f "$T/xmd.conf" 2>&1)
check "xmd.conf with tokens, mode 0644: refused" test $? -ne 0
has "xmd.conf: token: .*xmd.conf holds secrets and every user may read it \\(mode 0644\\): chmod o-rwx" \
    "... naming the file, its mode and the fix"
cp "$T/server.key" "$T/open.key"
chmod 644 "$T/open.key"
sed "s|^tls_key = .*|tls_key = $T/open.key|" "$T/xmd.conf" >"$T/openkey.conf"
chmod 600 "$T/openkey.conf"
OUT=$("$XMD" -n -f "$T/openkey.conf" 2>&1)
check "a tls_key every user may read: refused" test $? -ne 0
has "openkey.conf:[0-9]*: tls_key: .*open.key holds secrets and every user may read it \\(mode 0644\\)" \
    "... naming the line, the key and its mode"
chmod 640 "$T/xmd.conf"
"$XMD" -n -f "$T/xmd.conf" >"$T/n.out" 2>&1
tap $? "xmd -n: /metrics with TLS, tls_ca and tokens is good"
start_peer -m 128
start_xmd -f "$T/xmd.conf" -N "$T/ctl.sock" -T 2
tap $? "xmd is ready"
grep -q "metrics on https://127.0.0.1:$MPORT/metrics" "$STATE/xmd.log"
tap $? "xmd's log: /metrics on https"
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created" "a domain to show"
sleep 1

OUT=$(scrape https)
has '^status 401$' "TLS, no token, no certificate: 401"
has '^www-authenticate: Bearer' "401 says how: WWW-Authenticate: Bearer"
OUT=$(scrape https wrong-token)
has '^status 401$' "TLS, a wrong token: 401"
OUT=$(scrape https admin-token-0123456789abcdef)
has '^status 200$' "TLS, an admin token: 200"
OUT=$(scrape https "" scraper)
has '^status 200$' "TLS, a client certificate from tls_ca, no token: 200"
OUT=$(scrape http "$TOKEN")
has '^no answer' "plain HTTP to the TLS port: no answer"
OUT=$(scrape https "$TOKEN")
has '^status 200$' "TLS, the read-only token: 200"
has '^xm_domain_cpu_seconds_total\{domain="hello",uuid="[0-9a-f-]{36}"\} ' \
    "TLS: the domain's metrics"
if command -v promtool >/dev/null; then
	printf '%s\n' "$OUT" | sed 1d | promtool check metrics >"$T/promtool.out" 2>&1
	tap $? "/metrics over TLS passes promtool check metrics"
	sed 's/^/# promtool: /' "$T/promtool.out"
else
	tap 0 "promtool check metrics # SKIP needs: promtool (Debian package prometheus)"
fi
finish
