# Debian packages (issue 14): from the release tarball (make dist, so
# the tarball must carry debian/), `dpkg-buildpackage -us -uc -b` builds
# xm-hypervisor, xm-common, xmd, xmctl, libxmctl2 and libxmctl-dev;
# lintian reports no error; their dependencies resolve on this Debian
# (apt-get's simulation); dpkg installs them into an empty root with its
# own package database, running their maintainer scripts; xmd started
# as xmd.service says boots its node from the packaged image and
# runner, says READY=1, and the packaged xmctl, on the packaged
# libxmctl, lists Domain-0 and creates the packaged hello example.
# dpkg --purge then leaves no packaged file behind.
#
# systemd is a TEST DOUBLE here, as in tests/toolstack/systemd.sh: a
# python3 listener on the notify socket, and the test runs the unit's
# ExecStart itself (no systemd runs in a container), with what its
# StateDirectory= and RuntimeDirectory= make, /var/lib/xm and /run/xm,
# on fresh tmpfs mounts in a mount namespace of the test's own.  The
# package build compiles everything again: several minutes on 2 cores,
# which is why this runs in `make check-debs`, not in `make check`.
. "$XM_SRCDIR/tests/toolstack/own_mounts.sh"
. "$XM_SRCDIR/tests/toolstack/lib.sh"
ROOT=$T/root
B=$(cd "$XM_BUILDDIR" && pwd)
trap end_children EXIT

for tool in dpkg-buildpackage dh lintian fakeroot systemd-sysusers; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP needs: $tool (./bootstrap installs it)"
		exit 0
	fi
done

# --- build ----------------------------------------------------------------
# XM_DEBS_FROM=DIR takes the packages a build left in DIR (the parent of
# its source tree) instead, to look at them again without building.
if [ -n "${XM_DEBS_FROM:-}" ]; then
	mkdir -p "$T/build" && cp "$XM_DEBS_FROM"/*.deb \
	    "$XM_DEBS_FROM"/*.changes "$XM_DEBS_FROM"/*.buildinfo "$T/build/"
	tap $? "the packages in $XM_DEBS_FROM (XM_DEBS_FROM: not built here)"
else
	make -s -C "$B" dist >"$T/dist.log" 2>&1
	tap $? "make dist"
	TARBALL=$B/xm-$(sed -n 's/^PACKAGE_VERSION = //p' "$B/Makefile").tar.gz
	mkdir -p "$T/build" && tar -xzf "$TARBALL" -C "$T/build"
	SRCDIR=$(ls -d "$T"/build/xm-* | head -n 1)
	check "the tarball carries debian/" test -x "$SRCDIR/debian/rules"

	(cd "$SRCDIR" && DEB_BUILD_OPTIONS="parallel=$(nproc)" \
	    dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
	tap $? "dpkg-buildpackage -us -uc -b"
	tail -n 15 "$T/build.log" | sed 's/^/# | /'
	grep -E "^(PASS|FAIL|[0-9]+ passed)" "$T/build.log" | sed 's/^/# | /'
	check "the package build ran the unit tests" \
	    grep -Eq "^[0-9]+ passed, 0 failed" "$T/build.log"
fi

deb() { ls "$T"/build/"$1"_*.deb 2>/dev/null | head -n 1; }
PKGS="xm-hypervisor xm-common xmd xmctl libxmctl2 libxmctl-dev"
DEBS=
for p in $PKGS; do
	check "$p is built" test -f "$(deb "$p")"
	DEBS="$DEBS $(deb "$p")"
done

# --- lintian --------------------------------------------------------------
lintian --tag-display-limit 0 "$T"/build/xm_*.changes >"$T/lintian.log" 2>&1
sed 's/^/# | /' "$T/lintian.log"
check "lintian: no error" sh -c '! grep -q "^E: " "$1"' _ "$T/lintian.log"

# --- what each package holds and needs -----------------------------------
contents() { dpkg-deb -c "$(deb "$1")"; }
field() { dpkg-deb -f "$(deb "$1")" "$2"; }
check "xm-hypervisor: hv, domain 0, xm.iso, the GRUB script" sh -c \
    'c=$(dpkg-deb -c "$1"); for f in /xm/boot/xm-hv.elf /xm/boot/dom0.elf \
    /xm/xm.iso /etc/grub.d/20_xm; do echo "$c" | grep -q "$f\$" || exit 1;
    done' _ "$(deb xm-hypervisor)"
dpkg-deb --fsys-tarfile "$(deb xm-hypervisor)" |
    tar -xO --wildcards "*/boot/dom0.elf" >"$T/dom0.elf"
