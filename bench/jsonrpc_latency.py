"""The timing loop of grpc_raw_h2.py against the JSON-RPC socket (4-byte length frames), with
the same CheckResources request: the floor of a Python client on this machine, so that the raw
HTTP/2 figure minus this one is what the gRPC path adds on the server.

usage: jsonrpc_latency.py SOCKET N"""
import socket, struct, sys, time
path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path)
body = b'{"jsonrpc":"2.0","id":1,"method":"CheckResources","params":{"requestId":"r1","principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view","edit"],"resource":{"kind":"unknown_kind","id":"x"}}]}}'
req = struct.pack(">I", len(body)) + body
buf = bytearray()
def call():
    global buf
    s.sendall(req)
    while True:
        if len(buf) >= 4:
            k = int.from_bytes(buf[:4], "big")
            if len(buf) >= 4 + k:
                out = bytes(buf[4:4+k]); del buf[:4+k]; return out
        buf += s.recv(65536)
first = call(); assert b"EFFECT_DENY" in first, first
for _ in range(200): call()
t = []
for _ in range(n):
    t0 = time.perf_counter_ns(); call(); t.append(time.perf_counter_ns() - t0)
t.sort(); print(f"python json-rpc CheckResources: n={n} p50={t[n//2]/1000:.1f}us p99={t[int(n*.99)]/1000:.1f}us")
