#!/usr/bin/env python3
"""Makes the trimmed proto copies in proto/cerbos from Cerbos's public protos.

usage: trim.py OUT_DIR [CERBOS_PROTO_DIR]   (CERBOS_PROTO_DIR defaults to ../shared/proto)

Removes comments, the option-only imports (buf/validate, google/api, openapiv2) with their
`[(...)]` and `option (...)` annotations, keeps CerbosService with the methods this server
serves, and keeps only the messages and enums those methods reach: fewer generated types to
compile, and no import of google/api/expr (PlanResourcesAst, which no served message uses).
Field names, numbers and types are left as they are, so the wire format is Cerbos's.
"""
import re, sys, os
SRC = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "proto")
OUT = sys.argv[1]
DROP_IMPORTS = ("buf/", "google/api/", "protoc-gen-openapiv2/")

def strip_comments(t):
    out, i, n = [], 0, len(t)
    while i < n:
        c = t[i]
        if c == '"' or c == "'":
            j = i + 1
            while t[j] != c:
                j += 2 if t[j] == '\\' else 1
            out.append(t[i:j+1]); i = j + 1
        elif t.startswith("//", i):
            j = t.find("\n", i); i = n if j < 0 else j
        elif t.startswith("/*", i):
            i = t.find("*/", i) + 2
        else:
            out.append(c); i += 1
    return "".join(out)

def match(t, i, o, c):
    d = 0; n = len(t)
    while i < n:
        ch = t[i]
        if ch in '"\'':
            j = i + 1
            while t[j] != ch: j += 2 if t[j] == '\\' else 1
            i = j + 1; continue
        if ch == o: d += 1
        elif ch == c:
            d -= 1
            if d == 0: return i
        i += 1
    raise ValueError("unbalanced")

def split_top(s):
    items, d, cur, i = [], 0, "", 0
    while i < len(s):
        ch = s[i]
        if ch in '"\'':
            j = i + 1
            while s[j] != ch: j += 2 if s[j] == '\\' else 1
            cur += s[i:j+1]; i = j + 1; continue
        if ch in "[{(": d += 1
        if ch in "]})": d -= 1
        if ch == "," and d == 0: items.append(cur); cur = ""
        else: cur += ch
        i += 1
    items.append(cur)
    return [x.strip() for x in items if x.strip()]

def clean(t):
    out, i, n = [], 0, len(t)
    while i < n:
        ch = t[i]
        if ch in '"\'':
            j = i + 1
            while t[j] != ch: j += 2 if t[j] == '\\' else 1
            out.append(t[i:j+1]); i = j + 1; continue
        m = re.match(r"option\s*\(", t[i:])
        if m and (i == 0 or not (t[i-1].isalnum() or t[i-1] == "_")):
            # option (x).y = value;  value may be {...}
            j = i
            while t[j] != ";":
                if t[j] == "{": j = match(t, j, "{", "}")
                elif t[j] in '"\'':
                    q = t[j]; j += 1
                    while t[j] != q: j += 2 if t[j] == '\\' else 1
                j += 1
            i = j + 1; continue
        if ch == "[":
            j = match(t, i, "[", "]")
            keep = [x for x in split_top(t[i+1:j]) if not x.startswith("(")]
            if keep: out.append("[" + ", ".join(keep) + "]")
            i = j + 1; continue
        out.append(ch); i += 1
    return "".join(out)

class Def:
    def __init__(s, kind, name, text): s.kind, s.name, s.text = kind, name, text

def parse(path):
    t = clean(strip_comments(open(os.path.join(SRC, path)).read()))
    header, defs, i = [], [], 0
    pkg = re.search(r"package\s+([\w.]+);", t).group(1)
    while i < len(t):
        m = re.compile(r"\s*(message|enum|service)\s+(\w+)\s*\{").match(t, i)
        if m:
            j = match(t, m.end() - 1, "{", "}")
            body = re.sub(r"[ \t]+;", ";", t[m.start():j+1].strip())
            body = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", re.sub(r"[ \t]+\n", "\n", body))
            body = re.sub(r"\{\n\s*\n", "{\n", body)
            defs.append(Def(m.group(1), m.group(2), body))
            i = j + 1; continue
        m = re.compile(r'\s*(?:[^;{"]|"[^"]*")*;').match(t, i)
        if not m: break
        header.append(m.group(0).strip()); i = m.end()
    return pkg, header, defs

files = {}
for root, _, fs in os.walk(os.path.join(SRC, "cerbos")):
    for f in fs:
        if f.endswith(".proto") and "telemetry" not in root:
            p = os.path.relpath(os.path.join(root, f), SRC)
            files[p] = parse(p)

index = {}
for p, (pkg, _, defs) in files.items():
    for d in defs: index[(pkg, d.name)] = (p, d)

roots = [("cerbos.request.v1", n) for n in ["CheckResourcesRequest", "ServerInfoRequest", "PlanResourcesRequest"]] + \
        [("cerbos.response.v1", n) for n in ["CheckResourcesResponse", "ServerInfoResponse", "PlanResourcesResponse"]]
SERVED = {"CerbosService": ["CheckResources", "ServerInfo", "PlanResources"]}
for (pkg, name), (p, d) in list(index.items()):
    if d.kind != "service": continue
    if name not in SERVED:
        del index[(pkg, name)]; continue
    rpcs = re.findall(r"rpc\s+(\w+)\s*\(([^)]*)\)\s*returns\s*\(([^)]*)\)", d.text)
    d.text = "service %s {\n%s\n}" % (name, "\n".join(
        "  rpc %s(%s) returns (%s);" % (m, a.strip(), b.strip()) for m, a, b in rpcs if m in SERVED[name]))
    roots.append((pkg, name))
keep, todo = set(), list(roots)
while todo:
    k = todo.pop()
    if k in keep or k not in index: continue
    keep.add(k)
    p, d = index[k]
    pkg = k[0]
    for ref in re.findall(r"[A-Za-z_][\w.]*", d.text):
        parts = ref.split(".")
        for cut in range(len(parts)):
            cand = (".".join(parts[:cut]) or pkg, parts[cut])
            if cand in index: todo.append(cand); break

os.makedirs(OUT, exist_ok=True)
for p, (pkg, header, defs) in sorted(files.items()):
    kept = [d for d in defs if (pkg, d.name) in keep]
    if not kept: continue
    used_pkgs = {k[0] for k in keep}
    body = "\n\n".join(kept_d.text for kept_d in kept)
    lines = []
    for h in header:
        m = re.match(r'import\s+"([^"]+)"', h)
        if m:
            imp = m.group(1)
            if imp.startswith(DROP_IMPORTS): continue
            if imp.startswith("cerbos/"):
                ip = files[imp][0]
                if not any(k[0] == ip and index[k][0] == imp for k in keep): continue
                if not re.search(re.escape(ip) + r"\.", body): continue
            if imp.startswith("google/protobuf/"):
                tn = {"struct": "Value|Struct|ListValue|NullValue", "timestamp": "Timestamp", "duration": "Duration",
                      "empty": "Empty", "wrappers": "Value\\b"}[os.path.basename(imp)[:-6]]
                if not re.search(r"google\.protobuf\.(" + tn + ")", body): continue
        lines.append(h)
    dst = os.path.join(OUT, p)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w") as f:
        f.write("// Trimmed copy of Cerbos's " + p + " (see proto/README.md): option-only imports and\n"
                "// annotations removed, messages this server does not use left out; field names and numbers unchanged.\n")
        f.write("\n".join(lines) + "\n\n" + body + "\n")
    print(p, [d.name for d in kept])
