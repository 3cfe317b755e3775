# xmd, libxmctl and xmctl against ctl-peer, a TEST DOUBLE of domain 0's
# end of the control channel (tests/ctl-peer.c): HELLO, the builder's
# requests (the peer walks the page tables it was given to the
# start_info), the registry and consoles, pause/resume/destroy, errors
# from definitions, kernels, memory and JSON-RPC, garbage on the channel,
# requests the node never answers, SIGTERM, and the embedded node's
# process handling (a runner that starts ctl-peer in QEMU's place).
# The real node (QEMU, hv, guests/dom0) is tests/toolstack/lifecycle.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

# A definition: NAME MEMORY_MIB [CMDLINE [KERNEL]]
define()
{
	cat >"$T/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>$2</memory>
  <os>
    <kernel>${4:-guests/hello/hello.elf}</kernel>
    <cmdline>${3:-}</cmdline>
  </os>
</domain>
XML
	echo "$T/$1.xml"
}

ticks()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" console --no-follow "$1" |
	    grep -c "tick"
}

state_is()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" dominfo "$1" | grep -q "^State: *$2$"
}

listed()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^$1 "
}

# --- start-up -------------------------------------------------------
start_peer -m 128
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd connects to the node, HELLO is answered, xmd is ready"
x nodeinfo
has '^Domain 0: +ctl-peer \(test double\) \(protocol 1\)$' \
    "nodeinfo: domain 0's version and the protocol from HELLO"
has '^Memory size: +131072 KiB$' "nodeinfo: the node's memory"
free0=$(printf '%s\n' "$OUT" | sed -n 's/^Free memory: *\([0-9]*\) KiB$/\1/p')
x list
has '^Name +ID +Mem\(MiB\) +VCPUs +State +Time\(s\)$' "list: a header, no domains"

# --- three domains ----------------------------------------------------
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created \(id 1\)$" "create examples/hello.xml"
x create "$(define two 24 'two peer-exit=1000')"
has "^Domain 'two' created \(id 2\)$" "create a second domain"
x create --json "$(define three 32 three)"
has '"name": "three",' "create --json describes the domain"
x list
has '^hello +1 +16 +1 running ' "list: hello runs with 16 MiB"
has '^two +2 +24 +1 running ' "list: two runs with 24 MiB"
has '^three +3 +32 +1 running ' "list: three runs with 32 MiB"
x console --no-follow hello
has '^ctl-peer: d1 start_info ok: magic xen-3.0-x86_64, 4096 pages, cmdline "hello"$' \
    "the node found start_info through the builder's page tables"
x console --no-follow two
has '^ctl-peer: d2 start_info ok: magic xen-3.0-x86_64, 6144 pages, cmdline "two peer-exit=1000"$' \
    "each domain gets its own memory and command line"
check "the console log is in the state directory" \
    grep -q "d3 start_info ok" "$STATE/console/three.log"
x dominfo 3
has '^Name: +three$' "dominfo by id"
has '^Kernel: +.*/hello\.elf$' "dominfo: the kernel"
has '^Command line: +three$' "dominfo: the command line"
uuid=$(printf '%s\n' "$OUT" | sed -n 's/^UUID: *//p')
x dominfo --json "$uuid"
has '"name": "three",' "dominfo --json by UUID"
has '"memory_kib": 32768,' "dominfo --json: the memory asked for"
has '"kernel": ".*/hello\.elf",' "dominfo --json: every key xmd sent (kernel)"
has '"cmdline": "three",' "dominfo --json: every key xmd sent (cmdline)"

# --- pause and resume -------------------------------------------------
x pause hello
has "^Domain 'hello' paused$" "pause"
check "dominfo says paused" state_is hello paused
sleep 0.3
n1=$(ticks hello)
sleep 0.5
n2=$(ticks hello)
[ "$n1" -eq "$n2" ]
tap $? "a paused domain makes no progress ($n1, then $n2 ticks)"
x pause hello
has "^xmctl: domain 'hello': already paused$" "pausing twice is an error"
[ "$RC" -eq 1 ]
tap $? "... with exit status 1"
x resume hello
has "^Domain 'hello' resumed$" "resume"
more_ticks()
{
	[ "$(ticks hello)" -gt "$n2" ]
}
wait_until 3 more_ticks
tap $? "a resumed domain goes on"
x resume hello
has "^xmctl: domain 'hello': not paused$" "resuming a running domain is an error"

