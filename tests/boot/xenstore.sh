# xenstore end to end (issue 12, points 3 and 5) on the real node: xmd
# starts QEMU on xm.iso, domains of guests/xsclient talk to the store in
# xmd through their start_info ring and domain 0's relay.
#  - two domains check their own tree, data, watches and transactions,
#    and that the other's tree is closed to them (both ways), a watch
#    there included;
#  - xmctl store ls shows the tree xmd wrote, with its permissions;
#    store read/write/rm/watch work as root's view;
#  - a hostile domain runs into every quota, sends malformed requests
#    and asks for more than it reads (xmd keeps a queue's worth, drops
#    the rest), then a header of more than 4096 bytes: it is cut off,
#    xmd answers and the other domain is still served;
#  - a destroyed domain's keys are gone;
#  - shutdown and reboot through control/shutdown: a listening domain
#    powers off or restarts, a deaf one times out with a clear message
#    and is left running, --force destroys it;
#  - bad operands get clear errors.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso

trap 'stop_xmd' EXIT

# A definition of xsclient, in $T: NAME CMDLINE (its path is printed)
def()
{
	cat >"$T/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>8</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>guests/xsclient/xsclient.elf</kernel>
    <cmdline>xsclient $2</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
</domain>
XML
	echo "$T/$1.xml"
}

log()
{
	echo "$STATE/console/$1.log"
}

logged()
{
	grep -q -- "$2" "$(log "$1")"
}

# The domain's id, from xmctl list
domid()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" list |
	    awk -v n="$1" '$1 == n { print $2 }'
}

listed()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^$1 "
}

sread()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" store read "$1" 2>/dev/null
}

# The guest's TAP lines: all ok, and a plan
guest_tap()
{
	local f
	f=$(log "$1")
	echo "# --- $1's TAP"
	grep -E '^(not )?ok |^1\.\.|^# ' "$f" | sed 's/^/# | /'
	grep -Eq '^1\.\.[0-9]+' "$f" && ! grep -q '^not ok' "$f"
	tap $? "$2"
}

# The last x exited with status WANT and said REGEX
status_has()
{
	if [ "$RC" -ne "$1" ]; then
		echo "# status $RC, expected $1"
		tap 1 "$3"
		return
	fi
	has "$2" "$3"
}

start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"

# --- two domains, each the other's peer -------------------------------------
x create "$(def xsa mode=basic)"
has "^Domain 'xsa' created" "create xsa (xsclient mode=basic)"
x create "$(def xsb mode=basic)"
has "^Domain 'xsb' created" "create xsb"
A=$(domid xsa)
B=$(domid xsb)
echo "# xsa is d$A, xsb is d$B"
wait_until 30 logged xsa "waiting for data/peer" &&
    wait_until 30 logged xsb "waiting for data/peer"
tap $? "both ran their own-tree tests and wait for their peer"
x store write "/local/domain/$A/data/peer" "$B $(sread "/local/domain/$B/vm")"
x store write "/local/domain/$B/data/peer" "$A $(sread "/local/domain/$A/vm")"
wait_until 30 logged xsa "xsclient: spying" &&
    wait_until 30 logged xsb "xsclient: spying"
tap $? "both ran the isolation tests and watch each other's data"
x store write "/local/domain/$B/data/spied" "by xsa?"
x store write "/local/domain/$A/data/spied" "by xsb?"
x store write "/local/domain/$A/data/spycheck/now" 1
x store write "/local/domain/$B/data/spycheck/now" 1
wait_until 30 logged xsa "xsclient: basic done" &&
    wait_until 30 logged xsb "xsclient: basic done"
tap $? "both finish"
check "xsa read its own name and id" \
    logged xsa "xsclient: I am 'xsa', domain $A\$"
check "xsa's memory/target is its definition's 8 MiB" \
    logged xsa "xsclient: memory/target 8192\$"
guest_tap xsa "xsa: own tree, data, watches, transactions; d$B closed to it"
guest_tap xsb "xsb: the same; d$A closed to it"

# --- the tree as xmctl shows it ---------------------------------------------
x store ls "/local/domain/$A"
has '^name = "xsa"  \(n0,r'"$A"'\)$' \
    "store ls: name, domain 0's, readable by d$A"
