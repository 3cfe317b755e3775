# The system's xmd (issue 14): root's xmd with no state directory named
# keeps its state in /var/lib/xm (mode 0700, nobody else's) and its
# sockets in /run/xm (mode 0755): xmd.sock 0600, or 0660 and the group
# of socket_group; xmd-ro.sock 0666.  root's xmctl finds it with no -c;
# another user reads through the read-only socket, is refused the
# read-write one, and is let in by the socket group.
#
# /run and /var/lib are fresh tmpfs mounts in a mount namespace of this
# test's own (unshare -m), so that the machine's are never touched.
# A QEMU node boots: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/own_mounts.sh"
. "$XM_SRCDIR/tests/toolstack/lib.sh"
mount -t tmpfs xm-test-run /run && mount -t tmpfs xm-test-var /var/lib
rc=$?
tap $rc "fresh /run and /var/lib, in this test's mount namespace"
# Without them the machine's own would be used: stop here.
[ "$rc" -eq 0 ] || finish
unset XM_STATE_DIR XMCTL_URI
B=$(cd "$XM_BUILDDIR" && pwd)
XMCTL=$B/xmctl/xmctl
trap 'stop_xmd' EXIT

mode() { stat -c '%a %U %G' "$1"; }
# Another user, nobody, runs a copy of xmctl, its library, the schema
# and hello.xml in /run/xmctl (the build tree may be closed to it).
U=/run/xmctl
mkdir -m 0755 "$U" && cp "$B/xmctl/.libs/xmctl" "$B"/libxmctl/.libs/libxmctl.so.* \
    "$XM_SRCDIR/schemas/domain.rng" "$XM_SRCDIR/examples/hello.xml" "$U/" &&
    chmod -R a+rX "$U"
tap $? "a copy of xmctl that another user may run"
as_nobody()
{
	local groups=$1
	shift
	setpriv --reuid=65534 --regid=65534 $groups \
	    env LD_LIBRARY_PATH=$U XM_SCHEMA_DIR=$U "$U/xmctl" "$@"
}

"$B/xmd/xmd" -K "$B" -i "$B/xm.iso" -m 256M -t 60 -f /dev/null
tap $? "root's xmd starts with no -s"
XMD_PID=$(cat /var/lib/xm/xmd.pid 2>/dev/null)
check "its state is in /var/lib/xm, mode 0700" \
    test "$(mode /var/lib/xm)" = "700 root root" -a -f /var/lib/xm/xmd.log
check "its sockets are in /run/xm, mode 0755" \
    test "$(mode /run/xm)" = "755 root root"
check "... xmd.sock 0600" test "$(mode /run/xm/xmd.sock)" = "600 root root"
check "... xmd-ro.sock 0666" \
    test "$(mode /run/xm/xmd-ro.sock)" = "666 root root"
check "... which its log names" \
    grep -q "ready: .*JSON-RPC on /run/xm/xmd.sock" /var/lib/xm/xmd.log
check "... and none in the state directory" \
    test ! -e /var/lib/xm/xmd.sock -a ! -e /var/lib/xm/xmd-ro.sock

OUT=$("$XMCTL" list 2>&1)
RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
tap $RC "root's xmctl, with no -c, reaches it"
has "^Domain-0 " "... and lists Domain-0"

# Another user: nobody, whose builds of xmctl must be readable.
OUT=$(as_nobody --clear-groups -c unix:///run/xm/xmd-ro.sock list 2>&1)
tap $? "another user lists through the read-only socket"
printf '%s\n' "$OUT" | sed 's/^/# | /'
OUT=$(as_nobody --clear-groups -c unix:///run/xm/xmd.sock list 2>&1)
RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
check "... is refused the read-write socket" test "$RC" -ne 0
has "/run/xm/xmd.sock.*[Pp]ermission denied" "... the error says why"
check "... and cannot look into the state directory" \
    setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '! ls /var/lib/xm'
stop_xmd
check "the sockets go when xmd stops" \
    test ! -e /run/xm/xmd.sock -a ! -e /run/xm/xmd-ro.sock

# socket_group: the group's members may use the read-write socket.
printf 'socket_group = users\n' >"$T/xmd.conf"
"$B/xmd/xmd" -K "$B" -i "$B/xm.iso" -m 256M -t 60 -f "$T/xmd.conf"
tap $? "xmd with socket_group = users"
XMD_PID=$(cat /var/lib/xm/xmd.pid 2>/dev/null)
check "... xmd.sock is 0660, group users" \
    test "$(mode /run/xm/xmd.sock)" = "660 root users"
OUT=$(as_nobody --groups=100 -c unix:///run/xm/xmd.sock create "$U/hello.xml" 2>&1)
RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
tap $RC "a member of users creates a domain through it"
wait_until 20 grep -q "hello: cmdline" /var/lib/xm/console/hello.log
tap $? "... which runs"
finish
