"""Differential oracle: evaluates CEL with Google's C++ implementation (the cel-expr-python wheel).

Reads one JSON object a line, {"expr": "...", "vars": {name: tagged value}, "check": bool},
and writes one line for each, in order: the result as a type-tagged tree ({"int": "3"},
{"list": [...]}, {"map": [[k, v], ...]}, ...) or {"error": "..."} for a compile or evaluation
error. The Swift test renders our results the same way and compares.

The environment declares the variables of the Swift generator (x int, y double, s string,
b bool, l list(int), m map(string, int)) and enables the extensions cel-cpp offers here:
strings, math, encoders and bindings. With "check": false the expression is not type-checked.
"""
import base64
import json
import math
import sys

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_encoders, ext_math, ext_strings

VARIABLES = {
    "x": cel.Type.INT,
    "y": cel.Type.DOUBLE,
    "s": cel.Type.STRING,
    "b": cel.Type.BOOL,
    "l": cel.Type.List(cel.Type.INT),
    "m": cel.Type.Map(cel.Type.STRING, cel.Type.INT),
}


def tag_plain_key(k):
    if isinstance(k, bool):
        return {"bool": k}
    if isinstance(k, int):
        return {"int": str(k)}
    if isinstance(k, str):
        return {"string": k}
    return {"other": repr(k)}


def tag(v):
    t = v.type().name()
    x = v.value()
    if t == "ERROR":
        return {"error": str(x)}
    if t == "INT":
        return {"int": str(x)}
    if t == "UINT":
        return {"uint": str(x)}
    if t == "DOUBLE":
        if math.isnan(x):
            return {"double": "NaN"}
        if math.isinf(x):
            return {"double": "Infinity" if x > 0 else "-Infinity"}
        if x == 0 and math.copysign(1.0, x) < 0:
            return {"double": "-0.0"}  # JSON has no negative zero
        return {"double": x}
    if t == "STRING":
        return {"string": x}
    if t == "BYTES":
        return {"bytes": base64.b64encode(bytes(x)).decode()}
    if t == "BOOL":
        return {"bool": x}
    if t == "NULL":
        return {"null": None}
    if t.startswith("LIST") or t.startswith("list"):
        return {"list": [tag(e) for e in x]}
    if t.startswith("MAP") or t.startswith("map"):
        return {"map": [[tag_plain_key(k), tag(e)] for k, e in x.items()]}
    return {"other": t}


def untag(v):
    """A variable's value from its tagged form."""
    (kind, x), = v.items()
    if kind == "int":
        return int(x)
    if kind == "double":
        return float(x)  # numbers, and the strings NaN, Infinity, -Infinity, -0.0
    if kind == "list":
        return [untag(e) for e in x]
    if kind == "map":
        return {untag(k): untag(e) for k, e in x}
    return x  # string, bool


def main():
    env = cel.NewEnv(variables=VARIABLES, extensions=[
        ext_strings.ExtStrings(), ext_math.ExtMath(), ext_encoders.ExtEncoders(), ext_bindings.ExtBindings()])
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            data = {name: untag(value) for name, value in request.get("vars", {}).items()}
            compiled = env.compile(request["expr"], disable_check=not request.get("check", True))
            out = tag(compiled.eval(data=data))
        except Exception as err:  # compile errors surface as exceptions
            out = {"error": (str(err).splitlines() or ["exception"])[0]}
        sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