has "^domid = \"$A\"" "store ls: domid"
has '^vm = "/vm/[0-9a-f-]{36}"' "store ls: vm"
has '^ target = "8192"' "store ls: memory/target, indented under memory"
has '^ static-max = "8192"' "store ls: memory/static-max"
has '^  availability = "online"' "store ls: cpu/0/availability"
has '^data = ""  \(n'"$A"'\)$' "store ls: data belongs to d$A alone"
has '^ secret = "xsa"  \(n'"$A"'\)$' "store ls: what xsa wrote there, its own"
has '^ feature-poweroff = "1"  \(n'"$A"'\)$' \
    "store ls: control/feature-poweroff, written by the domain"
has '^ port = "[0-9]+"' "store ls: store/port"
x store ls "/vm/$(sread "/local/domain/$A/vm" | sed 's|^/vm/||')"
has '^name = "xsa"' "store ls /vm/UUID: the name"
x store write "/local/domain/$A/data/probe" "from root"
[ "$RC" -eq 0 ]
tap $? "store write"
x store read "/local/domain/$A/data/probe"
has '^from root$' "store read gives it back"
x store rm "/local/domain/$A/data/probe"
[ "$RC" -eq 0 ]
tap $? "store rm"
x store read "/local/domain/$A/data/probe"
status_has 1 "/local/domain/$A/data/probe" \
    "store read of what was removed: an error naming the path"
"$XMCTL" -c "unix://$STATE/xmd.sock" store watch --count 2 \
    "/local/domain/$A/data/seen" >"$T/watch.out" 2>&1 &
WPID=$!
sleep 1
x store write "/local/domain/$A/data/seen" "1"
wait_until 10 gone "$WPID"
tap $? "store watch --count 2 ends after the first event and a write"
OUT=$(cat "$T/watch.out")
echo "$OUT" | sed 's/^/# | /'
[ "$(printf '%s\n' "$OUT" | grep -c "^/local/domain/$A/data/seen\$")" = 2 ]
tap $? "store watch: the initial event and the write, by path"

# The domains' own ring still works when xmctl writes: a ping echoed.
ping_ok()
{
	[ "$(sread "/local/domain/$1/data/pong")" = "$2" ]
}
"$XMCTL" -c "unix://$STATE/xmd.sock" store watch --count 2 \
    "/local/domain/$B/data/pong" >"$T/pong.out" 2>&1 &
WPID=$!
sleep 1
x store write "/local/domain/$B/data/ping" "p1"
wait_until 10 ping_ok "$B" p1
tap $? "xsb answers a ping through its ring (data/ping -> data/pong)"
wait_until 10 gone "$WPID"
tap $? "store watch sees the write xsb made through its ring"
sed 's/^/# | /' "$T/pong.out"

# --- a hostile domain -------------------------------------------------------
x create "$(def xsh mode=hostile)"
has "^Domain 'xsh' created" "create xsh (mode=hostile)"
wait_until 60 logged xsh "xsclient: hostile done"
tap $? "xsh runs through its quotas and malformed requests"
# Passed, by name: what Xen's xenstored answers each.
passed()
{
	grep -E '^ok [0-9]+ - ' "$(log "$1")" | grep -qF -- "$2"
}
for l in "node quota: refused (ENOSPC)" \
    "the 129th watch is refused (E2BIG)" "the 11th is refused (ENOSPC)" \
    "one of 2049 bytes is refused (ENOSPC)" \
    "an unknown message type: ENOSYS" "after all that, it is still served" \
    "xmd keeps the first" "then it is served again" \
    "a header announcing 4097 bytes (all sent): no answer"; do
	check "xsh: $l" passed xsh "$l"
done
guest_tap xsh "xsh: quotas and malformed requests refused as xenstored does"
x create "$(def xsc "mode=cutoff len=0xffffffff spam=6")"
wait_until 30 logged xsc "xsclient: cut off"
tap $? "xsc sends a header announcing 4 GiB - 1 bytes, then floods its ring"
check "xmd logged the answers it dropped" \
    grep -q "does not read its answers: dropping them" "$STATE/xmd.log"
check "xmd logged the malformed streams" \
    grep -q "sent a malformed message: its connection is closed" \
    "$STATE/xmd.log"
