# Stock Linux as a domain (issue 12): Debian 12's cloud kernel, as
# Debian ships it (an LZ4 bzImage, fetched by ./bootstrap through
# tools/xm-fetch-linux into the cache, never into the tree), with a
# busybox initramfs this test builds, is created with xmctl on the real
# node and runs to its shell: /init reports the kernel, CPUs, memory and
# the hypervisor it sees, and any Xen error dmesg has; commands typed
# into `xmctl console` get their answers; its xenbus talks to xmd's
# xenstore; `xmctl setmem` moves its balloon down and up again;
# a suspend asked through xenstore is cancelled with `xmctl resume`;
# `xmctl reboot` and `xmctl shutdown` ask it through
# control/shutdown and it reboots, then powers off, as Linux does on
# Xen.  Needs two boots, up to two minutes of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
trap 'stop_xmd' EXIT

if ! cache=$(sh "$XM_SRCDIR/tools/xm-fetch-linux" 2>"$T/fetch.err"); then
	sed 's/^/# /' "$T/fetch.err"
	echo "1..0 # SKIP needs: Debian's linux-image-cloud-amd64 and busybox-static (apt-get download; run ./bootstrap)"
	exit 0
fi
# A 32-bit program (tests/linux/compat32.s) beside busybox.
as --32 -o "$T/compat32.o" "$XM_SRCDIR/tests/linux/compat32.s" &&
    ld -m elf_i386 -o "$T/compat32" "$T/compat32.o" || exit 1
python3 "$XM_SRCDIR/tests/linux/mkinitramfs.py" "$cache/busybox" \
    "$T/initramfs.gz" "$T/compat32:bin/compat32"
# examples/debian.xml, with this machine's paths.
sed -e "s#<kernel>.*</kernel>#<kernel>$cache/vmlinuz-cloud-amd64</kernel>#" \
    -e "s#<initrd>.*</initrd>#<initrd>$T/initramfs.gz</initrd>#" \
    -e "s#console=hvc0#console=hvc0 loglevel=4#" \
    "$XM_SRCDIR/examples/debian.xml" >"$T/debian.xml"
echo "# kernel: $(cat "$cache/vmlinuz-cloud-amd64.package" 2>/dev/null)"

# Type LINE into the domain's console; OUT gets what it shows until a
# line matches MARK (at most 90 s).
typed()
{
	printf '%s\n' "$1" | timeout 90 "$XMCTL" -c "unix://$STATE/xmd.sock" \
	    console debian >"$3" 2>&1 &
	local cpid=$!
	wait_until 90 grep -q "$2" "$3"
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
}

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
# Typed into xmctl console: the shell answers.
sleep 1
printf 'echo typed-$((6 * 7)); uname -m\n' |
    timeout 30 "$XMCTL" -c "unix://$STATE/xmd.sock" console debian \
    >"$T/console.out" 2>&1
check "a command typed into xmctl console gets its answer" \
    grep -q "typed-42" "$T/console.out"
check "... a second one too" grep -q "x86_64" "$T/console.out"

# A 32-bit process (on Linux's own code selector, 0x23 in its GDT, which
# hv loads) enters the kernel each way it may: int $0x80 (vector 0x80 of
# the trap table) and its vDSO (syscall from compatibility mode: hv's
# MSR_CSTAR entry, to Linux's syscall32 callback).
typed '/bin/compat32; echo compat32-exit $?' "compat32-exit [0-9]" \
    "$T/compat.out"
check "a 32-bit process: int \$0x80" grep -q "compat32: int80 ok" "$T/compat.out"
check "... through the vDSO" grep -q "compat32: vdso ok" "$T/compat.out"
check "... and it exits 0" grep -q "compat32-exit 0" "$T/compat.out"

# Steal time: Linux reads it from the runstate area it registered with
# VCPUOP_register_runstate_memory_area.  Next to a CPU hog on the one
# CPU, a busy loop in its shell (user mode, a few seconds) waits for the
# CPU about half the time, and /proc/stat's steal (ticks) must grow by
# that in a second such loop.  hv dropped the area the first time it
# could not write it while the vCPU was in user mode, where a PV
# kernel's memory is not mapped (the first loop), and steal stood still.
cat >"$T/hog.xml" <<XML
<domain type='xen'><name>hog</name><memory unit='MiB'>16</memory>
  <os><kernel>$XM_BUILDDIR/guests/cpubench/cpubench.elf</kernel>
    <cmdline>passes=1000 reps=1000000000</cmdline></os></domain>
