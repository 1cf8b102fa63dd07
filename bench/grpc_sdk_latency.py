"""The official Cerbos Python SDK's gRPC client (grpcio) against Arbiter's gRPC socket, one call
at a time, after 200 warm-up calls: the figure a Python user of the SDK sees.

usage: .build/grpc-sdk-venv/bin/python bench/grpc_sdk_latency.py unix:SOCKET N"""
import sys, time
from cerbos.sdk.grpc.client import CerbosClient
from cerbos.engine.v1 import engine_pb2
from cerbos.request.v1 import request_pb2
target, n = sys.argv[1], int(sys.argv[2])
principal = engine_pb2.Principal(id="alice", roles=["user"])
entry = request_pb2.CheckResourcesRequest.ResourceEntry(actions=["view", "edit"], resource=engine_pb2.Resource(kind="unknown_kind", id="x"))
with CerbosClient(target, timeout_secs=30) as c:
    for name, f in [("server_info", lambda: c.server_info()), ("check_resources", lambda: c.check_resources(principal=principal, resources=[entry], request_id="r1"))]:
        for _ in range(200): f()
        s = []
        for _ in range(n):
            t0 = time.perf_counter_ns(); f(); s.append(time.perf_counter_ns() - t0)
        s.sort()
        print(f"python-sdk {name}: n={n} p50={s[n//2]/1000:.1f}us p99={s[int(n*0.99)]/1000:.1f}us")
