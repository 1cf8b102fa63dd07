#!/usr/bin/env python3
"""Soak test of a release `arbiter serve`: pipelined load, connection churn, a reload every few seconds.

usage: soak.py --arbiter BIN [--seconds 1800] [--out DIR] [--connections 4] [--depth 16]
               [--reload-interval 5] [--sample-interval 10]

`make soak` runs it (SOAK_SECONDS overrides the duration). It serves a copy of examples/policies
plus one policy file, resource_policies/soak.yaml, that a reloader thread rewrites (write a
temporary file, rename it in) every --reload-interval seconds. Each version is different, and
each allows `read` on kind `soak` to role `user`. Client threads, one connection each, send
batches of --depth pipelined CheckResources frames (the README's document request and that
canary), read the answers and measure each one's latency from its batch's send, and reconnect
after a random number of batches; one connection in eight is dropped with its answers unread.

Every --sample-interval seconds it writes a CSV row (DIR/soak.csv): the daemon's RSS
(/proc/PID/status VmRSS) and open fds (/proc/PID/fd), p50 and p99 latency and the request rate
over the interval, the policy generation (Health), the errors seen and the host's 1-minute load
average (latency on a shared machine moves with it). At the end it draws
DIR/soak.png and checks, over the samples after the warm-up (the first tenth of the run, at
least 60 s):
  - RSS is flat: the least-squares trend over the window grows by at most max(4 MiB, 5% of the
    median), and the median of the last third exceeds the first third's by at most that much;
  - fds are flat: never above the idle count plus one per client connection plus 4, and the
    median of the last third at most 2 above the first third's;
  - every answer was a decision, every canary ALLOW, and the generation advanced with the reloads.
It exits 1 when a check fails.
"""
import argparse
import csv
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DOCUMENT = {
    "principal": {"id": "alice", "roles": ["user"], "attr": {"tenantId": "t1"}},
    "resources": [{"actions": ["view", "edit", "delete"], "resource": {
        "kind": "document", "id": "d1",
        "attr": {"tenantId": "t1", "ownerId": "alice", "status": "published", "classification": "internal",
                 "sharedWith": ["bob"]}}}],
}
CANARY = {
    "principal": {"id": "carol", "roles": ["user"], "attr": {}},
    "resources": [{"actions": ["read"], "resource": {"kind": "soak", "id": "s1", "attr": {"n": 1}}}],
}


def soak_policy(version):
    # Every version allows `read` to `user`; the rest changes, so each rewrite is a real new snapshot.
    return f"""apiVersion: api.cerbos.dev/v1
resourcePolicy:
  resource: soak
  version: default
  rules:
    - name: read_v{version}
      actions: ["read"]
      effect: EFFECT_ALLOW
      roles: ["user"]
    - name: write_v{version}
      actions: ["write"]
      effect: EFFECT_ALLOW
      roles: ["user"]
      condition:
        match:
          expr: R.attr.n == {version % 97}
"""


def frame(obj):
    payload = json.dumps(obj, separators=(",", ":")).encode()
    return struct.pack(">I", len(payload)) + payload


def read_exact(sock, n):
    chunks = []
    while n:
        chunk = sock.recv(n)
        if not chunk:
            raise ConnectionError("connection closed by the daemon")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(sock):
    (length,) = struct.unpack(">I", read_exact(sock, 4))
    return read_exact(sock, length)


def call(path, method):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(frame({"jsonrpc": "2.0", "id": 1, "method": method}))
        return json.loads(read_frame(s))["result"]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = 0
        self.error_samples = []
        self.requests = 0
        self.connections = 0

    def take(self):
        with self.lock:
            latencies, self.latencies = self.latencies, []
            return latencies, self.errors

    def error(self, what):
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(what)


