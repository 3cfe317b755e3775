#!/bin/bash
# schemas/domain.schema.json over the JSON definitions in
# tests/defs/accept (*.json, *.json.out): each must validate; and over
# the JSON ones in tests/defs/reject whose error is a type or a key
# (not a value rule that only xm checks): each must not.  TAP, one case
# per file.  Needs Python's jsonschema (Debian: python3-jsonschema, which
# ./bootstrap installs): without it every case fails.
set -u
want=0
src=${XM_SRCDIR:-.}
schema=$src/schemas/domain.schema.json
good=$(ls "$src"/tests/defs/accept/*.json "$src"/tests/defs/accept/*.json.out)
bad=$(grep -l -e 'expected' -e 'unknown key' -e 'missing key' \
    "$src"/tests/defs/reject/json-*.err | xargs grep -L 'not JSON' |
    sed 's/\.err$/.json/')
echo "1..$(($(echo "$good" | wc -l) + $(echo "$bad" | wc -l)))"
check()
{
	python3 - "$schema" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
try:
    jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
except jsonschema.ValidationError as e:
    print("# " + e.message[:200]); sys.exit(1)
PY
}
i=0
for f in $good - $bad; do
	if [ "$f" = - ]; then
		want=1
		continue
	fi
	i=$((i + 1))
	want=${want:-0}
	if ! python3 -c 'import jsonschema' 2>/dev/null; then
		echo "not ok $i - $(basename "$f"): Python's jsonschema is" \
		    "not installed (Debian package python3-jsonschema)"
		continue
	fi
	out=$(check "$f"); rc=$?
	if [ $rc -eq $want ]; then
		echo "ok $i - $(basename "$f")"
	else
		echo "not ok $i - $(basename "$f") (exit $rc, want $want)"
		echo "$out"
	fi
done
