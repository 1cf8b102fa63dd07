#!/usr/bin/env bash
# Installs the official Cerbos Python SDK (cerbos from PyPI; grpcio comes with it) into the
# venv .build/grpc-sdk-venv, for the gRPC front end's SDK test (Tests/ArbiterGRPCTests/sdk).
# Called by `make deps`; skips the install when the pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

CERBOS_SDK_VERSION=0.16.1
venv=.build/grpc-sdk-venv

python=python3
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    python=/usr/bin/python3   # packaging/ci-deps.sh installs python3-venv for it when needed
fi
if ! "$venv/bin/python" -c "import importlib.metadata as m, cerbos.sdk.grpc.client, grpc; assert m.version('cerbos') == '$CERBOS_SDK_VERSION'" >/dev/null 2>&1; then
    echo "gRPC SDK test: cerbos $CERBOS_SDK_VERSION into $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "cerbos==$CERBOS_SDK_VERSION"
fi
