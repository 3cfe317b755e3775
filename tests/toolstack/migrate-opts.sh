# Three options of migrate, as virsh's (two nodes of one machine, as
# migrate-live.sh): --bandwidth paces the stream (a 32 MiB counter at
# 4 MiB/s takes at least its bytes over that rate, and arrives whole;
# a stop-and-copy is paced too); --persistent leaves the domain defined
# on the target, even one that was transient here, and defined after
# it is destroyed there; --undefinesource removes the source's
# definition, which stays without it.  A migration that fails (aborted
# during its rounds, refused by the target's definitions, its target
# xmd killed) leaves the source's definition and none on the target.
# Bad values are usage errors naming the option.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/migrate-lib.sh"
URI_B=xm+unix://$B/xmd.sock
URI_A=xm+unix://$STATE/xmd.sock
trap 'stop_xmd; stop_b' EXIT

# Whether NAME is in DIR's list --all, persistent (yes) or not (no).
listed_at()
{
	"$XMCTL" -c "unix://$1/xmd.sock" list --all --json | python3 -c '
import json, sys
l = json.load(sys.stdin)
l = l.get("domains", []) if isinstance(l, dict) else l
d = [o for o in l if o.get("name") == sys.argv[1]]
sys.exit(0 if d and d[0].get("persistent") == (sys.argv[2] == "yes") else 1)
' "$2" "$3"
}
defined_at() { listed_at "$1" "$2" yes; }
undefined_at()
{
	! "$XMCTL" -c "unix://$1/xmd.sock" list --all | grep -q "^$2 "
}

# The N bytes and M ms of "Domain ... migrated ... (N bytes, M ms)" in
# $OUT took at least 85% of the time N bytes take at MIB MiB/s.
paced()
{
	local bytes ms want
	bytes=$(printf '%s\n' "$OUT" | sed -n 's/.*(\([0-9]*\) bytes, [0-9]* ms).*/\1/p')
	ms=$(printf '%s\n' "$OUT" | sed -n 's/.*([0-9]* bytes, \([0-9]*\) ms).*/\1/p')
	[ -n "$bytes" ] && [ -n "$ms" ] || return 1
	want=$((bytes * 1000 / ($1 * 1048576) * 85 / 100))
	echo "# $bytes bytes in $ms ms; at $1 MiB/s at least $want ms"
	[ "$ms" -ge "$want" ] && [ "$ms" -le $((want * 4 + 20000)) ]
}

start_xmd -i "$ISO" -m 256M -t 60
tap $? "xmd A starts its node"
start_b
tap $? "xmd B starts its node"

# --- usage errors --------------------------------------------------------------
for bad in -1 abc 4.5 1048577; do
	x migrate --bandwidth "$bad" nosuch "$URI_B"
	check "--bandwidth $bad: a usage error" test "$RC" -eq 2
	has "--bandwidth '$bad'" "... naming --bandwidth"
done

# --- (a) --bandwidth, (b) --persistent of a transient domain ------------------
counter bw 32 100 16
LOG_A=$STATE/console/bw.log
LOG_B=$B/console/bw.log
x create "$T/bw.xml"
has "^Domain 'bw' created" "a transient counter of 32 MiB"
wait_until 20 grep -q "^counter 5$" "$LOG_A"
tap $? "it counts on A"
# What xmctl would not send: xmd refuses it, naming the parameter.
mig_req()
{
	printf '{"jsonrpc":"2.0","id":%s,"method":"domain.migrate","params":{"domain":"bw","uri":"%s",%s}}' \
	    "$1" "$URI_B" "$2"
}
OUT=$(printf '%s\n' "$(mig_req 1 '"bandwidth":-1')" \
    "$(mig_req 2 '"bandwidth":"4"')" "$(mig_req 3 '"bandwidth":4.5')" \
    "$(mig_req 4 '"persistent":1')" "$(mig_req 5 '"undefine_source":"yes"')" |
    "$XM_BUILDDIR/tests/rpc-raw" "$STATE/xmd.sock" 2000)
printf '%s\n' "$OUT" | sed 's/^/# < /'
has '"id":1,.*"code":-32602,.*bandwidth -1' "JSON-RPC bandwidth -1: invalid params, named"
has '"id":2,.*"code":-32602,.*bandwidth' "... bandwidth \"4\": the same"
has '"id":3,.*"code":-32602,.*bandwidth' "... bandwidth 4.5: the same"
has '"id":4,.*"code":-32602,.*persistent' "... persistent 1: the same"
has '"id":5,.*"code":-32602,.*undefine_source' "... undefine_source \"yes\": the same"
check "... and bw runs on A" runs_at "$STATE" bw
x migrate --live --bandwidth 4 --persistent bw "$URI_B"
has "^Domain 'bw' migrated" "migrate --live --bandwidth 4 --persistent: bw to B"
check "it took at least its bytes over 4 MiB/s" paced 4
sed -n "s/.*\(domain 'bw' (d[0-9]*): live: round.*\)/# A: \1/p" \
    "$STATE/xmd.log"
