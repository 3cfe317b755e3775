# The control plane end to end (issue 4): xmd starts its embedded node
# (QEMU on xm.iso: hv and domain 0), three domains are built from example
# definitions, listed with the memory asked for, their consoles shown
# (and the control channel pinged);
# one is paused (its CPU time stops) and resumed (it goes on); all are
# destroyed and hv's free memory is what it was; bad input changes
# nothing; SIGTERM leaves no QEMU behind and a second xmd starts.
#
# Needs xm.iso to boot guests/dom0 as domain 0 (XM_ISO_MODULES), so it is
# not in the test list until domain 0 serves the control channel.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso
RAW=$XM_BUILDDIR/tests/rpc-raw

trap 'stop_xmd' EXIT

# examples/NAME.xml under another name and memory: NEWNAME MIB
variant()
{
	sed -e "s|<name>[^<]*</name>|<name>$2</name>|" \
	    -e "s|<memory unit='MiB'>[0-9]*</memory>|<memory unit='MiB'>$3</memory>|" \
	    "$XM_SRCDIR/examples/$1.xml" >"$T/$2.xml"
	echo "$T/$2.xml"
}

cpu_ns()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" dominfo --json "$1" |
	    sed -n 's/.*"cpu_time_ns": \([0-9]*\).*/\1/p'
}

listed()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" list | grep -q "^$1 "
}

no_qemu()
{
	! pgrep -f -- "$STATE/ctl.sock" >/dev/null
}

console_has()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" console --no-follow "$1" |
	    grep -q -- "$2"
}

# --- the node -----------------------------------------------------------
start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node and domain 0 answers HELLO"
x nodeinfo
has '^Hypervisor: +[0-9]+\.[0-9]+' "nodeinfo: hv's version"
has '^Domain 0: +xm-dom0' "nodeinfo: domain 0's version"
free0=$(printf '%s\n' "$OUT" | sed -n 's/^Free memory: *\([0-9]*\) KiB$/\1/p')
x list
has '^Domain-0 +0 ' "list: domain 0"
x ping --count 5
has '^5 echoes of 64 bytes: round trip min/avg/max = ' \
    "ping: domain 0 echoes over the control channel"
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"node.ping","params":{"count":3,"size":65536}}' |
    "$RAW" "$STATE/xmd.sock" 5000)
has '"result":\{"count":3,"size":65536,' "node.ping: the largest payload, whole"

# --- three domains ----------------------------------------------------------
x create "$XM_SRCDIR/examples/victim.xml"
has "^Domain 'victim' created" "create examples/victim.xml"
x create "$(variant victim victim2 24)"
has "^Domain 'victim2' created" "create a second domain"
x create "$(variant victim victim3 32)"
has "^Domain 'victim3' created" "create a third domain"
x list
has '^victim +[0-9]+ +16 +1 running ' "list: victim runs with 16 MiB"
has '^victim2 +[0-9]+ +24 +1 running ' "list: victim2 runs with 24 MiB"
has '^victim3 +[0-9]+ +32 +1 running ' "list: victim3 runs with 32 MiB"
for d in victim victim2 victim3; do
	wait_until 10 console_has "$d" "VIRQ_DOM_EXC"
	tap $? "console: $d's own output"
done
x create "$XM_SRCDIR/examples/hello.xml"
has "^Domain 'hello' created" "create examples/hello.xml"
hello_id=$(printf '%s\n' "$OUT" | sed -n 's/.*created (id \([0-9]*\)).*/\1/p')
wait_until 10 eval '! listed hello'
tap $? "hello powers off, and xmd destroys it"
check "hello's console log has its output" \
    grep -q 'hello: cmdline "hello"' "$STATE/console/hello.log"

