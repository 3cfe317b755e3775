#!/usr/bin/env python3
"""bench/guest_work.py: the work that cpubench domains report on their
consoles, counted over one window of hv's system time.

  guest_work.py SECS SETTLE TIMEOUT LOG...
      LOG is a cpubench domain's console log (xmd's console/NAME.log),
      whose lines "cpubench: rep I ... bytes B ... at E" say that B
      bytes were hashed in a repetition that ended at system time E
      (ns, the same clock in every domain).  Waits until every LOG has
      a repetition that it had not when called; the window starts
      SETTLE seconds after the latest such first one (every domain is
      running by then, with what was set before the call) and lasts
      SECS; waits until every LOG has one that ended after the window
      (at most TIMEOUT seconds in all).  Says on standard error when it
      has looked at what the logs hold already.  Prints one JSON object: domains, secs,
      total_mbs (MB/s of all the domains together), mbs (each LOG's
      MB/s, in order), reps (repetitions counted), late (domains that
      reported nothing after the window: starved, or their console lags).

A repetition counts when it ended inside the window: for work that goes
on at a steady rate, that count over the window is the rate, whatever
the repetitions' length, and no repetition counts twice.
"""

import json
import re
import sys
import time

REP = re.compile(rb"cpubench: rep \d+ passes \d+ bytes (\d+) tsc \d+ "
                 rb"ns \d+ hash \S+ at (\d+)\n")


def reps_of(path):
    """(end ns, bytes) of each whole line of the log so far."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    return [(int(m.group(2)), int(m.group(1))) for m in REP.finditer(data)]


def wait_for(cond, deadline, what):
    while True:
        got = cond()
        if got is not None:
            return got
        if time.monotonic() > deadline:
            sys.exit("guest_work: %s" % what)
        time.sleep(0.25)


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    secs, settle, timeout = (float(x) for x in argv[1:4])
    logs = argv[4:]
    deadline = time.monotonic() + timeout

    # Only repetitions that end after this call: what the caller changed
    # before it (a weight, a cap) holds in the whole window.
    seen = [len(reps_of(p)) for p in logs]
    print("guest_work: waiting for new work from %d domains" % len(logs),
          file=sys.stderr, flush=True)

    def all_started():
        firsts = [reps_of(p)[n:n + 1] for p, n in zip(logs, seen)]
        if all(firsts):
            return max(f[0][0] for f in firsts)
        return None

    t0 = wait_for(all_started, deadline, "not every domain reported work "
                  "within %gs" % timeout) + int(settle * 1e9)
    t1 = t0 + int(secs * 1e9)
    time.sleep(max(0.0, settle + secs - 1))

    def all_past():
        ends = [max((e for e, _ in reps_of(p)), default=0) for p in logs]
        if min(ends) > t1:
            return ends
        if time.monotonic() > deadline and max(ends) > t1:
            return ends
        return None

    ends = wait_for(all_past, deadline + 30, "the window's end was never "
                    "reported (timeout %gs)" % timeout)
    per, n = [], 0
    for p in logs:
        b = [b for e, b in reps_of(p) if t0 < e <= t1]
        per.append(sum(b) / secs / 1e6)
        n += len(b)
    print(json.dumps({"domains": len(logs), "secs": secs,
                      "total_mbs": sum(per), "mbs": per, "reps": n,
                      "late": sum(1 for e in ends if e <= t1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