check "... the kernels keep their PV ELF notes (dh_strip left them)" sh -c \
    'readelf -n "$1" | grep -q "^ *Xen "' _ "$T/dom0.elf"
check "xmd: the daemon, its unit, its configuration, the runner" sh -c \
    'c=$(dpkg-deb -c "$1"); for f in /usr/sbin/xmd \
    /lib/systemd/system/xmd.service /etc/xm/xmd.conf /xm/xm-qemu; do
    echo "$c" | grep -q "$f\$" || exit 1; done' _ "$(deb xmd)"
check "... xmd.conf is a conffile" sh -c \
    'dpkg-deb --ctrl-tarfile "$1" | tar -xO ./conffiles |
    grep -qx /etc/xm/xmd.conf' _ "$(deb xmd)"
check "xmd depends on the hypervisor, QEMU and the libraries it links" \
    sh -c 'echo "$1" | grep -q "xm-hypervisor (= " &&
    echo "$1" | grep -q qemu-system-x86 && echo "$1" | grep -q libevent' \
    _ "$(field xmd Depends)"
check "xmctl depends on libxmctl2" sh -c 'echo "$1" | grep -q libxmctl2' \
    _ "$(field xmctl Depends)"
check "libxmctl2 holds the library its soname names" sh -c \
    'dpkg-deb -c "$1" | grep -q "/libxmctl\.so\.2 -> "' _ "$(deb libxmctl2)"
check "libxmctl-dev: header, .so, pkg-config, on the same libxmctl2" sh -c \
    'c=$(dpkg-deb -c "$1"); echo "$c" | grep -q "/usr/include/xmctl.h$" &&
    echo "$c" | grep -q "pkgconfig/libxmctl.pc$" &&
    echo "$2" | grep -q "libxmctl2 (= "' _ "$(deb libxmctl-dev)" \
    "$(field libxmctl-dev Depends)"

# shellcheck disable=SC2086
apt-get install -s $DEBS >"$T/apt.log" 2>&1
tap $? "their dependencies resolve on this Debian (apt-get -s install)"
tail -n 3 "$T/apt.log" | sed 's/^/# | /'

# --- install into an empty root ------------------------------------------
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates" \
    "$ROOT/var/lib/dpkg/triggers" "$ROOT/etc"
: >"$ROOT/var/lib/dpkg/status"
: >"$ROOT/var/lib/dpkg/available"
DPKG="dpkg --root=$ROOT --force-script-chrootless --force-depends \
    --log=$T/dpkg.log"
[ "$(id -u)" -eq 0 ] || DPKG="fakeroot $DPKG --force-not-root"
# shellcheck disable=SC2086
$DPKG -i $DEBS >"$T/install.log" 2>&1
tap $? "dpkg -i into an empty root (maintainer scripts run, DPKG_ROOT set)"
tail -n 8 "$T/install.log" | sed 's/^/# | /'
check "... every package is installed" sh -c '[ "$(dpkg --root="$1" -l |
    grep -c "^ii ")" -eq 6 ]' _ "$ROOT"
check "... the xm group exists (sysusers), for socket_group" \
    grep -q "^xm:" "$ROOT/etc/group"

# --- the service -----------------------------------------------------------
UNIT=$ROOT/lib/systemd/system/xmd.service
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
check "xmd.service starts the packaged xmd" test "$EXEC" = "/usr/sbin/xmd -d"
check "... with /var/lib/xm 0750 and /run/xm 0755" sh -c \
    'grep -qx StateDirectory=xm "$1" && grep -qx StateDirectoryMode=0750 "$1" &&
    grep -qx RuntimeDirectory=xm "$1" && grep -qx RuntimeDirectoryMode=0755 "$1"' \
    _ "$UNIT"
