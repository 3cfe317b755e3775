#!/bin/bash
# tests/fuzz/run.sh: run the libFuzzer targets one after another, each
# for RUNS executions or SECS seconds, whichever comes first, from its
# seed corpus (tests/fuzz/corpus/TARGET) and what earlier runs found
# (OUT/TARGET/corpus, which grows).  A crash, a sanitizer report or a
# failed check leaves its input in OUT/TARGET/.  One line per target:
# executions, executions per second, seconds, crashes; the exit status
# is non-zero when a target crashed or did not start.
#
# usage: run.sh -r RUNS -t SECS -s SRCDIR -b BUILDDIR [TARGET...]
set -u

runs=10000000 secs=1800 src=. build=.
while getopts r:t:s:b: opt; do
	case $opt in
	r) runs=$OPTARG ;;
	t) secs=$OPTARG ;;
	s) src=$OPTARG ;;
	b) build=$OPTARG ;;
	*) echo "usage: run.sh -r RUNS -t SECS -s SRCDIR -b BUILDDIR" \
	    "[TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
. "$src/tests/fuzz/targets.sh"
[ $# -gt 0 ] || set -- $FUZZ_TARGETS
out=$build/tests/fuzz/out

# stat NAME LOG: libFuzzer's final statistic NAME.
stat()
{
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

failed=0
summary=
for t in "$@"; do
	dir=$out/$t
	mkdir -p "$dir/corpus"
	log=$dir/fuzz.log
	echo "fuzz: $t: up to $runs runs or $secs s (log: $log)"
	start=$(date +%s)
	# shellcheck disable=SC2046
	"$build/tests/fuzz/fuzz_$t" $(fuzz_opts "$t") -runs="$runs" \
	    -max_total_time="$secs" -timeout=25 -print_final_stats=1 \
	    -artifact_prefix="$dir/" "$dir/corpus" "$src/tests/fuzz/corpus/$t" \
	    >"$log" 2>&1
	rc=$?
	wall=$(($(date +%s) - start))
	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	# What libFuzzer saved as a failing input (not slow units).
	crashes=$(grep -Ec 'Test unit written to .*/(crash|leak|timeout|oom)-' \
	    "$log")
	if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
		crashes=1	# it died without leaving its input
	fi
	[ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] || failed=1
	line=$(printf '%-10s %12s execs %8s exec/s %6s s %3s crashes' "$t" \
	    "${execs:-?}" "${rate:-?}" "$wall" "$crashes")
	if [ "$crashes" -ne 0 ]; then
		line="$line: see $log"
	elif ! [ "${execs:-0}" -ge "$runs" ] 2>/dev/null; then
		line="$line (stopped after $secs s)"
	fi
	echo "fuzz: $line"
	summary="$summary$line"$'\n'
done
echo "fuzz: summary"
printf '%s' "$summary"
exit "$failed"
