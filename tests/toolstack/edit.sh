# What virsh dumpxml prints for a Xen PV domain, against xmd and ctl-peer
# (a TEST DOUBLE of domain 0, host only), and xmctl edit (issue 14):
# define keeps <metadata>, <clock>, <graphics> ... with warnings and
# dumpxml gives them back; a running domain's dumpxml has its id; edit
# with $EDITOR a script that changes the file redefines it, one that
# changes nothing says so, and a broken, renaming or failed edit without
# a terminal fails with the error and leaves the definition as it was;
# on a terminal (tests/toolstack/edit-tty.py) it asks "Try again?".
. "$XM_SRCDIR/tests/toolstack/lib.sh"
PEER=$XM_BUILDDIR/tests/ctl-peer
URI=unix://$STATE/xmd.sock
PEER_PID=

cleanup()
{
	stop_xmd
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

# The test definition, small enough for ctl-peer's memory.
sed -e "s|<memory unit='KiB'>262144</memory>|<memory unit='MiB'>16</memory>|" \
    -e "s|<currentMemory unit='KiB'>262144</currentMemory>||" \
    "$XM_SRCDIR/tests/defs/accept/virsh-pv.xml" >"$T/web1.xml"

# Editors: each a script that changes the file it is given.
mk_editor()
{
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod +x "$T/$1"
}
mk_editor change 'sed -i "s|<on_crash>restart</on_crash>|<on_crash>destroy</on_crash>|" "$1"'
mk_editor break 'sed -i "s|</domain>||" "$1"'
mk_editor rename 'sed -i "s|<name>web1</name>|<name>web2</name>|" "$1"'
mk_editor unknown 'sed -i "s|<devices>|<devices><video/>|" "$1"'
mk_editor fails 'exit 3'

"$PEER" -m 128 "$T/ctl.sock" 2>"$T/peer.log" &
PEER_PID=$!
wait_until 5 test -S "$T/ctl.sock"
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd is ready"

# --- define what virsh printed ------------------------------------------
x define "$T/web1.xml"
[ "$RC" -eq 0 ]
tap $? "define: virsh's dumpxml of a Xen PV domain is accepted"
has "^Domain 'web1' defined from " "define: defined"
has "^xmctl: warning: <graphics> is kept but has no effect on xm\$" \
    "define: a warning for <graphics>"
has "^xmctl: warning: <clock> is kept but has no effect on xm\$" \
    "define: a warning for <clock>"
x dumpxml web1
has '^<domain type="xen">$' "dumpxml: id= of the input is not kept"
has '^    <shop:inventory xmlns:shop="http://example.org/xmlns/inventory/1">$' \
    "dumpxml: <metadata> comes back"
has '^      <shop:rack slot="12">r3</shop:rack>$' "dumpxml: with its content"
has '^  <bootloader>/usr/lib/xen-4.17/bin/pygrub</bootloader>$' \
    "dumpxml: <bootloader>"
has '^  <clock offset="utc" adjustment="reset"/>$' "dumpxml: <clock>"
has '^    <console type="pty" tty="/dev/pts/3">$' "dumpxml: console tty="
has '^      <source path="/dev/pts/3"/>$' "dumpxml: console <source>"
has '^      <target type="xen" port="0"/>$' "dumpxml: the console's port"
has '^    <input type="keyboard" bus="xen"/>$' "dumpxml: <input>"
has '^    <graphics type="vnc" port="5900" autoport="yes" listen="127.0.0.1">$' \
    "dumpxml: <graphics>"
has '^      <listen type="address" address="127.0.0.1"/>$' \
    "dumpxml: <graphics>' <listen>"
has '^    <memballoon model="xen"/>$' "dumpxml: <memballoon>"
printf '%s\n' "$OUT" >"$T/dump1.xml"
x define "$T/dump1.xml"
x dumpxml web1
[ "$OUT" = "$(cat "$T/dump1.xml")" ]
tap $? "dumpxml, define, dumpxml: the same text"
x dumpjson web1
has '^  "metadata": "<shop:inventory ' "dumpjson: <metadata> as a string"
has '^        "listen_elem": \{$' "dumpjson: <graphics>' <listen>"

# A JSON-RPC caller of domain.define or domain.create gets the warnings
# too, in its result.
RAW=$XM_BUILDDIR/tests/rpc-raw
rpc_def() # METHOD FILE
{
	python3 -c 'import json, sys
print(json.dumps({"jsonrpc": "2.0", "id": 1, "method": sys.argv[1],
    "params": {"definition": open(sys.argv[2]).read()}}))' "$1" "$2" |
	    "$RAW" "$STATE/xmd.sock" 20000
}
rpc_define() { rpc_def domain.define "$1"; }
OUT=$(rpc_define "$T/dump1.xml")
printf '%s\n' "$OUT" | cut -c1-300 | sed 's/^/# < /'
printf '%s\n' "$OUT" | python3 -c 'import json, sys
r = json.loads(sys.stdin.readline())["result"]
sys.exit(not (r["name"] == "web1" and
    "<graphics> is kept but has no effect on xm" in r["warnings"] and
    "<clock> is kept but has no effect on xm" in r["warnings"]))'
tap $? "domain.define's result has the warnings, one string each"
OUT=$(rpc_define "$XM_SRCDIR/examples/hello.xml")
printf '%s\n' "$OUT" | cut -c1-300 | sed 's/^/# < /'
printf '%s\n' "$OUT" | python3 -c 'import json, sys
r = json.loads(sys.stdin.readline())["result"]
sys.exit(not (r["name"] == "hello" and "warnings" not in r))'
tap $? "... and none when nothing is kept without effect"
x undefine hello
sed -e 's|<name>web1</name>|<name>web9</name>|' -e '/<uuid>/d' \
    "$T/dump1.xml" >"$T/web9.xml"
OUT=$(rpc_def domain.create "$T/web9.xml")
printf '%s\n' "$OUT" | cut -c1-300 | sed 's/^/# < /'
printf '%s\n' "$OUT" | python3 -c 'import json, sys
r = json.loads(sys.stdin.readline())["result"]
sys.exit(not (r["name"] == "web9" and r["id"] > 0 and
    "<graphics> is kept but has no effect on xm" in r["warnings"]))'
tap $? "domain.create's result (the domain) has them too"
x destroy web9
x define "$T/dump1.xml"

# --- a running domain's id ----------------------------------------------
x start web1
has "^Domain 'web1' started\$" "start"
id=$("$XMCTL" -c "$URI" domid web1 2>/dev/null ||
    "$XMCTL" -c "$URI" dominfo web1 | sed -n 's/^Id: *//p')
x dumpxml web1
has "^<domain type=\"xen\" id=\"$id\">\$" "dumpxml: a running domain's id"
x dumpjson web1
has "^  \"id\": $id,\$" "dumpjson: a running domain's id"
# edit starts from the stored definition (dumpxml --inactive's), not
# the running one.
sed 's|<name>web1</name>|<name>web1</name><title>stored</title>|' \
    "$T/dump1.xml" >"$T/titled.xml"
x define "$T/titled.xml"
mk_editor peek 'cp "$1" "$0.seen"'
VISUAL="$T/peek" "$XMCTL" -c "$URI" edit web1 </dev/null >/dev/null 2>&1
grep -q '<title>stored</title>' "$T/peek.seen"
tap $? "edit of a running domain starts from its stored definition"
! grep -q ' id=' "$T/peek.seen"
tap $? "... without the running id"
x dumpxml web1
! printf '%s\n' "$OUT" | grep -q '<title>'
tap $? "dumpxml of the running domain: the definition it runs with"
x destroy web1
x dumpxml web1
has '^<domain type="xen">$' "dumpxml: no id once it is off"

# --- edit -----------------------------------------------------------------
before=$("$XMCTL" -c "$URI" dumpxml web1)
RC=0
OUT=$(EDITOR=true VISUAL= "$XMCTL" -c "$URI" edit web1 2>&1) || RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
[ "$RC" -eq 0 ]
tap $? "edit, nothing changed: status 0"
has "^Domain 'web1' XML configuration not changed.\$" "edit: not changed"

# edit DESC EDITOR: xmctl edit web1 with stdin not a terminal
edit_with()
{
	RC=0
	OUT=$(VISUAL="$T/$1" "$XMCTL" -c "$URI" edit web1 2>&1 </dev/null) ||
	    RC=$?
	echo "# \$ VISUAL=$1 xmctl edit web1 (status $RC)"
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}
unchanged()
{
	[ "$("$XMCTL" -c "$URI" dumpxml web1)" = "$before" ]
	tap $? "$1: the definition is as it was"
}

edit_with break
[ "$RC" -eq 1 ]
tap $? "edit, broken XML, no terminal: status 1"
has "^xmctl: domain 'web1': line [0-9]+: .*" "edit: the parser's error"
has "^xmctl: domain 'web1': the edit was not applied; its definition is unchanged\$" \
    "edit: says nothing changed"
! printf '%s\n' "$OUT" | grep -q 'Try again'
tap $? "edit: no question without a terminal"
unchanged "broken XML"

edit_with unknown
[ "$RC" -eq 1 ]
tap $? "edit, an unknown element: status 1"
has "unknown element <video> in <devices>" "edit: the error names the element"
unchanged "unknown element"

edit_with rename
[ "$RC" -eq 1 ]
tap $? "edit, a new name: status 1"
has "^xmctl: domain 'web1': edit cannot rename it \(to 'web2'\)" \
    "edit: a rename is refused"
unchanged "rename"

edit_with fails
[ "$RC" -eq 1 ]
tap $? "edit, the editor fails: status 1"
has "^xmctl: the editor '.*fails' failed \(status 3\); nothing changed\$" \
    "edit: the editor's failure"
unchanged "failed editor"

edit_with change
[ "$RC" -eq 0 ]
tap $? "edit, a change: status 0"
has "^Domain 'web1' XML configuration edited.\$" "edit: edited"
has "^xmctl: warning: <graphics> is kept" "edit: the warnings"
x dumpxml web1
has '^  <on_crash>destroy</on_crash>$' "edit: the change is defined"
has '^    <graphics type="vnc" ' "edit: kept elements stay"

# --- on a terminal: the question ----------------------------------------
# broken-once: breaks the file the first time, mends it and changes the
# domain the second.
mk_editor broken-once 'if [ -f "$0.orig" ]; then
	sed "s|<on_crash>destroy</on_crash>|<on_crash>preserve</on_crash>|" \
	    "$0.orig" >"$1"
else
	cp "$1" "$0.orig"; sed -i "s|</domain>||" "$1"
fi'
tty_edit()
{
	RC=0
	OUT=$(VISUAL="$T/$2" python3 "$XM_SRCDIR/tests/toolstack/edit-tty.py" \
	    "$1" "$XMCTL" -c "$URI" edit web1 2>&1) || RC=$?
	echo "# \$ VISUAL=$2 xmctl edit web1, answers $1 (status $RC)"
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}
before=$("$XMCTL" -c "$URI" dumpxml web1)
tty_edit n break
[ "$RC" -eq 1 ]
tap $? "terminal, broken edit, n: status 1"
has "Try again\? \[y,n,\?\]: " "terminal: asks to try again"
unchanged "terminal, n"
tty_edit '?y' broken-once
[ "$RC" -eq 0 ]
tap $? "terminal, broken edit, ? then y, mended: status 0"
has "^y - yes, edit the same file again" "terminal: ? explains the answers"
has "Domain 'web1' XML configuration edited." "terminal: the second edit is defined"
x dumpxml web1
has '^  <on_crash>preserve</on_crash>$' "terminal: the mended edit is stored"

x edit nosuch
[ "$RC" -eq 1 ]
tap $? "edit of an unknown domain: status 1"
x edit
[ "$RC" -eq 2 ]
tap $? "edit without a domain: status 2 (usage)"

finish
