#!/usr/bin/env python3
"""Run a command on a pseudo-terminal and answer its questions.

edit-tty.py ANSWERS CMD...: each time the output so far ends with
"Try again? [y,n,?]: ", the next character of ANSWERS (and a newline)
is typed (n once they run out).  What the command printed goes to standard output; the exit
status is the command's.  For tests/toolstack/edit.sh: xmctl edit asks
only on a terminal.
"""
import os
import pty
import select
import sys
import time

PROMPT = b"Try again? [y,n,?]: "


def main():
    answers, cmd = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    out = b""
    asked = 0
    deadline = time.time() + 30
    while time.time() < deadline:
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        if out.endswith(PROMPT):
            a = answers[asked] if asked < len(answers) else "n"
            os.write(fd, a.encode() + b"\n")
            asked += 1
    if time.time() >= deadline:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
