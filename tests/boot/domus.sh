# Domain 0 and three unprivileged domains from boot modules (domu=3),
# side by side on 1 and 2 CPUs, each with its own memory and start_info.
. "$XM_SRCDIR/tests/boot/lib.sh"
HELLO=$XM_BUILDDIR/guests/hello/hello.elf

for smp in 1 2; do
	boot "domus-smp$smp" -s "$smp" -c "poweroff domu=3 domu_mem=8M" \
	    "$HELLO:hello exit=0" "$HELLO:hello one" "$HELLO:hello two" \
	    "$HELLO:hello three"
	for d in 1 2 3; do
		expect "^\(hv\) info: d$d: unprivileged kernel 'xm-hello', 8 MiB" \
		    "smp $smp: d$d is built unprivileged with domu_mem"
		expect "^\(d$d\) hello: magic \"xen-3\.0-x86_64\" nr_pages 2048 flags 0$" \
		    "smp $smp: d$d sees its own pages and no privilege flags"
		expect "^\(hv\) info: d$d: shut down \(poweroff\)$" \
		    "smp $smp: d$d shuts down"
	done
	expect '^\(d1\) hello: cmdline "hello one"$' \
	    "smp $smp: each domU gets its module string"
	expect '^\(d3\) hello: cmdline "hello three"$' \
	    "smp $smp: ... in module order"
	[ "$smp" = 1 ] || expect '^\(hv\) info: smp: 2 CPUs online$' \
	    "smp $smp: both CPUs are up"
	expect_rc 0 "smp $smp: all four powered off"
done
finish
