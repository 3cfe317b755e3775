# xm+ssh:// through OpenSSH's own ssh and sshd (issue 14): an sshd of
# this test's own on 127.0.0.1 (its host key, one authorised key), and
# xmctl -c xm+ssh://root@127.0.0.1:PORT/STATE/xmd.sock lists, creates,
# reads through the read-only socket; a key sshd does not know and a
# host key ssh does not know are refused, the error naming the URI.
# ssh reads its settings from the user's home directory, not $HOME, so
# XMCTL_SSH names a script that runs ssh -F with this test's.
# sshd needs /run/sshd: it runs in a mount namespace of the test's own
# with a fresh /run.  A QEMU node boots: a while of TCG time.
for prog in /usr/sbin/sshd ssh ssh-keygen; do
	if ! command -v "$prog" >/dev/null; then
		echo "1..0 # SKIP needs: $prog (Debian packages openssh-server, openssh-client)"
		exit 0
	fi
done
. "$XM_SRCDIR/tests/toolstack/own_mounts.sh"
. "$XM_SRCDIR/tests/toolstack/lib.sh"
SSHD=
trap 'stop_xmd; [ -n "$SSHD" ] && kill "$SSHD" 2>/dev/null' EXIT
B=$(cd "$XM_BUILDDIR" && pwd)

mount -t tmpfs xm-test-run /run && mkdir -m 0755 /run/sshd
rc=$?
tap $rc "a fresh /run with /run/sshd, in this test's mount namespace"
# Without it the machine's own would be used: stop here.
[ "$rc" -eq 0 ] || finish

PORT=$((20000 + $$ % 20000))
ssh-keygen -q -t ed25519 -N '' -f "$T/host_key" &&
    ssh-keygen -q -t ed25519 -N '' -f "$T/user_key" &&
    ssh-keygen -q -t ed25519 -N '' -f "$T/other_key" &&
    cp "$T/user_key.pub" "$T/authorized_keys" &&
    chmod 600 "$T/authorized_keys"
tap $? "a host key, a user key sshd knows and one it does not"
cat >"$T/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $PORT
HostKey $T/host_key
AuthorizedKeysFile $T/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $T/sshd.pid
EOF
/usr/sbin/sshd -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
SSHD=$!
wait_until 10 sh -c "ss -ltn 2>/dev/null | grep -q '127.0.0.1:$PORT '"
tap $? "sshd listens on 127.0.0.1:$PORT"

printf '127.0.0.1 %s\n' "$(cut -d' ' -f1-2 "$T/host_key.pub")" \
    | sed "s/^127.0.0.1/[127.0.0.1]:$PORT/" >"$T/known_hosts"
cat >"$T/ssh_config" <<EOF
Host 127.0.0.1
	UserKnownHostsFile $T/known_hosts
	StrictHostKeyChecking yes
	BatchMode yes
	IdentitiesOnly yes
EOF
cat >"$T/ssh" <<EOF
#!/bin/sh
exec ssh -F "$T/ssh_config" "\$@"
EOF
chmod +x "$T/ssh"
export XMCTL_SSH=$T/ssh

start_xmd -m 256M -t 60
tap $? "xmd starts"
URI="xm+ssh://root@127.0.0.1:$PORT$STATE/xmd.sock"
Q="xmctl=$B/xmctl/xmctl"
xs() {
	RC=0
	OUT=$("$XMCTL" -c "$1" "${@:2}" 2>&1) || RC=$?
	printf '# $ xmctl -c %s %s (status %s)\n' "$1" "${*:2}" "$RC"
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}

xs "$URI?keyfile=$T/user_key&$Q" list
has "^Domain-0 " "xm+ssh://root@127.0.0.1:PORT/PATH lists, through sshd"
xs "$URI?keyfile=$T/user_key&$Q" create "$XM_SRCDIR/examples/hello.xml"
check "... and creates a domain" test "$RC" -eq 0
wait_until 20 grep -q "hello: cmdline" "$STATE/console/hello.log"
tap $? "... which runs"
xs "$URI?keyfile=$T/user_key&$Q" -r list
has "^Domain-0 " "-r: through the read-only socket"
xs "$URI?keyfile=$T/user_key&$Q" -r destroy Domain-0
check "... which may not destroy" test "$RC" -ne 0
has "needs the admin role; this connection is read-only" "... saying why"

xs "$URI?keyfile=$T/other_key&$Q" list
check "a key sshd does not know: refused" test "$RC" -ne 0
has "URI 'xm\+ssh://root@127.0.0.1:$PORT.*'" "... the error names the URI"
has "Permission denied" "... and says why (ssh's words)"

: >"$T/known_hosts"
xs "$URI?keyfile=$T/user_key&$Q" list
check "a host key ssh does not know: refused" test "$RC" -ne 0
has "[Hh]ost key verification failed" "... and says why"
finish
