# Stock Linux as a domain (issue 12): Debian 12's cloud kernel, as
# Debian ships it (an LZ4 bzImage, fetched by ./bootstrap through
# tools/xm-fetch-linux into the cache, never into the tree), with a
# busybox initramfs this test builds, is created with xmctl on the real
# node and runs to its shell: /init reports the kernel, CPUs, memory and
# the hypervisor it sees, and any Xen error dmesg has; commands typed
# into `xmctl console` get their answers, and `poweroff -f` in the guest
# ends the domain.  Needs up to a minute of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
trap 'stop_xmd' EXIT

if ! cache=$(sh "$XM_SRCDIR/tools/xm-fetch-linux" 2>"$T/fetch.err"); then
	sed 's/^/# /' "$T/fetch.err"
	echo "1..0 # SKIP needs: Debian's linux-image-cloud-amd64 and busybox-static (apt-get download; run ./bootstrap)"
	exit 0
fi
python3 "$XM_SRCDIR/tests/linux/mkinitramfs.py" "$cache/busybox" \
    "$T/initramfs.gz"
cat >"$T/debian.xml" <<XML
<domain type='xen'>
  <name>debian</name>
  <memory unit='MiB'>256</memory>
  <os>
    <kernel>$cache/vmlinuz-cloud-amd64</kernel>
    <initrd>$T/initramfs.gz</initrd>
    <cmdline>console=hvc0 loglevel=4</cmdline>
  </os>
</domain>
XML
echo "# kernel: $(cat "$cache/vmlinuz-cloud-amd64.package" 2>/dev/null)"

start_xmd -i "$XM_BUILDDIR/xm.iso" -m 640M -t 60
tap $? "xmd starts the embedded node"
x create "$T/debian.xml"
has "^Domain 'debian' created" "Debian's vmlinuz, as shipped, is built (bzImage unpacked, FEATURES taken)"
log=$STATE/console/debian.log
wait_until 150 grep -q "xm-initramfs: shell ready" "$log"
tap $? "Linux runs its initramfs to a shell (console on hvc0)"
check "... on Debian's kernel" grep -q "xm-initramfs: a shell on 6\." "$log"
check "... with its CPU" grep -q "xm-initramfs: cpus 1" "$log"
check "... and its memory" grep -Eq "xm-initramfs: MemTotal: +[0-9]+ kB" "$log"
check "... on a Xen hypervisor, as it sees it" grep -q "xm-initramfs: hypervisor xen" "$log"
check "no Xen error, BUG or WARNING in its dmesg" \
    sh -c "! grep -q 'xm-initramfs: dmesg:' \"\$1\"" _ "$log"
# Typed into xmctl console: the shell answers; its poweroff ends it.
sleep 1
printf 'echo typed-$((6 * 7)); uname -m\npoweroff -f\n' |
    timeout 60 "$XMCTL" -c "unix://$STATE/xmd.sock" console debian \
    >"$T/console.out" 2>&1
check "a command typed into xmctl console gets its answer" \
    grep -q "typed-42" "$T/console.out"
check "... a second one too" grep -q "x86_64" "$T/console.out"
check "no oops or panic on its console" \
    sh -c "! grep -Eq 'Oops|Kernel panic|BUG:' \"\$1\"" _ "$log"
wait_until 30 sh -c "! \"$XMCTL\" -c unix://$STATE/xmd.sock list | grep -q '^debian '"
tap $? "poweroff in the guest ends the domain"
sed 's/^/# | /' "$log" | tail -n 40
finish
