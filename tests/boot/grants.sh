# Grant tables between two domains (guests/grantpair): domain 0 grants
# pages and an event channel, domain 1 maps them, answers, copies and
# unmaps, and both check what hv refuses; on 1 and 2 CPUs.  Then, with
# hold=1, domain 0 destroys the other domain while a grant is mapped:
# a dead mapper's mappings are released, a dead granter's revoked, and
# no frame stays referenced.
. "$XM_SRCDIR/tests/boot/lib.sh"
GP=$XM_BUILDDIR/guests/grantpair/grantpair.elf
HV_CMD="poweroff domu=1 domu_mem=8M"

for smp in 1 2; do
	boot "grants-smp$smp" -s "$smp" -t 90 -c "$HV_CMD" \
	    "$GP:grantpair role=granter peer=1" \
	    "$GP:grantpair role=mapper peer=0"
	expect_guest_tap d0 "smp $smp: the granter"
	expect_guest_tap d1 "smp $smp: the mapper"
	expect '^\(d1\) ok [0-9]+ - maps d0.s ref 8 writable' \
	    "smp $smp: d1 maps d0's grant"
	expect '^\(d0\) ok [0-9]+ - the mapper.s answer is in the granted' \
	    "smp $smp: d0 sees d1's write through the grant"
	expect '^\(d0\) ok [0-9]+ - unmapped grants are free again' \
	    "smp $smp: unmapping gives the grants back"
	expect '^\(hv\) warn: d1: grant ref 9 of d0: granted read-only$' \
	    "smp $smp: hv logs a refusal with the domain id"
	expect_not 'panic|not ok' "smp $smp: nothing goes wrong"
	expect_rc 0 "smp $smp: both power off"
done

boot grants-kill-mapper -t 90 -c "$HV_CMD" \
    "$GP:grantpair role=granter peer=1 hold=1" \
    "$GP:grantpair role=mapper peer=0 hold=1"
expect_guest_tap d0 "kill mapper: the granter"
expect_guest_tap d1 "kill mapper: the mapper"
expect '^\(hv\) info: d1: destroyed$' "kill mapper: d1 is destroyed"
expect '^\(d0\) ok [0-9]+ - its mapping went with it: the grant is free' \
    "kill mapper: its mapping of d0's grant is released"
expect_not 'still referenced|panic|not ok' \
    "kill mapper: every frame comes back"
expect_rc 0 "kill mapper: d0 powers off"

boot grants-kill-granter -t 90 -c "$HV_CMD" \
    "$GP:grantpair role=mapper peer=1 hold=1" \
    "$GP:grantpair role=granter peer=0 hold=1"
expect_guest_tap d0 "kill granter: the mapper"
expect_guest_tap d1 "kill granter: the granter"
expect '^\(hv\) warn: d1: 1 mappings of its grants revoked from d0$' \
    "kill granter: hv revokes d0's mapping of d1's grant"
expect '^\(d0\) ok [0-9]+ - the mapping was revoked$' \
    "kill granter: the mapping is gone from d0's page tables"
expect_not 'still referenced|panic|not ok' \
    "kill granter: every frame comes back"
expect_rc 0 "kill granter: d0 powers off"
finish
