#!/usr/bin/env python3
"""Renders bench/results.json (written by `make bench`) as the Markdown tables of
docs/benchmarks.md, so the document carries exactly the figures the run produced.

usage: render_results.py [bench/results.json]            the tables
       render_results.py --reading [bench/results.json]  the goal-by-goal reading
"""
import json
import sys


HEADLINE = [
    ("socket", "arbiter/echo 1conn x depth 1 p50", "one CheckResources round trip vs the echo floor, p50 (goal <= 1.5)"),
    ("socket", "echo/arbiter 1conn x depth 16 throughput", "pipelined throughput, 1 connection: floor / Arbiter"),
    ("socket", "echo/arbiter 8conn x depth 16 throughput", "pipelined throughput, 8 connections: floor / Arbiter"),
    ("peers", "cedar / arbiter", "Cedar (cedarpy, Python call) ns per decision / Arbiter in-process"),
    ("peers", "cedar / arbiter from JSON bytes", "same, Arbiter starting from request JSON bytes"),
] + [
    ("cel", "{} / arbiter {}".format(lib, expr), "{} ns/eval (Python call) / Arbiter".format(lib))
    for lib in ("cel-expr-python", "common-expression-language")
    for expr in ("owner_eq", "role_and_status", "exists_100_tags", "timestamp_cmp", "matches")
]


def number(value):
    if value is None:
        return "not measured"
    if abs(value) >= 100:
        return "{:,.0f}".format(value)
    if abs(value) >= 10:
        return "{:.1f}".format(value)
    return "{:.2f}".format(value)


