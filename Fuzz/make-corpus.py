#!/usr/bin/env python3
"""Builds the fuzz targets' seed corpora from the conformance data, read in place.

usage: make-corpus.py CONFORMANCE_DIR OUT_DIR

Writes OUT_DIR/<Target>/<sha1 of the seed> for FuzzJSON, FuzzRequest, FuzzRPC, FuzzCEL and
FuzzPolicy (see Fuzz/README.md for what each target takes). Nothing from the conformance data is
committed: the corpus is rebuilt from it on every run. Needs PyYAML (the Makefile puts it in a
venv when the python3 on PATH lacks it).
"""
import glob
import hashlib
import json
import os
import struct
import sys

import yaml

MAX_SEED = 16 * 1024


def load_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            return list(yaml.safe_load_all(f))
    except (yaml.YAMLError, UnicodeDecodeError):
        return []


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError):
        return None


def strings_under(node, keys):
    """Every string value under one of `keys`, anywhere in a decoded YAML/JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys and isinstance(v, str):
                yield v
            else:
                yield from strings_under(v, keys)
    elif isinstance(node, list):
        for v in node:
            yield from strings_under(v, keys)


def blocks_under(node, keys):
    """Every mapping under one of `keys` (variable definitions: name to expression)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys and isinstance(v, dict):
                yield v
            yield from blocks_under(v, keys)
    elif isinstance(node, list):
        for v in node:
            yield from blocks_under(v, keys)


def txtar(files):
    return "".join(f"-- {name} --\n{text if text.endswith(chr(10)) else text + chr(10)}" for name, text in files)


def frame(message):
    payload = json.dumps(message, separators=(",", ":")).encode()
    return struct.pack(">I", len(payload)) + payload


class Corpus:
    def __init__(self, root):
        self.root = root
        self.counts = {}

    def add(self, target, seed):
        if isinstance(seed, str):
            seed = seed.encode("utf-8", "surrogatepass")
        if not seed or len(seed) > MAX_SEED:
            return
        folder = os.path.join(self.root, target)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, hashlib.sha1(seed).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(seed)
            self.counts[target] = self.counts.get(target, 0) + 1


def check_requests(cerbos):
    """CheckResources bodies built from the engine test cases' inputs (one resource each)."""
    for path in sorted(glob.glob(os.path.join(cerbos, "engine*", "**", "*.yaml"), recursive=True)):
        for doc in load_yaml(path):
            if not isinstance(doc, dict):
                continue
            for i, item in enumerate(doc.get("inputs") or []):
                if not isinstance(item, dict) or "principal" not in item:
                    continue
                request = {
                    "requestId": item.get("requestId", f"seed-{i}"),
                    "principal": item["principal"],
                    "resources": [{"actions": item.get("actions", []), "resource": item.get("resource", {})}],
                }
                if "auxData" in item:
                    request["auxData"] = item["auxData"]
                yield request
                if i == 0:
                    yield dict(request, includeMeta=True)


