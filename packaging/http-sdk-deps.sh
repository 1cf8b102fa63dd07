#!/usr/bin/env bash
# Installs what the HTTP API tests use, called by `make deps`; skips whatever is present:
#   - Debian: curl, which DocCommandTests runs for the curl examples of README.md and docs/.
#   - PyPI: Cerbos's official Python SDK, unmodified, into the venv .build/cerbos-sdk-venv, where
#     Tests/ArbiterHTTPTests/CerbosSDKTests.swift runs it against Arbiter's HTTP API.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v curl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "HTTP API doc examples: installing curl"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl
    else
        echo "missing Debian package for the HTTP API doc examples: curl"
        echo "run: sudo apt-get install -y curl"
        exit 1
    fi
fi

CERBOS_SDK_VERSION=0.16.1
venv=.build/cerbos-sdk-venv

python=python3
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    # packaging/ci-deps.sh installs python3-venv for the system python in this case.
    python=/usr/bin/python3
fi

installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("cerbos"))' 2>/dev/null || true)
if [ "$installed" != "$CERBOS_SDK_VERSION" ]; then
    echo "HTTP API test client: cerbos $CERBOS_SDK_VERSION (Cerbos's Python SDK) into $venv"
    rm -rf "$venv"
    mkdir -p .build
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "cerbos==$CERBOS_SDK_VERSION"
fi
