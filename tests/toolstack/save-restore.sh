# Save and restore, on the real node, as Xen's toolstack does them:
# `xmctl save` asks guests/counter (xs_control=1: it watches
# control/shutdown as a PV kernel does) to suspend, writes its memory,
# page tables, vCPU and shared_info to a file and destroys it;
# `xmctl restore` makes a new domain from the file, and the counter's
# suspend call returns 0 there and it counts on from where it stopped.
# A file cut short, changed or of another version is refused and makes
# nothing; a save that cannot write its file leaves the domain running.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ISO=$XM_BUILDDIR/xm.iso

trap 'stop_xmd' EXIT

# With a cputune, which the restored domain gets again.
sed -e 's|<cmdline>[^<]*</cmdline>|<cmdline>counter period_ms=50 xs_control=1</cmdline>|' \
    -e 's|</domain>|<cputune><shares>512</shares><cap>80</cap></cputune></domain>|' \
    "$XM_SRCDIR/examples/counter.xml" >"$T/counter.xml"
LOG=$STATE/console/counter.log

logged()
{
	grep -q -- "$1" "$LOG"
}

running()
{
	runs_at "$STATE" counter
}

absent()
{
	absent_at "$STATE" counter
}

last_count()
{
	counter_last "$LOG"
}

start_xmd -i "$ISO" -t 60
tap $? "xmd starts the embedded node"
x create "$T/counter.xml"
has "^Domain 'counter' created" "create counter xs_control=1"
wait_until 20 logged "counter 5"
tap $? "it counts"

x save counter "$T/nodir/counter.save"
check "save into a directory that does not exist: an error" \
    test "$RC" -eq 1
has "cannot write '$T/nodir/counter.save'" "... naming the file"
check "... and the domain runs on" running

x save counter "$T/counter.save"
has "^Domain 'counter' saved to $T/counter.save" "save counter"
check "the file is there" test -s "$T/counter.save"
check "no temporary file is left beside it" \
    test "$(ls "$T" | grep -c '^counter.save')" -eq 1
check "the domain is gone from the node" absent
grep -q "asked to suspend for a save" "$STATE/xmd.log"
tap $? "xmd asked it through xenstore"
stopped_at=$(last_count)
sleep 0.5
check "its count stands still while it is saved" \
    test "$(last_count)" = "$stopped_at"

# Damaged copies: refused, and no domain is made from them.
size=$(stat -c %s "$T/counter.save")
head -c $((size / 2)) "$T/counter.save" >"$T/cut.save"
x restore "$T/cut.save"
has "cut short" "a file cut short: refused"
cp "$T/counter.save" "$T/flip.save"
printf '\377' | dd of="$T/flip.save" bs=1 seek=$((size / 3)) conv=notrunc \
    2>/dev/null
x restore "$T/flip.save"
has "checksum" "a changed byte: refused by the checksum"
cp "$T/counter.save" "$T/version.save"
printf '\011' | dd of="$T/version.save" bs=1 seek=8 conv=notrunc 2>/dev/null
x restore "$T/version.save"
has "version 9" "another version: refused, naming it"
x restore "$T/counter.xml"
has "not an xm save file" "a file that is no save file: refused"
check "none of them made a domain" absent

x restore "$T/counter.save"
has "^Domain 'counter' restored from $T/counter.save" "restore counter"
wait_until 20 logged "counter: suspend returned 0"
tap $? "its suspend call returned 0 in the new domain"
wait_until 20 logged "counter $((stopped_at + 3))"
tap $? "it counts on from where it stopped ($stopped_at)"
sed -n '/suspend returned 0/,$p' "$LOG" | grep -q '^counter 1$'
check "it did not start counting again from 1" test $? -ne 0
check "it runs" running
x schedinfo counter
has '^weight: +512$' "its definition's weight is in force again"
has '^cap: +80$' "... and its cap"
x restore "$T/counter.save"
has "exists" "restore while it runs: refused (its name is taken)"

# Once more: the restored domain saves and restores as well.
# With --json, what xmd answered: a script reads the file's size.
x save --json counter "$T/again.save"
has '"path": *"'"$T"'/again.save"' "the restored domain saves again (--json)"
bytes=$(printf '%s\n' "$OUT" | sed -n 's/.*"bytes": *\([0-9]*\).*/\1/p')
check "... its size as the file's" test "$bytes" = "$(stat -c %s "$T/again.save")"
again_at=$(last_count)
x restore --json "$T/again.save"
has '"name": *"counter"' "... and restores again (--json: the domain)"
wait_until 20 logged "counter $((again_at + 3))"
tap $? "it counts on from $again_at"
x destroy counter
finish
