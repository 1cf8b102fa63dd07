"""End to end: Arbiter's PlanResources through Cerbos's own Python SDK and SQLAlchemy adapter.

Usage: plan_sqlalchemy.py SOCKET

Builds an SQLite table of documents with varied attributes, asks the Arbiter daemon on SOCKET
for a query plan per (principal, scope, action), turns the JSON into the SDK's
PlanResourcesResponse and then into a SQLAlchemy query with cerbos-sqlalchemy, and checks that
the rows the query returns are exactly the rows CheckResources allows one by one. Where the
adapter cannot express an operator, it says which, and the plan is checked by evaluating it
in Python instead. Prints one line per case and a closing `cases: N matched CheckResources, N
mismatched` line; exits 1 on any mismatch.
"""

import json
import random
import socket
import struct
import sys

from cerbos.sdk.model import PlanResourcesResponse
from cerbos_sqlalchemy import get_query
from sqlalchemy import Boolean, Column, Integer, String, create_engine, event
from sqlalchemy.orm import Session, declarative_base

ROWS = 1200
Base = declarative_base()


class Document(Base):
    __tablename__ = "documents"
    id = Column(String, primary_key=True)
    owner_id = Column(String)
    department = Column(String)
    status = Column(String)
    title = Column(String)
    priority = Column(Integer)
    public = Column(Boolean)
    region = Column(String)
    tags = Column(String)  # JSON text; the adapter cannot query into it


ATTR_MAP = {
    "request.resource.attr.owner.id": Document.owner_id,
    "request.resource.attr.department": Document.department,
    "request.resource.attr.status": Document.status,
    "request.resource.attr.title": Document.title,
    "request.resource.attr.priority": Document.priority,
    "request.resource.attr.public": Document.public,
    "request.resource.attr.region": Document.region,
    "request.resource.attr.tags": Document.tags,
}

PRINCIPALS = [
    {"id": "alice", "roles": ["user"], "attr": {"departments": ["eng"], "team": "red"}},
    {"id": "bob", "roles": ["user", "manager"], "attr": {"departments": ["sales", "legal"], "team": "blue"}},
    {"id": "carol", "roles": ["contractor"], "attr": {"departments": [], "team": "green"}},
    {"id": "auditor", "roles": ["user"], "attr": {"departments": ["finance"], "team": "red"}},
]
ACTIONS = ["view", "edit", "archive", "tag"]
SCOPES = ["", "acme"]


