# A guest built against Xen's own public headers (guests/xenhdr) finds
# start_info, time, and the hypercalls it makes by Xen's numbers and
# structs where Xen's ABI puts them.
. "$XM_SRCDIR/tests/boot/lib.sh"
XENHDR=$XM_BUILDDIR/guests/xenhdr/xenhdr.elf

boot xenhdr -c "poweroff" "$XENHDR:xenhdr one two"
expect '^\(d0\) ok [0-9]+ - start_info magic "xen-3\.0-x86_64"$' \
    "start_info through Xen's struct start_info"
expect '^\(d0\) ok [0-9]+ - mfn_list and the m2p at HYPERVISOR_VIRT_START' \
    "the p2m and the m2p agree"
expect '^\(d0\) ok [0-9]+ - command line "xenhdr one two"$' \
    "the command line"
expect '^\(d0\) ok [0-9]+ - system time advances' \
    "time through Xen's struct vcpu_time_info"
VIRT_START='virt_start 0xffff80{11} '
expect "^\\(d0\\) ok [0-9]+ - XENVER_platform_parameters: $VIRT_START" \
    "xen_version with xen_platform_parameters_t"
expect '^\(d0\) ok [0-9]+ - XENVER_compile_info' \
    "xen_version with xen_compile_info_t"
expect '^\(d0\) ok [0-9]+ - XENVER_build_id: the id' \
    "xen_version with xen_build_id_t"
expect '^\(d0\) ok [0-9]+ - XENMEM_current_reservation' \
    "memory_op XENMEM_current_reservation"
expect '^\(d0\) ok [0-9]+ - XENMEM_memory_map' "memory_op XENMEM_memory_map"
expect '^\(d0\) ok [0-9]+ - EVTCHNOP_alloc_unbound' \
    "event_channel_op with evtchn_alloc_unbound_t"
expect_not '^\(d0\) not ok' "every check passes"
expect '^\(d0\) 1\.\.[0-9]+$' "the guest got to its end"
expect '^\(hv\) info: d0: shut down \(poweroff\)$' \
    "SCHEDOP_shutdown with Xen's struct sched_shutdown"
expect_rc 0 "it powered off"
finish