def reading(doc):
    """One bullet per issue goal, stating the measured figure and whether the goal is met."""
    v = {(r["group"], r["name"]): r["value"] for r in doc["results"]}

    def get(group, name):
        return v.get((group, name))

    def met(ok):
        return "met" if ok else "**not met**"

    out = []
    a, e = get("socket", "arbiter 1conn x depth 1 p50"), get("socket", "echo 1conn x depth 1 p50")
    if a and e:
        out.append("- Socket round trip (issue 8): p50 {} µs against the echo floor's {} µs, {}x (goal <= 1.5x: {}); "
                   "p99 {} µs against {} µs.".format(number(a), number(e), number(a / e), met(a / e <= 1.5),
                                                       number(get("socket", "arbiter 1conn x depth 1 p99")),
                                                       number(get("socket", "echo 1conn x depth 1 p99"))))
    for conns in (1, 8):
        ar = get("socket", "arbiter {}conn x depth 16 throughput".format(conns))
        er = get("socket", "echo {}conn x depth 16 throughput".format(conns))
        if ar and er:
            out.append("- Pipelined throughput, {} connection(s) x depth 16: {} requests/s ({} action-decisions/s) "
                       "against the floor's {} requests/s ({}x).".format(conns, number(ar), number(ar * 5), number(er), number(er / ar)))
    c0 = get("engine", "store/ case_00 1 thread")
    if c0:
        out.append("- Engine, `engine/case_00` on one thread (issue 5): {} action-decisions/s (goal 1,000,000: {}); "
                   "p50 {} µs, p99 {} µs per request.".format(number(c0), met(c0 >= 1e6),
                                                            number(get("engine", "store/ case_00 p50/request")),
                                                            number(get("engine", "store/ case_00 p99/request"))))
    s1 = get("engine", "10k set synthetic 1 thread")
    if s1:
        allc = [r for r in doc["results"] if r["group"] == "engine" and r["name"].startswith("10k set synthetic") and r["name"].endswith("threads")]
        out.append("- Engine, generated 10k set: {} action-decisions/s on one thread, {} with one thread per core; "
                   "{} MiB resident after load and compile.".format(number(s1), number(allc[0]["value"]) if allc else "n/a",
                                                                     number(get("engine", "10k set RSS after load+compile"))))
    st, big = get("load", "store/ load+validate"), get("load", "10k tree load+validate")
    if st and big:
        out.append("- Loading (issue 2): `store/` in {} ms (goal < 20 ms: {}); the 10k tree in {} ms (goal < 1,500 ms: {}), "
                   "peak {} MiB.".format(number(st), met(st < 20), number(big), met(big < 1500),
                                         number(get("load", "10k tree load peak RSS"))))
    names = ["owner_eq", "role_and_status", "exists_100_tags", "timestamp_cmp", "matches"]
    ours = [get("cel", "arbiter " + n) for n in names]
    if all(ours):
        out.append("- CEL (issue 3): {} ns and {} ns for the first two expressions (goal < 100 ns: {}).".format(
            number(ours[0]), number(ours[1]), met(ours[0] < 100 and ours[1] < 100)))
        slower = [n for n in names if (get("cel", "cel-expr-python / arbiter " + n) or 99) < 1]
        measured = [n for n in names if get("cel", "cel-expr-python / arbiter " + n) is not None]
        out.append("- CEL against cel-expr-python (Google's C++ CEL, figure includes a ~{} ns Python call): Arbiter is faster on "
                   "{} of {} expressions (goal: all; {}){}.".format(
                       number(get("cel", "python loop+call floor") or float("nan")), len(measured) - len(slower), len(measured),
                       met(not slower and len(measured) == len(names)),
                       "; slower on " + ", ".join("`{}`".format(n) for n in slower) if slower else ""))
    ce, ar = get("peers", "cedarpy is_authorized_batch"), get("peers", "arbiter in-process")
    if ce and ar:
        out.append("- Cedar: decisions agree on all {} (principal, action, resource) triples; Cedar {} ns per decision "
                   "(with the Python call) against Arbiter's {} ns in-process ({}x) and {} ns from JSON bytes ({}x).".format(
                       number(get("peers", "authz decisions agree (arbiter = cedar)")), number(ce), number(ar), number(ce / ar),
                       number(get("peers", "arbiter in-process from JSON bytes")), number(get("peers", "cedar / arbiter from JSON bytes"))))
    for label in ("100 policies", "10k policies"):
        m = get("reload", label + " change->serving median")
        if m:
            out.append("- Reload, {}: {} ms from the file change to the new decision (median; debounce included); "
                       "decision p99 {} µs during reloads against {} µs steady ({}x).".format(
                           label, number(m), number(get("reload", label + " during reloads p99")),
                           number(get("reload", label + " steady p99")), number(get("reload", label + " p99 during/steady"))))
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    want_reading = "--reading" in args
    args = [a for a in args if a != "--reading"]
    path = args[0] if args else "bench/results.json"
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if want_reading:
        print(reading(doc))
        return 0
    machine = doc.get("machine", {})
    print("Machine: `nproc` = {}, CPU `{}`, kernel {}, load average at start {}.".format(
        machine.get("nproc"), machine.get("cpu"), machine.get("kernel"), machine.get("loadavg_at_start")))
    if machine.get("peers"):
        print("Peers: {}.".format(machine["peers"]))
    print()
    rows = doc["results"]
    by_key = {(r["group"], r["name"]): r for r in rows}
    print("#### Headline ratios")
    print()
    print("| ratio | value | what it compares |")
    print("|---|---:|---|")
    for (group, name, meaning) in HEADLINE:
        row = by_key.get((group, name))
        if row is not None:
            print("| {} | {} | {} |".format(name, number(row["value"]), meaning))
    groups = []
    for r in rows:
        if r["group"] not in groups:
            groups.append(r["group"])
    for group in groups:
        print()
        print("#### " + group)
        print()
        print("| figure | value | unit | note |")
        print("|---|---:|---|---|")
        for row in rows:
            if row["group"] == group:
                print("| {} | {} | {} | {} |".format(row["name"], number(row["value"]), row["unit"], row["note"]))
    if doc.get("failures"):
        print()
        print("Failures:")
        for f in doc["failures"]:
            print("- " + f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