# --- pause and resume ---------------------------------------------------------
counted()
{
	grep -c '^counter [0-9]' "$STATE/console/counter.log"
}
x create "$XM_SRCDIR/examples/counter.xml"
has "^Domain 'counter' created" "create examples/counter.xml"
counter_id=$(printf '%s\n' "$OUT" | sed -n 's/.*created (id \([0-9]*\)).*/\1/p')
check "its id ($counter_id) is not hello's ($hello_id), which went: ids come back only once all were used, as Xen's" \
    test -n "$hello_id" -a "$counter_id" = "$((hello_id + 1))"
wait_until 10 console_has counter "counter 3"
tap $? "counter counts on its console"
x pause counter
has "^Domain 'counter' paused$" "pause counter"
sleep 0.5
c1=$(counted)
sleep 1.5
c2=$(counted)
[ "$c1" = "$c2" ]
tap $? "a paused domain's progress counter stops ($c1, then $c2)"
x resume counter
has "^Domain 'counter' resumed$" "resume counter"
sleep 1.5
c3=$(counted)
[ "$c3" -gt "$c2" ]
tap $? "a resumed domain counts on ($c3)"
x destroy counter
has "^Domain 'counter' destroyed$" "destroy counter"

x pause victim2
has "^Domain 'victim2' paused$" "pause"
# Read at once: what dominfo says after pause returns is already final.
t1=$(cpu_ns victim2)
sleep 1
t2=$(cpu_ns victim2)
[ -n "$t1" ] && [ "$t1" = "$t2" ]
tap $? "a paused domain does not run (CPU time $t1, then $t2)"
x resume victim2
has "^Domain 'victim2' resumed$" "resume"
ran_since()
{
	t3=$(cpu_ns victim2)
	[ -n "$t3" ] && [ "$t3" -gt "$1" ]
}
# dominfo's figures are refreshed once a second: wait for a later one.
wait_until 10 ran_since "$t2"
ran_since "$t2"
tap $? "a resumed domain runs again (CPU time $t3)"

# --- the scheduler: weight, cap, pinning, vCPU states ----------------------------
# Through domain 0 to hv's credit scheduler (SCHED_GET/SET, VCPU_AFFINITY,
# VCPU_LIST), and the refusals xmd makes before it asks the node.
x schedinfo victim
printf '%s\n' "$OUT" | grep -Eq '^weight: +256$'
tap $? "schedinfo: the default weight"
x schedinfo victim --weight 512 --cap 50
printf '%s\n' "$OUT" | grep -Eq '^weight: +512$' &&
    printf '%s\n' "$OUT" | grep -Eq '^cap: +50$'
tap $? "schedinfo --weight --cap: set on a running domain"
x vcpuinfo victim
printf '%s\n' "$OUT" | grep -Eq '^State: +(running|runnable|blocked)$'
tap $? "vcpuinfo: vCPU 0 is up"
x vcpupin victim 0 0
rc=$RC
x vcpupin victim
[ "$rc" -eq 0 ] && printf '%s\n' "$OUT" | grep -Eq '^ 0 +0$'
tap $? "vcpupin: vCPU 0 pinned to CPU 0"
x schedinfo victim --cap 101
[ "$RC" -eq 1 ] && printf '%s\n' "$OUT" |
    grep -q "^xmctl: domain 'victim': cap 101 is out of range (0 to 100"
tap $? "schedinfo --cap 101 on one vCPU: refused by xmd"
x vcpupin victim 3 0
[ "$RC" -eq 1 ] && printf '%s\n' "$OUT" |
    grep -q "^xmctl: domain 'victim': vCPU 3 does not exist"
tap $? "vcpupin of a vCPU the domain does not have: refused by xmd"

# --- a hostile domain: refused, killed, and the node keeps serving ----------
x create "$XM_SRCDIR/examples/hostile.xml"
has "^Domain 'hostile' created" "create examples/hostile.xml"
wait_until 60 eval '! listed hostile'
tap $? "hostile dies of its own triple fault, and xmd destroys it"
# hv's console has every line (the console ring may drop some when the
# guest writes faster than domain 0 drains it).
hid=$(sed -nE "s/^\(hv\) info: d([0-9]+): created by d0.*/\1/p" \
    "$STATE/node.log" | tail -n 1)
