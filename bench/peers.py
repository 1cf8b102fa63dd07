#!/usr/bin/env python3
"""Peer measurements for `make bench` (issue 7).

Run by the Swift harness (ArbiterBench) with a work file it wrote: the CEL expressions and
bindings it evaluated itself, and the Cedar entities and requests for the authorization
comparison. Writes timings and Cedar's decisions to the output file; the harness compares
the decisions with Arbiter's and builds the ratios.

Every figure here includes the cost of calling from Python into the native library
(cel-expr-python is Google's C++ CEL, common-expression-language is a Rust CEL, cedarpy is
the Rust Cedar engine); `python_call_floor` measures that loop-and-call overhead alone.

usage: peers.py WORK.json OUT.json
"""
import datetime
import json
import statistics
import sys
import time


ROUND_SECONDS = 0.2


def calibrated_iterations(fn, round_seconds):
    """How many calls of fn fill about one round (doubling trials, then scaling)."""
    n = 1
    while True:
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter_ns() - start
        if elapsed >= round_seconds * 1e9 / 4:
            return max(1, int(n * round_seconds * 1e9 / max(elapsed, 1)))
        n *= 2


def timed_median(fn, iterations=None, rounds=5):
    """Median ns per call of fn over `rounds` rounds, after a warm-up (the calibration)."""
    if iterations is None:
        iterations = calibrated_iterations(fn, ROUND_SECONDS)
    per_call = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            fn()
        per_call.append((time.perf_counter_ns() - start) / iterations)
    return statistics.median(per_call)


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def bindings_of(case):
    out = dict(case["bindings"])
    for name in case.get("timestamps", []):
        out[name] = parse_time(out[name])
    return out


def bench_cel_expr_python(cases, iterations):
    import cel_expr_python.cel as cel
    results = {}
    for case in cases:
        try:
            data = bindings_of(case)
            variables = {name: (cel.Type.TIMESTAMP if name in case.get("timestamps", []) else cel.Type.DYN)
                         for name in data}
            env = cel.NewEnv(variables=variables)
            expr = env.compile(case["expression"])
            activation = env.Activation(data)
            value = expr.eval(activation).value()
            if value is not True:
                results[case["name"]] = {"error": "evaluated to %r, expected True" % (value,)}
                continue
            results[case["name"]] = {"ns": timed_median(lambda: expr.eval(activation), iterations)}
        except Exception as exc:  # reported per expression; the harness decides what it means
            results[case["name"]] = {"error": "%s: %s" % (type(exc).__name__, exc)}
    return results


def bench_common_expression_language(cases, iterations):
    import cel
    results = {}
    for case in cases:
        try:
            program = cel.compile(case["expression"])
            context = cel.Context(bindings_of(case))
            value = program.execute(context)
            if value is not True:
                results[case["name"]] = {"error": "evaluated to %r, expected True" % (value,)}
                continue
            results[case["name"]] = {"ns": timed_median(lambda: program.execute(context), iterations)}
        except Exception as exc:
            results[case["name"]] = {"error": "%s: %s" % (type(exc).__name__, exc)}
    return results


def python_call_floor(iterations):
    """A Python loop calling a trivial native function: the overhead inside every peer CEL figure."""
    x = (1,)
    return timed_median(lambda: len(x))


def bench_cedar(work):
    import cedarpy
    with open(work["policies"], encoding="utf-8") as f:
        policies = cedarpy.PolicySet.from_str(f.read())
    entities = cedarpy.Entities.from_json_str(json.dumps(work["entities"]))
    requests = work["requests"]
    results = cedarpy.is_authorized_batch(requests, policies, entities)
    decisions = [r.allowed for r in results]
    errors = sum(1 for r in results if list(r.diagnostics.errors))
    rounds = []
    for _ in range(work.get("rounds", 5)):
        start = time.perf_counter_ns()
        cedarpy.is_authorized_batch(requests, policies, entities)
        rounds.append(time.perf_counter_ns() - start)
    return {
        "decisions": decisions,
        "evaluation_errors": errors,
        "batch_size": len(requests),
        "ns_per_decision": statistics.median(rounds) / len(requests),
    }


def versions():
    from importlib import metadata
    found = {"python": sys.version.split()[0]}
    for name in ("cedarpy", "cel-expr-python", "common-expression-language"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        work = json.load(f)
    out = {"versions": versions()}
    if "cel" in work:
        global ROUND_SECONDS
        ROUND_SECONDS = work["cel"].get("round_seconds", ROUND_SECONDS)
        cases, iterations = work["cel"]["cases"], None
        out["cel"] = {
            "cel-expr-python": bench_cel_expr_python(cases, iterations),
            "common-expression-language": bench_common_expression_language(cases, iterations),
            "python_call_floor_ns": python_call_floor(iterations),
        }
    if "cedar" in work:
        out["cedar"] = bench_cedar(work["cedar"])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