def main():
    conformance, out = sys.argv[1], sys.argv[2]
    cerbos = os.path.join(conformance, "cerbos")
    if not os.path.isdir(cerbos):
        sys.exit(f"make-corpus.py: no conformance data at {conformance} (set ARBITER_CONFORMANCE_DIR)")
    corpus = Corpus(out)

    requests = list(check_requests(cerbos))
    for request in requests:
        body = json.dumps(request, separators=(",", ":"))
        corpus.add("FuzzRequest", body)
        corpus.add("FuzzJSON", json.dumps(request, indent=1))
    # The decoders' other spellings and shapes: snake_case keys, several resources in one request.
    if requests:
        first = requests[0]
        corpus.add("FuzzRequest", json.dumps({"request_id": "s", "include_meta": True, "principal": first["principal"],
                                              "resources": first["resources"] * 3, "aux_data": None}))

    # FuzzRPC: a chunking byte (0: one read; n: reads of n bytes), then pipelined frames.
    for i, request in enumerate(requests):
        message = {"jsonrpc": "2.0", "id": i, "method": "CheckResources", "params": request}
        corpus.add("FuzzRPC", b"\0" + frame(message))
        if i % 7 == 0:
            pipelined = frame(message) + frame({"jsonrpc": "2.0", "id": "h", "method": "Health"}) \
                + frame({"jsonrpc": "2.0", "method": "CheckResources", "params": request})
            corpus.add("FuzzRPC", bytes([i % 13 + 1]) + pipelined)
    for message in [
        {"jsonrpc": "2.0", "id": 1, "method": "Health"},
        {"jsonrpc": "2.0", "id": "s", "method": "ServerInfo", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "PlanResources", "params": {}},
        {"jsonrpc": "2.0", "id": 18446744073709551615, "method": "Nope"},
        {"jsonrpc": "2.0", "method": "CheckResources", "params": []},
        [{"jsonrpc": "2.0", "id": 1, "method": "Health"}],
    ]:
        corpus.add("FuzzRPC", b"\0" + frame(message))
    corpus.add("FuzzRPC", b"\0" + struct.pack(">I", 0))
    corpus.add("FuzzRPC", b"\3" + struct.pack(">I", 20) + b'{"jsonrpc":')

    # FuzzCEL: cel-spec's expressions, then every condition and variable in Cerbos's data.
    for path in sorted(glob.glob(os.path.join(conformance, "cel-spec", "*.json"))):
        for expr in strings_under(load_json(path), {"expr"}):
            corpus.add("FuzzCEL", expr)
    for path in sorted(glob.glob(os.path.join(cerbos, "**", "*.yaml"), recursive=True)):
        for doc in load_yaml(path):
            for expr in strings_under(doc, {"expr", "expression"}):
                corpus.add("FuzzCEL", expr)
            for block in blocks_under(doc, {"variables", "local"}):
                for expr in block.values():
                    if isinstance(expr, str):
                        corpus.add("FuzzCEL", expr)

    # FuzzJSON: JSON documents of every shape the suites hold.
    for path in sorted(glob.glob(os.path.join(conformance, "json-schema", "tests", "draft2020-12", "*.json"))):
        for group in load_json(path) or []:
            corpus.add("FuzzJSON", json.dumps(group.get("schema"), indent=1))
            for test in group.get("tests", []):
                corpus.add("FuzzJSON", json.dumps(test.get("data")))
    for path in sorted(glob.glob(os.path.join(cerbos, "parser", "*.input"))):
        with open(path, "rb") as f:
            corpus.add("FuzzJSON", f.read())
    for text in ['"\\ud83d\\ude00 \\u00e9\\n"', "-0.0e-0", "1e400", "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]",
                 '{"a":{"b":[1,2.5,true,false,null,"x"]}}', "  \t\r\n{}  ", '{"k":1,"k":2}']:
        corpus.add("FuzzJSON", text)

    # FuzzPolicy: single policy files, then whole directories in txtar form.
    for path in sorted(glob.glob(os.path.join(cerbos, "store", "**", "*.yaml"), recursive=True)
                       + glob.glob(os.path.join(cerbos, "parser", "*.input"))):
        if path.endswith("_test.yaml"):
            continue
        with open(path, "rb") as f:
            corpus.add("FuzzPolicy", f.read())
    for path in sorted(glob.glob(os.path.join(cerbos, "compile", "*.input"))):
        with open(path, "rb") as f:
            corpus.add("FuzzPolicy", f.read())
    for path in sorted(glob.glob(os.path.join(cerbos, "index", "*.yaml"))):
        for doc in load_yaml(path):
            files = doc.get("files") if isinstance(doc, dict) else None
            if isinstance(files, dict):
                corpus.add("FuzzPolicy", txtar(sorted((k, v) for k, v in files.items() if isinstance(v, str))))

    for target in ["FuzzJSON", "FuzzRequest", "FuzzRPC", "FuzzCEL", "FuzzPolicy"]:
        print(f"  {target}: {corpus.counts.get(target, 0)} seeds")


if __name__ == "__main__":
    main()
