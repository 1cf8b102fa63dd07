#!/usr/bin/env python3
"""Renders bench/results.json (written by `make bench`) as the Markdown tables of
docs/benchmarks.md, so the document carries exactly the figures the run produced.

usage: render_results.py [bench/results.json]
"""
import json
import sys


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
    print()
    group = None
    for row in doc["results"]:
        if row["group"] != group:
            group = row["group"]
            print()
            print("### " + group)
            print()
            print("| figure | value | unit | note |")
            print("|---|---:|---|---|")
        print("| {} | {} | {} | {} |".format(row["name"], number(row["value"]), row["unit"], row["note"]))
    if doc.get("failures"):
        print()
        print("Failures:")
        for f in doc["failures"]:
            print("- " + f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
