# A node managed over a serial line, as a PC without virtio-serial is
# (issue 14; xmd(8), "Running on a real PC"): QEMU gives the machine no
# virtio-serial port, only a second 16550 (COM2, I/O 0x2f8, IRQ 3) on a
# pseudo-terminal (tools/xm-qemu -u pty).  Domain 0 finds no
# virtio-serial port, takes the UART, its interrupt as an event channel;
# xmd -N opens the pseudo-terminal as it would /dev/ttyS1 and manages
# the node through it: domain 0 is listed, hello is built (its kernel
# goes down the line), its console comes back and its poweroff is seen,
# and a counter counts until it is shut down.  One node boot; a serial
# line carries a few tens of KB/s under TCG, so the domains are small.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
QEMU_PID=
cleanup()
{
	stop_xmd
	[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

"$XM_SRCDIR/tools/xm-qemu" -t 150 -u pty -o "$T/node.log" \
    "$XM_BUILDDIR/xm.iso" >"$T/qemu.out" 2>&1 &
QEMU_PID=$!
wait_until 60 grep -q "(d0) dom0: ready" "$T/node.log"
tap $? "the node boots; domain 0 is ready"
sed -n 's/^(d0) dom0: \(.*control.*\)/# \1/p' "$T/node.log"
check "domain 0 finds no virtio-serial port" \
    grep -q "(d0) dom0: no virtio-serial control port" "$T/node.log"
check "... and takes the serial line: a 16550 at I/O 0x2f8, IRQ 3" \
    grep -q "(d0) dom0: control port: serial line, 16550 at I/O 0x2f8, IRQ 3, 115200 8N1" \
    "$T/node.log"
check "... its interrupt as an event channel, not polled" \
    grep -q "(d0) dom0: control port: interrupt line 3 as an event channel" \
    "$T/node.log"
pty=$(sed -n 's|.*char device redirected to \(/dev/pts/[0-9]*\) (label xmuart).*|\1|p' \
    "$T/qemu.out")
echo "# COM2 is $pty"
check "QEMU put COM2 on a pseudo-terminal" test -c "${pty:-/nonexistent}"

start_xmd -N "$pty" -T 20
tap $? "xmd -N $pty: it connects to domain 0 over the serial line"
x list
has "^Domain-0 +0 " "xmctl list: domain 0"
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created" "xmctl create hello: its kernel goes down the line"
wait_until 30 grep -q "hello: powering off" "$STATE/console/hello.log"
tap $? "hello's console comes back up the line"
wait_until 20 grep -q "domain 'hello' (d[0-9]*): destroyed after its shutdown" \
    "$STATE/xmd.log"
tap $? "its poweroff is seen (domain 0's event), and it is destroyed"

sed 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=100 xs_control=1</cmdline>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/counter.xml"
x create "$T/counter.xml"
has "^Domain 'counter' created" "xmctl create counter"
wait_until 30 grep -q "^counter 10$" "$STATE/console/counter.log"
tap $? "it counts"
x dominfo counter
has "^State: +running" "xmctl dominfo counter: running"
x shutdown counter
has "counter" "xmctl shutdown counter"
wait_until 30 grep -q "domain 'counter' (d[0-9]*): shut down (poweroff)" \
    "$STATE/xmd.log"
tap $? "it shuts down through xenstore"
x list
check "... and is gone" sh -c '[ "$1" -eq 0 ] && ! printf "%s\n" "$2" |
    grep -q "^counter "' _ "$RC" "$OUT"
check "xmd saw no frame lost or broken on the line" \
    sh -c "test -s \"\$1/xmd.log\" &&
    ! grep -Eiq 'bad frame|checksum|resync|dropped' \"\$1/xmd.log\"" _ "$STATE"
finish
