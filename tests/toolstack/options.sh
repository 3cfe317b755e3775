# xmd's and xmctl's options, numbers and exit statuses (host only, with
# ctl-peer, a TEST DOUBLE of domain 0, where a node is needed): 0 when
# done, 1 when the operation fails, 2 on a usage error (an unknown
# option or verb, a wrong number of operands, a malformed number), each
# with a message that names the option and the value; -h and xmctl help
# print the usage on standard output.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
PEER=$XM_BUILDDIR/tests/ctl-peer
PEER_PID=

cleanup()
{
	stop_xmd
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

# run CMD ARGS...: standard output in $T/out, error in $T/err, status $RC.
run()
{
	RC=0
	"$@" >"$T/out" 2>"$T/err" || RC=$?
	echo "# \$ $* (status $RC)"
	sed 's/^/# 1| /' "$T/out" | head -n 5
	sed 's/^/# 2| /' "$T/err" | head -n 5
}

# status N DESC: the last run exited N.
status()
{
	[ "$RC" -eq "$1" ]
	tap $? "$2 (status $RC, want $1)"
}

# says out|err REGEX DESC: a line of the last run's output matches.
says()
{
	grep -Eq -- "$2" "$T/$1"
	tap $? "$3"
}

# empty out|err DESC: the last run wrote nothing there.
empty()
{
	[ ! -s "$T/$1" ]
	tap $? "$2"
}

# xmd_bad DESC WANT-REGEX ARGS...: xmd refuses ARGS with status 2.
xmd_bad()
{
	local desc=$1 want=$2
	shift 2
	run "$XMD" -s "$STATE" "$@"
	[ "$RC" -eq 2 ] && grep -Eq -- "$want" "$T/err" && [ ! -s "$T/out" ]
	tap $? "xmd $*: $desc (status 2)"
}

# --- xmd: -h, unknown options, operands -------------------------------
run "$XMD" -h
status 0 "xmd -h"
says out '^usage: xmd ' "... prints the usage on standard output"
empty err "... and nothing on standard error"
run "$XMD" -z
status 2 "xmd -z: an unknown option"
says err '^usage: xmd ' "... the usage on standard error"
empty out "... and nothing on standard output"
xmd_bad "an operand" '^xmd: extra: xmd takes no operands' extra

# --- xmd: numbers ------------------------------------------------------
xmd_bad "not a number" '^xmd: -T 12x: not a number$' -T 12x
xmd_bad "too small" '^xmd: -T 0: too small \(1\.\.3600\)$' -T 0
xmd_bad "too large" '^xmd: -T 3601: too large \(1\.\.3600\)$' -T 3601
xmd_bad "negative" '^xmd: -t -5: not a number$' -t -5
xmd_bad "empty" '^xmd: -t : empty, not a number$' -t ''
xmd_bad "hex is not taken" '^xmd: -t 0x10: not a number$' -t 0x10
xmd_bad "a sign" '^xmd: -t \+5: not a number$' -t +5
xmd_bad "overflow" '^xmd: -t 99999999999999999999: too large' \
    -t 99999999999999999999
xmd_bad "CPUs in node_cpus' range" '^xmd: -S 65: too large \(1\.\.64\)$' \
    -S 65
xmd_bad "CPUs: trailing garbage" '^xmd: -S 2cpus: not a number$' -S 2cpus
xmd_bad "memory: a unit" \
    '^xmd: -m 4q: unknown unit \(K, M, G or T\)$' -m 4q
xmd_bad "memory: too small" '^xmd: -m 8M: too small \(16M\.\.1T\)$' -m 8M
xmd_bad "memory: not a size" '^xmd: -m M: not a size$' -m M
xmd_bad "a log level" '^xmd: -l loud: not a level' -l loud
# A usage error comes before the configuration file is read.
xmd_bad "before the file" '^xmd: -T x: not a number$' \
    -f "$T/nonexistent.conf" -T x

# Good numbers, with -n: the configuration is checked and xmd exits 0.
run "$XMD" -s "$STATE" -n -T 3600 -t 1 -S 64 -m 1T
status 0 "xmd -n with numbers at the ends of their ranges"
says out 'configuration OK' "... says the configuration is OK"

# xmd.conf: the same ranges, named with the file and line; a bad file
# is a failure (1), not a usage error.
printf 'hello_timeout = 60\nnode_cpus = 0\n' >"$T/cpus.conf"
run "$XMD" -n -f "$T/cpus.conf"
status 1 "xmd -n: node_cpus = 0"
says err "^xmd: $T/cpus.conf:2: node_cpus '0': too small \(1\.\.64\)\$" \
    "... names the file, the line, the key and the value"
printf 'request_timeout = 10s\n' >"$T/secs.conf"
run "$XMD" -n -f "$T/secs.conf"
status 1 "xmd -n: request_timeout = 10s"
says err "^xmd: $T/secs.conf:1: request_timeout '10s': not a number\$" \
    "... not a number"
printf 'node_memory = 512 M\n' >"$T/mem.conf"
run "$XMD" -n -f "$T/mem.conf"
status 1 "xmd -n: node_memory = 512 M"
says err "^xmd: $T/mem.conf:1: node_memory '512 M': unknown unit" \
    "... a size with a space is refused"
printf 'node_memory = 2G\nnode_cpus = 4\n' >"$T/good.conf"
run "$XMD" -n -f "$T/good.conf"
status 0 "xmd -n: node_memory = 2G, node_cpus = 4"
# The option wins over the file, and is checked on its own.
run "$XMD" -n -f "$T/good.conf" -S 0
status 2 "xmd -n -f good.conf -S 0: the option is still checked"

# --- xmctl without xmd: usage --------------------------------------------
run "$XMCTL" -h
status 0 "xmctl -h"
says out '^usage: xmctl ' "... prints the usage on standard output"
says out '^  list ' "... with the commands"
empty err "... and nothing on standard error"
run "$XMCTL" help
status 0 "xmctl help"
cmp -s "$T/out" <("$XMCTL" -h)
tap $? "... prints what xmctl -h prints"
run "$XMCTL" help list
status 0 "xmctl help list"
says out '^usage: xmctl list \[--json\] \[--all\] \[--name\] \[--uuid\]$' \
    "... prints list's usage on standard output"
says out '^  list the running domains' "... and what it does"
cmp -s "$T/out" <("$XMCTL" list -h)
tap $? "... as xmctl list -h does"
cmp -s "$T/out" <("$XMCTL" list --help)
tap $? "... and xmctl list --help"
run "$XMCTL" help nosuch
status 2 "xmctl help nosuch"
says err "^xmctl: unknown command 'nosuch'" "... names the command"
run "$XMCTL" help list dominfo
status 2 "xmctl help with two operands"
says err '^usage: xmctl help \[COMMAND\]$' "... prints help's usage"
run "$XMCTL"
status 2 "xmctl without a command"
says err '^usage: xmctl ' "... the usage on standard error"
empty out "... and nothing on standard output"
run "$XMCTL" -z list
status 2 "xmctl -z: an unknown option"
says err '^usage: xmctl ' "... the usage on standard error"
run "$XMCTL" frobnicate
status 2 "an unknown verb"
says err "^xmctl: unknown command 'frobnicate' \(xmctl -h lists them\)\$" \
    "... is named"
run "$XMCTL" list --bogus
status 2 "an unknown verb option"
says err '^usage: xmctl list ' "... prints the verb's usage"
run "$XMCTL" dominfo
status 2 "a missing operand"
says err '^usage: xmctl dominfo \[--json\] DOM$' "... prints the verb's usage"
run "$XMCTL" dominfo a b
status 2 "an operand too many"
run "$XMCTL" convert --to yaml "$XM_SRCDIR/examples/hello.xml"
status 2 "convert --to yaml: a bad option value"
says err "^xmctl: convert: --to takes json or xml, not 'yaml'\$" \
    "... is named"
# migrate's options: those of a live migration need --live, numbers in
# range, all checked before xmd is asked.
run "$XMCTL" help migrate
status 0 "xmctl help migrate"
says out '^usage: xmctl migrate .*\[--live\] .*\[--max-rounds N\] \[--max-downtime MS\] \[--verbose\] \[--bandwidth MiB/s\] \[--persistent\] \[--undefinesource\] DOM URI$' \
    "... shows --live, --max-rounds, --max-downtime, --verbose, --bandwidth, --persistent and --undefinesource"
for bad in -1 4.5 4M ''; do
	run "$XMCTL" migrate --bandwidth "$bad" web1 xm+unix:///nonexistent.sock
	status 2 "migrate --bandwidth '$bad': a usage error"
	says err "^xmctl: --bandwidth '$bad': .*not a number\$" "... is named"
done
run "$XMCTL" migrate --bandwidth 1048577 web1 xm+unix:///nonexistent.sock
status 2 "migrate --bandwidth 1048577"
says err "^xmctl: --bandwidth '1048577': too large \(0\.\.1048576\)\$" \
    "... is named, with the range"
run "$XMCTL" -c "unix://$T/nonexistent.sock" migrate --bandwidth 0 \
    --persistent --undefinesource web1 xm+unix:///nonexistent.sock
status 1 "migrate --bandwidth 0 --persistent --undefinesource without --live: on to connecting"
run "$XMCTL" migrate --max-rounds 3 web1 xm+unix:///nonexistent.sock
status 2 "migrate --max-rounds without --live: a usage error"
says err "^xmctl: migrate: --max-rounds needs --live\$" "... naming both"
run "$XMCTL" migrate --verbose --max-downtime 50 web1 \
    xm+unix:///nonexistent.sock
status 2 "migrate --max-downtime without --live: a usage error"
says err "^xmctl: migrate: --max-downtime needs --live\$" "... naming both"
run "$XMCTL" migrate --live --max-rounds 0 web1 xm+unix:///nonexistent.sock
status 2 "migrate --live --max-rounds 0"
says err "^xmctl: --max-rounds '0': too small \(1\.\.1000\)\$" \
    "... is named, with the range"
run "$XMCTL" migrate --live --max-rounds 1001 web1 \
    xm+unix:///nonexistent.sock
status 2 "migrate --live --max-rounds 1001"
says err "^xmctl: --max-rounds '1001': too large" "... is named"
run "$XMCTL" migrate --live --max-rounds 3x web1 xm+unix:///nonexistent.sock
status 2 "migrate --live --max-rounds 3x"
says err "^xmctl: --max-rounds '3x': not a number\$" "... is named"
run "$XMCTL" migrate --live --max-downtime 600001 web1 \
    xm+unix:///nonexistent.sock
status 2 "migrate --live --max-downtime 600001"
says err "^xmctl: --max-downtime '600001': too large \(1\.\.600000\)\$" \
    "... is named, with the range"
run "$XMCTL" migrate --live --max-downtime -5 web1 \
    xm+unix:///nonexistent.sock
status 2 "migrate --live --max-downtime -5"
says err "^xmctl: --max-downtime '-5': " "... is named"
run "$XMCTL" migrate --live --max-rounds web1 xm+unix:///nonexistent.sock
status 2 "migrate --live --max-rounds without its number: an operand short"
run "$XMCTL" -c "unix://$T/nonexistent.sock" migrate --live --max-rounds 1000 \
    --max-downtime 600000 --verbose --timeout 30 web1 \
    xm+unix:///nonexistent.sock
status 1 "migrate with every option in range: on to connecting (no xmd: 1)"
says err "cannot connect to xmd" "... which is what failed"
run "$XMCTL" -c "unix://$T/nonexistent.sock" migrate --verbose web1 \
    xm+unix:///nonexistent.sock
status 1 "migrate --verbose without --live is not a usage error"
run "$XMCTL" validate "$T/nonexistent.xml"
status 1 "validate a missing file: a failure, not a usage error"
run "$XMCTL" validate "$XM_SRCDIR/examples/hello.xml"
status 0 "validate a good definition"
run "$XMCTL" -c "unix://$T/nonexistent.sock" list
status 1 "no xmd at the URI: a failure"

# --- xmd with good numbers, then xmctl against it ---------------------
"$PEER" -m 128 "$T/ctl.sock" 2>"$T/peer.log" &
PEER_PID=$!
wait_until 5 test -S "$T/ctl.sock"
start_xmd -N "$T/ctl.sock" -T 2 -t 5 -S 2 -m 512M
tap $? "xmd -T 2 -t 5 -S 2 -m 512M starts (status 0)"
x list
[ "$RC" -eq 0 ]
tap $? "xmctl list: status 0"
x dominfo nosuch
[ "$RC" -eq 1 ]
tap $? "xmctl dominfo nosuch: status 1 (the operation failed)"
has "^xmctl: domain 'nosuch': no such domain\$" "... naming the domain"
x dominfo 99999999999999999999
[ "$RC" -eq 1 ]
tap $? "xmctl dominfo with an id past any domain's: status 1"
has "^xmctl: domain '99999999999999999999': no such domain\$" \
    "... no such domain"
cat >"$T/web.xml" <<XML
<domain type='xen'>
  <name>web</name>
  <memory unit='MiB'>16</memory>
  <os><kernel>guests/hello/hello.elf</kernel></os>
</domain>
XML
x create "$T/web.xml"
id=$(printf '%s\n' "$OUT" | sed -n 's/.*(id \([0-9]*\))$/\1/p')
[ "$RC" -eq 0 ] && [ -n "$id" ]
tap $? "xmctl create: status 0 (id ${id:-none})"
x dominfo "${id:-none}"
has '^Name: +web$' "xmctl dominfo $id: the domain by its id"
x dominfo "00${id:-none}"
has '^Name: +web$' "xmctl dominfo 00$id: leading zeros are decimal"
x destroy web
[ "$RC" -eq 0 ]
tap $? "xmctl destroy web: status 0"
x list --bogus
[ "$RC" -eq 2 ]
tap $? "xmctl list --bogus with xmd running: still a usage error (2)"

# A second xmd on the same state directory fails (1), after the options.
run "$XMD" -s "$STATE" -K "$XM_BUILDDIR" -N "$T/ctl.sock" -T 2
status 1 "a second xmd on the state directory fails"
says err 'another xmd' "... saying why"
stop_xmd
tap $? "xmd stops"

finish
