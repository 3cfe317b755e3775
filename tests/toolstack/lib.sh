# Helpers for toolstack tests: xmd, xmctl and a node, judged by what
# xmctl prints and how it exits.  Each check prints one TAP line.
#
#   T                     this test's directory (short: sockets live there)
#   start_xmd ARGS...     xmd (a daemon) on $T/state; 0 once it is ready
#   stop_xmd              SIGTERM it and wait until it has gone
#   x ARGS...             xmctl on this xmd: output in $OUT, status in $RC
#   x_at DIR ARGS...      the same on the xmd of state directory DIR
#   check DESC CMD...     "ok" when CMD succeeds
#   has REGEX DESC        $OUT has a line matching REGEX
#   wait_until SECS CMD   run CMD until it succeeds, for up to SECS
#   finish                the plan; exit non-zero when a check failed

set -u
. "${XM_SRCDIR:-.}/tests/tap.sh"
: "${XM_SRCDIR:=.}" "${XM_BUILDDIR:=.}" "${XM_TEST_TMP:=/tmp}"
XMD=$XM_BUILDDIR/xmd/xmd
XMCTL=$XM_BUILDDIR/xmctl/xmctl
T=$(mktemp -d "$XM_TEST_TMP/ts.XXXXXX") && T=$(cd "$T" && pwd) || exit 1
STATE=$T/state
OUT=
RC=0
XMD_PID=


check()
{
	local desc=$1
	shift
	"$@" >/dev/null 2>&1
	tap $? "$desc"
}

# xmctl on the xmd of state directory DIR (a second xmd's): x_at DIR ...
x_at()
{
	local dir=$1
	shift
	RC=0
	OUT=$("$XMCTL" -c "unix://$dir/xmd.sock" "$@" 2>&1) || RC=$?
	echo "# \$ xmctl $* (status $RC)"
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}

x()
{
	x_at "$STATE" "$@"
}

# Whether domain NAME runs (is listed at all) on the xmd of DIR.
runs_at()
{
	"$XMCTL" -c "unix://$1/xmd.sock" list | grep -q "^$2 .* running"
}

absent_at()
{
	! "$XMCTL" -c "unix://$1/xmd.sock" list | grep -q "^$2 "
}

# The last "counter N" guests/counter printed in console log LOG.
counter_last()
{
	grep -o '^counter [0-9]*' "$1" | tail -n 1 | cut -d' ' -f2
}

has()
{
	printf '%s\n' "$OUT" | grep -Eq -- "$1"
	tap $? "$2"
}

wait_until()
{
	local secs=$1 i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -ge $((secs * 10)) ] && return 1
		sleep 0.1
	done
}

start_xmd()
{
	"$XMD" -s "$STATE" -K "$XM_BUILDDIR" "$@"
	local rc=$?
	XMD_PID=$(cat "$STATE/xmd.pid" 2>/dev/null)
	return $rc
}

# Not running (or a zombie that nobody has reaped yet).
gone()
{
	! kill -0 "$1" 2>/dev/null ||
	    [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]
}

stop_xmd()
{
	[ -n "$XMD_PID" ] || return 0
	kill -TERM "$XMD_PID" 2>/dev/null
	wait_until 10 gone "$XMD_PID"
	local rc=$?
	XMD_PID=
	return $rc
}

# TLS for the tests: ca NAME CN, a CA's $T/NAME.key and $T/NAME.pem;
# cert NAME CN ISSUER [EXT]: $T/NAME.key and $T/NAME.pem, signed by ISSUER.
cert()
{
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$2" \
	    -keyout "$T/$1.key" -out "$T/$1.csr" 2>/dev/null &&
	    printf '%s\n' "${4:-basicConstraints=CA:FALSE}" >"$T/$1.ext" &&
	    openssl x509 -req -in "$T/$1.csr" -CA "$T/$3.pem" \
	    -CAkey "$T/$3.key" -CAcreateserial -days 2 \
	    -extfile "$T/$1.ext" -out "$T/$1.pem" 2>/dev/null
}

ca()
{
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$2" -days 2 \
	    -keyout "$T/$1.key" -out "$T/$1.pem" 2>/dev/null
}

# A foreground xmd (XMD_FG) and a listener (LISTENER), ended by
# end_children, which a test's EXIT trap calls.
XMD_FG=
LISTENER=
end_children()
{
	[ -n "$XMD_FG" ] && kill "$XMD_FG" 2>/dev/null
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	wait 2>/dev/null
}

# A datagram listener on the unix socket PATH, each datagram appended to
# FILE as a line: systemd's notify socket or syslog's /dev/log, as test
# doubles.  Its pid in LISTENER; 0 once PATH is there.
dgram_listener()
{
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(8192).decode(errors="replace") + "\n")
        f.flush()' "$1" "$2" &
	LISTENER=$!
	wait_until 5 test -S "$1"
}

show_logs()
{
	local f
	for f in "$STATE/xmd.log" "$@"; do
		[ -f "$f" ] || continue
		echo "# --- $f"
		tail -n 40 "$f" | sed 's/^/# | /'
	done
}

# The plan; this test's directory goes unless a check failed.
finish()
{
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ] && rm -rf "$T"
	exit $tap_failed
}
