# Console logs are bounded (issue 14), as xenconsoled's log-rotate: with
# console_log_size = 2K and console_log_files = 2 in xmd.conf, a counter
# printing a line every 10 ms turns its log over: NAME.log stays under
# 2 KiB, NAME.log.1 and NAME.log.2 hold the lines before, in order, no
# NAME.log.3 appears, and no line is lost between the files.  xmd -n
# refuses a number of files out of range.  SIGHUP (systemd's reload,
# logrotate's) opens a new xmd.log and reads xmd.conf again: new limits
# apply, a key that needs a restart is said to, a bad file changes
# nothing.  A QEMU node boots: a while of TCG time.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
trap 'stop_xmd' EXIT

printf 'console_log_size = 512\n' >"$T/small.conf"
OUT=$("$XMD" -n -f "$T/small.conf" -s "$T/check" 2>&1)
check "console_log_size 512 (MiB) is taken" test $? -eq 0
printf 'console_log_size = 512K\nconsole_log_files = 100\n' >"$T/bad.conf"
OUT=$("$XMD" -n -f "$T/bad.conf" -s "$T/check" 2>&1)
has "console_log_files" "console_log_files 100: refused, named"

printf 'console_log_size = 2K\nconsole_log_files = 2\n' >"$T/xmd.conf"
start_xmd -f "$T/xmd.conf" -m 256M -t 60
tap $? "xmd starts its node with console_log_size = 2K, _files = 2"
cat >"$T/fast.xml" <<XML
<domain type='xen'>
  <name>fast</name>
  <memory unit='MiB'>16</memory>
  <os><kernel>guests/counter/counter.elf</kernel>
  <cmdline>counter period_ms=10</cmdline></os>
</domain>
XML
x create "$T/fast.xml"
has "^Domain 'fast' created" "a counter printing every 10 ms"
LOG=$STATE/console/fast.log
wait_until 30 test -f "$LOG.2"
tap $? "its log turned over twice: fast.log.2"
x destroy fast
size=$(stat -c %s "$LOG")
check "fast.log stays under 2 KiB ($size bytes)" test "$size" -le 2048
check "fast.log.1 too ($(stat -c %s "$LOG.1") bytes)" \
    test "$(stat -c %s "$LOG.1")" -le 2048
check "no fast.log.3: two old files are kept" test ! -e "$LOG.3"
# The counter's lines across the files, oldest first: each once, in order.
cat "$LOG.2" "$LOG.1" "$LOG" | sed -n 's/^counter \([0-9][0-9]*\)$/\1/p' \
    >"$T/lines"
first=$(head -n 1 "$T/lines") last=$(tail -n 1 "$T/lines")
check "no line lost between the files (counter $first to $last)" \
    test "$(wc -l <"$T/lines")" -eq $((last - first + 1)) -a \
    "$(sort -n "$T/lines" | uniq | wc -l)" -eq $((last - first + 1))

# SIGHUP: the log file opened again, the configuration read again.
mv "$STATE/xmd.log" "$T/xmd.log.old"
printf 'console_log_size = 1K\nconsole_log_files = 1\nnode_cpus = 2\n' \
    >"$T/xmd.conf"
kill -HUP "$XMD_PID"
wait_until 5 grep -q "reload: log reopened" "$STATE/xmd.log"
tap $? "SIGHUP: xmd opens a new xmd.log (logrotate moved the old one)"
check "... and runs on" kill -0 "$XMD_PID"
check "... reads xmd.conf again: console logs now 1 KiB, 1 old file" \
    grep -q "reload: .*(console logs: 1024 bytes, 1 old files)" \
    "$STATE/xmd.log"
check "... and says node_cpus waits for a restart" \
    grep -q "reload: node_cpus changed: that takes effect when xmd restarts" \
    "$STATE/xmd.log"
rm -f "$STATE"/console/fast2.log*
sed 's/fast/fast2/' "$T/fast.xml" >"$T/fast2.xml"
x create "$T/fast2.xml"
wait_until 20 test -f "$STATE/console/fast2.log.1"
tap $? "a new console's log turns over at the new size"
sleep 1
x destroy fast2
check "... under 1 KiB, and no .2 with one old file kept" \
    test "$(stat -c %s "$STATE/console/fast2.log.1")" -le 1024 -a \
    ! -e "$STATE/console/fast2.log.2"
printf 'console_log_size = lots\n' >"$T/xmd.conf"
kill -HUP "$XMD_PID"
wait_until 5 grep -q "the configuration stays as it was" "$STATE/xmd.log"
tap $? "a configuration that does not read: said, and nothing changes"
check "... and xmd runs on" kill -0 "$XMD_PID"
finish
