# Sourced by each figure script bench/fig-NAME.sh, which bench/run starts
# with XM_SRCDIR, XM_BUILDDIR, BENCH_MODE (full|tiny), BENCH_OUT (the
# results so far) and BENCH_DIR (the figure's scratch directory).
#
#   tiny A B            A in full mode, B in tiny mode
#   bench_emit NAME VALUE UNIT [--baseline V --baseline-name S]
#              [--target ratio>=X|value<=X] [--note S]
#   median N...         the median
#   say TEXT            a line of the figure's log that bench/run prints
#   now_ns              the host's monotonic clock
#   json_get JSON KEY...  the values of KEYs in the JSON object, one line
#   qemu_args           QEMU's arguments common to every measured machine
#
# A figure prints what it used (node, sizes) with say; it never fails
# for a target missed, only when it could not measure.
set -u
: "${XM_SRCDIR:=.}" "${XM_BUILDDIR:=.}" "${BENCH_MODE:=full}"
: "${BENCH_OUT:?bench/run sets BENCH_OUT}" "${BENCH_DIR:?}"
BENCH_PY=$XM_SRCDIR/bench/results.py
QEMU=${QEMU:-qemu-system-x86_64}
GRUB_PC_DIR=${GRUB_PC_DIR:-/usr/lib/grub/i386-pc}

tiny()
{
	if [ "$BENCH_MODE" = tiny ]; then echo "$2"; else echo "$1"; fi
}

bench_emit()
{
	python3 "$BENCH_PY" emit "$BENCH_OUT" "$@"
}

median()
{
	python3 "$BENCH_PY" median "$@"
}

say()
{
	echo "# $*"
}

now_ns()
{
	date +%s%N
}

json_get()
{
	python3 -c 'import json, sys
r = json.loads(sys.argv[1])
print(*(r[k] for k in sys.argv[2:]))' "$@"
}

# The machine every figure measures on: what tools/xm-qemu gives the
# node (TCG, -cpu max, 256 MiB, 1 CPU), without its boot device.
qemu_args()
{
	echo -accel tcg -cpu max -m 256M -smp 1 -display none -vga none \
	    -no-reboot -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x04
}

# The figure's xmd (XMD_PID): SIGTERM, then wait up to 10 s for it to go.
XMD_PID=
bench_stop_xmd()
{
	[ -n "$XMD_PID" ] && kill "$XMD_PID" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$XMD_PID" 2>/dev/null || break
		sleep 0.1
	done
	XMD_PID=
}
