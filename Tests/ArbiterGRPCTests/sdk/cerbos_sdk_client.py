"""Drives Arbiter's gRPC API with the official Cerbos Python SDK (cerbos.sdk.grpc.client), unmodified.

usage: cerbos_sdk_client.py unix:/path/grpc.sock CASES.json RESULTS.json

CASES.json is a list of engine test inputs ({key, requestId, principal, resource, actions}) in
protojson; for each, the script calls check_resources and is_allowed for every action and writes
what the server answered to RESULTS.json. An input with "plan": true is a PlanResources request
({key, requestId, principal, resource, action or actions}): the script calls plan_resources and
writes the response as protojson, or the gRPC status code of the error. It also records server_info and the grpc.health.v1
status of "" and cerbos.svc.v1.CerbosService. Judging is left to the Swift test that runs it.
"""
import json
import sys

import grpc
from google.protobuf import json_format
from cerbos.engine.v1 import engine_pb2
from cerbos.request.v1 import request_pb2
from cerbos.sdk.grpc.client import CerbosClient

HEALTH_STATUS = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def health(target, service):
    """grpc.health.v1.Health/Check with the messages encoded by hand (field 1 of each)."""
    name = service.encode()
    request = (b"\x0a" + bytes([len(name)]) + name) if name else b""
    with grpc.insecure_channel(target) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                    request_serializer=lambda b: b, response_deserializer=lambda b: b)
        reply = check(request, timeout=10)
    status = reply[1] if len(reply) >= 2 and reply[0] == 0x08 else 0
    return HEALTH_STATUS.get(status, str(status))


def main():
    target, cases_path, results_path = sys.argv[1:4]
    with open(cases_path) as f:
        cases = json.load(f)
    results = []
    with CerbosClient(target, timeout_secs=30) as client:
        info = first_server_info(client)
        for case in cases:
            if case.get("plan"):
                results.append(plan(client, case))
                continue
            principal = json_format.ParseDict(case["principal"], engine_pb2.Principal())
            resource = json_format.ParseDict(case["resource"], engine_pb2.Resource())
            entry = request_pb2.CheckResourcesRequest.ResourceEntry(actions=case["actions"], resource=resource)
            answer = {"key": case["key"]}
            try:
                response = client.check_resources(principal=principal, resources=[entry], request_id=case["requestId"])
                result = response.results[0]
                answer["requestId"] = response.request_id
                answer["effects"] = {a: engine_effect(e) for a, e in result.actions.items()}
                answer["outputs"] = [json_format.MessageToDict(o) for o in result.outputs]
                answer["isAllowed"] = {a: client.is_allowed(a, principal, resource, request_id=case["requestId"])
                                       for a in case["actions"]}
            except Exception as error:  # reported per case; the Swift test fails on it
                answer["error"] = f"{type(error).__name__}: {error}"
            results.append(answer)
    out = {
        "serverInfo": json_format.MessageToDict(info),
        "health": {s: health(target, s) for s in ["", "cerbos.svc.v1.CerbosService"]},
        "results": results,
    }
    with open(results_path, "w") as f:
        json.dump(out, f)


def first_server_info(client):
    """server_info, retried while the channel cannot connect: on a loaded machine, with the whole
    test suite running beside the server, the first connection may time out before SETTINGS."""
    for attempt in range(3):
        try:
            return client.server_info()
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.UNAVAILABLE or attempt == 2:
                raise


def plan(client, case):
    """plan_resources with the case's action (a string) or actions (a list), as an application calls it."""
    answer = {"key": case["key"]}
    try:
        principal = json_format.ParseDict(case["principal"], engine_pb2.Principal())
        resource = json_format.ParseDict(case["resource"], engine_pb2.PlanResourcesInput.Resource())
        action = case["action"] if "action" in case else case["actions"]
        response = client.plan_resources(action, principal, resource, request_id=case["requestId"])
        answer["response"] = json_format.MessageToDict(response)
    except grpc.RpcError as error:  # the Swift test judges whether the engine refuses it too
        answer["code"] = error.code().name
        answer["details"] = error.details()
    except Exception as error:  # reported per case; the Swift test fails on it
        answer["error"] = f"{type(error).__name__}: {error}"
    return answer


def engine_effect(value):
    from cerbos.effect.v1 import effect_pb2
    return effect_pb2.Effect.Name(value)


if __name__ == "__main__":
    main()
