# xmd as a daemon logs to syslog (issue 14): each message goes to
# xmd.log and to /dev/log as "xmd[PID]", facility daemon, at its level
# (info <30>, warning <28>); syslog = no in xmd.conf keeps it to
# xmd.log.
#
# syslogd is a TEST DOUBLE here: a python3 listener on /dev/log, in a
# /dev of this test's own (a tmpfs in a mount namespace, with symlinks
# to the machine's devices), so the machine's /dev is never touched.
# A QEMU node boots twice: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/own_mounts.sh"
. "$XM_SRCDIR/tests/toolstack/lib.sh"
trap 'stop_xmd; end_children' EXIT

# A tmpfs /dev whose entries are symlinks to the machine's, which stay
# reachable under a tmpfs /run of this namespace.  Nothing of the
# machine's /dev is mounted under $T (removed when the test passes) or
# anywhere a test removes files.
own_dev()
{
	local e n
	mount -t tmpfs xm-test-run /run && mkdir /run/machine-dev &&
	    mount --rbind /dev /run/machine-dev &&
	    mount -t tmpfs xm-test-dev /dev || return 1
	for e in /run/machine-dev/*; do
		n=${e##*/}
		[ "$n" = log ] && continue
		ln -s "$e" "/dev/$n" || return 1
	done
}
own_dev
rc=$?
tap $rc "a /dev of this test's own, with the machine's devices"
# Without them the machine's own would be used: stop here.
[ "$rc" -eq 0 ] || finish

dgram_listener /dev/log "$T/syslog"
tap $? "a syslog double listens on /dev/log"

printf 'stats_samples = 60\n' >"$T/xmd.conf"
start_xmd -f "$T/xmd.conf" -m 256M -t 60
tap $? "xmd starts as a daemon"
wait_until 5 grep -q "xmd\[$XMD_PID\]: ready: " "$T/syslog"
tap $? "its messages reach syslog as xmd[PID]"
sed 's/^/# syslog: /' "$T/syslog" | head -n 5
check "... at the daemon facility, info: <30>" \
    grep -q "^<30>.* xmd\[$XMD_PID\]: ready: " "$T/syslog"
check "... and xmd.log has them too" grep -q "xmd: info: ready: " \
    "$STATE/xmd.log"

printf 'stats_samples = 30\n' >"$T/xmd.conf"
kill -HUP "$XMD_PID"
wait_until 10 grep -q "xmd\[$XMD_PID\]: reload: stats_samples changed" \
    "$T/syslog"
tap $? "a warning reaches syslog"
check "... at warning: <28>" \
    grep -q "^<28>.* xmd\[$XMD_PID\]: reload: stats_samples changed" \
    "$T/syslog"
stop_xmd

printf 'syslog = no\n' >"$T/xmd.conf"
start_xmd -f "$T/xmd.conf" -m 256M -t 60
tap $? "xmd with syslog = no"
check "... logs to xmd.log" \
    sh -c '[ "$(grep -c "xmd: info: ready: " "$1")" -eq 2 ]' _ "$STATE/xmd.log"
check "... and nothing to syslog" \
    sh -c '! grep -q "xmd\[$1\]" "$2"' _ "$XMD_PID" "$T/syslog"
finish
