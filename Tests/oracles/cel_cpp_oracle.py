"""Differential oracle: evaluates CEL with Google's C++ implementation (the cel-expr-python wheel).

Reads one JSON object a line, {"expr": "..."}, and writes one line for each, in order: the
result as a type-tagged tree ({"int": "3"}, {"list": [...]}, {"map": [[k, v], ...]}, ...) or
{"error": "..."} for a compile or evaluation error. The Swift test renders our results the
same way and compares. Standard library only, no variables: the expressions carry their data.
"""
import base64
import json
import math
import sys

from cel_expr_python import cel


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
        return {"double": x}
    if t == "STRING":
        return {"string": x}
    if t == "BYTES":
        return {"bytes": base64.b64encode(bytes(x)).decode()}
    if t == "BOOL":
        return {"bool": x}
    if t == "NULL":
        return {"null": None}
    if t.startswith("LIST"):
        return {"list": [tag(e) for e in x]}
    if t.startswith("MAP"):
        return {"map": [[tag_plain_key(k), tag(e)] for k, e in x.items()]}
    return {"other": t}


def main():
    env = cel.NewEnv()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            expr = json.loads(line)["expr"]
            out = tag(env.compile(expr).eval())
        except Exception as err:  # compile errors surface as exceptions
            out = {"error": str(err).splitlines()[0]}
        sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
