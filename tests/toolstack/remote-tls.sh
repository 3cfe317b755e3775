# xmctl (libxmctl) against a remote xmd, by xm+tls:// and xm+ssh://,
# with ctl-peer, a TEST DOUBLE of domain 0 (tests/ctl-peer.c), as the
# node.  xm+tls:// on 127.0.0.1 and a random high port: the CA, the
# client's certificate and the tokens from the URI, the environment or
# the configuration directory; an untrusted certificate, a host name
# that is not the certificate's, a wrong token and a refused connection
# each get a clear error; a read-only token lists but cannot destroy or
# define; both ends close with close_notify (tests/toolstack/tls-close.py
# stands in for xmd, a TEST DOUBLE).  xm+ssh:// runs $XMCTL_SSH, a
# stand-in for ssh that runs the remote command here.  The certificates
# are made here.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

# xr URI ARGS...: xmctl -c URI, as x does.
xr()
{
	local uri=$1
	shift
	RC=0
	OUT=$("$XMCTL" -c "$uri" "$@" 2>&1) || RC=$?
	echo "# \$ xmctl -c $uri $* (status $RC)"
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}

ca ca "xm test CA"
# 127.0.0.1 only: "localhost" is not a name this certificate has.
cert server "xm server" ca "subjectAltName=IP:127.0.0.1"
cert admin "xm admin" ca
ca rogue-ca "not the xm CA"
printf 'admin-secret-0123456789abcdef\n' >"$T/admin.token"
printf 'read-only-secret-0123456789\n' >"$T/ro.token"
printf 'wrong-secret-0123456789\n' >"$T/wrong.token"
chmod 600 "$T/admin.token" "$T/ro.token" "$T/wrong.token"
[ -f "$T/server.pem" ] && [ -f "$T/admin.pem" ] && [ -f "$T/rogue-ca.pem" ]
tap $? "openssl: a CA, the server's and a client's certificates"

start_peer -m 128
start_tls_xmd "token = read-only read-only-secret-0123456789" \
    "token = admin admin-secret-0123456789abcdef"
tap $? "xmd listens on 127.0.0.1:$PORT with TLS"
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created \(id 1\)$" "a domain to look at (unix socket)"

TLS=xm+tls://127.0.0.1:$PORT/
ADMIN="$TLS?ca=$T/ca.pem&token_file=$T/admin.token"
RO="$TLS?ca=$T/ca.pem&token_file=$T/ro.token"

# the CA and token from the URI, the environment, the configuration dir
xr "$ADMIN" list
has '^hello +1 ' "xm+tls:// with ?ca= and ?token_file=: list"
OUT=$(XMCTL_TLS_CA=$T/ca.pem XMCTL_TOKEN_FILE=$T/admin.token \
    XMCTL_URI=$TLS "$XMCTL" list 2>&1)
has '^hello +1 ' "XMCTL_URI, XMCTL_TLS_CA and XMCTL_TOKEN_FILE: list"
mkdir -p "$T/conf" && cp "$T/ca.pem" "$T/conf/ca.pem" &&
    cp "$T/admin.token" "$T/conf/token"
OUT=$(XMCTL_CONFIG_DIR=$T/conf "$XMCTL" -c "$TLS" list 2>&1)
has '^hello +1 ' "ca.pem and token in XMCTL_CONFIG_DIR: list"
xr "$TLS?ca=$T/ca.pem&cert=$T/admin.pem&key=$T/admin.key" list
has '^hello +1 ' "a client certificate instead of a token: list"

# what goes wrong, and says so
xr "$TLS?ca=$T/rogue-ca.pem&token_file=$T/admin.token" list
has "^xmctl: URI '.*': the server's certificate is not trusted by CA $T/rogue-ca.pem: " \
    "another CA: the certificate is not trusted"
[ "$RC" -eq 1 ]
tap $? "... and xmctl fails (status 1)"
xr "xm+tls://localhost:$PORT/?ca=$T/ca.pem&token_file=$T/admin.token" list
has "^xmctl: URI '.*': the server's certificate is not for host localhost$" \
    "a host name the certificate does not have"
xr "$TLS?ca=$T/ca.pem&token_file=$T/wrong.token" list
has "^xmctl: URI '.*': xmd refused the token in $T/wrong.token$" \
    "a wrong token is refused"
xr "$TLS?ca=$T/ca.pem&token_file=$T/no-such.token" list
has "^xmctl: URI '.*': token file $T/no-such.token: No such file" \
    "a token file that is not there"
# A token is a password: a token file (or a client key) every user may
# read is refused before anything is sent, as ssh refuses such a key.
cp "$T/admin.token" "$T/open.token"
chmod 644 "$T/open.token"
xr "$TLS?ca=$T/ca.pem&token_file=$T/open.token" list
has "^xmctl: URI '.*': token file $T/open.token holds secrets and every user may read it \(mode 0644\): chmod o-rwx $T/open.token$" \
    "a token file every user may read: refused, with its mode and the fix"
chmod 640 "$T/open.token"
xr "$TLS?ca=$T/ca.pem&token_file=$T/open.token" list
has '^hello +1 ' "... and taken once only its owner and group may read it"
cp "$T/admin.key" "$T/open.key"
chmod 604 "$T/open.key"
xr "$TLS?ca=$T/ca.pem&cert=$T/admin.pem&key=$T/open.key" list
has "^xmctl: URI '.*': key $T/open.key holds secrets and every user may read it \(mode 0604\)" \
    "a client key every user may read: refused too"
OUT=$(env -u XMCTL_TOKEN_FILE XMCTL_CONFIG_DIR=$T/empty "$XMCTL" \
    -c "$TLS?ca=$T/ca.pem" list 2>&1)
