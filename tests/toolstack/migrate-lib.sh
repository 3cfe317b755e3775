# Helpers for the migration tests, on top of lib.sh: a second xmd B on
# its own node (state in $B), and counters that write their memory.
#
#   start_b              xmd B on $B with a node like A's; B_PID
#   stop_b               SIGTERM it and wait until it has gone
#   counter NAME MIB PERIOD_MS [DIRTY_PAGES]
#                        $T/NAME.xml: guests/counter of MIB MiB, a line
#                        every PERIOD_MS, writing DIRTY_PAGES of 16 MiB
#                        a line (all 4096 when empty; none when 0)
#   sums_equal LOG_A LOG_B
#                        the memory checksums the counter printed
#                        around its last suspend on A and B are equal
ISO=$XM_BUILDDIR/xm.iso
B=$T/b
B_PID=

start_b()
{
	"$XMD" -s "$B" -K "$XM_BUILDDIR" -i "$ISO" -m 256M -t 60 || return 1
	B_PID=$(cat "$B/xmd.pid" 2>/dev/null)
}

stop_b()
{
	[ -n "$B_PID" ] || return 0
	kill -TERM "$B_PID" 2>/dev/null
	wait_until 10 gone "$B_PID"
	B_PID=
}

counter()
{
	local dirty="dirty_kib=16384"
	[ -n "${4:-}" ] && dirty="$dirty dirty_pages=$4"
	[ "${4:-}" = 0 ] && dirty=
	sed -e "s|<name>counter</name>|<name>$1</name>|" \
	    -e "s|<memory unit=.MiB.>16</memory>|<memory unit=\"MiB\">$2</memory>|" \
	    -e "s|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=$3 xs_control=1 $dirty</cmdline>|" \
	    "$XM_SRCDIR/examples/counter.xml" >"$T/$1.xml"
}

sums_equal()
{
	local before after
	before=$(grep 'counter: memory sum' "$1" | tail -1)
	after=$(grep 'counter: memory sum' "$2" | tail -1)
	echo "# before: $before; after: $after"
	[ -n "$before" ] && [ "$before" = "$after" ]
}
