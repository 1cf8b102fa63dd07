#!/usr/bin/env bash
# `make otlp-smoke`: the OTLP trait's exporter end to end. Builds `arbiter` with `--traits OTLP`,
# serves examples/policies with `tracing.exporter: otlp` pointed (Cerbos-style `host:port`) at a
# stand-in collector (collector.py), asks one CheckResources, stops the daemon (SIGTERM flushes
# the exporter) and checks that the collector received the reload's and the request's spans
# under the configured service name. Outside `make test`: the trait's first build adds minutes.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
python=.build/grpc-sdk-venv/bin/python
[ -x "$python" ] || { echo "otlp-smoke: $python missing (make deps)"; exit 1; }
swift build --traits OTLP --product arbiter
bin="$(swift build --traits OTLP --show-bin-path)/arbiter"
work="$(mktemp -d)"
trap 'kill $collector $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
service="arbiter-otlp-smoke-$$"
"$python" Tests/otlp/collector.py "$port" "$service" > "$work/collector.log" 2>&1 & collector=$!
for _ in $(seq 100); do grep -q ready "$work/collector.log" && break; sleep 0.1; done
grep -q ready "$work/collector.log" || { echo "otlp-smoke: the collector did not start"; cat "$work/collector.log"; exit 1; }
cat > "$work/config.yaml" <<YAML
tracing:
  exporter: otlp
  sampleProbability: 1
  serviceName: $service
  otlp:
    collectorEndpoint: "127.0.0.1:$port"
YAML
"$bin" serve --config "$work/config.yaml" --policies examples/policies --socket "$work/a.sock" > "$work/daemon.log" 2>&1 & daemon=$!
for _ in $(seq 100); do [ -S "$work/a.sock" ] && break; sleep 0.1; done
"$bin" check --socket "$work/a.sock" --principal alice --role user --kind document --resource-id d1 --action view
kill -TERM "$daemon"; wait "$daemon" || { echo "otlp-smoke: the daemon did not exit cleanly"; cat "$work/daemon.log"; exit 1; }
sleep 1
cat "$work/collector.log"
grep -q "names=.*reload.*$service" "$work/collector.log" || { echo "otlp-smoke: FAIL no reload span exported"; cat "$work/daemon.log"; exit 1; }
grep -q "names=CheckResources,decide,encode.*$service" "$work/collector.log" || { echo "otlp-smoke: FAIL no request spans exported"; cat "$work/daemon.log"; exit 1; }
echo "otlp-smoke: PASS the reload's and the request's spans reached the collector over OTLP/gRPC"
