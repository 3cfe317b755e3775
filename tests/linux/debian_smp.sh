# Debian 12's cloud kernel (as tests/linux/debian.sh boots it) as a
# 2-vCPU domain on a 2-CPU node: Linux brings its second vCPU up with
# VCPUOP_initialise (the context it builds: its own GDT frame, the
# kernel's stack and page tables, callbacks, GS base, IOPL 1 in rflags)
# and VCPUOP_up, and reaches its shell with both CPUs online; a suspend
# asked through xenstore is cancelled with `xmctl resume` and its shell
# still answers.  Needs up to a few minutes of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
trap 'stop_xmd' EXIT

if ! cache=$(sh "$XM_SRCDIR/tools/xm-fetch-linux" 2>"$T/fetch.err"); then
	sed 's/^/# /' "$T/fetch.err"
	echo "1..0 # SKIP needs: Debian's linux-image-cloud-amd64 and busybox-static (apt-get download; run ./bootstrap)"
	exit 0
fi
python3 "$XM_SRCDIR/tests/linux/mkinitramfs.py" "$cache/busybox" \
    "$T/initramfs.gz"
cat >"$T/debian2.xml" <<XML
<domain type='xen'>
  <name>debian2</name>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os>
    <kernel>$cache/vmlinuz-cloud-amd64</kernel>
    <initrd>$T/initramfs.gz</initrd>
    <cmdline>console=hvc0 loglevel=4</cmdline>
  </os>
</domain>
XML

start_xmd -i "$XM_BUILDDIR/xm.iso" -S 2 -m 640M -t 60
tap $? "xmd starts an embedded node with 2 CPUs"
x create "$T/debian2.xml"
has "^Domain 'debian2' created" "a 2-vCPU definition of Debian's kernel is built"
log=$STATE/console/debian2.log
wait_until 240 grep -q "xm-initramfs: shell ready" "$log"
tap $? "Linux runs its initramfs to a shell"
check "... with both CPUs online (/proc/cpuinfo)" \
    grep -q "xm-initramfs: cpus 2" "$log"
# Linux on Xen says "[Firmware Bug]: CPUn: APIC id mismatch" for its
# secondary CPUs too (a PV vCPU has no APIC; Xen's CPUID gives every
# vCPU APIC id 0): that line is the only one let through.
check "no Xen error, BUG or WARNING in its dmesg" \
    sh -c "! grep 'xm-initramfs: dmesg:' \"\$1\" | grep -vq 'APIC id mismatch'" _ "$log"
check "hv brought vCPU 1 up through VCPUOP_initialise" \
    grep -q "vCPU 1 initialised" "$STATE/node.log"
check "no VCPUOP_initialise refused" \
    sh -c "! grep -q 'VCPUOP_initialise of vCPU 1 refused' \"\$1\"" _ \
    "$STATE/node.log"
# The hypercalls Linux made on its way to the shell, by op (for
# docs/linux-pv-abi.md): each vCPU's share is counted.
x domstats debian2
has "xm\.hypercalls\.vcpu_op=[1-9]" "domstats counts its vcpu_op calls"
# A suspend asked through xenstore and cancelled (tests/linux/debian.sh
# does it on one vCPU): both vCPUs stop and run on.
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "debian2" { print $2 }')
suspended()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" domstate debian2 2>/dev/null |
	    grep -q '^suspended'
}
wait_until 60 "$XMCTL" -c "unix://$STATE/xmd.sock" store read \
    "/local/domain/$id/control/feature-suspend"
x store write "/local/domain/$id/control/shutdown" suspend
wait_until 60 suspended
tap $? "asked through control/shutdown, it suspends itself on 2 vCPUs"
x resume debian2
has "^Domain 'debian2' resumed" "xmctl resume cancels the suspend"
sleep 1
printf 'echo typed-$((6 * 7)); poweroff -f\n' |
    timeout 60 "$XMCTL" -c "unix://$STATE/xmd.sock" console debian2 \
    >"$T/console.out" 2>&1
check "its shell answers on xmctl console" grep -q "typed-42" "$T/console.out"
check "no oops or panic on its console" \
    sh -c "! grep -Eq 'Oops|Kernel panic|BUG:' \"\$1\"" _ "$log"
wait_until 30 sh -c "! \"$XMCTL\" -c unix://$STATE/xmd.sock list | grep -q '^debian2 '"
tap $? "poweroff in the guest ends the domain"
sed 's/^/# | /' "$log" | tail -n 40
finish
