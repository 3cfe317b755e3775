# The scheduler through the toolstack against ctl-peer, the TEST DOUBLE
# of domain 0 (tests/ctl-peer.c keeps weight, cap and affinity per
# domain and checks them as hv does): xmctl schedinfo, vcpuinfo and
# vcpupin, their --json, --live and --config, the definition's cputune
# applied at start and --config changes kept for the next start, and
# bad values (weight 0 or 65536, cap -1, cpulist 9-2, an unknown vCPU)
# refused with a message and nothing changed.  The real node is
# tests/toolstack/lifecycle.sh.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"

cat >"$T/s1.xml" <<XML
<domain type='xen'>
  <name>s1</name>
  <memory unit='MiB'>16</memory>
  <vcpu>2</vcpu>
  <os>
    <kernel>guests/hello/hello.elf</kernel>
  </os>
  <cputune>
    <shares>512</shares>
    <cap>50</cap>
    <vcpupin vcpu='1' cpuset='2-3'/>
  </cputune>
</domain>
XML

# The outcome: status and a line of the output.
refused()	# refused STATUS REGEX DESC
{
	[ "$RC" -eq "$1" ] && printf '%s\n' "$OUT" | grep -Eq -- "$2"
	tap $? "$3"
}

sched_is()	# sched_is WEIGHT CAP [FLAGS...]: schedinfo says so
{
	local w=$1 c=$2
	shift 2
	"$XMCTL" -c "unix://$STATE/xmd.sock" schedinfo s1 "$@" >"$T/si" &&
	    grep -Eq "^weight: +$w$" "$T/si" && grep -Eq "^cap: +$c$" "$T/si"
}

