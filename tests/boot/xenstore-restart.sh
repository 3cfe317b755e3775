# xenstore across an xmd restart on the real node: a domain of
# guests/xsclient (mode=listen) advertises control/feature-poweroff and
# watches control/shutdown; xmd stops with SIGUSR1, leaving the node
# running, and a new xmd takes it over.  The domain's own keys are
# still in the store, and `xmctl shutdown` still reaches it through its
# watch: it powers off within the timeout.
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
sleep 0.5	# past the save timer: SIGUSR1 saves anyway

x store read "/local/domain/$id/control/feature-poweroff"
has '^1$' "xsl advertised control/feature-poweroff"
kill -USR1 "$XMD_PID"
wait_until 10 gone "$XMD_PID"
tap $? "SIGUSR1: xmd stops, leaving the node"
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
x shutdown xsl --timeout 20
has "^Domain 'xsl' shut down$" \
    "shutdown after the restart reaches the domain through its watch"
check "xsl saw control/shutdown = poweroff" \
    logged 'control/shutdown says "poweroff"'
wait_until 10 eval '! listed'
tap $? "xsl is gone"

[ "$tap_failed" -eq 0 ] || show_logs
finish
