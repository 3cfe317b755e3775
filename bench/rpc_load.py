#!/usr/bin/env python3
"""bench/rpc_load.py: figure P8's load on a management plane.

  rpc_load.py xmd SOCKET CLIENTS SECONDS
      CLIENTS processes, each with its own connection to xmd's JSON-RPC
      SOCKET, repeat for SECONDS: domain.list {"all": true}, then
      domain.info of every domain listed.  Each request is one op.
  rpc_load.py virsh URI CLIENTS SECONDS DOMAINS
      the same with libvirt: CLIENTS virsh processes on URI (e.g. the
      test driver, test:///default) each define DOMAINS - 1 more domains
      beside the driver's own, then repeat `list --all` and `dominfo` of
      each in one virsh session; ops/s only (virsh reports no latency
      per command), the set-up timed apart and left out.

Prints one JSON object: ops, seconds, ops_per_s, p50_ms, p99_ms, domains.

  rpc_load.py define SOCKET FIRST LAST
      define the domains benchFIRST..benchLAST (16 MiB, guests/hello)
      through domain.define on one connection; prints the seconds taken
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time


def rpc(f, sock, rid, method, params):
    req = {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}
    sock.sendall((json.dumps(req) + "\n").encode())
    while True:
        ln = f.readline()
        if not ln:
            raise SystemExit("rpc_load: xmd closed the connection")
        msg = json.loads(ln)
        if msg.get("id") == rid:
            break
    if "error" in msg:
        raise SystemExit("rpc_load: %s: %s" % (method, msg["error"]))
    return msg["result"]


def names_of(result):
    doms = result.get("domains", result) if isinstance(result, dict) \
        else result
    return [d["name"] for d in doms]


def xmd_client(path, seconds, wfd):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    f = sock.makefile("r")
    lat, rid, ndom = [], 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        rid += 1
        t0 = time.perf_counter_ns()
        names = names_of(rpc(f, sock, rid, "domain.list", {"all": True}))
        lat.append(time.perf_counter_ns() - t0)
        ndom = len(names)
        for n in names:
            rid += 1
            t0 = time.perf_counter_ns()
            rpc(f, sock, rid, "domain.info", {"domain": n})
            lat.append(time.perf_counter_ns() - t0)
    os.write(wfd, (json.dumps({"lat": lat, "domains": ndom}) + "\n")
             .encode())


def run_xmd(path, clients, seconds):
    # A pipe per client: results longer than PIPE_BUF written by several
    # clients to one pipe would interleave.
    pipes, pids, out = [], [], []
    t0 = time.monotonic()
    for _ in range(clients):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                xmd_client(path, seconds, w)
                os._exit(0)
            except BaseException as e:
                print(e, file=sys.stderr)
                os._exit(1)
        os.close(w)
        pipes.append(r)
        pids.append(pid)
    for r in pipes:
        with os.fdopen(r) as rf:
            out += [json.loads(ln) for ln in rf]
    bad = sum(os.waitpid(p, 0)[1] != 0 for p in pids)
    elapsed = time.monotonic() - t0
    if bad or len(out) != clients:
        raise SystemExit("rpc_load: %d of %d clients failed" % (
            clients - len(out) + bad, clients))
    lat = sorted(x for o in out for x in o["lat"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else lat * 99
    return {"ops": len(lat), "seconds": round(elapsed, 3),
            "ops_per_s": round(len(lat) / elapsed, 1),
            "p50_ms": round(q[49] / 1e6, 4), "p99_ms": round(q[98] / 1e6, 4),
            "domains": out[0]["domains"]}


XMD_DOM = ("<domain type='xen'><name>bench%d</name>"
           "<memory unit='MiB'>16</memory>"
           "<os><kernel>guests/hello/hello.elf</kernel></os></domain>")


def define_xmd(path, first, last):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    f = sock.makefile("r")
    t0 = time.monotonic()
    for i in range(first, last + 1):
        rpc(f, sock, i, "domain.define", {"definition": XMD_DOM % i})
    return round(time.monotonic() - t0, 3)


VIRSH_DOM = ("<domain type='test'><name>b%d</name><memory>16384</memory>"
             "<os><type>hvm</type></os></domain>")


def virsh_script(bench_dir, domains, rounds):
    """A virsh command file: define the domains, then the rounds."""
    cmds = []
    for i in range(1, domains):
        xml = os.path.join(bench_dir, "b%d.xml" % i)
        with open(xml, "w") as f:
            f.write(VIRSH_DOM % i)
        cmds.append("define %s" % xml)
    names = ["test"] + ["b%d" % i for i in range(1, domains)]
    for _ in range(rounds):
        cmds.append("list --all")
        cmds += ["dominfo %s" % n for n in names]
    return "\n".join(cmds) + "\n", rounds * (1 + len(names))


def virsh_time(uri, script, clients):
    t0 = time.monotonic()
    procs = [subprocess.Popen(["virsh", "-q", "-c", uri],
                              stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
             for _ in range(clients)]
    for p in procs:
        p.stdin.write(script.encode())
        p.stdin.close()
    if any(p.wait() != 0 for p in procs):
        raise SystemExit("rpc_load: virsh failed")
    return time.monotonic() - t0


def run_virsh(uri, clients, seconds, domains):
    bench_dir = os.environ.get("BENCH_DIR", "/tmp")
    setup, _ = virsh_script(bench_dir, domains, 0)
    base = virsh_time(uri, setup, clients)
    # Trial rounds size the run to about SECONDS (under 1 s: no trial).
    rounds = max(1, 640 // (domains + 1))
    if seconds >= 1:
        script, ops = virsh_script(bench_dir, domains, rounds)
        trial = max(virsh_time(uri, script, clients) - base, 0.05)
        rounds = max(rounds, int(rounds * seconds / trial))
    script, ops = virsh_script(bench_dir, domains, rounds)
    elapsed = max(virsh_time(uri, script, clients) - base, 1e-3)
    return {"ops": ops * clients, "seconds": round(elapsed, 3),
            "ops_per_s": round(ops * clients / elapsed, 1),
            "p50_ms": None, "p99_ms": None, "domains": domains}


def main(argv):
    if len(argv) >= 5 and argv[1] == "define":
        res = define_xmd(argv[2], int(argv[3]), int(argv[4]))
    elif len(argv) >= 5 and argv[1] == "xmd":
        res = run_xmd(argv[2], int(argv[3]), float(argv[4]))
    elif len(argv) >= 6 and argv[1] == "virsh":
        res = run_virsh(argv[2], int(argv[3]), float(argv[4]), int(argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
