# Save and restore of stock Linux (issue 13): Debian 12's cloud kernel
# (as tests/linux/debian.sh boots it) is asked through xenstore to
# suspend, as Xen's toolstack asks, and saved to a file by `xmctl
# save`; `xmctl restore` makes a new domain from the file, where Linux
# comes back from its suspend call (xen_post_suspend: shared_info,
# start_info, the p2m and its event channels, console and xenbus anew)
# and its shell answers.  The memory it had (a file in its tmpfs) is
# there after the restore, and the restored domain saves and restores
# once more; then it migrates live to a second node of this machine
# with a shell loop running (pre-copy rounds under log-dirty while the
# loop writes), which goes on there.  Needs two node boots, one
# Linux boot, two restores and a migration: up to three minutes of TCG
# time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
trap 'stop_xmd' EXIT

if ! cache=$(sh "$XM_SRCDIR/tools/xm-fetch-linux" 2>"$T/fetch.err"); then
	sed 's/^/# /' "$T/fetch.err"
	echo "1..0 # SKIP needs: Debian's linux-image-cloud-amd64 and busybox-static (apt-get download; run ./bootstrap)"
	exit 0
fi
python3 "$XM_SRCDIR/tests/linux/mkinitramfs.py" "$cache/busybox" \
    "$T/initramfs.gz"
cat >"$T/debsave.xml" <<XML
<domain type='xen'>
  <name>debsave</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <kernel>$cache/vmlinuz-cloud-amd64</kernel>
    <initrd>$T/initramfs.gz</initrd>
    <cmdline>console=hvc0 loglevel=4</cmdline>
  </os>
</domain>
XML
log=$STATE/console/debsave.log

# Type LINE into the domain's console; OUT gets what it shows until a
# line matches MARK (at most 90 s).
typed()
{
	printf '%s\n' "$1" | timeout 90 "$XMCTL" -c "unix://$STATE/xmd.sock" \
	    console debsave >"$3" 2>&1 &
	local cpid=$!
	wait_until 90 grep -q "$2" "$3"
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
}

absent()
{
	! "$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^debsave "
}

start_xmd -i "$XM_BUILDDIR/xm.iso" -m 512M -t 60
tap $? "xmd starts the embedded node"
x create "$T/debsave.xml"
has "^Domain 'debsave' created" "Debian's kernel with 128 MiB is built"
wait_until 150 grep -q "xm-initramfs: shell ready" "$log"
tap $? "Linux runs its initramfs to a shell"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "debsave" { print $2 }')
wait_until 60 "$XMCTL" -c "unix://$STATE/xmd.sock" store read \
    "/local/domain/$id/control/feature-suspend"
tap $? "its xenbus says it can suspend (control/feature-suspend)"
sleep 1
typed 'echo kept-$((6 * 7)) >/mark; echo wrote-$((7 * 7))' "wrote-49" \
    "$T/c1.out"
check "a file written in its tmpfs before the save" grep -q "wrote-49" \
    "$T/c1.out"

x save debsave "$T/debsave.save"
has "^Domain 'debsave' saved to $T/debsave.save" "xmctl save: Linux suspends itself and is saved"
check "the domain is gone from the node" absent
x restore "$T/debsave.save"
has "^Domain 'debsave' restored from $T/debsave.save" "xmctl restore makes it again"
sleep 2
typed 'cat /mark; echo typed-$((6 * 7))' "typed-42" "$T/c2.out"
check "its shell answers after the restore" grep -q "typed-42" "$T/c2.out"
check "... with the file it wrote before (its memory came back)" \
    grep -q "kept-42" "$T/c2.out"
check "no oops or panic on its console" \
    sh -c "! grep -Eq 'Oops|Kernel panic|BUG:' \"\$1\"" _ "$log"

x save debsave "$T/again.save"
has "^Domain 'debsave' saved" "the restored Linux saves again"
x restore "$T/again.save"
has "^Domain 'debsave' restored" "... and restores again"
sleep 2
typed 'echo again-$((5 * 5))' "again-25" "$T/c3.out"
check "its shell answers after the second restore" grep -q "again-25" \
    "$T/c3.out"

# Migrated live to a second node of this machine (xmd B), with a shell
# loop running in it: the loop goes on there, and its console answers.
B=$T/b
"$XMD" -s "$B" -K "$XM_BUILDDIR" -i "$XM_BUILDDIR/xm.iso" -m 512M -t 60
tap $? "xmd B starts a second node"
B_PID=$(cat "$B/xmd.pid" 2>/dev/null)
trap 'stop_xmd; [ -n "$B_PID" ] && kill -TERM "$B_PID"' EXIT
typed 'i=0; while :; do i=$((i+1)); echo "$i" >/loop; sleep 1; done &
echo loop-started' "loop-started" "$T/c4.out"
x migrate --live debsave "xm+unix://$B/xmd.sock"
has "^Domain 'debsave' migrated to xm\+unix://$B/xmd\.sock" \
    "xmctl migrate --live: Linux to node B"
check "its pages went in pre-copy rounds while it ran" \
    grep -q "domain 'debsave' (d[0-9]*): live: round 0 sent" "$STATE/xmd.log"
check "it is gone from node A" absent
sleep 2
printf 'a=$(cat /loop); sleep 2; b=$(cat /loop); echo "moved-$a-$b"; poweroff -f\n' |
    timeout 60 "$XMCTL" -c "unix://$B/xmd.sock" console debsave \
    >"$T/c5.out" 2>&1
check "its shell answers on node B" grep -q "moved-" "$T/c5.out"
check "... and its loop runs on there" \
    sh -c 'grep -o "moved-[0-9]*-[0-9]*" "$1" | awk -F- "\$3 > \$2 { ok = 1 } END { exit !ok }"' \
    _ "$T/c5.out"
check "no oops or panic on its console on B" \
    sh -c "! grep -Eq 'Oops|Kernel panic|BUG:' \"\$1\"" _ "$B/console/debsave.log"
wait_until 30 sh -c "! \"$XMCTL\" -c unix://$B/xmd.sock list | grep -q '^debsave '"
tap $? "poweroff in the migrated guest ends the domain on B"
sed 's/^/# | /' "$log" | tail -n 30
finish