# --- bad input changes nothing ---------------------------------------------
x dominfo nosuch
has "^xmctl: domain 'nosuch': no such domain$" "an unknown domain is named"
[ "$RC" -eq 1 ]
tap $? "... with exit status 1"
x create "$XM_SRCDIR/examples/hello.xml"
has "^xmctl: domain 'hello': a domain of that name exists$" \
    "a name is taken once"
x create "$(define nokernel 16 '' /nonexistent/kernel.elf)"
has "^xmctl: domain 'nokernel': kernel '/nonexistent/kernel.elf': No such file or directory$" \
    "a missing kernel"
x create "$(define notelf 16 '' "$XM_SRCDIR/examples/hello.xml")"
has "^xmctl: domain 'notelf': kernel '.*/examples/hello.xml' is not a Xen PV kernel: " \
    "a kernel that is not an ELF with Xen notes"
x create "$(define big 200)"
has "^xmctl: domain 'big': needs 204804 KiB, the node has [0-9]+ KiB free$" \
    "more memory than the node has free"
x create "$(define tiny 1)"
has "^xmctl: domain 'tiny': not enough memory for the kernel's start-of-day layout \(1024 KiB\)$" \
    "too little memory for the layout"
printf "<domain type='xen'>\n  <name>x</name>\n  <seclabel/>\n  <memory>1024</memory>\n  <os><kernel>k</kernel></os>\n</domain>\n" \
    >"$T/bad.xml"
x create "$T/bad.xml"
has "^xmctl: $T/bad.xml: line 3: unknown element <seclabel> in <domain>$" \
    "an invalid definition is refused with its line"
x create "$XM_SRCDIR/examples/libvirt-pv.xml"
has "^xmctl: domain 'web1': disk xvda: disks are not supported yet$" \
    "a definition with a disk is refused at start until disks exist"
x list
n=$(printf '%s\n' "$OUT" | grep -c running)
[ "$n" -eq 3 ]
tap $? "after all that, the same three domains run ($n)"

# --- JSON-RPC errors ------------------------------------------------------
raw()
{
	OUT=$(printf '%s\n' "$@" | "$RAW" "$STATE/xmd.sock" 300)
	printf '%s\n' "$OUT" | sed 's/^/# < /'
}
raw '{"jsonrpc":"2.0","id":1,"method":"domain.list"' 
has '"code":-32700' "JSON-RPC: not JSON: -32700"
raw '["domain.list"]'
has '"code":-32600' "JSON-RPC: not a request: -32600"
raw '{"jsonrpc":"2.0","id":2,"method":"domain.nosuch","params":{}}'
has '"id":2,"error":\{"code":-32601,"message":"no method '"'"'domain.nosuch'"'"'"' \
    "JSON-RPC: no such method: -32601"
raw '{"jsonrpc":"2.0","id":3,"method":"domain.info","params":{"dom":"hello"}}'
has '"id":3,"error":\{"code":-32602,"message":"unknown parameter '"'"'dom'"'"'"' \
    "JSON-RPC: a wrong parameter: -32602"
raw '{"jsonrpc":"2.0","id":4,"method":"domain.info","params":{"domain":1}}' \
    '{"jsonrpc":"2.0","method":"domain.pause","params":{"domain":"nosuch"}}' \
    '{"jsonrpc":"2.0","id":5,"method":"domain.info","params":{"domain":"nosuch"}}'
has '"id":4,"result":\{"id":1,"name":"hello",' "JSON-RPC: a domain by its id"
has '"id":5,"error":\{"code":1,"message":"domain '"'"'nosuch'"'"': no such domain"\}' \
    "JSON-RPC: xmd's own error code, naming the domain"
