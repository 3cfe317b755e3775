# Memory limits on the real node (QEMU on xm.iso: hv and domain 0):
# a definition's <currentMemory> is what the domain is built with and
# <memory> its limit (dominfo shows both, domstats' balloon.current and
# balloon.maximum too); xmctl setmem --config and setmaxmem --config
# change the definition; setmaxmem on the running domain lowers hv's
# limit, and the balloon guest (guests/balloon), which grows its
# reservation a page at a time, is refused there and keeps running;
# bad sizes (0, 12Q), a limit below what the domain has, an unknown
# domain get a clear
# error and change nothing; the limit set live is what xmd shows after
# it restarts over the running node.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso

trap 'stop_xmd' EXIT

# dominfo's memory lines of DOM: "MAX USED" in KiB.
mem_of()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" dominfo "$1" | awk '
	    /^Max memory:/ { max = $3 } /^Used memory:/ { used = $3 }
	    END { print max, used }'
}

used_above()	# used_above DOM KIB
{
	set -- "$1" "$2" $(mem_of "$1")
	[ "${4:-0}" -gt "$2" ]
}

console_has()	# console_has DOM REGEX
{
	grep -Eq -- "$2" "$STATE/console/$1.log"
}

refused()	# refused REGEX DESC: the last x failed with that message
{
	[ "$RC" -ne 0 ] && printf '%s\n' "$OUT" | grep -Eq -- "$1"
	tap $? "$2"
}

def_memory()	# def_memory DOM: "MEMORY CURRENT" of the stored definition, KiB
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" dumpxml "$1" 2>/dev/null |
	    python3 -c '
import sys, xml.etree.ElementTree as ET
scale = {"KiB": 1, "MiB": 1024, "GiB": 1024 ** 2}
d = ET.parse(sys.stdin).getroot()
print(" ".join(str(int(e.text) * scale[e.get("unit", "KiB")])
    for e in (d.find("memory"), d.find("currentMemory"))))'
}

cat >"$T/balloon.xml" <<XML
<domain type='xen'>
  <name>balloon</name>
  <memory unit='MiB'>16</memory>
  <currentMemory unit='MiB'>8</currentMemory>
  <os>
    <kernel>guests/balloon/balloon.elf</kernel>
    <cmdline>balloon wait_ms=4000 step_ms=4</cmdline>
  </os>
</domain>
XML

start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"

# --- the definition ----------------------------------------------------
x define "$T/balloon.xml"
tap $RC "define balloon: 16 MiB at most, 8 MiB at start"
x setmem balloon 6M --config
tap $RC "setmem --config 6M"
check "the definition says memory 16384 KiB, currentMemory 6144 KiB" \
    test "$(def_memory balloon)" = "16384 6144"
x setmaxmem balloon 20480 --config
tap $RC "setmaxmem --config 20480 (KiB by default)"
check "the definition says memory 20480 KiB, currentMemory 6144 KiB" \
    test "$(def_memory balloon)" = "20480 6144"
x setmem balloon 32M --config
refused "cannot set memory higher than max memory \(32768 KiB > 20480 KiB\)" \
    "setmem --config above the maximum is refused"
x setmaxmem balloon 0 --config
refused "^xmctl: size '0': too small" "setmaxmem 0 is a usage error"
[ "$RC" -eq 2 ]
tap $? "... exit status 2 (usage)"
x setmaxmem balloon 12Q --config
refused "^xmctl: size '12Q': unknown unit \(b, K or KiB, KB, M or MiB, MB, " \
    "setmaxmem 12Q: an unknown unit"
x setmaxmem nosuch 16M
refused "domain 'nosuch': no such domain" "setmaxmem of an unknown domain"
check "nothing changed" test "$(def_memory balloon)" = "20480 6144"
x setmaxmem balloon 16MB --config
tap $RC "setmaxmem --config 16MB (powers of 1000, as virsh)"
check "the definition says memory 15624 KiB (whole pages), currentMemory 6144 KiB" \
    test "$(def_memory balloon)" = "15624 6144"
