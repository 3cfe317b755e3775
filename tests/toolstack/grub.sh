# The GRUB entry for a real PC (tools/20_xm.in, issue 14): run as
# grub-mkconfig runs the scripts of /etc/grub.d, with hv and domain 0
# installed under a temporary pkglibdir, it prints one menu entry that
# loads hv with multiboot2 and domain 0 with module2, with the command
# lines /etc/default/grub gives (GRUB_CMDLINE_XM, GRUB_CMDLINE_XM_DOM0),
# which grub-script-check takes; GRUB_DISABLE_XM=true, or hv not
# installed, gives none.  grub-mkconfig_lib's device functions and
# grub-probe are TEST DOUBLES (there is no disk to probe here): they
# name a fake device and leave paths as they are.
. "$XM_SRCDIR/tests/toolstack/lib.sh"
LIBDIR=$T/lib/xm
mkdir -p "$LIBDIR/boot" "$T/grub" "$T/bin"
: >"$LIBDIR/boot/xm-hv.elf"
: >"$LIBDIR/boot/dom0.elf"
sed "s|@pkglibdir[@]|$LIBDIR|g" "$XM_SRCDIR/tools/20_xm.in" >"$T/20_xm"
cat >"$T/grub/grub-mkconfig_lib" <<'LIB'
is_path_readable_by_grub() { [ -r "$1" ]; }
make_system_path_relative_to_its_root() { echo "$1"; }
prepare_grub_to_access_device() { echo "set root='fake,$1'"; }
LIB
printf '#!/bin/sh\necho /dev/fakedisk1\n' >"$T/bin/grub-probe"
chmod +x "$T/bin/grub-probe"

# mkconfig [VAR=VALUE...]: the script's output, as grub-mkconfig runs it.
mkconfig()
{
	OUT=$(env pkgdatadir="$T/grub" PATH="$T/bin:$PATH" "$@" \
	    sh "$T/20_xm" 2>"$T/err")
	RC=$?
	printf '%s\n' "$OUT" | sed 's/^/# | /'
	sed 's/^/# 2| /' "$T/err"
}

mkconfig
check "it runs as grub-mkconfig runs it" test "$RC" -eq 0
has "^menuentry 'xm hypervisor, with its domain 0'" "one menu entry"
has "^	set root='fake,/dev/fakedisk1'$" "... that reaches hv's disk"
has "^	multiboot2 $LIBDIR/boot/xm-hv.elf loglvl=info$" \
    "... loads hv with multiboot2 (default command line loglvl=info)"
has "^	module2 $LIBDIR/boot/dom0.elf dom0$" "... and domain 0 as its module"
check "... and says so on standard error" grep -q "Found xm hypervisor" "$T/err"
if command -v grub-script-check >/dev/null; then
	printf '%s\n' "$OUT" >"$T/entry.cfg"
	check "grub-script-check takes the entry" grub-script-check "$T/entry.cfg"
else
	tap 0 "grub-script-check takes the entry # SKIP needs: grub-script-check (Debian package grub-common)"
fi

mkconfig GRUB_CMDLINE_XM="loglvl=debug console=com1" \
    GRUB_CMDLINE_XM_DOM0="dom0 quiet"
has "multiboot2 .*xm-hv.elf loglvl=debug console=com1$" \
    "GRUB_CMDLINE_XM: hv's command line"
has "module2 .*dom0.elf dom0 quiet$" "GRUB_CMDLINE_XM_DOM0: domain 0's"

mkconfig GRUB_DISABLE_XM=true
check "GRUB_DISABLE_XM=true: no entry" test "$RC" -eq 0 -a -z "$OUT"

rm "$LIBDIR/boot/xm-hv.elf"
mkconfig
check "hv not installed: no entry" test "$RC" -eq 0 -a -z "$OUT"
check "... saying where it looked" grep -q "no xm hypervisor at $LIBDIR" "$T/err"
finish
