"""Drives Arbiter's HTTP API with Cerbos's official Python SDK (the `cerbos` package from PyPI,
unmodified), for Tests/ArbiterHTTPTests/CerbosSDKTests.swift.

Usage: cerbos_sdk_client.py unix:/path/http.sock CASES.json [--plan]

CASES.json is a list of {"key", "principal", "resource", "actions"} objects in Cerbos's wire
shape. Prints one JSON document: what the SDK's own calls returned, for the Swift test to judge.
"""
import json
import sys

from cerbos.sdk.client import CerbosClient
from cerbos.sdk.model import Principal, Resource, ResourceDesc, ResourceList


def principal(p):
    return Principal(
        id=p["id"],
        roles=set(p.get("roles", [])),
        attr=p.get("attr", {}),
        policy_version=p.get("policyVersion", ""),
        scope=p.get("scope", ""),
    )


def resource(r):
    return Resource(
        id=r["id"],
        kind=r["kind"],
        attr=r.get("attr", {}),
        policy_version=r.get("policyVersion", ""),
        scope=r.get("scope", ""),
    )


def main():
    host, cases_path = sys.argv[1], sys.argv[2]
    plan = "--plan" in sys.argv[3:]
    with open(cases_path) as f:
        cases = json.load(f)
    out = {}
    with CerbosClient(host, raise_on_error=True) as client:
        out["healthy"] = client.is_healthy()
        out["healthyCerbosService"] = client.is_healthy("cerbos.svc.v1.CerbosService")
        out["healthyUnknownService"] = client.is_healthy("no.such.Service")
        # The SDK's HTTP client has no server_info method (only its gRPC client does); its own
        # HTTP session asks the endpoint.
        info = client._http.get("/api/server_info")
        out["serverInfo"] = {"status": info.status_code, "body": info.json()}
        results = []
        for case in cases:
            p, r, actions = principal(case["principal"]), resource(case["resource"]), case["actions"]
            try:
                response = client.check_resources(
                    principal=p,
                    resources=ResourceList().add(r, set(actions)),
                    request_id=case["key"],
                )
                entry = response.get_resource(r.id)
                effects = {a: getattr(entry.actions[a], "value", entry.actions[a]) for a in entry.actions}
                allowed = {a: client.is_allowed(a, p, r) for a in actions}
                results.append({"key": case["key"], "requestId": response.request_id, "effects": effects, "isAllowed": allowed})
            except Exception as e:  # reported per case; the Swift test judges it
                results.append({"key": case["key"], "error": f"{type(e).__name__}: {e}"})
        out["cases"] = results
        if plan:
            c = cases[0]
            response = client.plan_resources(
                case_action := c["actions"][0],
                principal(c["principal"]),
                ResourceDesc(c["resource"]["kind"], policy_version=c["resource"].get("policyVersion", "default")),
            )
            out["plan"] = {"action": case_action, "kind": response.filter.kind.value if response.filter else None}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
