# Kernel images as Xen's toolstack takes them (issue 12, point 1): a
# bzImage whose vmlinux is compressed with gzip, bzip2, xz, lzma, lzo,
# lz4 or zstd is unpacked by xmd and built like the ELF it holds; ctl-peer
# (the TEST DOUBLE of domain 0) walks the page tables xmd built to the
# start_info, so each domain must have been laid out from the right
# ELF.  Broken images are refused with the reason and leave nothing.
# On the real node (QEMU, hv, domain 0) an lz4 bzImage of hello runs.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"
MK="python3 $XM_SRCDIR/tests/toolstack/mkbzimage.py"
HELLO=$XM_BUILDDIR/guests/hello/hello.elf

# A definition of NAME with KERNEL: its path
define()
{
	cat >"$T/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>16</memory>
  <os>
    <kernel>$2</kernel>
    <cmdline>$1</cmdline>
  </os>
</domain>
XML
	echo "$T/$1.xml"
}

start_peer -m 256
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd connects to the test peer"

for fmt in gzip bzip2 xz lzma lzo lz4 zstd; do
	$MK "$fmt" "$HELLO" "$T/bz-$fmt"
	x create "$(define "bz$fmt" "$T/bz-$fmt")"
	has "^Domain 'bz$fmt' created" "a bzImage packed with $fmt is unpacked and built"
	check "... as the ELF inside it (the peer found its start_info)" \
	    grep -q "start_info ok: magic xen-3.0-x86_64, 4096 pages, cmdline \"bz$fmt\"" \
	    "$STATE/console/bz$fmt.log"
	check "... and xmd logged how it was packed" \
	    grep -q "domain 'bz$fmt': kernel '$T/bz-$fmt': a bzImage, [0-9]* bytes of $fmt unpacked to $(stat -c %s "$HELLO")" \
	    "$STATE/xmd.log"
	x destroy "bz$fmt"
done

# refused: name, how to make it, the reason xmctl must print
refused()
{
	local name=$1 why=$2
	shift 2
	$MK "$@" "$T/$name"
	x create "$(define "$name" "$T/$name")"
	[ "$RC" -eq 1 ] && printf '%s\n' "$OUT" | grep -q -- \
	    "domain '$name': kernel '$T/$name' is not a Xen PV kernel: $why"
	tap $? "refused: $name ($why)"
}
refused old-protocol "a bzImage older than boot protocol 2.08" \
    gzip "$HELLO" --version 0x0206
refused payload-outside "a bzImage whose payload lies outside the file" \
    gzip "$HELLO" --payload-length 99999999
refused not-compressed "a bzImage whose payload is compressed in a way not known" \
    raw "$HELLO"
for fmt in gzip xz zstd bzip2; do	# lz4 and lzo carry no checksum
	refused "corrupt-$fmt" "its compressed payload is corrupt" \
	    "$fmt" "$HELLO" --corrupt
done
for fmt in gzip xz zstd lzo bzip2; do
	refused "cut-$fmt" "its compressed payload is cut short" \
	    "$fmt" "$HELLO" --truncate 2000
done
x list
has '^Name +ID' "list answers"
check "... and no refused image left a domain" \
    sh -c "! printf '%s\n' \"\$1\" | grep -Eq '^(old|payload|not|corrupt|cut)-'" _ "$OUT"
stop_xmd
stop_peer

# --- the real node --------------------------------------------------------
start_xmd -i "$XM_BUILDDIR/xm.iso" -t 60
tap $? "xmd starts the embedded node"
$MK lz4 "$HELLO" "$T/bz-node"
x create "$(define hellobz "$T/bz-node")"
has "^Domain 'hellobz' created" "an lz4 bzImage of hello is built on the node"
wait_until 20 grep -q 'hello: cmdline "hellobz"' "$STATE/console/hellobz.log"
tap $? "... and runs there: its console shows its command line"

# <initrd>: the boot module, gunzipped first when it is gzip (as Xen's
# builder does); hello hashes what it finds at start_info's mod_start.
fnv()
{
	python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
print("%016x" % h)' "$1"
}
head -c 300000 /dev/urandom >"$T/initrd"
sum=$(fnv "$T/initrd")
gzip -c "$T/initrd" >"$T/initrd.gz"
for f in initrd:plain initrd.gz:gz; do
	name=mod-${f#*:} f=${f%:*}
	sed "s|</os>|  <initrd>$T/$f</initrd>\\n  </os>|" \
	    "$(define "$name" "$HELLO")" >"$T/$name-i.xml"
	x create "$T/$name-i.xml"
	has "^Domain '$name' created" "hello with <initrd> $f is built"
	wait_until 20 grep -q "hello: module" "$STATE/console/$name.log"
	check "... and finds the 300000 bytes of the initrd at mod_start" \
	    grep -q "hello: module 300000 bytes, fnv1a $sum" \
	        "$STATE/console/$name.log"
done
sed "s|</os>|  <initrd>$T/missing</initrd></os>|" \
    "$(define nomod "$HELLO")" >"$T/nomod-i.xml"
x create "$T/nomod-i.xml"
printf '%s\n' "$OUT" | grep -q "domain 'nomod': initrd '$T/missing': No such file or directory"
tap $? "a missing initrd is named"
finish
