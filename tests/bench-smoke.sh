# make bench's machinery in tiny mode (issue 11 section 4): every figure
# under bench/ runs briefly through bench/run, and bench/results.json is
# well-formed with each figure's results.  Speed is never judged here:
# `make bench` reports it.
. "${XM_SRCDIR:-.}/tests/tap.sh"
: "${XM_SRCDIR:=.}" "${XM_BUILDDIR:=.}" "${XM_TEST_TMP:=/tmp}"
T=$(mktemp -d "$XM_TEST_TMP/bench.XXXXXX") || exit 1
out=$T/results.json

BENCH_MODE=tiny bash "$XM_SRCDIR/bench/run" -o "$out" \
    >"$T/run.log" 2>&1
rc=$?
sed 's/^/# /' "$T/run.log"
tap $rc "bench/run measures every figure in tiny mode"
python3 "$XM_SRCDIR/bench/results.py" check "$out" 2>&1 | sed 's/^/# /'
tap "${PIPESTATUS[0]}" "results.json is well-formed"
for fig in "P1 cpu work, domain" "P8 rpc 64dom 8cli ops/s" \
    "P5 scale, 1 domain" "P5 scale, 2 domains" "P9 hv memory per domain" \
    "P6 weights 1:2:4, 1 CPU" "P6 weights 1:2:4, 2 CPU" \
    "P6 cap 25 %, 1 CPU" "P6 wake-up latency p99, 1 CPU" \
    "create -> first line, 16 MiB" "create: memory populated" \
    "linux boot to shell, domain" "P7 idle downtime" "P7 idle total"; do
	python3 - "$out" "$fig" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
r = [x for x in doc["results"] if x["name"] == sys.argv[2]]
sys.exit(0 if r and r[0]["value"] is not None else 1)
PY
	tap $? "results.json has a value for '$fig'"
done
python3 - "$out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
ok = all(r["ratio"] is None or r["baseline"] is not None
         for r in doc["results"]) and \
    any(r["ratio"] is not None for r in doc["results"])
sys.exit(0 if ok else 1)
PY
tap $? "ratios are given against a baseline measured in the run"
echo "1..$tap_n"
[ "$tap_failed" -eq 0 ] && rm -rf "$T"
exit $tap_failed
