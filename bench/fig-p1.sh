# P1 CPU work: one CPU-bound workload (bench/work.c, a hash over a fixed
# 64 KiB buffer) as a bare kernel booted by QEMU (bench/native, PVH
# entry through -kernel) and as a PV domain on hv (guests/cpubench: hv
# and domain 0 from a GRUB ISO as xm.iso is made, cpubench as domain 1),
# under the same QEMU (TCG, -cpu max, 1 CPU), run after run alternately.
# Each run times several repetitions by the TSC (the same counter in
# both); the first repetition of a run warms QEMU's translation cache
# and is left out.  work/s = bytes hashed per second, medians; the TSC's
# rate is the bare kernel's calibration against the PIT.
. "$XM_SRCDIR/bench/lib.sh"
B=$XM_BUILDDIR
runs=$(tiny 5 1)
reps=$(tiny 5 2)
passes=$(tiny 40000 300)
args="passes=$passes reps=$reps"
iso=$BENCH_DIR/p1.iso

sh "$XM_SRCDIR/tools/xm-mkiso" -d "$GRUB_PC_DIR" -o "$iso" \
    -c "loglvl=warn poweroff domu=1" "$B/hv/xm-hv.elf" \
    "$B/guests/hello/hello.elf:hello" \
    "$B/guests/cpubench/cpubench.elf:cpubench $args" || exit 1

run_native()
{
	# isa-debug-exit: the kernel writes 0, QEMU exits with 1.
	timeout 300 $QEMU $(qemu_args) -serial stdio \
	    -kernel "$B/bench/native/native.elf" -append "$args" \
	    </dev/null >>"$BENCH_DIR/native.log"
	[ $? -eq 1 ]
}

run_domain()
{
	timeout 300 $QEMU $(qemu_args) -serial stdio -cdrom "$iso" -boot d \
	    </dev/null >>"$BENCH_DIR/domain.log"
	# hv powers off with code 0 + 1: QEMU exits with (1 << 1) | 1.
	[ $? -eq 3 ]
}

: >"$BENCH_DIR/native.log"
: >"$BENCH_DIR/domain.log"
for i in $(seq "$runs"); do
	run_native || { echo "native run $i failed"; exit 1; }
	run_domain || { echo "domain run $i failed"; exit 1; }
done

python3 - "$BENCH_DIR" "$reps" >"$BENCH_DIR/figures" <<'PY' || exit 1
import re, statistics, sys
d, reps = sys.argv[1], int(sys.argv[2])
rep = re.compile(r"cpubench: rep (\d+) passes \d+ bytes (\d+) tsc (\d+) "
                 r"ns \d+ hash (\S+)")
def reps_of(name):
    out, hashes = [], set()
    for ln in open("%s/%s.log" % (d, name), errors="replace"):
        m = rep.search(ln)
        if m and (reps == 1 or int(m.group(1)) > 0):
            out.append(int(m.group(2)) / int(m.group(3)))
            hashes.add(m.group(4))
    return out, hashes
nat, hn = reps_of("native")
dom, hd = reps_of("domain")
if not nat or not dom or hn != hd or len(hn) != 1:
    sys.exit("p1: missing repetitions or the two computed different hashes")
hz = statistics.median(int(m) for m in re.findall(
    r"native: tsc_hz (\d+)", open(d + "/native.log").read()))
print(statistics.median(nat) * hz / 1e6, statistics.median(dom) * hz / 1e6,
      len(nat), len(dom), hz)
PY
read -r native domain nn nd hz <"$BENCH_DIR/figures"
say "P1: $runs runs of each, $reps repetitions of $passes passes over 64 KiB;" \
    "medians of $nn native and $nd domain repetitions; TSC $hz Hz"
bench_emit "P1 cpu work, native" "$native" MB/s \
    --note "bare kernel booted by QEMU -kernel"
bench_emit "P1 cpu work, domain" "$domain" MB/s \
    --baseline "$native" --baseline-name native --target "ratio>=0.99" \
    --note "PV domain 1 on hv"
