"""A stand-in OTLP/gRPC collector for `make otlp-smoke`: accepts TraceService/Export on
127.0.0.1:PORT and prints, per export, its size and which of the expected span names and the
service name its protobuf bytes contain. Needs grpcio (.build/grpc-sdk-venv from `make deps`)."""
import sys
from concurrent import futures
import grpc

NAMES = [b"CheckResources", b"decide", b"encode", b"reload", b"reload.compile"]

def export(request, context):
    present = [n.decode() for n in NAMES + [sys.argv[2].encode()] if n in request]
    print("export bytes=%d names=%s" % (len(request), ",".join(present)), flush=True)
    return b""  # an empty ExportTraceServiceResponse

handler = grpc.method_handlers_generic_handler(
    "opentelemetry.proto.collector.trace.v1.TraceService",
    {"Export": grpc.unary_unary_rpc_method_handler(export)})
server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
server.add_generic_rpc_handlers((handler,))
server.add_insecure_port("127.0.0.1:" + sys.argv[1])
server.start()
print("ready", flush=True)
server.wait_for_termination()
