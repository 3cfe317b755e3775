#!/usr/bin/env python3
"""bench/results.py: the figures' results, one JSON object a line while
the figures run, bench/results.json at the end.

  results.py emit FILE NAME VALUE UNIT [--baseline V --baseline-name S]
                  [--target SPEC] [--note S]
      append one result to FILE; SPEC is "ratio>=X", "ratio<=X",
      "value>=X" or "value<=X"; ratio is value / baseline
  results.py error FILE NAME MESSAGE
      append a figure that could not be measured
  results.py collect FILE OUT [--mode M]
      write OUT (results.json) from FILE and print one line per figure
  results.py check OUT
      exit 0 when OUT is well-formed results.json (the smoke test)
  results.py median N...
      print the median of the numbers
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys

FIELDS = ("name", "value", "unit", "baseline", "baseline_name", "ratio",
          "target", "met", "note")


def parse_target(spec):
    for op in (">=", "<="):
        if op in spec:
            what, limit = spec.split(op, 1)
            if what in ("ratio", "value"):
                return what, op, float(limit)
    raise ValueError("bad target %r (ratio>=X, value<=X ...)" % spec)


def judge(res):
    if not res["target"]:
        return None
    what, op, limit = parse_target(res["target"])
    got = res[what]
    if got is None:
        return None
    return got >= limit if op == ">=" else got <= limit


def make_result(name, value, unit, baseline=None, baseline_name=None,
                target=None, note=None):
    res = dict(name=name, value=value, unit=unit, baseline=baseline,
               baseline_name=baseline_name, target=target, note=note)
    res["ratio"] = None
    if value is not None and baseline:
        res["ratio"] = round(value / baseline, 4)
    res["met"] = judge(res)
    return {k: res[k] for k in FIELDS}


def number(s):
    if s in (None, "", "-", "null"):
        return None
    return float(s)


def cmd_emit(a):
    res = make_result(a.name, number(a.value), a.unit, number(a.baseline),
                      a.baseline_name, a.target, a.note)
    with open(a.file, "a") as f:
        f.write(json.dumps(res) + "\n")


def cmd_error(a):
    res = make_result(a.name, None, "", note="not measured: " + a.message)
    with open(a.file, "a") as f:
        f.write(json.dumps(res) + "\n")


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 1:
        return "%.2f" % v
    return "%.4g" % v


def shortfall(res):
    """How far a missed target is: in the ratio, or the value's unit."""
    what, _, limit = parse_target(res["target"])
    miss = fmt(abs(res[what] - limit))
    return miss if what == "ratio" else "%s %s" % (miss, res["unit"])


def line(res):
    s = "%-34s %10s %-8s" % (res["name"], fmt(res["value"]), res["unit"])
    if res["baseline"] is not None:
        s += " baseline %s %s (%s), ratio %s" % (
            fmt(res["baseline"]), res["unit"], res["baseline_name"],
            fmt(res["ratio"]))
    if res["target"]:
        verdict = {True: "met", None: "not judged"}.get(res["met"])
        if verdict is None:
            verdict = "MISSED by " + shortfall(res)
        s += "  [target %s: %s]" % (res["target"], verdict)
    if res["note"]:
        s += "  -- " + res["note"]
    return s


def host_info():
    cpus = os.cpu_count()
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    model = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpus": cpus, "cpu_model": model,
            "kernel": platform.release(),
            "load_avg": list(os.getloadavg())}


def cmd_collect(a):
    results = []
    if os.path.exists(a.file):
        with open(a.file) as f:
            results = [json.loads(ln) for ln in f if ln.strip()]
    doc = {"date": datetime.datetime.now(datetime.timezone.utc)
           .strftime("%Y-%m-%dT%H:%M:%SZ"),
           "mode": a.mode, "host": host_info(), "results": results}
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, a.out)
    for res in results:
        print(line(res))


def cmd_check(a):
    with open(a.out) as f:
        doc = json.load(f)
    errors = []
    if not isinstance(doc.get("results"), list) or not doc["results"]:
        errors.append("no results")
    for res in doc.get("results", []):
        missing = [k for k in FIELDS if k not in res]
        if missing:
            errors.append("%s: missing %s" % (res.get("name"), missing))
            continue
        if res["value"] is not None and \
                not isinstance(res["value"], (int, float)):
            errors.append("%s: value is not a number" % res["name"])
        if res["target"]:
            try:
                parse_target(res["target"])
            except ValueError as e:
                errors.append("%s: %s" % (res["name"], e))
        if res["met"] not in (True, False, None):
            errors.append("%s: met is %r" % (res["name"], res["met"]))
    for e in errors:
        print("results.py: %s: %s" % (a.out, e), file=sys.stderr)
    return 1 if errors else 0


def cmd_median(a):
    print(statistics.median(float(x) for x in a.n))


def main():
    p = argparse.ArgumentParser(prog="results.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("emit")
    for arg in ("file", "name", "value", "unit"):
        e.add_argument(arg)
    for opt in ("--baseline", "--baseline-name", "--target", "--note"):
        e.add_argument(opt)
    r = sub.add_parser("error")
    for arg in ("file", "name", "message"):
        r.add_argument(arg)
    c = sub.add_parser("collect")
    c.add_argument("file")
    c.add_argument("out")
    c.add_argument("--mode", default="full")
    k = sub.add_parser("check")
    k.add_argument("out")
    m = sub.add_parser("median")
    m.add_argument("n", nargs="+")
    a = p.parse_args()
    return {"emit": cmd_emit, "error": cmd_error, "collect": cmd_collect,
            "check": cmd_check, "median": cmd_median}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