check "hostile's domctl is refused with -EPERM" \
    grep -Eq "^\(d$hid\) ok [0-9]+ - domctl DESTROY of domain 0 refused \(-1\)" \
    "$STATE/node.log"
check "hostile's foreign mappings are refused" \
    grep -Eq "^\(d$hid\) ok [0-9]+ - mmu_update on behalf of domain 0 refused" \
    "$STATE/node.log"
! grep -Eq "^\(d$hid\) not ok" "$STATE/node.log"
tap $? "every attack of hostile (d$hid) was refused as the ABI says"
check "hostile's console output reached its console log" \
    grep -q 'hostile' "$STATE/console/hostile.log"
x list
n=$(printf '%s\n' "$OUT" | grep -v '^Domain-0 ' | grep -c ' running ')
[ "$n" -eq 3 ]
tap $? "the node keeps serving xmd, the others still run ($n)"

# --- bad input changes nothing -------------------------------------------------
x create "$XM_SRCDIR/examples/victim.xml"
has "^xmctl: domain 'victim': a domain of that name exists$" "a name is taken once"
sed -e 's|<kernel>[^<]*</kernel>|<kernel>/nonexistent.elf</kernel>|' \
    -e 's|<name>victim</name>|<name>nokernel</name>|' \
    "$XM_SRCDIR/examples/victim.xml" >"$T/nokernel.xml"
x create "$T/nokernel.xml"
has "^xmctl: domain 'nokernel': kernel '/nonexistent.elf': No such file or directory$" \
    "a missing kernel"
sed -e "s|<kernel>[^<]*</kernel>|<kernel>$XM_SRCDIR/README.md</kernel>|" \
    -e 's|<name>victim</name>|<name>notelf</name>|' \
    "$XM_SRCDIR/examples/victim.xml" >"$T/notelf.xml"
x create "$T/notelf.xml"
has "^xmctl: domain 'notelf': kernel '.*' is not a Xen PV kernel: " \
    "a kernel that is not an ELF with Xen notes"
x create "$(variant victim huge 100000)"
has "^xmctl: domain 'huge': needs [0-9]+ KiB, the node has [0-9]+ KiB free$" \
    "more memory than the node has"
OUT=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"domain.list"' \
    '{"jsonrpc":"2.0","id":2,"method":"domain.nuke"}' |
    "$RAW" "$STATE/xmd.sock" 500)
has '"code":-32700' "invalid JSON: -32700"
has '"id":2,"error":\{"code":-32601' "an unknown method: -32601"
x list
n=$(printf '%s\n' "$OUT" | grep -v '^Domain-0 ' | grep -c ' running ')
[ "$n" -eq 3 ]
tap $? "the same three domains run ($n)"

# --- destroy: every page goes back -------------------------------------------------
for d in victim victim2 victim3; do
	x destroy "$d"
	has "^Domain '$d' destroyed$" "destroy $d"
done
free_back()
{
	"$XMCTL" -c "unix://$STATE/xmd.sock" nodeinfo |
	    grep -q "^Free memory: *$free0 KiB$"
}
wait_until 5 free_back
tap $? "hv's free memory is what it was ($free0 KiB)"

# --- SIGTERM, then a second xmd ----------------------------------------------------
stop_xmd
tap $? "xmd stops on SIGTERM"
wait_until 10 no_qemu
tap $? "... and leaves no QEMU behind"
start_xmd -i "$ISO" -t 60
tap $? "a second xmd starts its node"
x list
has '^Domain-0 +0 ' "... and serves"
stop_xmd
wait_until 10 no_qemu
tap $? "... and stops it again"
show_logs "$STATE/node.log"
finish
