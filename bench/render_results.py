#!/usr/bin/env python3
"""Renders bench/results.json (written by `make bench`) as the Markdown tables of
docs/benchmarks.md, so the document carries exactly the figures the run produced.

usage: render_results.py [bench/results.json]
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


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "bench/results.json"
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
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
