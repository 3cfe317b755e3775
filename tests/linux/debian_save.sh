# Save and restore of stock Linux (issue 13): Debian 12's cloud kernel
# (as tests/linux/debian.sh boots it) is asked through xenstore to
# suspend, as Xen's toolstack asks, and saved to a file by `xmctl
# save`; `xmctl restore` makes a new domain from the file, where Linux
# comes back from its suspend call (xen_post_suspend: shared_info,
# start_info, the p2m and its event channels, console and xenbus anew)
# and its shell answers.  The memory it had (a file in its tmpfs) is
# there after the restore, and the restored domain saves and restores
# once more.  Needs one boot and two restores: up to three minutes of
# TCG time.
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
typed 'echo again-$((5 * 5)); poweroff -f' "again-25" "$T/c3.out"
check "its shell answers after the second restore" grep -q "again-25" \
    "$T/c3.out"
wait_until 30 absent
tap $? "poweroff in the restored guest ends the domain"
sed 's/^/# | /' "$log" | tail -n 30
finish
