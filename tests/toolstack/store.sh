# xenstore through the toolstack against ctl-peer, the TEST DOUBLE of
# domain 0 (it answers STORE_ATTACH; no guest speaks on the ring here:
# tests/boot/xenstore.sh and tests/linux/debian.sh have real ones).
# What xmd writes for a domain (Xen's toolstack paths and permissions),
# xmctl store read, write, rm, ls (--json), watch; the domain's tree
# going with it; cooperative shutdown asked through control/shutdown
# for a domain that listens, with its timeout and --force; bad operands
# and read-only connections refused with a message and nothing changed.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

cat >"$T/s1.xml" <<XML
<domain type='xen'>
  <name>s1</name>
  <uuid>6f1a3c2e-0b7d-4e52-9a61-5c0f8e2d4b17</uuid>
  <memory unit='MiB'>16</memory>
  <vcpu>2</vcpu>
  <os>
    <kernel>guests/hello/hello.elf</kernel>
  </os>
</domain>
XML

refused()	# refused STATUS REGEX DESC
{
	[ "$RC" -eq "$1" ] && printf '%s\n' "$OUT" | grep -Eq -- "$2"
	tap $? "$3"
}

start_peer -c 2 -m 128
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd connects to the node"
x create "$T/s1.xml"
tap $RC "create a domain"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "s1" { print $2 }')
dom=/local/domain/$id

# --- what xmd writes ------------------------------------------------
x store ls "$dom"
has '^name = "s1"  \(n0,r'"$id"'\)$' "store ls: name, owned by domain 0, readable by the domain"
has "^domid = \"$id\"" "store ls: domid"
has '^vm = "/vm/6f1a3c2e-0b7d-4e52-9a61-5c0f8e2d4b17"' "store ls: vm"
has '^ target = "16384"' "store ls: memory/target in KiB"
has '^ static-max = "16384"' "store ls: memory/static-max"
has '^  availability = "online"' "store ls: cpu/N/availability"
has '^ shutdown = ""  \(n'"$id"'\)$' "store ls: control/shutdown is the domain's own"
has '^ port = "2"' "store ls: store/port, as STORE_ATTACH answered"
has '^data = ""  \(n'"$id"'\)$' "store ls: data is the domain's"
x store read /vm/6f1a3c2e-0b7d-4e52-9a61-5c0f8e2d4b17/name
has '^s1$' "store read: /vm/UUID/name"
x store ls --json "$dom"
check "store ls --json is JSON with entries" \
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["entries"][0]["path"]==sys.argv[2] and not d["truncated"]' "$OUT" "$dom"

# --- read, write, rm, watch -----------------------------------------
x store write /tool/xmtest/a "hello world"
tap $RC "store write makes the path"
x store read /tool/xmtest/a
has '^hello world$' "store read gives it back"
"$XMCTL" -c "unix://$STATE/xmd.sock" store watch --count 2 /tool/xmtest \
    >"$T/watch.out" 2>&1 &
wpid=$!
wait_until 5 grep -q . "$T/watch.out"
x store write /tool/xmtest/b 2
wait "$wpid"
tap $? "store watch --count 2 ends after two events"
check "... the first at once, for the watched path" \
    sh -c "head -n 1 \"\$1\" | grep -qx /tool/xmtest" _ "$T/watch.out"
check "... then the changed path" grep -qx /tool/xmtest/b "$T/watch.out"
x store rm /tool/xmtest
tap $RC "store rm removes the subtree"
x store read /tool/xmtest/a
refused 1 "no such path" "store read of a removed path: 'no such path'"
x store rm /
refused 1 "not a valid path" "store rm / is refused"
x store read "/tool//bad"
refused 1 "not a valid path" "store read of a malformed path is refused"

# --- bad operands, roles --------------------------------------------
x store frob /tool
refused 2 "unknown operation 'frob'" "store frob: a usage error"
x store read
refused 2 "wrong operands" "store read without a path: a usage error"
RC=0
OUT=$("$XMCTL" -r -c "unix://$STATE/xmd.sock" store read "$dom/name" 2>&1) ||
    RC=$?
refused 1 "" "store read on a read-only connection is refused"

# --- cooperative shutdown -------------------------------------------
x shutdown --timeout 1 s1
has "^Domain 's1' shut down" "shutdown of a domain that does not listen on xenstore: hv shuts it down"
x create "$T/s1.xml"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "s1" { print $2 }')
dom=/local/domain/$id
x store write "$dom/control/feature-poweroff" 1
x store write "$dom/control/feature-reboot" 1
x shutdown --timeout 1 s1
refused 1 "did not within 1 s" "a domain that listens but does not act: a timeout naming the seconds"
x store read "$dom/control/shutdown"
has '^poweroff$' "... it was asked in control/shutdown"
x domstate s1
has "^running" "... and it keeps running"
x reboot --timeout 0 s1
has "^Domain 's1' is being rebooted" "reboot --timeout 0 returns once asked"
x store read "$dom/control/shutdown"
has '^reboot$' "... with reboot in control/shutdown"
x shutdown --timeout 1 --force s1
has "^Domain 's1' destroyed" "shutdown --force destroys a domain that does not act"
x store ls /local/domain
check "its xenstore tree went with it" \
    sh -c "! printf '%s\\n' \"\$1\" | grep -q '^$id = '" _ "$OUT"
x shutdown --timeout 5000 s1
refused 2 "timeout" "a timeout beyond 3600 s is a usage error"
finish
