# Log-dirty mode (XM_DOMCTL_LOG_DIRTY), what live migration's rounds
# need, driven from domain 0 (guests/dirtylog) on domain 1
# (guests/dirtier): domain 0 finds d1's hot and cold pages, and checks
# the refusals, that only what was written since the last CLEAN is
# dirty (a foreign copy too), that the counts add up, rounds in a row,
# DISABLE and a second ENABLE; it leaves log-dirty on while d1 finishes
# and destroys it then.  Domain 1 meanwhile counts, remaps its pages
# and checks that its page-table entries read back as it wrote them
# (D as the CPU would set it) and that no page fault reaches it.  On
# two CPUs, so that d1 writes while domain 0 cleans.
. "$XM_SRCDIR/tests/boot/lib.sh"
G=$XM_BUILDDIR/guests

boot logdirty -s 2 -t 60 -c "poweroff domu=1 domu_mem=8M" \
    "$G/dirtylog/dirtylog.elf:dirtylog" \
    "$G/dirtier/dirtier.elf:dirtier run_ms=20000"
expect_guest_tap d0 "domain 0 drove log-dirty on d1"
expect '^\(d1\) dirtier: domain 0 wrote cold page [0-9]+ ' \
    "domain 1 saw domain 0's foreign write in a cold page"
expect '^\(d1\) dirtier: [0-9]+ checks, .* ptes as written, 0 faults$' \
    "domain 1: its page-table entries read back as written, no fault"
expect '^\(hv\) info: d1: shut down \(poweroff\)$' "d1 powered off"
expect '^\(hv\) info: d1: destroyed$' "hv destroyed d1, log-dirty on"
expect_not 'still referenced' "hv got every frame of d1 back"
expect_not '^\(hv\) (panic|error):' "hv did not panic"
expect_rc 0 "domain 0 powered off last"
finish