def client(path, depth, stats, stop, seed):
    rng = random.Random(seed)
    document = frame({"jsonrpc": "2.0", "id": "d", "method": "CheckResources", "params": DOCUMENT})
    canary = frame({"jsonrpc": "2.0", "id": "c", "method": "CheckResources", "params": CANARY})
    batch = b"".join(canary if i % 4 == 0 else document for i in range(depth))
    while not stop.is_set():
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(10)
                s.connect(path)
                with stats.lock:
                    stats.connections += 1
                abandon = rng.random() < 0.125
                for _ in range(rng.randint(1, 40)):
                    if stop.is_set():
                        break
                    sent = time.perf_counter()
                    s.sendall(batch)
                    if abandon:
                        break  # close with the answers unread
                    times = []
                    for _ in range(depth):
                        answer = json.loads(read_frame(s))
                        times.append(time.perf_counter() - sent)
                        result = answer.get("result")
                        if result is None:
                            stats.error(answer)
                            continue
                        effects = result["results"][0]["actions"]
                        if answer["id"] == "c" and effects.get("read") != "EFFECT_ALLOW":
                            stats.error(answer)
                        if answer["id"] == "d" and effects.get("view") != "EFFECT_ALLOW":
                            stats.error(answer)
                    with stats.lock:
                        stats.latencies.extend(times)
                        stats.requests += depth
        except (OSError, ValueError) as e:
            if not stop.is_set():
                stats.error(repr(e))


def reloader(policy_file, interval, stop, counter):
    version = 1
    while not stop.wait(interval):
        version += 1
        tmp = policy_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(soak_policy(version))
        os.replace(tmp, policy_file)
        counter[0] = version


def process_figures(pid):
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def median(values):
    return percentile(values, 0.5)


def trend_growth(ts, ys):
    """Growth over the window of the least-squares line through (ts, ys)."""
    n = len(ts)
    if n < 2:
        return 0.0
    mt, my = sum(ts) / n, sum(ys) / n
    var = sum((t - mt) ** 2 for t in ts)
    slope = sum((t - mt) * (y - my) for t, y in zip(ts, ys)) / var if var else 0.0
    return slope * (ts[-1] - ts[0])


def plot(rows, warmup, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    minutes = [r["t"] / 60 for r in rows]
    fig, axes = plt.subplots(5, 1, figsize=(9, 12), sharex=True)
    panels = [
        ("rss_mib", "RSS (MiB)", None), ("fds", "open fds", None),
        ("p99_ms", "latency (ms)", "p50_ms"), ("requests_per_s", "requests/s", None),
        ("load1", "host load avg", None),
    ]
    for ax, (key, label, second) in zip(axes, panels):
        ax.plot(minutes, [r[key] for r in rows], marker=".", label=key.replace("_ms", "").replace("_", " "))
        if second:
            ax.plot(minutes, [r[second] for r in rows], marker=".", label=second.replace("_ms", ""))
            ax.legend(loc="upper right")
        ax.set_ylabel(label)
        ax.axvspan(0, warmup / 60, color="0.9", zorder=0)
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
    axes[0].text(warmup / 120, 1, "warm-up", ha="center", va="bottom", transform=axes[0].get_xaxis_transform())
    axes[-1].set_xlabel("minutes")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arbiter", required=True)
    ap.add_argument("--seconds", type=int, default=1800)
    ap.add_argument("--out", default=os.path.join(ROOT, ".build", "soak"))
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--depth", type=int, default=16)
    ap.add_argument("--reload-interval", type=float, default=5)
    ap.add_argument("--sample-interval", type=float, default=10)
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    policies = os.path.join(out, "policies")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "examples", "policies"), policies)
    policy_file = os.path.join(policies, "resource_policies", "soak.yaml")
    with open(policy_file, "w") as f:
        f.write(soak_policy(1))
    sock_path = os.path.join(out, "arbiter.sock")
    log = open(os.path.join(out, "arbiter.log"), "w")
    daemon = subprocess.Popen([args.arbiter, "serve", "--policies", policies, "--socket", sock_path,
                               "--log-level", "warning"], stdout=log, stderr=log)
    try:
        return run(args, out, daemon, sock_path, policy_file)
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(30)
            except subprocess.TimeoutExpired:
                daemon.kill()


