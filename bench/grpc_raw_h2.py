"""Unary gRPC calls to Arbiter's gRPC socket with hand-made HTTP/2 frames, one connection, one
call at a time: the server's share of a call without any gRPC client library's own cost (the
frames are fixed bytes; the loop only parses frame headers). Compare with jsonrpc_latency.py,
the same Python loop on the JSON-RPC socket (docs/benchmarks.md, gRPC section).

usage: grpc_raw_h2.py SOCKET ServerInfo|CheckResources N [WARMUP]
Needs the cerbos SDK's protobuf modules (.build/grpc-sdk-venv, `make deps`)."""
import socket, struct, sys, time
from cerbos.request.v1 import request_pb2
from cerbos.engine.v1 import engine_pb2

path, method, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if method == "ServerInfo":
    body = b""
else:
    req = request_pb2.CheckResourcesRequest(request_id="r1",
        principal=engine_pb2.Principal(id="alice", roles=["user"]),
        resources=[request_pb2.CheckResourcesRequest.ResourceEntry(actions=["view", "edit"],
            resource=engine_pb2.Resource(kind="unknown_kind", id="x"))])
    body = req.SerializeToString()

def frame(ftype, flags, sid, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", sid) + payload

def lit(name, value):
    n, v = name.encode(), value.encode()
    return b"\x00" + bytes([len(n)]) + n + bytes([len(v)]) + v

hdr = b"".join(lit(k, v) for k, v in [(":method", "POST"), (":scheme", "http"),
      (":path", "/cerbos.svc.v1.CerbosService/" + method), (":authority", "localhost"),
      ("content-type", "application/grpc"), ("te", "trailers")])
msg = b"\x00" + struct.pack(">I", len(body)) + body

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0, struct.pack(">HI", 4, 0x7fffffff))
          + frame(8, 0, 0, struct.pack(">I", 0x7fffffff - 65535)))
buf = bytearray()

def read_frame():
    global buf
    while True:
        if len(buf) >= 9:
            length = int.from_bytes(buf[0:3], "big")
            if len(buf) >= 9 + length:
                ftype, flags = buf[3], buf[4]
                sid = int.from_bytes(buf[5:9], "big") & 0x7fffffff
                payload = bytes(buf[9:9 + length])
                del buf[:9 + length]
                return ftype, flags, sid, payload
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("server closed")
        buf += chunk

def call(sid):
    s.sendall(frame(1, 4, sid, hdr) + frame(0, 1, sid, msg))
    got = 0
    while True:
        ftype, flags, fsid, payload = read_frame()
        if ftype == 4 and not flags & 1:
            s.sendall(frame(4, 1, 0, b""))
        elif ftype == 6 and not flags & 1:
            s.sendall(frame(6, 1, 0, payload))
        elif ftype == 0 and fsid == sid:
            got += len(payload)
        elif ftype == 3 and fsid == sid:
            raise SystemExit(f"RST_STREAM {payload.hex()}")
        elif ftype == 1 and fsid == sid and flags & 1:
            return got

sid = 1
first = call(sid); sid += 2
assert first > 5, first
for _ in range(int(sys.argv[4]) if len(sys.argv) > 4 else max(200, n // 10)):
    call(sid); sid += 2
samples = []
for _ in range(n):
    t0 = time.perf_counter_ns()
    call(sid); sid += 2
    samples.append(time.perf_counter_ns() - t0)
samples.sort()
print(f"raw-h2 {method}: n={n} p50={samples[n//2]/1000:.1f}us p99={samples[int(n*0.99)]/1000:.1f}us response_bytes={first}")
