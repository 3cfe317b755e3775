# The control channel pushes back (issue 13's bulk channel): it is a
# virtio-serial port with MULTIPORT (a virtserialport), which QEMU
# throttles while the host reads slowly, not a virtconsole, which drops
# what its socket cannot take at once.  xmd is stopped (SIGSTOP) for a
# second while domain 0 streams a 64 MiB domain's memory to it for
# `xmctl save`; when it goes on, the save completes, the file verifies
# and restores, and the counter's memory is whole.  With a virtconsole
# the frames sent while xmd slept were lost and the save failed.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/migrate-lib.sh"
trap 'kill -CONT "$XMD_PID" 2>/dev/null; stop_xmd' EXIT

start_xmd -i "$ISO" -m 256M -t 60
tap $? "xmd starts its node"
grep -q "port 1 (MULTIPORT)" "$STATE/node.log"
tap $? "domain 0 speaks on port 1 of a MULTIPORT virtio-serial device"
grep -q "virtio-serial port 1 is 'xm.ctl'" "$STATE/node.log"
tap $? "... the port QEMU names xm.ctl"

counter slow 64 100 64
LOG=$STATE/console/slow.log
x create "$T/slow.xml"
has "^Domain 'slow' created" "a counter of 64 MiB writing 16 MiB of it"
wait_until 20 grep -q "^counter 5$" "$LOG"
tap $? "it counts"

"$XMCTL" -c "unix://$STATE/xmd.sock" save slow "$T/slow.save" \
    >"$T/save.out" 2>&1 &
save=$!
wait_until 30 grep -q "domain 'slow' (d[0-9]*): suspended; saving it" \
    "$STATE/xmd.log"
tap $? "the save starts"
kill -STOP "$XMD_PID"
sleep 1
kill -CONT "$XMD_PID"
wait "$save"
tap $? "xmd stopped for a second mid-save: the save completes"
sed 's/^/# | /' "$T/save.out"
check "... without a frame lost on the way" \
    sh -c "! grep -qi 'bad frame\|lost\|resync' \"\$1\"" _ "$STATE/xmd.log"
x restore "$T/slow.save"
has "^Domain 'slow' restored" "the file restores"
wait_until 20 grep -q "counter: suspend returned 0" "$LOG"
tap $? "... and the counter comes back from its suspend"
wait_until 20 sh -c "[ \$(grep -c 'counter: memory sum' \"\$1\") -ge 2 ]" \
    _ "$LOG"
tap $? "... it printed its memory's sum before and after"
before=$(grep 'counter: memory sum' "$LOG" | sed -n 1p)
after=$(grep 'counter: memory sum' "$LOG" | sed -n 2p)
check "... the same both times: its memory is whole" test -n "$before" -a "$before" = "$after"
x destroy slow
finish