has "neither a client certificate nor a token" "no certificate and no token"
OUT=$(env -u XMCTL_TLS_CA XMCTL_CONFIG_DIR=$T/empty "$XMCTL" \
    -c "$TLS?token_file=$T/admin.token" list 2>&1)
has "^xmctl: URI '.*': CA certificate $T/empty/ca.pem: No such file" \
    "no CA certificate: the default one is named"
OUT=$("$XMCTL" -r -c "$ADMIN" list 2>&1)
has "read-only over TLS is a read-only token's" "-r over TLS: use a read-only token"
xr "xm+tls://127.0.0.1:$((PORT == 65535 ? PORT - 1 : PORT + 1))/?ca=$T/ca.pem&token_file=$T/admin.token" list
has "^xmctl: cannot connect to xmd at xm\+tls://127\.0\.0\.1:[0-9]+/.*: Connection refused$" \
    "nothing listening: connection refused, with the URI"
xr "xm+tls://127.0.0.1:99999/" list
has "^xmctl: URI 'xm\+tls://127\.0\.0\.1:99999/': a bad port" "a bad port"
xr "$TLS?ca=$T/ca.pem&color=red" list
has "no parameter 'color' for this scheme" "an unknown parameter"
xr "ftp://127.0.0.1/" list
has "^xmctl: URI 'ftp://127\.0\.0\.1/': not unix:///PATH" "an unknown scheme"

# A TLS connection ends with a close_notify alert, both ways, so that
# neither side takes a cut connection (or a truncation) for the end.
CLOSE=$XM_SRCDIR/tests/toolstack/tls-close.py
python3 "$CLOSE" server "$T/server.pem" "$T/server.key" "$T/standin.port" \
    >"$T/standin.out" 2>&1 &
standin=$!
wait_until 10 test -s "$T/standin.port"
xr "xm+tls://127.0.0.1:$(cat "$T/standin.port")/?ca=$T/ca.pem&token_file=$T/admin.token" \
    list
wait "$standin"
sed 's/^/# stand-in xmd: /' "$T/standin.out"
check "xmctl ends its TLS connection with close_notify" \
    grep -qx close_notify "$T/standin.out"
OUT=$(python3 "$CLOSE" client "$T/ca.pem" "$PORT" \
    '{"jsonrpc":"2.0","id":1,"method":"auth.token","params":{"token":"wrong-secret-0123456789"}}' 2>&1)
printf '%s\n' "$OUT" | sed 's/^/# | /'
has '"id":1,"error"' "a wrong token over TLS: refused"
has "^close_notify$" "... and xmd ends the connection with close_notify"

# the read-only token
xr "$RO" list
has '^hello +1 ' "a read-only token lists"
xr "$RO" destroy hello
has "^xmctl: .*needs the admin role; this connection is read-only" \
    "... but cannot destroy"
xr "$RO" define "$XM_SRCDIR/examples/hello.xml"
has "needs the admin role; this connection is read-only" "... nor define"
x list
has '^hello +1 .*running' "... and the domain still runs"

# xm+ssh:// through a stand-in for ssh: it runs the remote command here
cat >"$T/fake-ssh" <<'SSH'
#!/bin/sh
# fake-ssh [OPTIONS] -- HOST COMMAND: log the arguments, run COMMAND.
printf '%s\n' "$*" >>"$XM_FAKE_SSH_LOG"
while [ "$1" != -- ]; do shift; done
exec sh -c "$3"
SSH
chmod +x "$T/fake-ssh"
export XMCTL_SSH=$T/fake-ssh XM_FAKE_SSH_LOG=$T/ssh.log
SSHX="xmctl=$XMCTL"
xr "xm+ssh://me@node1:2222$STATE/xmd.sock?$SSHX" list
has '^hello +1 ' "xm+ssh://USER@HOST:PORT/PATH: list"
grep -q -- "^-T -e none -p 2222 -l me -- node1 '$XMCTL' stdio-proxy '$STATE/xmd.sock'$" \
    "$T/ssh.log"
tap $? "... ssh was run with the port, user, host and remote command"
OUT=$(XM_STATE_DIR=$STATE "$XMCTL" -c "xm+ssh://node1/?$SSHX" list 2>&1)
has '^hello +1 ' "xm+ssh://HOST/: the remote default socket"
OUT=$(PATH=$XM_BUILDDIR/xmctl:$PATH XMCTL_URI="xm+ssh://node1$STATE/xmd.sock" \
    "$XMCTL" -r destroy hello 2>&1)
has "needs the admin role; this connection is read-only" \
    "xm+ssh:// with -r: xmd-ro.sock, read-only"
xr "xm+ssh://node1$T/no-xmd.sock?$SSHX" list
has "cannot connect to xmd at $T/no-xmd.sock" \
    "no xmd there: stdio-proxy says why"
has "^xmctl: URI 'xm\+ssh://node1$T/no-xmd.sock.*: the connection to xmd (closed|broke: .*) \(ssh's .*standard error\)$" \
    "... and xmctl names the URI"
XMCTL_SSH=$T/no-such-ssh xr "xm+ssh://node1/" list
has "cannot run $T/no-such-ssh" "no ssh program: said so"
xr "xm+ssh://-oProxyCommand=x/" list
has "a bad host name" "a host name that would be an ssh option"

# the admin token can destroy
xr "$ADMIN" destroy hello
[ "$RC" -eq 0 ]
tap $? "the admin token destroys"
x list
printf '%s\n' "$OUT" | grep -q '^hello '
[ $? -ne 0 ]
tap $? "... and the domain is gone"
stop_xmd
tap $? "xmd stops"
show_logs "$T/peer.log"
finish
