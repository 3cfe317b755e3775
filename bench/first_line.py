#!/usr/bin/env python3
"""bench/first_line.py: how long until something prints its first line.

  first_line.py file LOG TIMEOUT -- CMD...
      run CMD (e.g. xmctl create) and wait until LOG (the domain's
      console log) has a first whole line; prints the seconds CMD took
      and the seconds from CMD's start to that line
  first_line.py stdout TIMEOUT -- CMD...
      start CMD (e.g. QEMU on a bare kernel), read its standard output
      until the first line that is not blank, then kill it; prints the
      seconds from the start to that line

With XM_UNTIL=TEXT in the environment, "the first line" is the first
that contains TEXT (Linux's boot to its shell, say).
"""

import os
import subprocess
import sys
import time


UNTIL = os.environ.get("XM_UNTIL", "").encode()


def has_line(path):
    try:
        with open(path, "rb") as f:
            if UNTIL:
                return UNTIL in f.read()
            return b"\n" in f.read(4096)
    except OSError:
        return False


def file_mode(log, timeout, cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    done = None
    while True:
        now = time.monotonic()
        if done is None and p.poll() is not None:
            if p.returncode != 0:
                sys.exit("first_line: %s failed" % cmd[0])
            done = now - t0
        if has_line(log):
            line = now - t0
            break
        if now - t0 > timeout:
            sys.exit("first_line: no line in %s after %ss" % (log, timeout))
        time.sleep(0.001)
    if done is None:
        p.wait()
        done = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit("first_line: %s failed" % cmd[0])
    print("%.6f %.6f" % (done, line))


def stdout_mode(timeout, cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    try:
        for ln in p.stdout:
            if (UNTIL in ln) if UNTIL else ln.strip():
                print("%.6f" % (time.monotonic() - t0))
                return
            if time.monotonic() - t0 > timeout:
                break
        sys.exit("first_line: %s printed nothing" % cmd[0])
    finally:
        p.kill()
        p.wait()


def main(argv):
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    i = argv.index("--")
    args, cmd = argv[1:i], argv[i + 1:]
    if len(args) == 3 and args[0] == "file" and cmd:
        file_mode(args[1], float(args[2]), cmd)
    elif len(args) == 2 and args[0] == "stdout" and cmd:
        stdout_mode(float(args[1]), cmd)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
