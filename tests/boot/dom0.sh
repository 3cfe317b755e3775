# Domain 0 from the first boot module: a PV kernel (guests/hello) runs in
# ring 3 on hv, talks to it through hypercalls, and shuts down; on 1 and
# 2 CPUs. A crash of domain 0 ends the run with status 13 (10 + crash).
. "$XM_SRCDIR/tests/boot/lib.sh"
HELLO=$XM_BUILDDIR/guests/hello/hello.elf

for smp in 1 2; do
	boot "dom0-smp$smp" -s "$smp" -c "poweroff" "$HELLO:hello exit=0"
	expect "^\(hv\) info: d0: privileged kernel 'xm-hello', 32 MiB" \
	    "smp $smp: hv builds domain 0 from the module"
	expect '^\(d0\) hello from xm-hello$' \
	    "smp $smp: domain 0 prints through console_io, prefixed with its id"
	expect '^\(d0\) hello: magic "xen-3.0-x86_64" nr_pages 8192 flags 0x3$' \
	    "smp $smp: start_info has the ABI's magic, the pages and the dom0 flags"
	expect '^\(d0\) hello: cmdline "hello exit=0"$' \
	    "smp $smp: the module string is domain 0's command line"
	expect '^\(d0\) hello: hypervisor 4\.14\.0-xm, capabilities "xen-3\.0-x86_64"$' \
	    "smp $smp: xen_version answers"
	expect '^\(hv\) info: d0: shut down \(poweroff\)$' \
	    "smp $smp: hv logs the shutdown with its reason"
	expect_rc 0 "smp $smp: hv powers off when no domain is left"
done

boot dom0-crash -c "poweroff" "$HELLO:hello exit=3"
expect '^\(hv\) info: d0: shut down \(crash\)$' "a crash is a shutdown reason"
expect_rc 13 "the run ends with 10 + the crash reason"
finish
