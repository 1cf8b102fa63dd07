#!/usr/bin/env bash
# Installs what the packaging tests (Tests/ArbiterCLITests/PackagingTests.swift) use, called by
# `make deps`:
#   - Debian: systemd (systemd-analyze, systemd-sysusers), dpkg (dpkg-deb), init-system-helpers
#     (deb-systemd-helper, used by the maintainer scripts), binutils (readelf, for Depends:),
#     python3-venv (only when the python3 on PATH cannot make a venv).
#   - PyPI: kubernetes-validate, which ships the Kubernetes JSON schemas and so validates
#     manifests offline, and cel-expr-python (Google's C++ CEL, the oracle of the CEL
#     differential test), into the venv .build/packaging-venv (the tests look there).
#   - PyPI: cerbos (Cerbos's Python SDK) and cerbos-sqlalchemy (its SQLAlchemy adapter, which
#     brings SQLAlchemy), unmodified, into .build/plan-venv for the PlanResources end-to-end
#     test (Tests/ArbiterCLITests/PlanSQLAlchemyTests.swift, Tests/PlanE2E).
# Skips whatever is already present, so a second run costs a few dpkg-query calls.
set -euo pipefail
cd "$(dirname "$0")/.."

K8S_VALIDATE_VERSION=1.37.0
CEL_EXPR_PYTHON_VERSION=0.1.3
venv=.build/packaging-venv
CERBOS_SDK_VERSION=0.16.1
CERBOS_SQLALCHEMY_VERSION=0.4.0
plan_venv=.build/plan-venv

need_apt=()
for pkg in systemd dpkg init-system-helpers binutils; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
python=python3
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    python=/usr/bin/python3
    dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "install ok installed" || need_apt+=(python3-venv)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "packaging test tools: installing ${need_apt[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
    else
        echo "missing Debian packages for the packaging tests: ${need_apt[*]}"
        echo "run: sudo apt-get install -y ${need_apt[*]}"
        exit 1
    fi
fi

if ! "$venv/bin/kubernetes-validate" --version 2>/dev/null | grep -qF "$K8S_VALIDATE_VERSION"; then
    echo "packaging test tools: kubernetes-validate $K8S_VALIDATE_VERSION into $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$K8S_VALIDATE_VERSION"
fi

if ! "$venv/bin/python" -c 'import cel_expr_python.cel' >/dev/null 2>&1; then
    echo "CEL differential test oracle: cel-expr-python $CEL_EXPR_PYTHON_VERSION into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "cel-expr-python==$CEL_EXPR_PYTHON_VERSION"
fi

if ! "$plan_venv/bin/python" -c 'import cerbos.sdk.model, cerbos_sqlalchemy' >/dev/null 2>&1; then
    echo "PlanResources end-to-end test: cerbos $CERBOS_SDK_VERSION and cerbos-sqlalchemy $CERBOS_SQLALCHEMY_VERSION into $plan_venv"
    rm -rf "$plan_venv"
    "$python" -m venv "$plan_venv"
    "$plan_venv/bin/pip" install --quiet --disable-pip-version-check \
        "cerbos==$CERBOS_SDK_VERSION" "cerbos-sqlalchemy==$CERBOS_SQLALCHEMY_VERSION"
fi
