#!/bin/bash
# xmctl's offline definition verbs (no xmd): validate and convert, on
# the golden files of tests/defs.  TAP.
set -u
src=${XM_SRCDIR:-.}
XMCTL=${XM_BUILDDIR:-.}/xmctl/xmctl
acc=$src/tests/defs/accept
rej=$src/tests/defs/reject
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XM_SCHEMA_DIR=$src/schemas
n=0
fails=0
t()	# t NAME COMMAND...: one case, passing when COMMAND does
{
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		fails=$((fails + 1))
	fi
}

valid()
{
	"$XMCTL" validate "$1" >"$tmp/out" 2>&1 &&
	    grep -q "^$1: a valid definition of domain '" "$tmp/out"
}

refused()	# the exact message of NAME.err, exit 1
{
	local f=$1 want
	want="xmctl: $f: $(cat "${f%.*}.err")"
	"$XMCTL" validate "$f" >"$tmp/out" 2>"$tmp/err" && return 1
	[ "$(cat "$tmp/err")" = "$want" ] || {
		echo "# got:  $(cat "$tmp/err")"; echo "# want: $want"; return 1; }
}

converts()	# converts FILE FORMAT-OPTION GOLDEN
{
	"$XMCTL" convert $2 "$1" >"$tmp/out" 2>&1 && cmp -s "$tmp/out" "$3"
}

for f in "$src"/examples/*.xml "$acc"/*.xml "$acc"/*.json; do
	t "validate $(basename "$f")" valid "$f"
done
for f in "$rej"/bad-uuid.xml "$rej"/mac-bad.xml "$rej"/json-cpuset-type.json \
    "$rej"/vcpupin-range.xml; do
	t "validate refuses $(basename "$f")" refused "$f"
done
t "convert tuned.json to XML" converts "$acc/tuned.json" "" \
    "$acc/tuned.xml.out"
t "convert tuned.json to JSON" converts "$acc/tuned.json" --json \
    "$acc/tuned.json.out"
t "convert --to json tuned.json" converts "$acc/tuned.json" "--to json" \
    "$acc/tuned.json.out"
t "convert --to xml tuned.json" converts "$acc/tuned.json" "--to xml" \
    "$acc/tuned.xml.out"
t "convert libvirt-pv.xml to JSON" converts "$acc/libvirt-pv.xml" --json \
    "$acc/libvirt-pv.json.out"
roundtrip()
{
	"$XMCTL" convert --json "$src/examples/libvirt-pv.xml" |
	    "$XMCTL" convert - >"$tmp/a" &&
	    "$XMCTL" convert "$src/examples/libvirt-pv.xml" >"$tmp/b" &&
	    cmp -s "$tmp/a" "$tmp/b"
}
t "convert: XML -> JSON -> XML through standard input" roundtrip
missing()
{
	! "$XMCTL" validate "$tmp/nope.xml" 2>"$tmp/err" &&
	    grep -q "^xmctl: $tmp/nope.xml: No such file or directory$" \
	    "$tmp/err"
}
t "validate: a missing file" missing
no_schema()	# a schema directory without the schema: refused, naming it
{
	XM_SCHEMA_DIR=$tmp/none "$XMCTL" validate "$acc/minimal.xml" \
	    2>"$tmp/err" && return 1
	grep -q "^xmctl: $acc/minimal.xml: cannot validate: no schema at $tmp/none/domain.rng\$" \
	    "$tmp/err" || { sed 's/^/# /' "$tmp/err"; return 1; }
}
t "validate: no schema in \$XM_SCHEMA_DIR" no_schema
usage()
{
	! "$XMCTL" convert 2>"$tmp/err" && grep -q '^usage: xmctl convert' \
	    "$tmp/err"
}
t "convert without a file: usage" usage
echo "1..$n"
[ "$fails" -eq 0 ]