XML
x create "$T/hog.xml"
has "^Domain 'hog' created" "a CPU hog beside it"
typed 'i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; a=$(awk "/^cpu /{print \$9}" /proc/stat); i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; echo steal $a $(awk "/^cpu /{print \$9}" /proc/stat) end' \
    "steal [0-9]* [0-9]* end" "$T/steal.out"
set -- $(sed -n 's/.*steal \([0-9]*\) \([0-9]*\) end.*/\1 \2/p' "$T/steal.out" | tail -1)
echo "# steal ticks before and after the second busy loop: ${1:-?} ${2:-?}"
[ -n "${2:-}" ] && [ "$2" -ge $((${1:-0} + 30)) ]
tap $? "its steal time grows while the hog takes the CPU (runstate area kept up to date)"
x destroy hog

# xenstore: Linux's xenbus connected and said it listens for shutdown.
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "debian" { print $2 }')
wait_until 30 "$XMCTL" -c "unix://$STATE/xmd.sock" store read \
    "/local/domain/$id/control/feature-poweroff"
tap $? "Linux's xenbus writes control/feature-poweroff in its xenstore tree"
x store ls "/local/domain/$id"
has '^name = "debian"' "xmctl store ls shows the domain's tree as xmd wrote it"
has '^ *feature-poweroff = "1"' "... and what Linux wrote there"

# The balloon: setmem sets memory/target, Linux's balloon driver gives
# the memory back to hv (balloon.current is hv's count), and takes it
# again up to the maximum.
balloon_cur()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" domstats debian |
	    sed -n 's/^ *balloon.current=//p'
}
balloon_at_most()	# balloon_at_most KIB: balloon.current <= KIB
{
	local cur
	cur=$(balloon_cur)
	[ -n "$cur" ] && [ "$cur" -le "$1" ]
}
balloon_at_least()	# balloon_at_least KIB: balloon.current >= KIB
{
	local cur
	cur=$(balloon_cur)
	[ -n "$cur" ] && [ "$cur" -ge "$1" ]
}
x setmem debian 160M --live
tap $RC "setmem --live sets the balloon target of the running domain"
wait_until 60 balloon_at_most $((160 * 1024 + 1024))
tap $? "Linux's balloon driver gives memory back down to the target (balloon.current)"
x domstats debian
x setmem debian 224M --live
wait_until 60 balloon_at_least $((224 * 1024 - 1024))
tap $? "... and takes it again when the target grows"
x domstats debian

# A suspend that the toolstack cancels, the first step of a save: asked
# through control/shutdown, Linux freezes and suspends itself
# (HYPERVISOR_suspend with its start_info frame); xmd keeps the domain
# in state suspended, and resume lets it run on: the call returns 1 and
# Linux takes its cancel path.  Its shell answers afterwards.
suspended()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" domstate debian 2>/dev/null |
	    grep -q '^suspended'
}
x store write "/local/domain/$id/control/shutdown" suspend
wait_until 60 suspended
tap $? "asked through control/shutdown, Linux suspends itself (state suspended)"
x resume debian
has "^Domain 'debian' resumed" "xmctl resume cancels the suspend"
typed 'echo after-resume-$((6 * 7))' "after-resume-42" "$T/resume.out"
check "its shell answers after the cancelled suspend" \
    grep -q "after-resume-42" "$T/resume.out"

# Cooperative lifecycle: reboot and shutdown are asked through xenstore,
# Linux's init shuts down in order, and the domain restarts or ends.
x reboot --timeout 120 debian
has "^Domain 'debian' rebooted" "xmctl reboot waits for Linux to reboot through xenstore"
wait_until 150 sh -c "[ \$(grep -c 'xm-initramfs: shell ready' \"$log\") -ge 2 ]"
tap $? "... and the domain restarts to its shell (on_reboot: restart)"
check "... after Linux's init went down in order" \
    grep -q "xm-initramfs: going down" "$log"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "debian" { print $2 }')
wait_until 30 "$XMCTL" -c "unix://$STATE/xmd.sock" store read \
    "/local/domain/$id/control/feature-poweroff"
x shutdown --timeout 120 debian
has "^Domain 'debian' shut down" "xmctl shutdown waits for Linux to power off through xenstore"
check "no oops or panic on its console" \
    sh -c "! grep -Eq 'Oops|Kernel panic|BUG:' \"\$1\"" _ "$log"
wait_until 30 sh -c "! \"$XMCTL\" -c unix://$STATE/xmd.sock list | grep -q '^debian '"
tap $? "... and the domain is gone (on_poweroff: destroy)"
x store ls /local/domain
check "its xenstore tree went with it" \
    sh -c "! printf '%s\\n' \"\$1\" | grep -q '^$id = '" _ "$OUT"
sed 's/^/# | /' "$log" | tail -n 40
finish