pins_are()	# pins_are "0 LIST" "1 LIST" [-- FLAGS...]
{
	local want="" flags=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		want="$want$1;"
		shift
	done
	[ $# -gt 0 ] && shift && flags=("$@")
	[ "$("$XMCTL" -c "unix://$STATE/xmd.sock" vcpupin s1 "${flags[@]}" |
	    awk 'NR > 2 { printf "%s %s;", $1, $2 }')" = "$want" ]
}

start_peer -c 4 -m 128
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd connects to a node of 4 CPUs"
x define "$T/s1.xml"
x start s1
tap $RC "start a domain whose definition has cputune"

# --- schedinfo ------------------------------------------------------
x schedinfo s1
has '^Scheduler: +credit$' "schedinfo: the scheduler"
has '^weight: +512$' "schedinfo: <shares> was applied at start"
has '^cap: +50$' "schedinfo: <cap> was applied at start"
x schedinfo --json s1
has '"scheduler": "credit"' "schedinfo --json: scheduler"
has '"weight": 512' "schedinfo --json: weight"
has '"cap": 50' "schedinfo --json: cap"
x schedinfo s1 --weight 1024
has '^weight: +1024$' "schedinfo --weight: set on the running domain"
has '^cap: +50$' "schedinfo --weight: the cap stays"
check "the running domain has it" sched_is 1024 50 --live
check "the definition does not (live is the default when it runs)" \
    sched_is 512 50 --config
x schedinfo s1 --cap 150 --config
has '^cap: +150$' "schedinfo --cap --config: the definition's cap"
check "the running domain's cap stays" sched_is 1024 50
x schedinfo s1 --weight 300 --cap 25 --live --config
tap $RC "schedinfo --live --config: both"
check "both: live" sched_is 300 25 --live
check "both: config" sched_is 300 25 --config
x schedinfo s1 --live --config
refused 2 "together only set" "schedinfo --live --config without values: usage"

x schedinfo s1 --weight 0
refused 2 "^xmctl: --weight '0': too small \(1..65535\)$" \
    "weight 0 is refused (usage)"
x schedinfo s1 --weight 65536
refused 2 "^xmctl: --weight '65536': too large \(1..65535\)$" \
    "weight 65536 is refused (usage)"
x schedinfo s1 --cap -1
refused 2 "^xmctl: --cap '-1': not a number$" "cap -1 is refused (usage)"
x schedinfo s1 --cap 201
refused 1 "cap 201 is out of range \(0 to 200" \
    "cap 201 is refused for 2 vCPUs"
x schedinfo s1 --weight 9 --cap 999 --config
refused 1 "cap 999 is out of range" "a bad cap refuses a good weight too"
x schedinfo s1 --weight abc
refused 2 "^xmctl: --weight 'abc': not a number$" \
    "--weight abc: usage"
check "nothing changed live" sched_is 300 25 --live
check "nothing changed in the definition" sched_is 300 25 --config

# --- vcpuinfo ---------------------------------------------------------
x vcpuinfo s1
has '^VCPU: +0$' "vcpuinfo: vCPU 0"
has '^State: +running$' "vcpuinfo: vCPU 0 runs"
has '^VCPU: +1$' "vcpuinfo: vCPU 1"
has '^State: +offline$' "vcpuinfo: vCPU 1 is down"
has '^CPU Affinity: +2-3$' "vcpuinfo: vCPU 1 pinned at start by <vcpupin>"
has '^CPU Affinity: +0-3$' "vcpuinfo: vCPU 0 on every CPU"
x vcpuinfo --json s1
has '"affinity": "2-3"' "vcpuinfo --json: affinity as a CPU list"
has '"time_ns": ' "vcpuinfo --json: time"
has '"state": "running"' "vcpuinfo --json: state"

# --- vcpupin ----------------------------------------------------------
check "vcpupin DOM: the pinning" pins_are "0 0-3" "1 2-3"
x vcpupin s1 1 0-3,^2
tap $RC "vcpupin s1 1 0-3,^2"
check "vcpupin shows it" pins_are "0 0-3" "1 0-1,3"
x vcpuinfo s1
has '^CPU Affinity: +0-1,3$' "vcpuinfo shows it"
x vcpupin s1 0 3 --config
tap $RC "vcpupin --config"
check "the running domain keeps its pinning" pins_are "0 0-3" "1 0-1,3"
check "the definition has the new one" pins_are "0 3" "1 2-3" -- --config
x vcpupin --json s1
has '"affinity": "0-1,3"' "vcpupin --json"

x vcpupin s1 0 9-2
refused 2 "^xmctl: cpulist '9-2' has a range that runs backwards$" \
    "cpulist 9-2 is refused"
x vcpupin s1 0 ""
refused 2 "^xmctl: cpulist '' is empty$" "an empty cpulist is refused"
x vcpupin s1 0 64
refused 2 "^xmctl: cpulist '64' has a CPU above 63$" "CPU 64 is refused"
x vcpupin s1 0 0,^0
refused 2 "has no CPU$" "a cpulist with no CPU left is refused"
x vcpupin s1 5 0
refused 1 "^xmctl: domain 's1': vCPU 5 does not exist \(it has 2: 0 to 1\)$" \
    "an unknown vCPU is refused"
x vcpupin s1 0 4-5
refused 1 "cpulist '4-5' has a CPU the node does not have \(it has 4" \
    "a CPU the node does not have is refused"
x vcpupin s1 0
refused 2 "^usage: xmctl vcpupin" "vcpupin with a vCPU and no list: usage"
check "nothing changed live" pins_are "0 0-3" "1 0-1,3"
check "nothing changed in the definition" pins_are "0 3" "1 2-3" -- --config

# --- --config across a restart of the domain --------------------------------
x destroy s1
x schedinfo s1
has '^weight: +300$' "shut off: schedinfo shows the definition"
x schedinfo s1 --live
refused 1 "^xmctl: domain 's1': not running" "shut off: --live is refused"
x vcpuinfo s1
refused 1 "^xmctl: domain 's1': not running$" "shut off: vcpuinfo is refused"
x schedinfo s1 --weight 700
tap $RC "shut off: schedinfo --weight changes the definition"
x dumpxml s1
has '<shares>700</shares>' "dumpxml: the new shares"
has '<cap>25</cap>' "dumpxml: the cap"
has '<vcpupin vcpu="0" cpuset="3"/>' "dumpxml: the new vcpupin"
x vcpupin s1 1 1
tap $RC "shut off: vcpupin changes the definition"
check "shut off: vcpupin shows the definition's" pins_are "0 3" "1 1"
x start s1
tap $RC "start it again"
check "the weight and cap of --config are applied" sched_is 700 25 --live
check "the pinning of --config is applied" pins_are "0 3" "1 1"

# --- read-only ----------------------------------------------------------------
ro()
{
	RC=0
	OUT=$("$XMCTL" -r -c "unix://$STATE/xmd.sock" "$@" 2>&1) || RC=$?
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}
ro schedinfo s1
has '^weight: +700$' "read-only: schedinfo"
ro vcpuinfo s1
has '^VCPU: +1$' "read-only: vcpuinfo"
ro schedinfo s1 --weight 5
refused 1 "needs the admin role" "read-only: schedinfo --weight is refused"
check "... and changes nothing" sched_is 700 25

# --- a domain without a definition --------------------------------------
x create "$XM_SRCDIR/examples/hello.xml"
x schedinfo hello
has '^weight: +256$' "a domain without cputune has the default weight"
x schedinfo hello --cap 10 --config
refused 1 "^xmctl: domain 'hello': not persistent" \
    "--config on a transient domain is refused"
x schedinfo nosuch
refused 1 "^xmctl: domain 'nosuch': no such domain$" "an unknown domain"

# --- JSON-RPC ---------------------------------------------------------
rpc()
{
	OUT=$(printf '%s\n' "$@" | "$RAW" "$STATE/xmd.sock" 300)
	printf '%s\n' "$OUT" | sed 's/^/# | /'
}
rpc '{"jsonrpc":"2.0","id":1,"method":"domain.setSchedParams","params":{"domain":"s1","weight":0}}'
has '"code": ?-32602' "domain.setSchedParams weight 0: -32602"
rpc '{"jsonrpc":"2.0","id":2,"method":"domain.setSchedParams","params":{"domain":"s1","weight":"x"}}'
has '"code": ?-32602' "domain.setSchedParams weight \"x\": -32602"
rpc '{"jsonrpc":"2.0","id":5,"method":"domain.setSchedParams","params":{"domain":"s1","weight":65536}}'
has "weight 65536 is out of range \\(1 to 65535\\)" "domain.setSchedParams weight 65536 is refused"
rpc '{"jsonrpc":"2.0","id":6,"method":"domain.setSchedParams","params":{"domain":"s1","cap":-1}}'
has "cap -1 is out of range \\(0 to 200" "domain.setSchedParams cap -1 is refused"
rpc '{"jsonrpc":"2.0","id":3,"method":"domain.vcpupin","params":{"domain":"s1","vcpu":0,"cpulist":"9-2"}}'
has '"code": ?-32602' "domain.vcpupin cpulist 9-2: -32602"
has "has a range that runs backwards" "domain.vcpupin: the message names the cause"
rpc '{"jsonrpc":"2.0","id":4,"method":"domain.vcpupin","params":{"domain":"s1","vcpu":0}}'
has '"code": ?-32602' "domain.vcpupin vcpu without cpulist: -32602"
check "nothing changed" sched_is 700 25 --live

finish
