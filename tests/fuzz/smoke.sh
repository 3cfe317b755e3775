#!/bin/bash
# tests/fuzz/smoke.sh: the libFuzzer targets in `make check`, briefly:
# each replays its seed corpus (tests/fuzz/corpus/TARGET: the seeds and
# every input that once found a bug), then runs 2000 inputs of its own
# from there.  Any crash, sanitizer report or failed check fails its
# case.  The targets need clang (`make check` builds them when configure
# found it); without it every case fails, saying so: a fuzz test that
# did not run is not one that passed.  TAP.
set -u
src=${XM_SRCDIR:-.}
build=${XM_BUILDDIR:-.}
. "$src/tests/tap.sh"
. "$src/tests/fuzz/targets.sh"
tmp=$(mktemp -d "${XM_TEST_TMP:-/tmp}/fuzz-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run TARGET DESCRIPTION ARGS...: one case.
run()
{
	local t=$1 what=$2 log rc
	shift 2
	log=$tmp/$t.log
	# shellcheck disable=SC2046
	"$build/tests/fuzz/fuzz_$t" $(fuzz_opts "$t") -timeout=25 \
	    -artifact_prefix="$tmp/" "$@" >"$log" 2>&1
	rc=$?
	tap $rc "$t: $what"
	[ $rc -eq 0 ] || grep -E 'check failed|ERROR|SUMMARY|Test unit written' \
	    "$log" | head -n 20 | sed 's/^/# /'
	return 0
}

echo "1..$(($(echo $FUZZ_TARGETS | wc -w) * 2))"
for t in $FUZZ_TARGETS; do
	bin=$build/tests/fuzz/fuzz_$t
	if [ ! -x "$bin" ]; then
		if command -v clang >/dev/null; then
			why="not built (make fuzz-build)"
		else
			why="not built: clang is missing (Debian package clang)"
		fi
		tap 1 "$t: replays its corpus: $why"
		tap 1 "$t: 2000 new inputs: $why"
		continue
	fi
	mkdir -p "$tmp/$t"
	run "$t" "replays its corpus" -runs=0 "$src/tests/fuzz/corpus/$t"
	run "$t" "2000 new inputs" -runs=2000 -seed=1 "$tmp/$t" \
	    "$src/tests/fuzz/corpus/$t"
done
exit "$tap_failed"