def run(args, out, daemon, sock_path, policy_file):
    deadline = time.time() + 30
    while True:
        try:
            if call(sock_path, "Health")["status"] == "SERVING":
                break
        except (OSError, KeyError, ValueError):
            pass
        if time.time() > deadline or daemon.poll() is not None:
            print("soak: the daemon did not start serving; see", os.path.join(out, "arbiter.log"))
            return 1
        time.sleep(0.2)
    _, idle_fds = process_figures(daemon.pid)
    start_generation = call(sock_path, "Health")["generation"]

    stats, stop, written = Stats(), threading.Event(), [1]
    threads = [threading.Thread(target=client, args=(sock_path, args.depth, stats, stop, i), daemon=True)
               for i in range(args.connections)]
    threads.append(threading.Thread(target=reloader, args=(policy_file, args.reload_interval, stop, written), daemon=True))
    for t in threads:
        t.start()

    rows = []
    start = time.time()
    last, last_requests = start, 0
    csv_path = os.path.join(out, "soak.csv")
    # The host's 1-minute load average beside each sample: latency on a shared machine follows it.
    fields = ["t", "rss_mib", "fds", "p50_ms", "p99_ms", "requests_per_s", "generation", "policy_writes", "errors",
              "load1"]
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        while time.time() - start < args.seconds:
            time.sleep(max(0, last + args.sample_interval - time.time()))
            now = time.time()
            if daemon.poll() is not None:
                print(f"soak: the daemon exited ({daemon.returncode}) after {now - start:.0f} s")
                return 1
            latencies, errors = stats.take()
            rss, fds = process_figures(daemon.pid)
            with stats.lock:
                requests = stats.requests
            row = {
                "t": round(now - start, 1), "rss_mib": round(rss, 2), "fds": fds,
                "p50_ms": round(percentile(latencies, 0.5) * 1000, 3), "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
                "requests_per_s": round((requests - last_requests) / (now - last)),
                "generation": call(sock_path, "Health")["generation"], "policy_writes": written[0], "errors": errors,
                "load1": round(os.getloadavg()[0], 2),
            }
            writer.writerow(row)
            f.flush()
            rows.append(row)
            print("soak: " + " ".join(f"{k}={row[k]}" for k in fields), flush=True)
            last, last_requests = now, requests
    stop.set()
    for t in threads:
        t.join(15)

    warmup = max(60, args.seconds / 10)
    after = [r for r in rows if r["t"] > warmup]
    failures = []
    if len(after) < 3:
        failures.append(f"only {len(after)} samples after the {warmup:.0f} s warm-up: run longer")
    else:
        third = max(1, len(after) // 3)
        rss = [r["rss_mib"] for r in after]
        tolerance = max(4.0, 0.05 * median(rss))
        growth = trend_growth([r["t"] for r in after], rss)
        drift = median(rss[-third:]) - median(rss[:third])
        print(f"soak: RSS after warm-up {min(rss):.1f}-{max(rss):.1f} MiB, trend {growth:+.2f} MiB, "
              f"last third vs first {drift:+.2f} MiB (tolerance {tolerance:.1f})")
        if growth > tolerance or drift > tolerance:
            failures.append("RSS grows after the warm-up")
        fds = [r["fds"] for r in after]
        ceiling = idle_fds + args.connections + 4
        print(f"soak: fds idle {idle_fds}, after warm-up {min(fds)}-{max(fds)} (ceiling {ceiling}), "
              f"last third vs first {median(fds[-third:]) - median(fds[:third]):+}")
        if max(fds) > ceiling or median(fds[-third:]) > median(fds[:third]) + 2:
            failures.append("open fds grow after the warm-up")
    total_errors = rows[-1]["errors"] if rows else 0
    reloads = (rows[-1]["generation"] - start_generation) if rows else 0
    print(f"soak: {stats.requests} requests on {stats.connections} connections, {total_errors} errors, "
          f"{written[0] - 1} policy rewrites, {reloads} reloads published, "
          f"p99 after warm-up {min((r['p99_ms'] for r in after), default=float('nan')):.2f}-"
          f"{max((r['p99_ms'] for r in after), default=float('nan')):.2f} ms, "
          f"host load average {min((r['load1'] for r in rows), default=float('nan')):.1f}-"
          f"{max((r['load1'] for r in rows), default=float('nan')):.1f}")
    if total_errors:
        failures.append(f"{total_errors} bad answers, e.g. {stats.error_samples[:2]}")
    if reloads < (written[0] - 1) / 2:
        failures.append(f"only {reloads} reloads for {written[0] - 1} rewrites")

    png = os.path.join(out, "soak.png")
    plot(rows, warmup, png, f"arbiter serve soak: {args.seconds // 60} min, {args.connections} pipelining clients "
         f"(depth {args.depth}) with churn, reload every {args.reload_interval:g} s")
    print(f"soak: {csv_path}, {png}")
    for failure in failures:
        print("soak: FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
