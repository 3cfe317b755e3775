# The node's control channel (domain 0 on virtio-serial) under bad input:
# garbage, a wrong version and an oversized length each get an ERROR reply
# (or are skipped to the next magic), and the channel stays usable: a
# HELLO, a PHYSINFO and an ECHO after them are answered. Boots xm.iso (hv and
# domain 0) with the control port on a unix socket; needs up to a minute.
. "$XM_SRCDIR/tests/boot/lib.sh"

SOCK=$XM_TEST_TMP/ctl-bad.sock
SERIAL=$XM_TEST_TMP/ctl-bad.serial
OUT=$XM_TEST_TMP/ctl-bad.out
rm -f "$SOCK" "$SERIAL"
sh "$XM_SRCDIR/tools/xm-qemu" -t 90 -c "$SOCK" -o "$SERIAL" \
    "$XM_BUILDDIR/xm.iso" &
qemu=$!
for i in $(seq 1 300); do
	grep -q '(d0) dom0: ready' "$SERIAL" 2>/dev/null && break
	sleep 0.1
done
expect '^\(d0\) dom0: ready' "domain 0 drives the control port"
"$XM_BUILDDIR/tests/ctl-raw" "$SOCK" 1500 garbage:300 badversion:7 \
    huge:9 hello:11 physinfo:12 echo:13 >"$OUT" 2>&1
sed 's/^/# ctl-raw: /' "$OUT"
grep -q "^op=65535 seq=0 status=-74 " "$OUT"
tap $? "garbage gets an ERROR reply (-EBADMSG)"
grep -q "^op=65535 seq=7 status=-74 " "$OUT"
tap $? "a wrong version gets an ERROR reply naming its seq"
grep -q "^op=65535 seq=9 status=-90 " "$OUT"
tap $? "an oversized length gets -EMSGSIZE"
grep -q "^op=1 seq=11 status=0 len=96 flags=1$" "$OUT"
tap $? "after all that, HELLO is answered"
grep -q "^op=17 seq=12 status=0 len=56 flags=1$" "$OUT"
tap $? "and so is PHYSINFO"
grep -q "^op=22 seq=13 status=0 len=100 flags=1$" "$OUT"
tap $? "and ECHO, with its 100 bytes"
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
tr -d '\r' <"$SERIAL" >"$SERIAL.lf" && mv "$SERIAL.lf" "$SERIAL"
expect_not 'panic' "hv keeps running"
finish