class Arbiter:
    """Length-prefixed JSON-RPC 2.0 over the daemon's Unix socket."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.next_id = 0

    def call(self, method, params):
        self.next_id += 1
        payload = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}).encode()
        self.sock.sendall(struct.pack(">I", len(payload)) + payload)
        length = struct.unpack(">I", self._read(4))[0]
        response = json.loads(self._read(length))
        if "error" in response:
            raise RuntimeError(f"{method} failed: {response['error']}")
        return response["result"]

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("connection closed")
            data += chunk
        return data


def make_rows():
    rng = random.Random(14)
    owners = ["alice", "bob", "carol", "dave", "auditor"]
    departments = ["eng", "sales", "legal", "finance", "ops"]
    statuses = ["draft", "published", "archived", "deleted"]
    titles = ["Q1 plan", "Q3 review", "Roadmap", "quarterly", "Q", "Notes_50%", "Budget"]
    regions = ["eu", "us", "apac"]
    teams = ["red", "blue", "green", "black"]
    rows = []
    for i in range(ROWS):
        rows.append({
            "id": f"d{i:04d}",
            "owner_id": rng.choice(owners),
            "department": rng.choice(departments),
            "status": rng.choice(statuses),
            "title": rng.choice(titles),
            "priority": rng.randint(0, 5),
            "public": rng.random() < 0.4,
            "region": rng.choice(regions),
            "tags": rng.sample(teams, rng.randint(0, 3)),
        })
    return rows


def resource_attr(row):
    return {
        "owner": {"id": row["owner_id"]}, "department": row["department"], "status": row["status"],
        "title": row["title"], "priority": row["priority"], "public": row["public"], "region": row["region"],
        "tags": row["tags"],
    }


def allowed_by_check(arbiter, principal, scope, action, rows):
    """The ids CheckResources allows, asking 50 resources at a time (the default limit)."""
    allowed = set()
    for start in range(0, len(rows), 50):
        batch = rows[start:start + 50]
        result = arbiter.call("CheckResources", {
            "principal": dict(principal, scope=scope),
            "resources": [{"actions": [action], "resource": {
                "kind": "document", "id": row["id"], "scope": scope, "attr": resource_attr(row)}} for row in batch],
        })
        for entry in result["results"]:
            if entry["actions"][action] == "EFFECT_ALLOW":
                allowed.add(entry["resource"]["id"])
    return allowed


def operators_in(operand, found):
    expression = operand.get("expression")
    if expression:
        found.add(expression["operator"])
        for child in expression["operands"]:
            operators_in(child, found)
    return found


def evaluate(operand, attrs, scope):
    """A plan operand on one resource's attributes, for operators the adapter cannot express."""
    if "value" in operand:
        return operand["value"]
    if "variable" in operand:
        name = operand["variable"]
        if name in scope:
            return scope[name]
        head, _, rest = name.partition(".")
        if head in scope:
            value = scope[head]
            for part in rest.split("."):
                value = value[part]
            return value
        prefix = "request.resource.attr."
        if not name.startswith(prefix):
            raise ValueError(f"unknown variable {name}")
        value = attrs
        for part in name[len(prefix):].split("."):
            value = value[part]
        return value
    expression = operand["expression"]
    op, args = expression["operator"], expression["operands"]
    if op in ("exists", "all"):
        items = evaluate(args[0], attrs, scope)
        body, variable = args[1]["expression"]["operands"]
        results = [evaluate(body, attrs, dict(scope, **{variable["variable"]: item})) for item in items]
        return any(results) if op == "exists" else all(results)
    values = [evaluate(a, attrs, scope) for a in args]
    simple = {
        "and": lambda: all(values), "or": lambda: any(values), "not": lambda: not values[0],
        "eq": lambda: values[0] == values[1], "ne": lambda: values[0] != values[1],
        "lt": lambda: values[0] < values[1], "le": lambda: values[0] <= values[1],
        "gt": lambda: values[0] > values[1], "ge": lambda: values[0] >= values[1],
        "in": lambda: values[0] in values[1], "startsWith": lambda: values[0].startswith(values[1]),
    }
    if op not in simple:
        raise ValueError(f"operator {op} not evaluated here")
    return simple[op]()


def main():
    arbiter = Arbiter(sys.argv[1])
    rows = make_rows()
    engine = create_engine("sqlite://")

    @event.listens_for(engine, "connect")
    def case_sensitive_like(connection, _):
        # CEL's startsWith is case-sensitive; SQLite's LIKE is not unless told.
        connection.execute("PRAGMA case_sensitive_like = ON")

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Document(**dict(row, tags=json.dumps(row["tags"]))) for row in rows])
        session.commit()

    passed = failed = 0
    kinds = {}
    for principal in PRINCIPALS:
        for scope in SCOPES:
            for action in ACTIONS:
                case = f"{principal['id']}/{scope or '(root)'}/{action}"
                result = arbiter.call("PlanResources", {
                    "requestId": case, "action": action, "includeMeta": True,
                    "principal": dict(principal, scope=scope),
                    "resource": {"kind": "document", "scope": scope},
                })
                plan = PlanResourcesResponse.from_dict(result)
                kind = result["filter"]["kind"]
                kinds[kind] = kinds.get(kind, 0) + 1
                expected = allowed_by_check(arbiter, principal, scope, action, rows)
                how = "sqlalchemy"
                try:
                    query = get_query(plan, Document, ATTR_MAP)
                    with Session(engine) as session:
                        got = {doc.id for doc in session.scalars(query)}
                except (ValueError, KeyError, TypeError) as error:
                    unsupported = sorted(operators_in(result["filter"]["condition"], set()))
                    how = f"python (the adapter cannot express it: {error}; operators {unsupported})"
                    by_id = {row["id"]: resource_attr(row) for row in rows}
                    got = {i for i, attrs in by_id.items() if evaluate(result["filter"]["condition"], attrs, {})}
                debug = result.get("meta", {}).get("filterDebug", "")
                if got == expected:
                    passed += 1
                    print(f"ok {case}: {len(got)} of {len(rows)} rows via {how}; {kind} {debug}")
                else:
                    failed += 1
                    print(f"MISMATCH {case} via {how}: {debug}\n  only in plan: {sorted(got - expected)[:10]}"
                          f"\n  only in check: {sorted(expected - got)[:10]}")
    print(f"filter kinds: {json.dumps(kinds, sort_keys=True)}")
    print(f"cases: {passed} matched CheckResources, {failed} mismatched")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