n=$(printf '%s\n' "$OUT" | grep -c .)
[ "$n" -eq 2 ]
tap $? "JSON-RPC: a notification is not answered"

# --- console follow, destroy, shutdown ---------------------------------------
"$XMCTL" -c "unix://$STATE/xmd.sock" console three >"$T/follow.out" \
    2>"$T/follow.err" </dev/null &
follow_pid=$!
wait_until 5 grep -q "d3 tick" "$T/follow.out"
tap $? "console follows what the domain writes"
x destroy three
has "^Domain 'three' destroyed$" "destroy"
wait_until 5 gone "$follow_pid"
tap $? "a followed console ends when its domain goes"
wait "$follow_pid"
tap $? "... and xmctl console exits 0"
check "... and why it ended" \
    grep -q "^xmctl: domain 'three': console closed: destroyed$" \
    "$T/follow.err"
x create "$(define short 16 'peer-exit=3')"
has "^Domain 'short' created" "a domain that powers off after 3 ticks"
wait_until 5 eval '! listed short'
tap $? "a domain that shut down is destroyed and leaves the list"
grep -q "domain 'short' (d3): shut down (poweroff)" "$STATE/xmd.log"
tap $? "... and xmd logs why"
x destroy hello
x destroy two
x list
n=$(printf '%s\n' "$OUT" | grep -c running)
[ "$n" -eq 0 ]
tap $? "all destroyed"
x nodeinfo
has "^Free memory: +$free0 KiB$" "the node's free memory is what it was"

# --- SIGTERM, and a second xmd ----------------------------------------------
pid=$XMD_PID
stop_xmd
tap $? "xmd stops on SIGTERM"
check "... and removes its socket" test ! -e "$STATE/xmd.sock"

# --- garbage on the channel -------------------------------------------------
stop_peer
start_peer -g 2
start_xmd -N "$T/ctl.sock" -T 2
tap $? "a second xmd starts (garbage before every second reply now)"
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created \(id 1\)$" "the builder's requests get through"
x pause hello
x resume hello
x console --no-follow hello
has 'start_info ok' "... and build a domain that starts"
check "xmd skipped the garbage up to the next magic" \
    grep -q "node: skipped [0-9]* bytes (bad magic)" "$STATE/xmd.log"
x destroy hello
has "^Domain 'hello' destroyed$" "... and still serves requests"
stop_xmd

# --- a node that does not answer ----------------------------------------------
stop_peer
start_peer -x 4
start_xmd -N "$T/ctl.sock" -T 1
x create "$XM_SRCDIR/examples/hello.xml"
start=$(date +%s)
x pause hello
has "^xmctl: domain 'hello': cannot pause: the node did not answer in time$" \
    "a request the node never answers times out"
[ $(($(date +%s) - start)) -le 3 ]
tap $? "... after xmd's timeout (-T 1)"
x dominfo hello
has '^State: +running$' "... and the channel goes on serving"
stop_xmd
stop_peer

# --- persistent domains, restart safety, events, rights (issue 5) -----------
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
jstr()
{
	sed -e ':a;N;$!ba' -e 's/\\/\\\\/g; s/"/\\"/g; s/\n/\\n/g' "$1"
}
RW=$STATE/xmd.sock
RO=$STATE/xmd-ro.sock
start_peer -m 128
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd starts on a node by path, with the read-only socket too"
check "the read-write socket is 0600" test "$(stat -c %a "$RW")" = 600
check "the read-only socket is there" test -S "$RO"
define p1 16 'p1' >/dev/null
define p2 16 'p2' >/dev/null
rpc "$RW" 300 "$(req 1 domain.define "{\"definition\":\"$(jstr "$T/p1.xml")\"}")"
has '"id":1,"result":\{"id":null,"name":"p1",.*"state":"shut off",.*"persistent":true,"autostart":false' \
    "domain.define: p1 is defined, shut off"
rpc "$RW" 300 "$(req 2 domain.define "{\"definition\":\"$(jstr "$T/p2.xml")\"}")"
has '"id":2,"result":\{"id":null,"name":"p2",' "domain.define: p2"
check "the definition is stored in STATE/defs/p1.xml, with its UUID" \
    grep -q '<uuid>' "$STATE/defs/p1.xml"
