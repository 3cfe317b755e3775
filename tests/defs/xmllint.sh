#!/bin/bash
# xmllint --relaxng schemas/domain.rng over examples/*.xml and
# tests/defs/accept/*.xml (each must validate) and the canonical XML
# outputs (*.xml.out); TAP, one case per file.  Needs xmllint (Debian:
# libxml2-utils, which ./bootstrap installs): without it every case fails.
set -u
src=${XM_SRCDIR:-.}
files=$(ls "$src"/examples/*.xml "$src"/tests/defs/accept/*.xml \
    "$src"/tests/defs/accept/*.xml.out)
n=$(echo "$files" | wc -l)
echo "1..$n"
i=0
for f in $files; do
	i=$((i + 1))
	if ! command -v xmllint >/dev/null; then
		echo "not ok $i - $(basename "$f"): xmllint is not installed" \
		    "(Debian package libxml2-utils)"
	elif xmllint --noout --relaxng "$src/schemas/domain.rng" "$f" \
	    >/dev/null 2>&1; then
		echo "ok $i - $(basename "$f")"
	else
		echo "not ok $i - $(basename "$f")"
		xmllint --noout --relaxng "$src/schemas/domain.rng" "$f" 2>&1 |
		    sed 's/^/# /'
	fi
done
