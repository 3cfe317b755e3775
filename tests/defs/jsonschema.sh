#!/bin/bash
# The schemas against the field table of definitions (common/def_fields.c)
# and the JSON Schema against xm's own checks.  TAP:
#  - schemas/domain.schema.json is what tools/xm-def-schema makes of the
#    table now (else `make schema`), and a valid draft 2020-12 schema;
#  - schemas/domain.rng has the table's elements and attributes, no more
#    and no fewer, and the same values for each of its enums;
#  - for every JSON definition of tests/defs (accept/*.json, *.json.out,
#    reject/json-*.json) and the JSON form of every XML one of examples/
#    and tests/defs/accept, `xmctl validate` and Python's jsonschema
#    (Debian: python3-jsonschema, which ./bootstrap installs; without it
#    the test fails) give the same verdict; but for the rules that only
#    xm checks (ONLY_XM), xm must refuse and the schema accept, so that a
#    schema that learns one is noticed here.
set -u
src=${XM_SRCDIR:-.}
build=${XM_BUILDDIR:-.}
. "$src/tests/tap.sh"
XMCTL=$build/xmctl/xmctl
GEN=$build/tools/xm-def-schema
CHECK=$src/tests/defs/schema_check.py
schema=$src/schemas/domain.schema.json
acc=$src/tests/defs/accept
tmp=$(mktemp -d "${XM_TEST_TMP:-/tmp}/jsonschema.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export XM_SCHEMA_DIR=$src/schemas LC_ALL=C

# xm's messages for the rules between fields, and the files that break
# a rule the schema's patterns cannot say (a CPU range running backwards).
ONLY_XM='currentMemory is more than memory|^vcpu: current |^vcpupin: vCPU '
ONLY_XM+='|soft_limit is more than hard_limit|source is (file|dev|bridge|network)=$'
ONLY_XM+='|^cputune: cap |is not well-formed XML$|is in no namespace'
ONLY_XM_FILES='json-cpuset-backwards.json'

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "not ok 1 - Python's jsonschema is not installed" \
	    "(Debian package python3-jsonschema)"
	echo "1..1"
	exit 1
fi

"$GEN" >"$tmp/schema.json" && cmp -s "$tmp/schema.json" "$schema"
tap $? "schemas/domain.schema.json is the field table's (else: make schema)"
python3 "$CHECK" json "$schema" >"$tmp/check" 2>&1
tap $? "schemas/domain.schema.json is a draft 2020-12 JSON Schema"
sed 's/^/# /' "$tmp/check"

"$GEN" -f | sort >"$tmp/table" &&
    python3 "$CHECK" rng "$src/schemas/domain.rng" | sort >"$tmp/rng" &&
    diff "$tmp/table" "$tmp/rng" >"$tmp/diff"
tap $? "schemas/domain.rng has the field table's names, no more, no fewer"
sed -n 's/^< /# only in the table: /p; s/^> /# only in domain.rng: /p' \
    "$tmp/diff"

# The table's enums against the values domain.rng lists for the same
# element or attribute (the rng lists values for other rules too).
"$GEN" -e | sort >"$tmp/table" &&
    python3 "$CHECK" rng-values "$src/schemas/domain.rng" >"$tmp/rng" &&
    cut -f1 "$tmp/table" | sort -u >"$tmp/paths" &&
    awk -F'\t' 'NR == FNR { p[$1] = 1; next } $1 in p' "$tmp/paths" \
    "$tmp/rng" | sort | diff "$tmp/table" - >"$tmp/diff"
tap $? "schemas/domain.rng has the values of the field table's enums"
sed -n 's/^< /# only in the table: /p; s/^> /# only in domain.rng: /p' \
    "$tmp/diff"

# The JSON forms of the XML definitions, which must convert.
files=$(ls "$acc"/*.json "$acc"/*.json.out "$src"/tests/defs/reject/json-*.json)
for x in "$src"/examples/*.xml "$acc"/*.xml; do
	j=$tmp/$(basename "$(dirname "$x")")-$(basename "$x" .xml).json
	"$XMCTL" convert --json "$x" >"$j" 2>"$tmp/err"
	tap $? "$(basename "$x") converts to JSON"
	files="$files $j"
done

# shellcheck disable=SC2086
python3 "$CHECK" json "$schema" $files >"$tmp/verdicts"
for f in $files; do
	name=$(basename "$f")
	"$XMCTL" validate "$f" >/dev/null 2>"$tmp/err"
	xm=$?
	why=$(sed "s|^xmctl: $f: ||" "$tmp/err")
	js=$(awk -F'\t' -v f="$f" '$1 == f { print $2 "\t" $3 }' \
	    "$tmp/verdicts")
	if [ $xm -ne 0 ] && { echo "$why" | grep -Eq "$ONLY_XM" ||
	    echo " $ONLY_XM_FILES " | grep -q " $name "; }; then
		want=ok label="only xm refuses it ($why)"
	elif [ $xm -eq 0 ]; then
		want=ok label="both accept"
	else
		want=bad label="both refuse ($why)"
	fi
	[ "${js%%	*}" = $want ]
	rc=$?
	tap $rc "$name: $label"
	[ $rc -eq 0 ] || echo "# xm: ${why:-accepts}; the schema: ${js:-nothing}"
done
echo "1..$tap_n"
exit "$tap_failed"
