# xenstore's state across an xmd restart, against ctl-peer (the TEST
# DOUBLE of domain 0, whose domains run on while xmd is away): what a
# domain keeps in its tree (written here by the admin for it) is in
# STATE/xenstore soon after the change, is not written again when
# nothing changed, and is there again after xmd restarts and adopts the
# domain, beside the toolstack's own paths; a corrupt file is refused
# with a log line and xmd starts with a fresh store.  The domains'
# watches coming back are in tests/unit/test_xs_save.c and, with a real
# guest, tests/boot/xenstore.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

cat >"$T/s1.xml" <<XML
<domain type='xen'>
  <name>s1</name>
  <uuid>0c7e2a51-93d4-4b8f-a2e6-71d5c3b9f048</uuid>
  <memory unit='MiB'>16</memory>
  <os>
    <kernel>guests/hello/hello.elf</kernel>
  </os>
</domain>
XML

saved=$STATE/xenstore
inode() { stat -c %i "$saved" 2>/dev/null; }

start_peer -c 2 -m 128
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd connects to the node"
x create "$T/s1.xml"
tap $RC "create a domain"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "s1" { print $2 }')
dom=/local/domain/$id

x store write "$dom/data/x" "kept value"
tap $RC "write the domain's data/x"
x store write "$dom/control/feature-poweroff" 1
tap $RC "write its control/feature-poweroff"
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
wait_until 3 grep -q "^node x$(hex "$dom/data/x") .* x$(hex "kept value")\$" "$saved"
tap $? "STATE/xenstore has data/x soon after"
wait_until 3 grep -q "^node x$(hex "$dom/control/feature-poweroff") .* x31\$" "$saved"
tap $? "... and control/feature-poweroff"
sleep 0.3
before=$(inode)
x store read "$dom/data/x"
sleep 0.5
check "a read writes nothing" test "$(inode)" = "$before"

stop_xmd
tap $? "xmd stops (the node runs on)"
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd starts again"
wait_until 5 grep -q "taken back" "$STATE/xmd.log"
tap $? "... and says it took the saved store back"
wait_until 5 "$XMCTL" -c "unix://$STATE/xmd.sock" store read "$dom/name"
x store read "$dom/data/x"
has '^kept value$' "the domain's data/x survived the restart"
x store read "$dom/control/feature-poweroff"
has '^1$' "... and its control/feature-poweroff"
x store ls "$dom"
has '^name = "s1"  \(n0,r'"$id"'\)$' "the toolstack's paths are there, with their permissions"
has '^data = ""  \(n'"$id"'\)$' "data is still the domain's"

stop_xmd
printf 'xm-xenstore 1\nstore 1 1\nnode x2f 1 n0 x\nnode xzz\n' >"$saved"
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd starts over a corrupt STATE/xenstore"
grep -q "xenstore: .*refused (line 4" "$STATE/xmd.log"
tap $? "... saying it refused it, and where"
wait_until 5 "$XMCTL" -c "unix://$STATE/xmd.sock" store read "$dom/name"
tap $? "the domain's paths are written again"
x store read "$dom/data/x"
check "data/x is gone with the store" test "$RC" -ne 0
stop_xmd
[ "$tap_failed" -eq 0 ] || show_logs "$T/peer.log"
finish
