#!/usr/bin/env python3
"""bench/shares.py: domains' shares of work against their entitlement
by weight (figure P6).

  shares.py CPUS "W1 W2 ..." JSON
      JSON is bench/guest_work.py's result for the domains of weights
      W1 W2 ..., each with one vCPU, on CPUS CPUs.  Prints the worst
      relative error in % and the shares and entitlements in % of all
      the CPUs: "ERR S1/S2/... E1/E2/..."

The entitlement shares the CPUs by weight, but a domain with one vCPU
gets at most one CPU and what it cannot use goes to the others, by
weight (weights 1:2:4 on two CPUs: 1/6 2/6 3/6, not 1/7 2/7 4/7).
"""

import json
import sys


def entitlement(cpus, weights):
    ent, left, free = [0.0] * len(weights), float(cpus), \
        set(range(len(weights)))
    while free:
        w = sum(weights[i] for i in free)
        over = [i for i in free if left * weights[i] / w > 1]
        if not over:
            for i in free:
                ent[i] = left * weights[i] / w
            break
        for i in over:
            ent[i], left = 1.0, left - 1
            free.discard(i)
    return [e / cpus for e in ent]


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    cpus = int(argv[1])
    weights = [float(w) for w in argv[2].split()]
    mbs = json.loads(argv[3])["mbs"]
    if len(mbs) != len(weights) or sum(mbs) <= 0:
        sys.exit("shares.py: no work counted, or not one figure a weight")
    ent = entitlement(cpus, weights)
    got = [m / sum(mbs) for m in mbs]
    err = max(abs(g / e - 1) for g, e in zip(got, ent)) * 100
    pc = lambda v: "/".join("%.1f" % (x * 100) for x in v)
    print(round(err, 2), pc(got), pc(ent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
