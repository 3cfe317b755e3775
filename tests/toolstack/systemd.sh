# xmd under systemd (issue 14): xmd.service passes systemd-analyze
# verify, and xmd speaks sd_notify's protocol to $NOTIFY_SOCKET as a
# Type=notify service must: READY=1 (with a STATUS=) only once its node
# answers, RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 on
# SIGTERM.  systemd itself is a TEST DOUBLE here: a python3 listener on
# the notify socket, as systemd's (no systemd runs in a container).
# A QEMU node boots: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
NOTES=$T/notes
trap end_children EXIT

B=$(cd "$XM_BUILDDIR" && pwd)
sed "s|^ExecStart=.*|ExecStart=$B/xmd/xmd -d|" "$B/xmd/xmd.service" \
    >"$T/xmd.service"
if command -v systemd-analyze >/dev/null; then
	check "xmd.service: systemd-analyze verify takes it" \
	    systemd-analyze verify --man=no "$T/xmd.service"
else
	tap 0 "xmd.service: systemd-analyze verify # SKIP needs: systemd-analyze (Debian package systemd)"
fi
check "... Type=notify, reload by SIGHUP" sh -c \
    'grep -q "^Type=notify$" "$1" && grep -q "^ExecReload=.*-HUP" "$1"' \
    _ "$B/xmd/xmd.service"

dgram_listener "$T/notify" "$NOTES"
tap $? "a notify socket listens, as systemd's"

: >"$NOTES"
NOTIFY_SOCKET=$T/notify "$XMD" -d -s "$STATE" -K "$XM_BUILDDIR" -m 256M \
    -t 60 2>"$T/xmd.err" &
XMD_FG=$!
wait_until 60 grep -q "^READY=1" "$NOTES"
tap $? "xmd -d says READY=1 to NOTIFY_SOCKET"
check "... once its node answered" grep -q "ready: .* domains on the node" \
    "$T/xmd.err"
check "... with a STATUS" grep -q "^STATUS=[0-9]* domains; JSON-RPC on " \
    "$NOTES"
x list
check "... and serves JSON-RPC" test "$RC" -eq 0

: >"$NOTES"
kill -HUP "$XMD_FG"
wait_until 5 sh -c 'grep -q "^RELOADING=1" "$1" && grep -q "^READY=1" "$1"' \
    _ "$NOTES"
tap $? "SIGHUP: RELOADING=1, then READY=1"
check "... in that order" sh -c \
    '[ "$(grep -n "^RELOADING=1" "$1" | cut -d: -f1)" -lt \
    "$(grep -n "^READY=1" "$1" | cut -d: -f1)" ]' _ "$NOTES"

kill -TERM "$XMD_FG"
wait_until 20 grep -q "^STOPPING=1" "$NOTES"
tap $? "SIGTERM: STOPPING=1"
wait "$XMD_FG"
check "... and xmd exits 0" test $? -eq 0
XMD_FG=
finish
