# Migration between two nodes of one machine (issue 13), stop and copy:
# xmd A moves guests/counter (xs_control=1) to xmd B through B's admin
# socket (xm+unix:///PATH), and B moves it back over TLS
# (xm+tls://HOST:PORT/, B's certificate giving it A's admin role; B
# gives A's only a reader's, and refuses it).  The counter, asked to suspend through
# xenstore on A, comes back on B from its suspend call and counts on
# from where it stopped; A has no copy left.  A target where the name
# is taken, no target at all, an abort, or the target's xmd killed
# while the guest suspends or while it restores leaves the domain
# running on A.  Two
# QEMU nodes boot: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso
B=$T/b
B_PID=

stop_b()
{
	[ -n "$B_PID" ] || return 0
	kill -TERM "$B_PID" 2>/dev/null
	wait_until 10 gone "$B_PID"
}
trap 'stop_xmd; stop_b' EXIT

sed -e 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=50 xs_control=1</cmdline>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/counter.xml"
LOG_A=$STATE/console/counter.log
LOG_B=$B/console/counter.log

# TLS: one CA; the certificate each xmd serves with is its client
# certificate when it migrates.  A takes an admin from a certificate,
# B only a reader: B refuses to take a domain over TLS.
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=xm test CA" -days 2 \
    -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null &&
    openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$T/node.key" -out "$T/node.csr" 2>/dev/null &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$T/node.ext" &&
    openssl x509 -req -in "$T/node.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
    -CAcreateserial -days 2 -extfile "$T/node.ext" -out "$T/node.pem" \
    2>/dev/null
tap $? "openssl: a CA and the nodes' certificate"
PORT_A=$((20000 + RANDOM % 20000))
PORT_B=$((40000 + RANDOM % 20000))
conf()
{
	cat <<CONF
tcp_listen = 127.0.0.1:$1
tls_cert = $T/node.pem
tls_key = $T/node.key
tls_ca = $T/ca.pem
cert_role = $2
CONF
}
conf "$PORT_A" admin >"$T/a.conf"
conf "$PORT_B" read-only >"$T/b.conf"

start_xmd -f "$T/a.conf" -i "$ISO" -m 256M -t 60
tap $? "xmd A starts its node"
"$XMD" -f "$T/b.conf" -s "$B" -K "$XM_BUILDDIR" -i "$ISO" -m 256M -t 60
tap $? "xmd B starts its node"
B_PID=$(cat "$B/xmd.pid" 2>/dev/null)
x create "$T/counter.xml"
has "^Domain 'counter' created" "counter created on A"
wait_until 20 grep -q "counter 5" "$LOG_A"
tap $? "it counts on A"

x migrate counter "xm+unix://$T/nowhere.sock"
check "to a target that is not there: an error" test "$RC" -eq 1
has "cannot connect to $T/nowhere.sock" "... naming the socket"
check "... and it runs on A" runs_at "$STATE" counter
x migrate counter "xm://host/"
has "not one this xmd migrates to" "a URI of another kind: refused"

x_at "$B" create "$T/counter.xml"
has "^Domain 'counter' created" "a counter of the same name on B"
x migrate counter "xm+unix://$B/xmd.sock"
check "to a target where its name is taken: an error" test "$RC" -eq 1
has "exists on the target" "... saying so"
check "... and it runs on A, not suspended" runs_at "$STATE" counter
x_at "$B" destroy counter
wait_until 10 absent_at "$B" counter
tap $? "B's counter destroyed"

x migrate counter "xm+tls://127.0.0.1:$PORT_B/"
check "over TLS to B, which takes A's certificate as a reader: an error" \
    test "$RC" -eq 1
has "the target: .*needs the admin role" "... B's refusal, naming the role"
check "... and it runs on A" runs_at "$STATE" counter
x migrate counter "xm+tls://127.0.0.1:1/"
has "Connection refused|the connection failed" \
    "over TLS to a port nobody listens on: an error"

x migrate counter "xm+unix://$B/xmd.sock"
has "^Domain 'counter' migrated to xm\+unix://$B/xmd\.sock" \
    "xmctl migrate: counter to B"
stopped_at=$(counter_last "$LOG_A")
check "it is gone from A" absent_at "$STATE" counter
check "it runs on B" runs_at "$B" counter
wait_until 20 grep -q "counter: suspend returned 0" "$LOG_B"
tap $? "on B its suspend call returned 0"
wait_until 20 grep -q "^counter $((stopped_at + 3))\$" "$LOG_B"
tap $? "it counts on on B from where it stopped on A ($stopped_at)"
# B's log has its own counter's lines before the migrated one's.
check "it did not start again from 1 on B" \
    sh -c "! sed -n '/suspend returned 0/,\$p' \"\$1\" | grep -q '^counter 1\$'" \
    _ "$LOG_B"
check "A's state directory keeps no file of it" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$STATE"
check "nor does B's" sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$B"

# And back over TLS (A takes B's certificate as an admin), with --json.
"$XMCTL" -c "unix://$B/xmd.sock" migrate --json counter \
    "xm+tls://localhost:$PORT_A/" >"$T/back.json" 2>&1
tap $? "back from B to A over TLS"
sed 's/^/# | /' "$T/back.json"
check "... --json says what was sent" grep -q '"bytes"' "$T/back.json"
back_at=$(counter_last "$LOG_B")
wait_until 20 grep -q "^counter $((back_at + 3))\$" "$LOG_A"
tap $? "it counts on on A from $back_at"
x destroy counter