check "A's rounds ran at about 4 MiB/s, and say so" \
    grep -q "domain 'bw' (d[0-9]*): live: round 0 sent [0-9]* pages in [0-9]* ms, skipped [0-9]* written again (bandwidth 4 MiB/s)" \
    "$STATE/xmd.log"
check "it runs on B" runs_at "$B" bw
wait_until 20 grep -q "counter: suspend returned 0" "$LOG_B"
tap $? "on B its suspend call returned 0"
check "its memory arrived whole" sums_equal "$LOG_A" "$LOG_B"
check "B has it persistent" defined_at "$B" bw
check "A has no definition of it (it had none)" undefined_at "$STATE" bw
x_at "$B" destroy bw
check "destroyed on B, it stays defined there" defined_at "$B" bw
x_at "$B" undefine bw

# --- (c) the source's definition: kept, then --undefinesource -----------------
counter pd 16 250 0
x define "$T/pd.xml"
x start pd
has "^Domain 'pd' started" "a persistent counter on A"
wait_until 20 grep -q "^counter 3$" "$STATE/console/pd.log"
tap $? "it counts on A"
x migrate --live pd "$URI_B"
has "^Domain 'pd' migrated" "migrate --live without --undefinesource"
check "A keeps its definition" defined_at "$STATE" pd
check "B runs it, not persistent" listed_at "$B" pd no
# Back to A, stop and copy, paced: it finds its definition there.
x_at "$B" migrate --bandwidth 8 pd "$URI_A"
has "^Domain 'pd' migrated" "back to A, stop and copy, --bandwidth 8"
check "... which took at least its bytes over 8 MiB/s" paced 8
check "A runs it, persistent" runs_at "$STATE" pd
check "B has nothing of it" undefined_at "$B" pd
x migrate --live --undefinesource pd "$URI_B"
has "^Domain 'pd' migrated" "migrate --live --undefinesource"
check "A has no definition of it any more" undefined_at "$STATE" pd
check "B runs it" runs_at "$B" pd
check "... not persistent (no --persistent)" listed_at "$B" pd no
x_at "$B" destroy pd
check "destroyed on B, it is gone" undefined_at "$B" pd

# --- (d) failures change no definition -----------------------------------------
counter pf 64 250 0
x define "$T/pf.xml"
x start pf
has "^Domain 'pf' started" "a persistent counter of 64 MiB on A"
wait_until 20 grep -q "^counter 3$" "$STATE/console/pf.log"
tap $? "it counts on A"
# B has a pf of its own, another UUID: refused before anything is sent.
sed -e 's|<name>pf</name>|<name>pf</name><uuid>0a0b0c0d-0000-4000-8000-00000000cafe</uuid>|' \
    "$T/pf.xml" >"$T/pf-other.xml"
x_at "$B" define "$T/pf-other.xml"
x migrate --live --persistent --undefinesource pf "$URI_B"
check "B defines another pf: the migration fails" test "$RC" -eq 1
has "defined on the target with another UUID" "... saying why"
check "A runs it, its definition kept" defined_at "$STATE" pf
check "... and running" runs_at "$STATE" pf
"$XMCTL" -c "unix://$B/xmd.sock" list --all --uuid --name 2>/dev/null |
    grep ' pf$' | tee "$T/uuid" | sed 's/^/# B: /'
check "B's own pf is as it was" grep -q cafe "$T/uuid"
x_at "$B" undefine pf

mig_bg()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" migrate --live --bandwidth 2 \
	    --persistent --undefinesource pf "$URI_B" >"$T/$1.out" 2>&1 &
	mig=$!
	wait_until 30 sh -c "[ \$(grep -c \"domain 'pf' (d[0-9]*): live: sending\" \"\$1\") -ge $2 ]" \
	    _ "$STATE/xmd.log"
	tap $? "$3"
	sleep 2		# a while into the first round, at 2 MiB/s
}

mig_bg abort 1 "--bandwidth 2 --persistent --undefinesource: it starts"
x migrate-abort pf
has "^Domain 'pf': migration aborted" "aborted during its first round"
wait "$mig"
check "the migration fails" test $? -eq 1
check "A runs it, its definition kept" defined_at "$STATE" pf
check "... and running" runs_at "$STATE" pf
check "B has no definition of it" undefined_at "$B" pf

mig_bg fault 2 "again: it starts"
b_node=$(cat "$B/qemu.pid" 2>/dev/null)
kill -KILL "$B_PID"
B_PID=
wait "$mig"
check "B's xmd killed during it: the migration fails" test $? -eq 1
sed 's/^/# | /' "$T/fault.out"
check "A runs it, its definition kept" defined_at "$STATE" pf
check "... and running" runs_at "$STATE" pf
check "B's state directory has no definition of it" \
    test ! -e "$B/defs/pf.xml"
[ -n "$b_node" ] && kill -TERM "$b_node" 2>/dev/null
x destroy pf
x undefine pf
finish
