# Linux boot: Debian 12's cloud kernel as shipped (tools/xm-fetch-linux)
# with the busybox initramfs of tests/linux, from `xmctl create` on the
# real node (xmd's embedded QEMU node, TCG, 640 MiB) to its shell's
# first line; baseline: the same kernel and initramfs booted by QEMU
# itself (-kernel, the same machine) to the same line on its serial
# port.  The ratio is the domain's boot time over the native one.
. "$XM_SRCDIR/bench/lib.sh"
B=$XM_BUILDDIR
reps=$(tiny 3 1)
S=$BENCH_DIR/state
XMD_PID=
FL=$XM_SRCDIR/bench/first_line.py
export XM_UNTIL="xm-initramfs: shell ready"

trap bench_stop_xmd EXIT

cache=$(sh "$XM_SRCDIR/tools/xm-fetch-linux") || exit 1
python3 "$XM_SRCDIR/tests/linux/mkinitramfs.py" "$cache/busybox" \
    "$BENCH_DIR/initramfs.gz" || exit 1
"$B/xmd/xmd" -s "$S" -K "$B" -i "$B/xm.iso" -m 640M -t 120 -T 30 ||
    exit 1
XMD_PID=$(cat "$S/xmd.pid")

domain=()
for i in $(seq "$reps"); do
	cat >"$BENCH_DIR/lx$i.xml" <<XML
<domain type='xen'>
  <name>lx$i</name>
  <memory unit='MiB'>256</memory>
  <os>
    <kernel>$cache/vmlinuz-cloud-amd64</kernel>
    <initrd>$BENCH_DIR/initramfs.gz</initrd>
    <cmdline>console=hvc0 loglevel=4</cmdline>
  </os>
</domain>
XML
	t=$(python3 "$FL" file "$S/console/lx$i.log" 180 -- "$B/xmctl/xmctl" \
	    -c "unix://$S/xmd.sock" create "$BENCH_DIR/lx$i.xml") || exit 1
	domain+=("${t#* }")
	"$B/xmctl/xmctl" -c "unix://$S/xmd.sock" destroy "lx$i" >/dev/null
done
native=()
for i in $(seq "$reps"); do
	native+=("$(python3 "$FL" stdout 180 -- $QEMU $(qemu_args) \
	    -serial stdio -kernel "$cache/vmlinuz-cloud-amd64" \
	    -initrd "$BENCH_DIR/initramfs.gz" \
	    -append "console=ttyS0 loglevel=4")") || exit 1
done
d=$(median "${domain[@]}")
n=$(median "${native[@]}")
say "linux: $(cat "$cache/vmlinuz-cloud-amd64.package"), $reps boots each;" \
    "domain: ${domain[*]} s; native: ${native[*]} s"
bench_emit "linux boot to shell, domain" "$d" s --baseline "$n" \
    --baseline-name "QEMU -kernel, native" \
    --note "Debian's cloud kernel with a busybox initramfs, 256 MiB"
