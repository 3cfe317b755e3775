#!/bin/bash
# tests/man/check.sh: the man pages in man/ document what the tables
# hold: every xmctl verb in xmctl/xmctl.c's command table, every JSON-RPC
# method in xmd/methods.c's method table, every lifecycle event libxmctl
# knows, every error code and call in libxmctl's header; each page has
# the sections STYLE.md asks for; and `mandoc -T lint` has nothing to say
# (warnings and worse; its STYLE notes about cross-references to pages
# not installed yet are left out; mandoc is the Debian package mandoc,
# which ./bootstrap installs).
set -u

src=${XM_SRCDIR:-.}
man=$src/man
. "$src/tests/tap.sh"

# has PAGE REGEX DESCRIPTION
has()
{
	grep -Eq "$2" "$1"
	tap $? "$3"
}

for page in xmctl.1 libxmctl.3 xm-domain.5 xm-save.5 xmd.conf.5 xm-jsonrpc.7 xmd.8; do
	[ -f "$man/$page" ]
	tap $? "man/$page exists"
done

# The verbs: rows '{ "NAME", cmd_...' of the command table.
verbs=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",[[:space:]]*cmd_.*/\1/p' \
    "$src/xmctl/xmctl.c")
[ -n "$verbs" ]
tap $? "the command table of xmctl/xmctl.c has verbs"
for v in $verbs; do
	has "$man/xmctl.1" "^\.It Cm $v( |\$)" "xmctl(1) documents the verb $v"
done

# The methods: rows '{ "NAME", m_...' (or rpc_..., the transport's) of
# the method table.
methods=$(sed -n 's/^[[:space:]]*{ "\([a-z_.]*\)",[[:space:]]*\(m\|rpc\)_.*/\1/p' \
    "$src/xmd/methods.c")
[ -n "$methods" ]
tap $? "the method table of xmd/methods.c has methods"
# Those libxmctl calls, whether or not xmd has them yet.
lib_methods=$(grep -o 'xc_call(x, "[a-z_.]*"\|domain_call(x, "[a-z_.]*"' \
    "$src"/libxmctl/*.c | sed 's/.*"\(.*\)"/\1/')
for m in $(echo $methods $lib_methods | tr ' ' '\n' | sort -u); do
	has "$man/xm-jsonrpc.7" "^\.It Li ${m//./\\.}( |\$)" \
	    "xm-jsonrpc(7) documents the method $m"
done

# The lifecycle events libxmctl knows, and the console notifications.
events=$(sed -n '/event_names\[\] = {/,/};/p' "$src/libxmctl/events.c" |
    grep -o '"[a-z]*"' | tr -d '"')
[ -n "$events" ]
tap $? "libxmctl/events.c names the events"
for e in $events console.output console.closed; do
	has "$man/xm-jsonrpc.7" "^\.It Li domain\.${e//./\\.}( |\$)" \
	    "xm-jsonrpc(7) documents the notification domain.$e"
done

# The error codes, in xm-jsonrpc(7) by number and libxmctl(3) by name.
codes=$(sed -n 's/^[[:space:]]*\(XMCTL_E_[A-Z_]*\) = \(-*[0-9]*\),.*/\1=\2/p' \
    "$src/libxmctl/include/xmctl.h")
[ -n "$codes" ]
tap $? "libxmctl's header has error codes"
for c in $codes; do
	name=${c%=*} num=${c#*=}
	has "$man/xm-jsonrpc.7" "^\.(It )?Er $num\$" \
	    "xm-jsonrpc(7) documents the error code $num ($name)"
	has "$man/libxmctl.3" "Dv $name\$" "libxmctl(3) names $name"
done

# The calls of libxmctl's header.
calls=$(grep -v '^typedef' "$src/libxmctl/include/xmctl.h" |
    grep -o '^[a-z].*[[:space:]]\**xmctl_[a-z_]*(' | grep -o 'xmctl_[a-z_]*')
[ -n "$calls" ]
tap $? "libxmctl's header declares calls"
for f in $calls; do
	has "$man/libxmctl.3" "^\.Fn $f " "libxmctl(3) documents $f()"
done

# The sections every page has, and those of commands and libraries.
for page in "$man"/*.[1-9]; do
	p=$(basename "$page")
	want="NAME DESCRIPTION FILES SEE.ALSO"
	case $p in
	*.1|*.8) want="$want SYNOPSIS EXIT.STATUS" ;;
	*.3) want="$want SYNOPSIS RETURN.VALUES" ;;
	esac
	missing=
	for s in $want; do
		grep -q "^\.Sh $s\$" "$page" || missing="$missing $s"
	done
	[ -z "$missing" ]
	tap $? "$p has its sections${missing:+ (missing:$missing)}"
done

if command -v mandoc >/dev/null; then
	for page in "$man"/*.[1-9]; do
		out=$(mandoc -T lint -W warning "$page" 2>&1)
		[ -z "$out" ]
		tap $? "mandoc -T lint $(basename "$page")"
		[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	done
else
	tap 1 "mandoc -T lint: mandoc is not installed (Debian package mandoc)"
fi

echo "1..$tap_n"
exit $tap_failed
