#!/usr/bin/env python3
"""Make the stock-Linux test's initramfs: a newc cpio (gzip'd) holding a
static busybox and an /init that reports what the kernel shows, then
runs a shell on the console (the test types into it).

usage: mkinitramfs.py BUSYBOX OUT.cpio.gz [FILE:bin/NAME ...]

Each FILE:bin/NAME goes into the image as an executable at bin/NAME.
"""
import gzip
import stat
import sys

# /init sets up and hands over to busybox's init, as a distribution's
# init does: /sbin/poweroff and /sbin/reboot (which Linux runs when the
# toolstack asks it through xenstore) then shut the system down in order.
INIT = b"""#!/bin/busybox sh
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
exec /sbin/init
"""

INITTAB = b"""::sysinit:/etc/rc
::respawn:/bin/cttyhack /bin/sh
::shutdown:/bin/echo xm-initramfs: going down
::ctrlaltdel:/sbin/reboot
"""

RC = b"""#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "xm-initramfs: a shell on $(uname -r)"
echo "xm-initramfs: cpus $(grep -c ^processor /proc/cpuinfo)"
echo "xm-initramfs: $(grep MemTotal /proc/meminfo)"
echo "xm-initramfs: hypervisor $(cat /sys/hypervisor/type 2>/dev/null)"
dmesg | grep -iE 'xen.*(error|fail)|BUG|WARNING' | sed 's/^/xm-initramfs: dmesg: /'
echo "xm-initramfs: shell ready"
"""


def entry(out, ino, name, mode, data=b"", nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0,
              len(name) + 1, 0]
    out += b"070701" + "".join("%08X" % v for v in fields).encode()
    out += name.encode() + b"\0"
    out += b"\0" * ((4 - len(out) % 4) % 4)
    out += data
    out += b"\0" * ((4 - len(out) % 4) % 4)


def main():
    busybox, dest = sys.argv[1], sys.argv[2]
    out = bytearray()
    ino = 1
    for d in ("bin", "proc", "sys", "dev", "etc"):
        entry(out, ino, d, stat.S_IFDIR | 0o755, nlink=2)
        ino += 1
    with open(busybox, "rb") as f:
        entry(out, ino, "bin/busybox", stat.S_IFREG | 0o755, f.read())
    entry(out, ino + 1, "init", stat.S_IFREG | 0o755, INIT)
    entry(out, ino + 2, "etc/inittab", stat.S_IFREG | 0o644, INITTAB)
    entry(out, ino + 3, "etc/rc", stat.S_IFREG | 0o755, RC)
    ino += 4
    for extra in sys.argv[3:]:
        src, name = extra.split(":", 1)
        with open(src, "rb") as f:
            entry(out, ino, name, stat.S_IFREG | 0o755, f.read())
        ino += 1
    entry(out, 0, "TRAILER!!!", 0)
    with gzip.open(dest, "wb") as f:
        f.write(bytes(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
