# The arithmetic of make bench, without a node: bench/guest_work.py
# counts the work of the repetitions that end in its window, and only of
# those reported after it starts; bench/shares.py's entitlements; and
# bench/results.py's verdicts (a missed target says by how much, one
# without a value is not judged).
. "${XM_SRCDIR:-.}/tests/tap.sh"
: "${XM_SRCDIR:=.}" "${XM_TEST_TMP:=/tmp}"
T=$(mktemp -d "$XM_TEST_TMP/bench-tools.XXXXXX") || exit 1
GW=$XM_SRCDIR/bench/guest_work.py

# rep LOG BYTES END_SECONDS: a cpubench line as a domain prints it
rep()
{
	printf 'cpubench: rep 0 passes 1 bytes %s tsc 1 ns 1 hash 0x1 at %s\n' \
	    "$2" "$(($3 * 100000000))" >>"$1"
}

# Times in tenths of a second.  Before the call: work that must not
# count (weights not set yet).  Window: 1 s from 1.2 s (B's first).
: >"$T/a" >"$T/b"
rep "$T/a" 999000000 5
python3 "$GW" 1 0 10 "$T/a" "$T/b" >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 300); do
	grep -q "waiting for new work" "$T/err" && break
	sleep 0.1
done
for t in 10 15 20 25 31; do rep "$T/a" 1000000 "$t"; done
for t in 12 19 22 30; do rep "$T/b" 500000 "$t"; done
wait $pid
tap $? "guest_work.py ends once every log passed the window"
python3 - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ok = r["mbs"] == [2.0, 1.0] and r["total_mbs"] == 3.0 and \
    r["reps"] == 4 and r["late"] == 0 and r["domains"] == 2
print("# %s" % r)
sys.exit(0 if ok else 1)
PY
tap $? "it counts what ended in (1.2 s, 2.2 s], nothing from before the call"

: >"$T/c"
python3 "$GW" 1 0 1 "$T/c" >/dev/null 2>"$T/err"
[ $? -ne 0 ] && grep -q "not every domain reported work" "$T/err"
tap $? "a domain that never reports work fails the count, saying so"

out=$(python3 "$XM_SRCDIR/bench/shares.py" 2 "1 2 4" '{"mbs": [1, 2, 3]}')
[ "$out" = "0.0 16.7/33.3/50.0 16.7/33.3/50.0" ]
tap $? "weights 1:2:4 on two CPUs are entitled to 1/6 2/6 3/6 ($out)"
out=$(python3 "$XM_SRCDIR/bench/shares.py" 1 "1 2 4" '{"mbs": [1, 2, 5]}')
[ "$out" = "12.5 12.5/25.0/62.5 14.3/28.6/57.1" ]
tap $? "on one CPU to 1/7 2/7 4/7, the worst error relative ($out)"
python3 "$XM_SRCDIR/bench/shares.py" 1 "1 2" '{"mbs": [0, 0]}' \
    >/dev/null 2>&1
[ $? -ne 0 ]
tap $? "no work at all is an error, not a division by zero"

R=$XM_SRCDIR/bench/results.py
python3 "$R" emit "$T/res" "p9" 32 KiB --target "value<=16" &&
    python3 "$R" emit "$T/res" "p5" 0.9 x --baseline 1 \
    --baseline-name one --target "ratio>=0.97" &&
    python3 "$R" emit "$T/res" "p6" - ms --target "value<=2" &&
    python3 "$R" collect "$T/res" "$T/results.json" >"$T/lines"
tap $? "results.py collects a missed target and one without a value"
sed 's/^/# /' "$T/lines"
grep -q "p9 .*\[target value<=16: MISSED by 16.00 KiB\]" "$T/lines" &&
    grep -q "p5 .*\[target ratio>=0.97: MISSED by 0.07\]" "$T/lines" &&
    grep -q "p6 .*\[target value<=2: not judged\]" "$T/lines"
tap $? "a missed target says by how much, in the value's unit or the ratio"
echo "1..$tap_n"
[ "$tap_failed" -eq 0 ] && rm -rf "$T"
exit $tap_failed
