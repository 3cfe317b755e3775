# xmctl's verbs and libxmctl's calls against xmd and ctl-peer (a TEST
# DOUBLE of domain 0, host only): define, list --all/--name/--uuid, start,
# domstate, dominfo, autostart, suspend/pause, resume/unpause, shutdown,
# undefine, event [--loop] [--json], -r, the exit status and error
# lines; the example program; libxmctl's exported names, soname and
# pkg-config file.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
PEER=$XM_BUILDDIR/tests/ctl-peer
LIST=$XM_BUILDDIR/examples/xmctl-list
URI=unix://$STATE/xmd.sock
PEER_PID=
EV_PID=

cleanup()
{
	[ -n "$EV_PID" ] && kill "$EV_PID" 2>/dev/null
	stop_xmd
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

state_is()
{
	[ "$("$XMCTL" -c "$URI" domstate "$1" 2>/dev/null | cut -d' ' -f1-2)" \
	    = "$2" ]
}

# Define the domain probe and see whether FILE has an event about it.
probe_seen()
{
	"$XMCTL" -c "$URI" define "$T/probe.xml" >/dev/null 2>&1
	grep -q "$2" "$1"
}

for d in web probe; do
	cat >"$T/$d.xml" <<XML
<domain type='xen'>
  <name>$d</name>
  <memory unit='MiB'>16</memory>
  <os><kernel>guests/hello/hello.elf</kernel></os>
</domain>
XML
done

"$PEER" -m 128 "$T/ctl.sock" 2>"$T/peer.log" &
PEER_PID=$!
wait_until 5 test -S "$T/ctl.sock"
start_xmd -N "$T/ctl.sock" -T 2
tap $? "xmd is ready"

# --- versions: xmctl's and its library's, then xmd's and the node's --------
VER=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$XM_BUILDDIR/config.h")
x --version
has "^xmctl $VER \(libxmctl $VER\)$" "xmctl --version: xmctl's and libxmctl's version"
has "^xmd $VER$" "... xmd's"
has "^hv [0-9]+\.[0-9]+.*, domain 0 .*\(control protocol [0-9]+\)$" "... and its node's hv and domain 0"
OUT=$("$XMCTL" -c "unix://$T/nowhere.sock" -V 2>&1)
has "^xmctl $VER " "xmctl -V with no xmd there: its own version"
has "^xmd: not reached \(.*nowhere.sock" "... and where xmd was not reached"
OUT=$("$XMD" -V 2>&1)
has "^xmd \(xm\) $VER$" "xmd -V: its version"

"$XMCTL" -c "$URI" event --loop --json >"$T/events" 2>&1 &
EV_PID=$!
# Subscribed once an event about probe comes.
wait_until 5 probe_seen "$T/events" '"domain":"probe"'
tap $? "event --loop: subscribed"
x undefine probe

# --- define, list, start ------------------------------------------------
x define "$T/web.xml"
has "^Domain 'web' defined from $T/web.xml\$" "define"
x list
! printf '%s\n' "$OUT" | grep -q '^web '
tap $? "list: a defined domain that is off is not listed"
x list --all
has '^web +- +16 +1 +shut off ' "list --all: the defined domain, shut off"

# --- bash completion (tools/xmctl.bash): commands, options, domains -------
# complete LINE: what _xmctl offers for the line's last word.
complete_line()
{
	PATH=$(dirname "$XMCTL"):$PATH bash -c '
		source "$1"
		read -r -a COMP_WORDS <<<"$2"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_xmctl
		printf "%s\n" "${COMPREPLY[@]}"' _ \
	    "$XM_SRCDIR/tools/xmctl.bash" "$1"
}
OUT=$(complete_line "xmctl -c $URI mig")
has "^migrate$" "completion: a command from its start"
has "^migrate-abort$" "... every command that starts so"
OUT=$(complete_line "xmctl -c $URI migrate --max-")
has "^--max-rounds$" "... a command's options"
OUT=$(complete_line "xmctl -c $URI start ")
has "^web$" "... the domain names xmd has, for a command that takes DOM"
OUT=$(complete_line "xmctl -c $URI define $T/web.x")
has "^$T/web.xml$" "... files for a command that takes FILE"
x list --all --name
has '^web$' "list --all --name: only the name"
x list --all --uuid
has '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
    "list --all --uuid: only the UUID"
x dumpxml web
has "^  <name>web</name>\$" "dumpxml: the stored definition as canonical XML"
x dumpjson web
has '^  "name": "web",$' "dumpjson: the same as JSON"
x start web
has "^Domain 'web' started\$" "start"
x domstate web
has '^running' "domstate: running"
x domstate --json web
has '"state": "running"' "domstate --json"
has '"domain": "web",' "domstate --json: the domain, as xmd sent it"
! printf '%s\n' "$OUT" | grep -q '"reason"'
tap $? "domstate --json: no reason for a running domain, none made up"
x dominfo --json web
has '"persistent": true' "dominfo --json: persistent"

# --- autostart ------------------------------------------------------------
x autostart web
has "^Domain 'web' marked as autostarted\$" "autostart"
x dominfo web
has '^Autostart: +enable$' "dominfo: autostart enabled"
x autostart --disable web
x dominfo web
has '^Autostart: +disable$' "autostart --disable"

# --- suspend/pause, resume/unpause (virsh's and xl's names) --------------
x suspend web
has "^Domain 'web' paused\$" "suspend"
x pause web
has "^xmctl: domain 'web': already paused\$" "pause (xl's name) names the domain and the reason"
[ "$RC" -eq 1 ]
tap $? "... and exits 1"
x unpause web
has "^Domain 'web' resumed\$" "unpause (xl's name)"
x resume web
has "^xmctl: domain 'web': not paused\$" "resume a running domain: an error"

# --- read-only --------------------------------------------------------------
x -r list
has '^web +[0-9]+ ' "-r: list on the read-only socket"
x -r destroy web
[ "$RC" -eq 1 ]
tap $? "-r: destroy is refused with exit status 1"
has 'read-only' "... saying the connection is read-only"
check "... and the domain still runs" state_is web running

# --- shutdown, undefine -----------------------------------------------------
x shutdown web
has "^Domain 'web' shut down\$" "shutdown (hv's, at once: web does not listen on xenstore)"
wait_until 10 state_is web "shut off"
tap $? "... and the domain is shut off"
x undefine web
has "^Domain 'web' undefined\$" "undefine"
x list --all
! printf '%s\n' "$OUT" | grep -q '^web '
tap $? "list --all: undefined domains are gone"

# --- the events, in order ---------------------------------------------------
wait_until 5 grep -q '"event":"domain.undefined"' "$T/events"
kill "$EV_PID" 2>/dev/null
wait "$EV_PID" 2>/dev/null
EV_PID=
sed 's/^/# event: /' "$T/events"
got=$(grep '"domain":"web"' "$T/events" |
    sed -n 's/.*"event":"domain\.\([a-z]*\)".*/\1/p' | tr '\n' ' ')
[ "$got" = "defined started paused resumed shutdown destroyed undefined " ]
tap $? "event --loop --json: defined started paused resumed shutdown destroyed undefined"
grep -q '"event":"domain.shutdown".*"reason":"poweroff"' "$T/events"
tap $? "... the shutdown event has its reason"
grep -q '"event":"domain.shutdown".*"action":"destroy"' "$T/events"
tap $? "... and what xmd does about it"

# event without --loop: the first event, then exit 0.
"$XMCTL" -c "$URI" event >"$T/one" 2>&1 &
pid=$!
wait_until 5 probe_seen "$T/one" probe
wait_until 5 gone "$pid"
wait "$pid"
tap $? "event: exits 0 after the first event"
sed 's/^/# event: /' "$T/one"
grep -Eq "^[0-9T:.-]+Z domain 'probe': defined\$" "$T/one" &&
    [ "$(wc -l <"$T/one")" -eq 1 ]
tap $? "event: one line with the time, the domain and the event"
x undefine probe
x create "$T/web.xml"
has "^Domain 'web' created \(id [0-9]+\)\$" "create"

# --- errors, usage ------------------------------------------------------------
x domstate nosuch
has "^xmctl: domain 'nosuch': no such domain\$" "an unknown domain is named"
x list --bogus
[ "$RC" -eq 2 ]
tap $? "an unknown option: exit status 2 (a usage error)"
has '^usage: xmctl list \[--json\] \[--all\] \[--name\] \[--uuid\]$' \
    "... with the verb's usage"
x autostart
[ "$RC" -eq 2 ]
tap $? "a missing operand: exit status 2 (a usage error)"

# --- libxmctl: the example, the exported names, the pkg-config file -------
out=$("$LIST" "$URI" 2>&1)
echo "$out" | sed 's/^/# xmctl-list: /'
echo "$out" | grep -Eq '^web +[0-9]+ running '
tap $? "examples/xmctl-list lists the domain"
so=$XM_BUILDDIR/libxmctl/.libs/libxmctl.so
others=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^xmctl_')
[ -z "$others" ]
tap $? "libxmctl exports only xmctl_* names${others:+ (also: $others)}"
objdump -p "$so" | grep -Eq 'SONAME +libxmctl\.so\.[0-9]+$'
tap $? "libxmctl has a versioned soname"
PKG_CONFIG_PATH=$XM_BUILDDIR/libxmctl pkg-config --libs libxmctl |
    grep -q -- '-lxmctl'
tap $? "pkg-config knows libxmctl"

stop_xmd
show_logs "$T/peer.log" >/dev/null
finish