# While xsc floods: xmd answers, xsb is served.
x list
has '^xsh +[0-9]+ .* running' "xmd still answers list; xsh still runs"
has '^xsb +[0-9]+ .* running' "... and xsb"
x store write "/local/domain/$B/data/ping" "p2"
wait_until 10 ping_ok "$B" p2
tap $? "xsb is still served after the hostile domains, during xsc's flood"
wait_until 30 logged xsc "xsclient: cutoff done"
tap $? "xsc ends its flood"
grep 'xsclient: spammed' "$(log xsc)" | sed 's/^/# /'
guest_tap xsc "xsc: cut off, nothing answered after it"
x store write "/local/domain/$B/data/ping" "p3"
wait_until 10 ping_ok "$B" p3
tap $? "xsb is served after the flood"
x destroy xsh
x destroy xsc

# --- a destroyed domain's keys go -------------------------------------------
VMB=$(sread "/local/domain/$B/vm")
x destroy xsb
has "^Domain 'xsb' destroyed" "destroy xsb"
x store ls /local/domain
! printf '%s\n' "$OUT" | grep -q "^$B = "
tap $? "store ls /local/domain: d$B is gone"
has "^$A = " "... d$A stays"
x store read "$VMB/name"
status_has 1 "'$VMB/name': no such path" "xsb's $VMB is gone too"

# --- shutdown and reboot through the guest ----------------------------------
x shutdown xsa
has "^Domain 'xsa' shut down$" \
    "shutdown of a listening domain returns once it powered off"
check "xsa saw control/shutdown = poweroff" \
    logged xsa 'control/shutdown says "poweroff"'
wait_until 10 eval '! listed xsa'
tap $? "xsa is gone (on_poweroff destroy)"

x create "$(def xsl mode=listen)"
wait_until 30 logged xsl "xsclient: listening"
tap $? "xsl listens"
L1=$(domid xsl)
x reboot xsl
has "^Domain 'xsl' rebooted$" \
    "reboot of a listening domain returns once it shut down"
check "xsl saw control/shutdown = reboot" \
    logged xsl 'control/shutdown says "reboot"'
two_listens()
{
	[ "$(grep -c 'xsclient: listening' "$(log xsl)")" -ge 2 ]
}
wait_until 30 two_listens
tap $? "xsl restarts and listens again"
x list
has '^xsl +[0-9]+ .* running' "xsl runs after the reboot"
echo "# xsl was d$L1, is d$(domid xsl)"
x shutdown xsl --timeout 20
has "^Domain 'xsl' shut down$" "it shuts down after the reboot too"

x create "$(def xsd mode=deaf)"
wait_until 30 logged xsd "xsclient: deaf"
tap $? "xsd advertises the features and ignores them"
x shutdown xsd --timeout 3
status_has 1 "domain 'xsd'.* within 3 s" \
    "shutdown --timeout 3 of a deaf domain fails naming the timeout"
x list
has '^xsd +[0-9]+ .* running' "... and leaves it running"
x shutdown xsd --timeout 2 --force
has "^Domain 'xsd' destroyed" "shutdown --force destroys it after the timeout"
wait_until 10 eval '! listed xsd'
tap $? "xsd is gone"

# --- bad operands -----------------------------------------------------------
x store frob /x
status_has 2 "store: unknown operation 'frob'" \
    "store frob: a usage error naming it"
x store read
status_has 2 "store read: wrong operands" \
    "store read without a path: a usage error"
x store read /local/domain/9999/nothing
status_has 1 "/local/domain/9999/nothing" \
    "store read of a missing path: an error naming it"
x store watch /x --count 0
[ "$RC" -eq 2 ]
tap $? "store watch --count 0: a usage error"
x -r store ls /local/domain
status_has 1 "method 'store.ls' needs the admin role" \
    "store ls on a read-only connection: refused (the store is root's)"
x -r store write /local/domain/0/x 1
status_has 1 "method 'store.write' needs the admin role" \
    "store write on a read-only connection: refused"
x shutdown nosuch
status_has 1 "nosuch" "shutdown of an unknown domain names it"

[ "$tap_failed" -eq 0 ] || show_logs
finish
