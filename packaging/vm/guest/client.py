#!/usr/bin/python3
"""A raw client of Arbiter's socket protocol for the VM test (the guest has python3-minimal,
so no json module: requests are written as text and answers checked as text).

    client.py health                      one Health request; prints the answer
    client.py check KIND                  one CheckResources for alice viewing a KIND; prints the answer
    client.py errno USER GROUP [GROUPS]   connects as USER:GROUP (supplementary GROUPS, comma
                                          separated, or none); prints "connected" or the errno name
    client.py inflight CONNS REQUESTS     pipelines REQUESTS CheckResources on each of CONNS
                                          connections, reads one answer per connection, runs
                                          `systemctl stop arbiter.service` while the rest are
                                          outstanding, then reads everything: every request
                                          must be answered, in order, then a clean EOF
"""
import errno
import os
import socket
import struct
import subprocess
import sys
import time

SOCKET = "/run/arbiter/arbiter.sock"


def frame(text):
    body = text.encode()
    return struct.pack(">I", len(body)) + body


def read_exact(conn, count):
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def read_frame(conn):
    """The next frame's text, or None at a clean end of stream; raises on a truncated frame."""
    header = read_exact(conn, 4)
    if not header:
        return None
    if len(header) < 4:
        raise RuntimeError("truncated length prefix (%d bytes)" % len(header))
    (length,) = struct.unpack(">I", header)
    body = read_exact(conn, length)
    if len(body) < length:
        raise RuntimeError("truncated frame: %d of %d bytes" % (len(body), length))
    return body.decode()


def connect():
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(60)
    conn.connect(SOCKET)
    return conn


def check_request(request_id, kind="document"):
    return ('{"jsonrpc":"2.0","id":%d,"method":"CheckResources","params":{"requestId":"vm",'
            '"principal":{"id":"alice","roles":["user"],"attr":{"tenantId":"t1"}},'
            '"resources":[{"actions":["view","delete"],"resource":{"kind":"%s","id":"d1",'
            '"attr":{"tenantId":"t1","ownerId":"alice","status":"published",'
            '"classification":"internal","sharedWith":["bob"]}}}]}}' % (request_id, kind))


def one(request):
    conn = connect()
    conn.sendall(frame(request))
    answer = read_frame(conn)
    conn.close()
    print(answer)
    return 0 if answer is not None else 1


def try_connect(user, group, groups):
    import grp
    import pwd
    uid = pwd.getpwnam(user).pw_uid
    gid = grp.getgrnam(group).gr_gid
    extra = [grp.getgrnam(g).gr_gid for g in groups.split(",") if g] if groups != "none" else []
    os.setgroups(extra)
    os.setgid(gid)
    os.setuid(uid)
    try:
        conn = connect()
    except OSError as error:
        print(errno.errorcode.get(error.errno, str(error.errno)))
        return 0
    conn.sendall(frame('{"jsonrpc":"2.0","id":1,"method":"Health"}'))
    answer = read_frame(conn)
    print("connected" if answer and '"SERVING"' in answer else "connected, no answer: %r" % answer)
    return 0


def inflight(connections, requests):
    conns = [connect() for _ in range(connections)]
    for c, conn in enumerate(conns):
        # All requests reach the kernel before the stop: sendall returns once the daemon's
        # socket has accepted every byte, so each of them counts as received.
        conn.sendall(b"".join(frame(check_request(c * 100000 + i)) for i in range(requests)))
    for conn in conns:
        first = read_frame(conn)
        if first is None or '"id":' not in first:
            print("FAIL: no first answer: %r" % first)
            return 1
    print("stop with %d requests outstanding on %d connections" % (connections * (requests - 1), connections))
    started = time.monotonic()
    stop = subprocess.Popen(["systemctl", "stop", "arbiter.service"])
    problems = []
    for c, conn in enumerate(conns):
        answered = 1
        try:
            while True:
                answer = read_frame(conn)
                if answer is None:
                    break
                expected = '"id":%d,' % (c * 100000 + answered)
                if not answer.startswith('{"jsonrpc":"2.0",' + expected) or '"EFFECT_ALLOW"' not in answer:
                    problems.append("connection %d answer %d: %s" % (c, answered, answer[:200]))
                    break
                answered += 1
        except (OSError, RuntimeError) as error:
            problems.append("connection %d after %d answers: %s" % (c, answered, error))
        if answered != requests:
            problems.append("connection %d: %d of %d requests answered before EOF" % (c, answered, requests))
    status = stop.wait(timeout=60)
    print("systemctl stop exited %d after %.1f s" % (status, time.monotonic() - started))
    if status != 0:
        problems.append("systemctl stop exited %d" % status)
    for problem in problems:
        print("FAIL: " + problem)
    if not problems:
        print("all %d requests answered in order, then EOF" % (connections * requests))
    return 1 if problems else 0


def main(argv):
    if argv[1] == "health":
        return one('{"jsonrpc":"2.0","id":1,"method":"Health"}')
    if argv[1] == "check":
        return one(check_request(1, argv[2] if len(argv) > 2 else "document"))
    if argv[1] == "errno":
        return try_connect(argv[2], argv[3], argv[4] if len(argv) > 4 else "none")
    if argv[1] == "inflight":
        return inflight(int(argv[2]), int(argv[3]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
