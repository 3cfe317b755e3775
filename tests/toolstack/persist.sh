# Persistent domains and xmd's restart safety on the real node (issue 5):
# two domains are defined; one is started; xmd is stopped with SIGUSR1,
# which leaves the embedded node running, and started again: the domain
# still runs with the same id, name and UUID, and its console log goes
# on; the other is started; events come in order (started, paused,
# resumed, destroyed); a mutating call on the read-only socket is
# refused and changes nothing; SIGTERM then stops the node.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso
RAW=$XM_BUILDDIR/tests/rpc-raw
RW=$STATE/xmd.sock
RO=$STATE/xmd-ro.sock

trap 'stop_xmd' EXIT

# rpc SOCKET WAIT_MS REQUEST...: the answers in $OUT
rpc()
{
	local sock=$1 ms=$2
	shift 2
	OUT=$(printf '%s\n' "$@" | "$RAW" "$sock" "$ms")
	printf '%s\n' "$OUT" | sed 's/^/# < /'
}

req()
{
	printf '{"jsonrpc":"2.0","id":%s,"method":"%s","params":%s}' "$1" "$2" "$3"
}

# examples/victim.xml as NAME, as a JSON string
victim()
{
	sed -e "s|<name>victim</name>|<name>$1</name>|" \
	    "$XM_SRCDIR/examples/victim.xml" |
	    sed -e ':a;N;$!ba' -e 's/\\/\\\\/g; s/"/\\"/g; s/\n/\\n/g'
}

qemu_pid()
{
	cat "$STATE/qemu.pid" 2>/dev/null
}

# --- define two, start one ---------------------------------------------------
start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"
rpc "$RW" 500 "$(req 1 domain.define "{\"definition\":\"$(victim pa)\"}")" \
    "$(req 2 domain.define "{\"definition\":\"$(victim pb)\"}")"
has '"id":1,"result":\{"id":null,"name":"pa",.*"state":"shut off"' "define pa"
has '"id":2,"result":\{"id":null,"name":"pb",.*"state":"shut off"' "define pb"
rpc "$RW" 10000 "$(req 3 domain.start '{"domain":"pa"}')"
has '"id":3,"result":\{"id":[0-9]+,"name":"pa",.*"state":"running"' "start pa"
pa_id=$(printf '%s\n' "$OUT" | sed -n 's/.*"result":{"id":\([0-9]*\),.*/\1/p')
pa_uuid=$(printf '%s\n' "$OUT" | sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p')
rpc "$RO" 500 "$(req 4 domain.list '{"all":true}')"
has '"name":"pb",[^}]*"state":"shut off"' "list --all: pb is defined, shut off"
wait_until 10 grep -q "mm_init" "$STATE/console/pa.log"
tap $? "pa's console log"
n_before=$(wc -l <"$STATE/console/pa.log")

# --- restart xmd, leaving the node --------------------------------------------
node=$(qemu_pid)
kill -USR1 "$XMD_PID"
wait_until 10 gone "$XMD_PID"
tap $? "SIGUSR1: xmd stops"
check "... and leaves the node running" kill -0 "$node"
start_xmd -i "$ISO" -t 60
tap $? "xmd starts again"
check "... on the same node" test "$(qemu_pid)" = "$node"
grep -q "taking over the QEMU (pid $node)" "$STATE/xmd.log"
tap $? "... saying it takes the node over"
rpc "$RO" 500 "$(req 5 domain.info '{"domain":"pa"}')"
has "\"id\":5,\"result\":\\{\"id\":$pa_id,\"name\":\"pa\",\"uuid\":\"$pa_uuid\",\"state\":\"running\"" \
    "pa still runs, with the same id ($pa_id), name and UUID"
rpc "$RW" 500 "$(req 6 domain.definition '{"domain":"pa"}')"
has '"id":6,"result":\{"format":"xml","definition":"<domain.*victim' \
    "... and xmd knows its definition"
check "its console log is the same file" \
    test "$(wc -l <"$STATE/console/pa.log")" -ge "$n_before"

# --- events, start the other --------------------------------------------------
printf '%s\n' "$(req 10 events.subscribe '{}')" |
    "$RAW" "$RO" 60000 >"$T/events.out" &
ev_pid=$!
sleep 0.5
rpc "$RW" 10000 "$(req 11 domain.start '{"domain":"pb"}')"
has '"id":11,"result":\{"id":[0-9]+,"name":"pb",.*"state":"running"' "start pb"
rpc "$RW" 1000 "$(req 12 domain.pause '{"domain":"pb"}')"
rpc "$RW" 1000 "$(req 13 domain.resume '{"domain":"pb"}')"
rpc "$RW" 3000 "$(req 14 domain.destroy '{"domain":"pb"}')"
has '"id":14,"result":null' "destroy pb"
wait_until 5 grep -q domain.destroyed "$T/events.out"
kill "$ev_pid" 2>/dev/null
wait "$ev_pid" 2>/dev/null
sed 's/^/# event: /' "$T/events.out"
evs=$(sed -n 's/.*"method":"\([a-z.]*\)".*"domain":"\([a-z0-9]*\)".*/\1 \2/p' \
    "$T/events.out" | tr '\n' ,)
[ "$evs" = "domain.started pb,domain.paused pb,domain.resumed pb,domain.destroyed pb," ]
tap $? "events in order: started, paused, resumed, destroyed ($evs)"
rpc "$RO" 500 "$(req 15 domain.list '{"all":true}')"
has '"name":"pb",[^}]*"state":"shut off"' "pb is shut off again, still defined"

# --- the read-only socket -----------------------------------------------------
rpc "$RO" 500 "$(req 20 domain.destroy '{"domain":"pa"}')"
has '"id":20,"error":\{"code":9,"message":"method '"'"'domain.destroy'"'"' needs the admin role; this connection is read-only"\}' \
    "a mutating call on the read-only socket is refused"
rpc "$RO" 500 "$(req 21 domain.state '{"domain":"pa"}')"
has '"id":21,"result":\{"domain":"pa","state":"running"\}' "... and pa still runs"
check "the audit log has it" grep -q 'role=read-only method=domain.destroy domain="pa" result=error code=9' \
    "$STATE/audit.log"

# --- SIGTERM stops the node ------------------------------------------------------
rpc "$RW" 5000 "$(req 30 domain.destroy '{"domain":"pa"}')"
has '"id":30,"result":null' "destroy pa"
stop_xmd
tap $? "SIGTERM: xmd stops"
wait_until 10 gone "$node"
tap $? "... and stops the node"
show_logs
finish
