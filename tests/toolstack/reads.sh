# Reads are cheap and right (issue 11): domain.list and domain.info are
# answered from xmd's state against ctl-peer, a TEST DOUBLE of domain 0
# (host only).  A change made behind xmd's back shows promptly: a domain
# shutting down by itself (a DOMAIN_EVENT), a pause by another client,
# a pause the node never announces (found by the sampler's refresh), CPU
# time that grows; a hundred reads write no file in the state directory,
# where a change still does; domain.rng is compiled once per process.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
. "$XM_SRCDIR/tests/toolstack/peer-lib.sh"
RW=$STATE/xmd.sock

# A definition: NAME CMDLINE [EXTRA ELEMENTS]
define()
{
	cat >"$T/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>16</memory>
  <os><kernel>guests/hello/hello.elf</kernel><cmdline>$2</cmdline></os>
  ${3:-}
</domain>
XML
	echo "$T/$1.xml"
}

state_is()
{
	"$XMCTL" -c "unix://$RW" dominfo "$1" 2>/dev/null |
	    grep -q "^State: *$2$"
}

listed_as()
{
	"$XMCTL" -c "unix://$RW" list --all 2>/dev/null |
	    grep -Eq "^$1 .* $2 "
}

rpc()
{
	OUT=$(printf '%s\n' "$@" | "$RAW" "$RW" 300)
	printf '%s\n' "$OUT" | head -c 2000 | sed 's/^/# < /'
}

req()
{
	printf '{"jsonrpc":"2.0","id":%s,"method":"%s","params":%s}' "$1" "$2" "$3"
}

cpu_time()
{
	printf '%s\n' "$(req 1 domain.info "{\"domain\":\"$1\"}")" |
	    "$RAW" "$RW" 300 | sed -n 's/.*"cpu_time_ns":\([0-9]*\).*/\1/p'
}

# Files in the state directory changed since $1 (logs aside).
changed_since()
{
	find "$STATE" -type f -newer "$1" ! -name '*.log' ! -name '*.sock'
}

mkdir -p "$T/schemas"
cp "$XM_SRCDIR/schemas/domain.rng" "$T/schemas/"
printf 'stats_interval_ms = 200\n' >"$T/xmd.conf"
start_peer -m 128
XM_SCHEMA_DIR=$T/schemas start_xmd -f "$T/xmd.conf" -N "$T/ctl.sock" -T 2
tap $? "xmd is ready"

# --- state changes behind xmd's back ----------------------------------
x define "$(define web '')"
x start web
x create "$(define leaver 'peer-exit=5' \
    '<on_poweroff>preserve</on_poweroff>')"
x create "$(define quiet 'peer-pause=5')"
wait_until 3 state_is leaver "shut off"
tap $? "a domain that shut down by itself: domain.info says shut off"
check "... and domain.list too" listed_as leaver "shut off"
wait_until 3 state_is quiet paused
tap $? "a pause no event told of: found by the refresh (domain.info)"
check "... and domain.list" listed_as quiet paused
x suspend web
rpc "$(req 2 domain.info '{"domain":"web"}')"
has '"name":"web",.*"state":"paused"' \
    "a pause by another client: the next domain.info says paused"
x resume web
rpc "$(req 3 domain.list '{}')"
has '"name":"web",[^}]*"state":"running"' "... resumed: domain.list says so"
t0=$(cpu_time web)
sleep 0.8
t1=$(cpu_time web)
echo "# web's CPU time: $t0 then $t1 ns"
[ -n "$t0" ] && [ -n "$t1" ] && [ "$t1" -gt "$t0" ]
tap $? "domain.info: a running domain's CPU time grows between reads"

# --- a read writes nothing --------------------------------------------
wait_until 3 test -s "$STATE/domains"
ino=$(stat -c %i "$STATE/domains")
touch "$T/mark"
sleep 0.2
reads=
for i in $(seq 50); do
	reads="$reads$(req "1$i" domain.info '{"domain":"web"}')
$(req "2$i" domain.list '{"all":true}')
"
done
OUT=$(printf '%s' "$reads" | "$RAW" "$RW" 500)
n=$(printf '%s\n' "$OUT" | grep -c '"result"')
echo "# $n answers"
[ "$n" -eq 100 ]
tap $? "100 reads (domain.info, domain.list) on one connection answered"
sleep 0.5	# refreshes too, unchanged
OUT=$(changed_since "$T/mark")
printf '%s\n' "$OUT" | sed 's/^/# changed: /'
[ -z "$OUT" ]
tap $? "... and no file in the state directory was written"
[ "$(stat -c %i "$STATE/domains")" = "$ino" ]
tap $? "... STATE/domains is the same file"
x destroy quiet
changed_since "$T/mark" | grep -q "^$STATE/domains\$"
tap $? "a destroy does write STATE/domains"
! grep -q ' quiet$' "$STATE/domains"
tap $? "... without the destroyed domain"

# --- the schema, compiled once ----------------------------------------
cat >"$T/schemas/domain.rng" <<'RNG'
<element name="nothing" xmlns="http://relaxng.org/ns/structure/1.0">
  <empty/>
</element>
RNG
rpc "$(req 4 domain.define "{\"definition\":\"<domain type='xen'><name>late</name><memory unit='MiB'>16</memory><os><kernel>guests/hello/hello.elf</kernel></os></domain>\"}")"
has '"id":4,"result":\{[^}]*"name":"late"' \
    "domain.rng is compiled once: a schema changed since is not read again"

stop_xmd
finish