check "... and no temporary file is left" \
    test "$(ls "$STATE/defs" | grep -c tmp)" -eq 0
rpc "$RW" 300 "$(req 3 domain.list '{}')" "$(req 4 domain.list '{"all":true}')"
has '"id":3,"result":\[\]' "domain.list: defined domains do not run"
has '"id":4,"result":\[\{"id":null,"name":"p1".*"name":"p2"' \
    "domain.list {all}: defined domains, shut off"
rpc "$RW" 300 "$(req 5 domain.start '{"domain":"p1"}')"
has '"id":5,"result":\{"id":1,"name":"p1",.*"state":"running".*"persistent":true' \
    "domain.start: p1 runs as d1"
p1_uuid=$(printf '%s\n' "$OUT" | sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p')
rpc "$RW" 300 "$(req 6 domain.start '{"domain":"p1"}')"
has '"id":6,"error":\{"code":4,"message":"domain '"'"'p1'"'"': already running"' \
    "domain.start twice: already running"
rpc "$RO" 300 "$(req 7 domain.state '{"domain":"p1"}')" \
    "$(req 8 domain.state '{"domain":"p2"}')" \
    "$(req 9 domain.definition '{"domain":"p1"}')" \
    "$(req 10 domain.definition '{"domain":"p2","format":"json"}')" \
    "$(req 11 domain.definition '{"domain":"p2","format":"yaml"}')"
has '"id":7,"result":\{"domain":"p1","state":"running"\}' "domain.state: running"
has '"id":8,"result":\{"domain":"p2","state":"shut off"\}' "domain.state: shut off"
has '"id":9,"result":\{"format":"xml","definition":"<domain.*<name>p1</name>' \
    "domain.definition as XML"
has '"id":10,"result":\{"format":"json","definition":"\{.*\\"name\\": *\\"p2\\"' \
    "domain.definition as JSON"
has '"id":11,"error":\{"code":-32602' "domain.definition: an unknown format"
rpc "$RW" 300 "$(req 12 domain.autostart '{"domain":"p2","enable":true}')"
has '"id":12,"result":\{"domain":"p2","autostart":true\}' "domain.autostart"
check "... marked in STATE/defs" test -f "$STATE/defs/p2.autostart"
wait_until 3 grep -q "d1 start_info ok" "$STATE/console/p1.log"
tap $? "p1's console log"

# restart xmd while p1 runs: same id, name, UUID; p2 is autostarted
stop_xmd
tap $? "xmd stops (the node by path goes on)"
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd starts again"
# Autostart builds p2 after xmd is ready (as libvirtd does): wait for it.
wait_until 3 eval '"$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^p2 .* running "'
tap $? "p2 is autostarted after xmd is ready"
rpc "$RW" 300 "$(req 13 domain.info '{"domain":"p1"}')" \
    "$(req 14 domain.list '{"all":true}')"
has "\"id\":13,\"result\":\\{\"id\":1,\"name\":\"p1\",\"uuid\":\"$p1_uuid\",\"state\":\"running\"" \
    "after the restart p1 is still d1, with its name and UUID"
has '"id":14,"result":\[.*"name":"p2",[^}]*"state":"running"' \
    "domain.list shows the autostarted p2 running"
check "xmd logged the takeover" grep -q "domain 'p1' (d1): still running, taken over" "$STATE/xmd.log"
n1=$(grep -c tick "$STATE/console/p1.log")
wait_until 3 eval '[ "$(grep -c tick "$STATE/console/p1.log")" -gt "$n1" ]'
tap $? "p1's console log goes on in the same file"
check "... which still has its start" grep -q "d1 start_info ok" "$STATE/console/p1.log"

# events, in order
printf '%s\n' "$(req 20 events.subscribe '{}')" |
    "$RAW" "$RO" 2500 >"$T/events.out" &
ev_pid=$!
sleep 0.5
x pause p1
x resume p1
rpc "$RW" 300 "$(req 21 domain.shutdown '{"domain":"p2"}')"
has '"id":21,"result":null' "domain.shutdown"
wait_until 3 eval '! listed p2'
rpc "$RW" 300 "$(req 22 domain.reboot '{"domain":"p1"}')"
has '"id":22,"result":null' "domain.reboot"
wait "$ev_pid"
sed 's/^/# event: /' "$T/events.out"
evs=$(sed -n 's/.*"method":"\([a-z.]*\)".*"domain":"\([a-z0-9]*\)".*/\1 \2/p' "$T/events.out" | tr '\n' ',')
[ "$evs" = "domain.paused p1,domain.resumed p1,domain.shutdown p2,domain.destroyed p2,domain.shutdown p1,domain.destroyed p1,domain.started p1," ]
tap $? "events in order: paused, resumed, shutdown, destroyed, and a reboot's restart ($evs)"
check "an event has a timestamp" grep -q '"timestamp":"20[0-9-]*T[0-9:.]*Z"' "$T/events.out"
check "domain.shutdown has its reason" grep -q '"method":"domain.shutdown".*"reason":"poweroff"' "$T/events.out"
rpc "$RW" 300 "$(req 23 domain.list '{"all":true}')"
has '"name":"p2",[^}]*"state":"shut off"' "p2 shut down and is shut off, still defined"
has '"name":"p1",[^}]*"state":"running"' "p1 rebooted: on_reboot restart"

# rights
rpc "$RO" 300 "$(req 30 domain.destroy '{"domain":"p1"}')" \
    "$(req 31 domain.list '{}')"
has '"id":30,"error":\{"code":9,"message":"method '"'"'domain.destroy'"'"' needs the admin role; this connection is read-only"\}' \
    "the read-only socket refuses a mutating call, naming the method and the role"
has '"id":31,"result":\[\{"id":[0-9]*,"name":"p1",' "... and serves read-only ones"
check "audit.log: the refused call" \
    grep -q "uid=$(id -u) pid=[0-9]* role=read-only method=domain.destroy domain=\"p1\" result=error code=9" "$STATE/audit.log"
check "audit.log: a define" \
    grep -q 'role=admin method=domain.define domain="p1" result=ok' "$STATE/audit.log"
check "audit.log: reads are not audited" \
    test "$(grep -c 'domain.list' "$STATE/audit.log")" -eq 0

# batches, garbage, undefine, lifecycle preserve
rpc "$RW" 300 "[$(req 40 domain.state '{"domain":"p1"}'),$(req 41 nosuch '{}')]"
has '^\[\{"jsonrpc":"2.0","id":40,"result":\{"domain":"p1","state":"running"\}\},\{"jsonrpc":"2.0","id":41,"error":\{"code":-32601' \
    "a batch is answered by one array"
OUT=$(yes 'garbage' | head -20 | "$RAW" "$RW" 300)
printf '%s\n' "$OUT" | tail -2 | sed 's/^/# < /'
has 'too many requests that are not JSON' "a client sending garbage is dropped"
rpc "$RW" 300 "$(req 42 domain.undefine '{"domain":"p2"}')" \
    "$(req 43 domain.list '{"all":true}')"
has '"id":42,"result":null' "domain.undefine"
check "... removes the file" test ! -e "$STATE/defs/p2.xml"
! printf '%s\n' "$OUT" | grep -q '"name":"p2"'
tap $? "... and the domain is gone from the list"
sed "s|</domain>|<on_poweroff>preserve</on_poweroff></domain>|" \
    "$(define kept 16 'peer-exit=3')" >"$T/kept2.xml"
x create "$T/kept2.xml"
wait_until 3 state_is kept "shut off"
tap $? "on_poweroff preserve: the domain stays, shut down"
x domstate kept
has '^shut off \(poweroff\)$' "domstate: why a kept domain shut down"
x destroy kept
x destroy p1
stop_xmd

# xmd -n
printf 'state_dir = %s\nkeep_node = yes\nmax_clients_per_uid = 4\n' "$STATE" >"$T/good.conf"
"$XMD" -n -f "$T/good.conf" >"$T/n.out" 2>&1
tap $? "xmd -n: a good configuration"
printf 'state_dir = %s\nfoo = bar\n' "$STATE" >"$T/bad.conf"
"$XMD" -n -f "$T/bad.conf" >"$T/n.out" 2>&1
[ $? -eq 1 ] && grep -q "^xmd: $T/bad.conf:2: unknown key 'foo'$" "$T/n.out"
tap $? "xmd -n: a bad key, named with its line"
printf 'tcp_listen = 127.0.0.1:16509\n' >"$T/tcp.conf"
"$XMD" -n -f "$T/tcp.conf" >"$T/n.out" 2>&1
[ $? -eq 1 ] && grep -q "tcp.conf:1: tcp_listen needs tls_cert and tls_key" "$T/n.out"
tap $? "xmd -n: TCP without TLS is refused"

# limits from xmd.conf: connections per user, a client that stalls
printf 'max_clients_per_uid = 2\nclient_timeout = 1\n' >"$T/limits.conf"
start_xmd -N "$T/ctl.sock" -f "$T/limits.conf"
tap $? "xmd starts with a configuration file"
holders=
for i in 1 2; do
	printf '%s\n' "$(req 50 events.subscribe '{}')" |
	    "$RAW" "$RO" 2500 >/dev/null &
	holders="$holders $!"
done
sleep 0.5
rpc "$RW" 300 "$(req 51 domain.list '{}')"
has 'too many connections from this user' \
    "a third connection from the same user is refused"
wait $holders
rpc "$RW" 300 "$(req 52 domain.list '{}')"
has '"id":52,"result":\[' "... and served once the others have gone"
start=$(date +%s)
OUT=$(printf '{"jsonrpc":"2.0","id":53,' | "$RAW" "$RW" 5000)
printf '%s\n' "$OUT" | sed 's/^/# < /'
has 'a request was left unfinished' "a client that stalls mid-request is dropped"
[ $(($(date +%s) - start)) -le 3 ]
tap $? "... after client_timeout (1 s)"
rpc "$RW" 300 "$(req 54 domain.list '{}')"
has '"id":54,"result":\[' "... and other clients are served"
stop_xmd
stop_peer

# --- the embedded node, with ctl-peer in QEMU's place ---------------------------
# xmd runs its node from "/": the runner needs an absolute path.
CTL_PEER=$(cd "$(dirname "$PEER")" && pwd)/$(basename "$PEER")
export CTL_PEER
runner=$XM_SRCDIR/tests/toolstack/fake-runner.sh
start_xmd -r "$runner" -i "$XM_SRCDIR/examples/hello.xml"
tap $? "an embedded node: xmd starts it and waits for HELLO"
node_pid=$(cat "$STATE/qemu.pid" 2>/dev/null)
check "the node's pid file" kill -0 "$node_pid"
stop_xmd
wait_until 5 gone "$node_pid"
tap $? "SIGTERM to xmd stops the node it started"
start_xmd -r "$runner" -i "$XM_SRCDIR/examples/hello.xml"
node_pid=$(cat "$STATE/qemu.pid" 2>/dev/null)
kill -KILL "$XMD_PID"
wait_until 5 gone "$XMD_PID"
check "an xmd killed outright leaves its node running" kill -0 "$node_pid"
start_xmd -r "$runner" -i "$XM_SRCDIR/examples/hello.xml"
tap $? "the next xmd starts"
check "... and took over the node left behind, domains and all" \
    kill -0 "$node_pid"
grep -q "taking over the QEMU (pid $node_pid) an earlier xmd left running when it was killed" \
    "$STATE/xmd.log"
tap $? "... saying so"
check "... and its pid file still names it" \
    test "$(cat "$STATE/qemu.pid" 2>/dev/null)" = "$node_pid"
kill -TERM "$node_pid"
wait_until 5 gone "$XMD_PID"
tap $? "xmd stops when its node stops"
grep -q "node: control channel lost\|node: QEMU stopped" "$STATE/xmd.log"
tap $? "... and says why"
XMD_PID=
show_logs "$T/peer.log"
finish
