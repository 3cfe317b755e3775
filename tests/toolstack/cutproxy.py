#!/usr/bin/env python3
"""cutproxy.py LISTEN TARGET [--cut-before S | --cut-after S | --hold-after S]

A network between two xmds that can be cut.  Listens on unix socket
LISTEN and joins each connection to unix socket TARGET, copying bytes
both ways as they come.  SIGTERM (or SIGKILL) is a cut: every
connection closes at once, in the middle of whatever it was carrying,
as when a link goes down.  Prints "ready" once listening.

--cut-before S: the first connection whose client sends bytes holding
  S is closed at once, those bytes never reach TARGET.
--cut-after S: they reach TARGET, but nothing TARGET sends back on that
  connection comes through any more, and it closes a second later: an
  answer lost on the way.
--hold-after S: they reach TARGET, but nothing TARGET sends back on
  that connection comes through any more, and it stays open: an answer
  that never comes.  Prints "held" then.
Each acts once; later connections pass as they are.
"""
import os
import selectors
import signal
import socket
import sys
import time


class Proxy:
    def __init__(self, listen_path, target, mode, pattern):
        self.target = target
        self.mode, self.pattern = mode, pattern
        self.sel = selectors.DefaultSelector()
        self.peer, self.client = {}, set()
        self.muted, self.close_at = set(), {}
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(listen_path)
        srv.listen(8)
        self.srv = srv
        self.sel.register(srv, selectors.EVENT_READ)

    def close(self, s):
        for c in (s, self.peer.get(s)):
            if c is None or c not in self.peer:
                continue
            self.sel.unregister(c)
            c.close()
            del self.peer[c]
            self.client.discard(c)
            self.muted.discard(c)
            self.close_at.pop(c, None)

    def accept(self):
        a, _ = self.srv.accept()
        b = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            b.connect(self.target)
        except OSError as e:            # as a network would: refused
            print("cannot reach %s: %s" % (self.target, e), flush=True)
            b.close()
            a.close()
            return
        print("connected a client to %s" % self.target, flush=True)
        self.peer[a], self.peer[b] = b, a
        self.client.add(a)
        self.sel.register(a, selectors.EVENT_READ)
        self.sel.register(b, selectors.EVENT_READ)

    def forward(self, s):
        data = s.recv(1 << 16)
        if not data:
            self.close(s)
            return
        if s in self.client and self.pattern and \
                self.pattern.encode() in data:
            self.pattern = None         # once
            if self.mode == "before":
                self.close(s)
                return
            self.muted.add(self.peer[s])
            if self.mode == "after":
                self.close_at[s] = time.monotonic() + 1.0
            else:
                print("held", flush=True)
        if s in self.muted:
            return                      # the answer is lost
        self.peer[s].sendall(data)

    def run(self):
        print("ready", flush=True)
        while True:
            for key, _ in self.sel.select(timeout=0.1):
                if key.fileobj is self.srv:
                    self.accept()
                elif key.fileobj in self.peer:
                    self.forward(key.fileobj)
            now = time.monotonic()
            for s, t in list(self.close_at.items()):
                if now >= t:
                    self.close(s)


def main():
    args = sys.argv[1:]
    mode = pattern = None
    modes = {"--cut-before": "before", "--cut-after": "after",
             "--hold-after": "hold"}
    if len(args) == 4 and args[2] in modes:
        mode, pattern = modes[args[2]], args[3]
    elif len(args) != 2:
        sys.exit(__doc__)
    try:
        os.unlink(args[0])
    except FileNotFoundError:
        pass
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    Proxy(args[0], args[1], mode, pattern).run()


if __name__ == "__main__":
    main()
