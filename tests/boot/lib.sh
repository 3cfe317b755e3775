# Helpers for boot tests: build an ISO, boot it in QEMU, judge the serial
# console. Each check prints one TAP line.
#
#   boot NAME [-m MEM] [-s CPUS] [-t SECS] -c "HV CMDLINE" [MODULE[:ARGS]...]
#   expect REGEX DESCRIPTION      the serial log has a line matching REGEX
#   expect_not REGEX DESCRIPTION  no line matches REGEX
#   expect_rc N DESCRIPTION       the run ended with exit status N
#   finish                        exit non-zero when any check failed

set -u
. "${XM_SRCDIR:-.}/tests/tap.sh"
: "${XM_SRCDIR:=.}" "${XM_BUILDDIR:=.}" "${XM_TEST_TMP:=/tmp}"
: "${GRUB_PC_DIR:=/usr/lib/grub/i386-pc}"
HV_ELF=$XM_BUILDDIR/hv/xm-hv.elf
BOOT_RC=
SERIAL=


boot()
{
	local name=$1 mem=128M smp=1 secs=60 cmdline= opt
	shift
	OPTIND=1
	while getopts m:s:t:c: opt; do
		case $opt in
		m) mem=$OPTARG ;;
		s) smp=$OPTARG ;;
		t) secs=$OPTARG ;;
		c) cmdline=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	local iso=$XM_TEST_TMP/$name.iso
	SERIAL=$XM_TEST_TMP/$name.serial
	rm -f "$SERIAL"
	if ! sh "$XM_SRCDIR/tools/xm-mkiso" -d "$GRUB_PC_DIR" -o "$iso" \
	    -c "$cmdline" "$HV_ELF" "$@"; then
		tap 1 "$name: build the ISO"
		BOOT_RC=255
		touch "$SERIAL"
		return
	fi
	BOOT_RC=0
	sh "$XM_SRCDIR/tools/xm-qemu" -m "$mem" -s "$smp" -t "$secs" \
	    -o "$SERIAL" "$iso" || BOOT_RC=$?
	rm -f "$iso"
	# The UART gets CR LF; judge lines without the CR.
	tr -d '\r' <"$SERIAL" >"$SERIAL.lf" && mv "$SERIAL.lf" "$SERIAL"
	echo "# $name: QEMU run ended with status $BOOT_RC; serial log:"
	sed 's/^/# | /' "$SERIAL"
}

expect()
{
	grep -Eq -- "$1" "$SERIAL"
	tap $? "$2"
}

expect_not()
{
	! grep -Eq -- "$1" "$SERIAL"
	tap $? "$2"
}

expect_rc()
{
	[ "$BOOT_RC" -eq "$1" ]
	tap $? "$2 (status $BOOT_RC)"
}

# The first match of REGEX's first group, for numeric checks.
capture()
{
	sed -nE "s/.*$1.*/\\1/p" "$SERIAL" | head -n 1
}

finish()
{
	echo "1..$tap_n"
	exit $tap_failed
}

# A guest's own TAP lines on the console (prefixed "(dN) "): it printed a
# plan, every line of it is "ok", and as many as the plan says.
expect_guest_tap()
{
	local dom=$1 what=$2 plan oks bad
	plan=$(sed -nE "s/^\($dom\) 1\.\.([0-9]+)$/\1/p" "$SERIAL" | tail -n 1)
	oks=$(grep -cE "^\($dom\) ok [0-9]+ " "$SERIAL")
	bad=$(grep -cE "^\($dom\) not ok " "$SERIAL")
	grep -E "^\($dom\) not ok " "$SERIAL" | sed 's/^/# /'
	[ -n "$plan" ] && [ "$bad" -eq 0 ] && [ "$oks" -eq "$plan" ]
	tap $? "$what: $oks of ${plan:-no plan} passed in the guest, $bad failed"
}
