# Memory limits through the toolstack against ctl-peer, the TEST DOUBLE
# of domain 0 (tests/ctl-peer.c keeps each domain's pages and limit
# and refuses a limit below its pages, as hv does): the builder
# populates <currentMemory> and sets the limit to <memory>; dominfo,
# domstats and domain.setMaxMemory's answer show both; setmaxmem
# --live changes the limit, setmem on the running domain sets its
# balloon target in xenstore; a limit below what the domain has, a
# missing or bad size and --config on a domain without a definition
# are refused with nothing changed.  The guest's side (hv refusing it) is tests/toolstack/mem.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

refused()	# refused REGEX DESC: the last x failed with that message
{
	[ "$RC" -ne 0 ] && printf '%s\n' "$OUT" | grep -Eq -- "$1"
	tap $? "$2"
}

mem_is()	# mem_is MAX USED: dominfo of m1 says so (KiB)
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" dominfo m1 >"$T/di" &&
	    grep -Eq "^Max memory: +$1 KiB$" "$T/di" &&
	    grep -Eq "^Used memory: +$2 KiB$" "$T/di"
}

rpc()
{
	OUT=$(printf '%s\n' "$1" | "$RAW" "$STATE/xmd.sock" 2000)
	echo "# rpc: $OUT"
}

cat >"$T/m1.xml" <<XML
<domain type='xen'>
  <name>m1</name>
  <memory unit='MiB'>32</memory>
  <currentMemory unit='MiB'>16</currentMemory>
  <os><kernel>guests/hello/hello.elf</kernel></os>
</domain>
XML

start_peer -m 128
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd connects to the node"
x create "$T/m1.xml"
has "^Domain 'm1' created" "create m1: 32 MiB at most, 16 MiB at start"
check "dominfo: Max memory 32768 KiB, Used memory 16384 KiB" mem_is 32768 16384
x domstats m1
has '^  balloon.current=16384$' "domstats: balloon.current=16384"
has '^  balloon.maximum=32768$' "domstats: balloon.maximum=32768"

x setmaxmem m1 24M --json
tap $RC "setmaxmem 24M (the running domain, by default)"
has '"memory_kib": 24576' "--json: the new maximum"
has '"current_kib": 16384' "--json: what the domain has"
check "dominfo: Max memory 24576 KiB" mem_is 24576 16384
x domstats m1
has '^  balloon.maximum=24576$' "domstats: balloon.maximum=24576"

x setmaxmem m1 8M
refused "^xmctl: domain 'm1': cannot set max memory lower than current \(8192 KiB < 16384 KiB\)$" \
    "setmaxmem below what the domain has is refused"
x setmaxmem m1 2
refused "^xmctl: size '2': too small \(at least 4 KiB, a page\)$" \
    "setmaxmem 2 (KiB): below a page"
x setmaxmem m1 1.5G
refused "^xmctl: size '1.5G': unknown unit" "setmaxmem 1.5G: not virsh's syntax"
x setmaxmem m1 24M --config
refused "domain 'm1': not persistent: it has no definition to change" \
    "setmaxmem --config of a transient domain"
x setmem m1 20M
tap $RC "setmem on the running domain sets its balloon target"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "m1" { print $2 }')
x store read "/local/domain/$id/memory/target"
has '^20480$' "... as xenstore's memory/target, in KiB"
x setmem m1 30M --live
refused "cannot set memory higher than max memory \(30720 KiB > 24576 KiB\)" \
    "setmem above the maximum"
rpc '{"jsonrpc":"2.0","id":1,"method":"domain.setMaxMemory","params":{"domain":"m1"}}'
printf '%s\n' "$OUT" | grep -q '"code": *-32602'
tap $? "domain.setMaxMemory without kib: -32602"
rpc '{"jsonrpc":"2.0","id":2,"method":"domain.setMaxMemory","params":{"domain":"m1","kib":0}}'
printf '%s\n' "$OUT" | grep -q "memory size 0 KiB is out of range"
tap $? "domain.setMaxMemory kib 0: out of range"
check "nothing changed" mem_is 24576 16384
x destroy m1
stop_xmd
tap $? "xmd stops"
[ "$tap_failed" -eq 0 ] || show_logs "$T/peer.log"
finish