x setmaxmem balloon 16MiB --config
x setmem balloon 8M --config
check "back to memory 16 MiB, currentMemory 8 MiB" \
    test "$(def_memory balloon)" = "16384 8192"

# --- started with currentMemory ---------------------------------------
x start balloon
tap $RC "start balloon"
check "dominfo: Max memory 16384 KiB, Used memory 8192 KiB" \
    test "$(mem_of balloon)" = "16384 8192"
wait_until 20 console_has balloon "^balloon: built with"
check "the guest was built with 8 MiB: 2048 pages" \
    console_has balloon "^balloon: built with 2048 pages"
x domstats balloon
has '^  balloon.current=8192$' "domstats: balloon.current=8192"
has '^  balloon.maximum=16384$' "domstats: balloon.maximum=16384"

# --- refused on the running domain ------------------------------------
x setmem balloon 12M --live
tap $RC "setmem --live sets the balloon target"
id=$("$XMCTL" -c "unix://$STATE/xmd.sock" list | awk '$1 == "balloon" { print $2 }')
x store read "/local/domain/$id/memory/target"
has '^12288$' "... in the domain's xenstore memory/target, in KiB"
x setmaxmem balloon 4M
refused "cannot set max memory lower than current \(4096 KiB < [0-9]+ KiB\)" \
    "setmaxmem below what the domain has is refused"
set -- $(mem_of balloon)
[ "$1" = 16384 ]
tap $? "... and the maximum stays 16384 KiB"

# --- the limit holds ---------------------------------------------------
wait_until 60 used_above balloon 9216
tap $? "the guest grows its reservation past 9 MiB"
x pause balloon
set -- $(mem_of balloon)
limit=$(( ($2 + 1024) / 4 * 4 ))
x setmaxmem balloon "$limit"
tap $RC "setmaxmem $limit (1 MiB above what it has; it wants 16 MiB)"
x resume balloon
set -- $(mem_of balloon)
[ "$1" = "$limit" ]
tap $? "dominfo: Max memory $limit KiB"
wait_until 60 console_has balloon "^balloon: refused at"
tap $? "hv refuses the guest's increase_reservation at the limit"
grep '^balloon: ' "$STATE/console/balloon.log" | tail -n 3 | sed 's/^/# /'
check "it was refused with $((limit / 4 + 1)) pages (the limit, and shared_info)" \
    console_has balloon "^balloon: refused at $((limit / 4 + 1)) pages"
# dominfo answers from xmd's state, which the next sample refreshes.
mem_is()	# mem_is DOM MAX USED
{
	test "$(mem_of "$1")" = "$2 $3"
}
wait_until 5 mem_is balloon "$limit" "$limit"
tap $? "dominfo: Used memory is the limit, $limit KiB"
wait_until 20 console_has balloon "^balloon: still running at .*round 2$"
tap $? "the guest keeps running after the refusal"
grep -q "d[0-9]*: memory_op 0: extent 0 refused (ENOMEM)" "$STATE/node.log"
tap $? "hv's log says why it refused (-ENOMEM)"
x domstate balloon
has '^running$' "domstate: running"

# --- xmd restarts over the node: hv's limit, not the definition's ------
kill -USR1 "$XMD_PID"
wait_until 10 gone "$XMD_PID"
tap $? "SIGUSR1: xmd stops, leaving the node"
start_xmd -i "$ISO" -t 60
tap $? "xmd starts again and takes the node over"
set -- $(mem_of balloon)
[ "$1" = "$limit" ]
tap $? "dominfo: Max memory is still $limit KiB (hv's limit)"
x destroy balloon
tap $RC "destroy balloon"
x undefine balloon
stop_xmd
tap $? "xmd stops"
[ "$tap_failed" -eq 0 ] || show_logs "$STATE/node.log"
finish
