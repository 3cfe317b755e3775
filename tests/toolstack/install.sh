# The installed tree runs on its own (issue 14): `make install
# DESTDIR=ROOT` puts xmd, xmctl, libxmctl, the node's image, the QEMU
# runner, the example guests and definitions and an example xmd.conf
# under ROOT; the installed xmd, started from elsewhere with no -i or
# -r, finds its image and runner under ROOT (never in the build tree),
# boots its node, and the installed xmctl creates the installed hello
# example on it.  With the image gone from the installed tree, xmd
# names the path it looked for and how to give another.  make uninstall
# leaves no file behind.  A QEMU node boots: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ROOT=$T/root
B=$(cd "$XM_BUILDDIR" && pwd) SRC=$(cd "$XM_SRCDIR" && pwd)
trap 'stop_xmd' EXIT

make -s -C "$B" install DESTDIR="$ROOT" >"$T/install.log" 2>&1
tap $? "make install DESTDIR=ROOT"
sed 's/^/# | /' "$T/install.log" | tail -n 5
# Where the configured directories put each file, found under ROOT.
found() { find "$ROOT" -path "*$1" -type f | head -n 1; }
IXMD=$(found /sbin/xmd)
IXMCTL=$(found /bin/xmctl)
ISO=$(found /xm/xm.iso)
RUNNER=$(found /xm/xm-qemu)
HELLO_XML=$(found /xm/examples/hello.xml)
LIB=$(dirname "$(found '/libxmctl.so.*')")
check "xmd, xmctl, libxmctl, xm.iso, the runner, the examples installed" \
    test -x "$IXMD" -a -x "$IXMCTL" -a -f "$ISO" -a -x "$RUNNER" \
    -a -f "$HELLO_XML" -a -d "$LIB"
check "hv and domain 0 on their own, for a GRUB entry" \
    test -f "$(dirname "$ISO")/boot/xm-hv.elf" \
    -a -f "$(dirname "$ISO")/boot/dom0.elf"
check "an example xmd.conf xmd takes" "$IXMD" -n -s "$T/check" \
    -f "$(found /xm/xmd.conf)"
check "bash completion for xmctl" test -f "$(found /completions/xmctl)"

cd "$T" || exit 1
"$IXMD" -s "$STATE" -K "$(dirname "$ISO")" -m 256M -t 60
tap $? "the installed xmd starts its node, with no -i or -r"
XMD_PID=$(cat "$STATE/xmd.pid" 2>/dev/null)
check "... from the installed image, under ROOT" \
    grep -q "embedded node ($ISO)" "$STATE/xmd.log"
check "... not the build's xm.iso nor the source's runner" \
    sh -c '! grep -qF -e "$1" -e "$2" "$3" "$4"' _ "$B/xm.iso" \
    "$SRC/tools/xm-qemu" "$STATE/xmd.log" "$STATE/qemu.log"
ix() {
	OUT=$(LD_LIBRARY_PATH=$LIB "$IXMCTL" -c "unix://$STATE/xmd.sock" \
	    "$@" 2>&1)
	RC=$?
	printf '# $ xmctl %s (status %s)\n' "$*" "$RC"
	printf '%s\n' "$OUT" | sed 's/^/# | /' | head -n 8
}
ix create "$HELLO_XML"
has "^Domain 'hello' created" "the installed xmctl creates the installed hello"
wait_until 20 grep -q 'hello: cmdline' "$STATE/console/hello.log"
tap $? "... and hello runs on the installed node"
ix --version
has "^xmd [0-9]" "the installed xmctl --version reaches the installed xmd"
stop_xmd

# The same tree without its image: xmd says where it looked.
cp -a "$ROOT" "$T/root2"
rm -f "$T/root2${ISO#"$ROOT"}"
OUT=$("$T/root2${IXMD#"$ROOT"}" -s "$T/state2" -d 2>&1)
RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
check "an installed xmd without its image fails" test "$RC" -ne 0
has "node image $T/root2.*/xm/xm.iso.*-i or node_image in xmd.conf" \
    "... naming the path it looked for and how to give another"

make -s -C "$B" uninstall DESTDIR="$ROOT" >"$T/uninstall.log" 2>&1
tap $? "make uninstall DESTDIR=ROOT"
left=$(find "$ROOT" -type f | sed "s|^$ROOT||")
check "... leaves no file behind${left:+ (left: $left)}" test -z "$left"
finish
