# Hypercall fuzzing: on 2 CPUs, domain 0 (guests/victim) checks 4 MiB of
# its memory round after round while two domUs (guests/fuzz) with
# different seeds throw random and structured-random hypercalls at hv.
# hv must not panic, nor hang (QEMU's timeout is the watchdog: status
# 124), each fuzzer must reach its last line with its own checks passed
# (its mappings, trap table and timer intact, no call stalled), and the
# victim's memory must be intact when both are done.  The victim destroys
# d1 once it is down, perhaps while d2 still maps its grants: hv must get
# every frame of d1 back.
#
# XM_FUZZ_SEED=S or S1,S2 fixes the seeds (else they come from the date
# and $RANDOM, and are printed); XM_FUZZ_CALLS calls per fuzzer (default
# 500000, 15 to 60 s under TCG); XM_FUZZ_SECS QEMU's timeout.  `make
# fuzz-hv` runs this with 10^6 calls and prints the figures.
. "$XM_SRCDIR/tests/boot/lib.sh"
VICTIM=$XM_BUILDDIR/guests/victim/victim.elf
FUZZ=$XM_BUILDDIR/guests/fuzz/fuzz.elf

calls=${XM_FUZZ_CALLS:-500000}
secs=${XM_FUZZ_SECS:-$((120 + calls / 1000))}
case ${XM_FUZZ_SEED:-} in
'')	seed1=$(( ($(date +%s) << 16) ^ RANDOM ))
	seed2=$(( (RANDOM << 15) ^ RANDOM ^ seed1 )) ;;
*,*)	seed1=${XM_FUZZ_SEED%%,*} seed2=${XM_FUZZ_SEED#*,} ;;
*)	seed1=$XM_FUZZ_SEED seed2=$((XM_FUZZ_SEED + 1)) ;;
esac
echo "# seeds: d1 $seed1, d2 $seed2 (XM_FUZZ_SEED=$seed1,$seed2 replays)"

# A loaded host can stall QEMU itself for seconds: a call is judged stalled
# (by the fuzzer) only after 30 s; a real hang meets the timeout.
boot fuzz -s 2 -t "$secs" -c "poweroff domu=2" "$VICTIM:victim wait=2 destroy=1" \
    "$FUZZ:fuzz seed=$seed1 calls=$calls stall=30000" \
    "$FUZZ:fuzz seed=$seed2 calls=$calls stall=30000"

expect_not '^\(hv\) (panic|error):' "hv did not panic or report an error"
for d in 1 2; do
	expect "^\\(d$d\\) # fuzz: done" "d$d reached its last line"
	expect_guest_tap "d$d" "d$d's own checks"
	expect "^\\(hv\\) info: d$d: shut down \\(poweroff\\)\$" \
	    "d$d powered off, not killed"
done
expect '^\(hv\) info: d1: destroyed$' "the victim destroyed d1"
expect_not 'still referenced' "hv got every frame of d1 back"
expect '^\(d0\) # d1\.\.d2 all shut down before round' \
    "the victim checked until both fuzzers were done"
expect '^\(d0\) ok [0-9]+ - memory intact after [0-9]+ rounds' \
    "the victim's memory is intact"
expect_guest_tap d0 "the victim's checks"
expect_rc 0 "every domain powered off; QEMU did not time out"

# The figures, for README and for `make fuzz-hv`.
sed -nE 's/^\((d[12])\) ok [0-9]+ - ([0-9]+ calls \(seed .*)/\1: \2/p' \
    "$SERIAL" | sed 's/^/# figures: /'
echo "# figures: hv log lines: $(grep -c '^(hv) warn:' "$SERIAL") warnings"
finish