dgram_listener "$T/notify" "$T/notes"
tap $? "a notify socket listens, as systemd's"
# What systemd makes for the unit, on fresh mounts.
mount -t tmpfs xm-test-run /run && mount -t tmpfs xm-test-var /var/lib &&
    mkdir -m 0750 /var/lib/xm && mkdir -m 0755 /run/xm
rc=$?
tap $rc "/var/lib/xm and /run/xm, as the unit has them made"
# Without them the machine's own would be used: stop here.
[ "$rc" -eq 0 ] || finish
# The xm group sysusers made in ROOT, as it would be in /etc/group.
cat /etc/group >"$T/group" && grep "^xm:" "$ROOT/etc/group" >>"$T/group" &&
    mount --bind "$T/group" /etc/group
tap $? "the xm group, as the package made it"
XM_GID=$(getent group xm | cut -d: -f3)
PLIB=$(dirname "$(find "$ROOT" -name 'libxmctl.so.2' | head -n 1)")
PKGLIB=$(dirname "$(find "$ROOT" -name xm.iso | head -n 1)")
(cd "$PKGLIB" && unset XM_STATE_DIR && NOTIFY_SOCKET=$T/notify \
    exec "$ROOT"$EXEC -t 120 2>"$T/xmd.err") &
XMD_FG=$!
wait_until 150 grep -q "^READY=1" "$T/notes"
tap $? "the packaged xmd says READY=1 once its node answers"
tail -n 5 "$T/xmd.err" | sed 's/^/# | /'
check "... its node booted the packaged image" \
    grep -q "embedded node ($PKGLIB/xm.iso)" "$T/xmd.err"
check "... its sockets are in /run/xm" test -S /run/xm/xmd.sock
check "... xmd.sock is the xm group's (the packaged xmd.conf)" \
    test "$(stat -c '%a %g' /run/xm/xmd.sock)" = "660 $XM_GID"
check "... which xmd's log names" grep -q "JSON-RPC on /run/xm/xmd.sock" \
    "$T/xmd.err"

PXMCTL() { env -u XM_STATE_DIR -u XMCTL_URI LD_LIBRARY_PATH=$PLIB \
    "$ROOT/usr/bin/xmctl" "$@"; }
check "the packaged xmctl runs on the packaged libxmctl" sh -c \
    'LD_LIBRARY_PATH="$1" ldd "$2" | grep -q "libxmctl.so.2 => $1/"' \
    _ "$PLIB" "$ROOT/usr/bin/xmctl"
OUT=$(PXMCTL list 2>&1)
RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
tap $RC "xmctl list, with no -c, answers from the started service"
has "^Domain-0 " "... listing Domain-0"
cp "$ROOT/usr/bin/xmctl" "$PLIB"/libxmctl.so.2* /run/ && chmod a+rx /run
OUT=$(setpriv --reuid=65534 --regid=65534 --groups="$XM_GID" \
    env LD_LIBRARY_PATH=/run /run/xmctl -c unix:///run/xm/xmd.sock \
    list 2>&1)
RC=$?
printf '%s\n' "$OUT" | sed 's/^/# | /'
tap $RC "a member of the xm group uses the read-write socket"
OUT=$(PXMCTL create "$ROOT/usr/share/xm/examples/hello.xml" 2>&1)
tap $? "xmctl create of the packaged hello example"
wait_until 30 grep -q "hello: cmdline" /var/lib/xm/console/hello.log
tap $? "... it runs, from the packaged guest kernel"

kill -TERM "$XMD_FG"
wait "$XMD_FG"
tap $? "xmd stops on SIGTERM"
XMD_FG=

# --- remove ----------------------------------------------------------------
# shellcheck disable=SC2086
$DPKG --purge $PKGS >"$T/purge.log" 2>&1
tap $? "dpkg --purge of all six"
tail -n 5 "$T/purge.log" | sed 's/^/# | /'
left=$(find "$ROOT" -type f ! -path "$ROOT/var/lib/dpkg/*" \
    ! -path "$ROOT/etc/group*" ! -path "$ROOT/etc/.pwd.lock" \
    ! -path "$ROOT/etc/gshadow*" ! -path "$ROOT/etc/passwd*" \
    ! -path "$ROOT/etc/shadow*")
printf '%s\n' "$left" | sed '/^$/d; s/^/# left: /'
check "... leaves no packaged file behind" test -z "$left"
finish