# A slow counter (it suspends 4 s after it is asked), whose migration is
# aborted, then cut by B's xmd killed outright, each while A waits for
# the guest to suspend (B has prepared a place for it): A cancels the
# suspend and the domain runs on A; nothing is left on B.
sed -e 's|<name>counter</name>|<name>slow</name>|' \
    -e 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=1500 xs_control=1 control_delay_ms=4000</cmdline>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/slow.xml"
LOG_SLOW=$STATE/console/slow.log
x create "$T/slow.xml"
has "^Domain 'slow' created" "a slow counter (a line each 1.5 s) on A"
wait_until 20 grep -q "counter 2" "$LOG_SLOW"
tap $? "it counts"

"$XMCTL" -c "unix://$STATE/xmd.sock" migrate slow \
    "xm+unix://$B/xmd.sock" >"$T/abort.out" 2>&1 &
mig=$!
wait_until 10 grep -q "migration of 'slow' in: prepared" "$B/xmd.log"
tap $? "B prepares for it"
x migrate-abort slow
has "^Domain 'slow': migration aborted" "xmctl migrate-abort"
wait "$mig"
check "the migration fails" test $? -eq 1
sed 's/^/# | /' "$T/abort.out"
check "... saying it was aborted and runs on here" \
    grep -q "aborted.*runs on here" "$T/abort.out"
wait_until 20 grep -q "counter: suspend returned 1" "$LOG_SLOW"
tap $? "its suspend was cancelled on A"
wait_until 10 grep -q "migration of 'slow' in: abandoned" "$B/xmd.log"
tap $? "B abandoned what it had prepared"
check "slow is not on B" absent_at "$B" slow
x migrate-abort slow
check "migrate-abort with no migration under way: an error" test "$RC" -eq 1
has "no migration of it is under way" "... saying so"

"$XMCTL" -c "unix://$STATE/xmd.sock" migrate slow \
    "xm+unix://$B/xmd.sock" >"$T/fault.out" 2>&1 &
mig=$!
wait_until 10 sh -c "[ \$(grep -c \"migration of 'slow' in: prepared\" \"\$1\") -ge 2 ]" \
    _ "$B/xmd.log"
tap $? "B prepares for it again"
b_node=$(cat "$B/qemu.pid" 2>/dev/null)
kill -KILL "$B_PID"
B_PID=
wait "$mig"
check "B killed while the guest suspends: the migration fails" test $? -eq 1
sed 's/^/# | /' "$T/fault.out"
check "... saying it runs on here" grep -q "runs on here" "$T/fault.out"
wait_until 20 sh -c "[ \$(grep -c 'counter: suspend returned 1' \"\$1\") -ge 2 ]" \
    _ "$LOG_SLOW"
tap $? "its suspend was cancelled on A (the call returned 1)"
at=$(counter_last "$LOG_SLOW")
wait_until 20 grep -q "^counter $((at + 2))\$" "$LOG_SLOW"
tap $? "it counts on on A"
check "A's state directory keeps no file of it" \
    sh -c "! ls \"\$1\" | grep -q '^migrate-'" _ "$STATE"
[ -n "$b_node" ] && kill -TERM "$b_node" 2>/dev/null
x destroy slow

# Another: a target xmd (C) killed while it restores the domain, after
# the file has gone: A has no commit, so it cancels the suspend and the
# domain runs on A.  C's node is stopped (SIGSTOP) once C has prepared,
# so that its restore cannot finish before xmd C is killed: a restore
# of 96 MiB takes under a second, less than the test's polling.
C=$T/c
"$XMD" -s "$C" -K "$XM_BUILDDIR" -i "$ISO" -m 256M -t 60
tap $? "xmd C starts its node"
C_PID=$(cat "$C/xmd.pid" 2>/dev/null)
sed -e 's|<name>counter</name>|<name>big</name>|' \
    -e 's|<memory unit=.MiB.>16</memory>|<memory unit="MiB">96</memory>|' \
    -e 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=100 xs_control=1</cmdline>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/big.xml"
LOG_BIG=$STATE/console/big.log
x create "$T/big.xml"
has "^Domain 'big' created" "a counter with 96 MiB on A"
wait_until 20 grep -q "counter 2" "$LOG_BIG"
tap $? "it counts"
"$XMCTL" -c "unix://$STATE/xmd.sock" migrate big \
    "xm+unix://$C/xmd.sock" >"$T/fault2.out" 2>&1 &
mig=$!
wait_until 10 grep -q "migration of 'big' in: prepared" "$C/xmd.log"
tap $? "C prepares for it"
c_node=$(cat "$C/qemu.pid" 2>/dev/null)
check "C's node is stopped" kill -STOP "$c_node"
wait_until 30 grep -q "domain 'big': restoring it from" "$C/xmd.log"
tap $? "C restores it"
kill -KILL "$C_PID"
wait "$mig"
rc=$?
sed 's/^/# | /' "$T/fault2.out"
check "C killed while it restores: the migration fails" test "$rc" -eq 1
check "... saying it runs on here" grep -q "runs on here" "$T/fault2.out"
wait_until 20 grep -q "counter: suspend returned 1" "$LOG_BIG"
tap $? "its suspend was cancelled on A"
at=$(counter_last "$LOG_BIG")
wait_until 20 grep -q "^counter $((at + 2))\$" "$LOG_BIG"
tap $? "it counts on on A"
[ -n "$c_node" ] && kill -KILL "$c_node" 2>/dev/null
x destroy big
[ "$tap_failed" -eq 0 ] || show_logs "$B/xmd.log" "$C/xmd.log"
finish
