# xenstore across an xmd restart on the real node: a domain of
# guests/xsclient (mode=listen) advertises control/feature-poweroff and
# watches control/shutdown; xmd stops with SIGUSR1, leaving the node
# running, and a new xmd takes it over.  The domain's own keys are
# still in the store, and `xmctl shutdown` still reaches it through its
# watch: it powers off within the timeout.  A second domain, destroyed
# after the store was saved with it (as when xmd dies before it saves
# again), is no longer on the node when the new xmd comes: its saved
# paths go.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso

kill_node()
{
	stop_xmd
	# A test that failed between the two xmds leaves the node kept.
	[ -f "$STATE/qemu.kept" ] && kill -- -"$(cat "$STATE/qemu.kept")" \
	    2>/dev/null
}
trap kill_node EXIT

cat >"$T/xsl.xml" <<XML
<domain type='xen'>
  <name>xsl</name>
  <memory unit='MiB'>8</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>guests/xsclient/xsclient.elf</kernel>
    <cmdline>xsclient mode=listen</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
</domain>
XML
sed -e 's|<name>xsl</name>|<name>xsg</name>|' "$T/xsl.xml" >"$T/xsg.xml"

logged()
{
	grep -q -- "$1" "$STATE/console/xsl.log"
}

listed()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^xsl "
}

start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"
x create "$T/xsl.xml"
has "^Domain 'xsl' created" "create xsl (xsclient mode=listen)"
wait_until 30 logged "xsclient: listening"
tap $? "xsl listens"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "xsl" { print $2 }')
x store write "/local/domain/$id/data/x" "from before"
tap $RC "write data/x in its tree"
x create "$T/xsg.xml"
has "^Domain 'xsg' created" "create xsg, the one to go"
gid=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "xsg" { print $2 }')
saved_with_xsg()
{
	grep -q "^dom $gid 1 " "$STATE/xenstore"
}
wait_until 10 saved_with_xsg
tap $? "the saved store has xsg (d$gid)"
cp "$STATE/xenstore" "$T/xenstore.with-xsg"
x destroy xsg
has "^Domain 'xsg' destroyed" "destroy xsg"
sleep 0.5	# past the save timer: SIGUSR1 saves anyway

x store read "/local/domain/$id/control/feature-poweroff"
has '^1$' "xsl advertised control/feature-poweroff"
kill -USR1 "$XMD_PID"
wait_until 10 gone "$XMD_PID"
tap $? "SIGUSR1: xmd stops, leaving the node"
cp "$T/xenstore.with-xsg" "$STATE/xenstore"	# its last save lost
start_xmd -i "$ISO" -t 60
tap $? "xmd starts again"
grep -q "taking over the QEMU" "$STATE/xmd.log"
tap $? "... and takes the node over"
grep -q "xenstore: the store saved in .* taken back" "$STATE/xmd.log"
tap $? "... and the saved store"
wait_until 10 listed
x store read "/local/domain/$id/data/x"
has '^from before$' "data/x survived the restart"
x store read "/local/domain/$id/control/feature-poweroff"
has '^1$' "... and the domain's own control/feature-poweroff"
x store ls /local/domain
has "^ *$id = " "store ls /local/domain lists xsl (d$id)"
check "xsg (d$gid), gone from the node, is gone from the store" \
    sh -c "! printf '%s\\n' \"\$1\" | grep -q '^ *$gid = '" _ "$OUT"
grep -q "xenstore: d$gid is no longer on the node" "$STATE/xmd.log"
tap $? "... and xmd says why"
x shutdown xsl --timeout 20
has "^Domain 'xsl' shut down$" \
    "shutdown after the restart reaches the domain through its watch"
check "xsl saw control/shutdown = poweroff" \
    logged 'control/shutdown says "poweroff"'
wait_until 10 eval '! listed'
tap $? "xsl is gone"

[ "$tap_failed" -eq 0 ] || show_logs
finish
