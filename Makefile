# Arbiter: the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
DEB_PACKAGES := libyaml-dev libsystemd-dev libre2-dev pkg-config libcurl4-openssl-dev
POLICIES ?= examples/policies
SOCKET ?= $(CURDIR)/.run/arbiter.sock
HTTP_SOCKET ?= $(CURDIR)/.run/http.sock

.PHONY: deps build-deps build release test run bench deb vm-test vm-test-build vm-test-run clean fuzz-cel fuzz fuzz-build fuzz-corpus fuzz-smoke soak otlp-smoke

# Installs the Debian packages a fresh machine lacks; without root it prints the command and stops.
# `build-deps` is what building and packaging need (`make deb`, `make vm-test`); `deps` adds the
# tools and Python clients the tests use.
DEB_TOOLS := dpkg binutils
build-deps:
	@missing=""; for p in $(DEB_PACKAGES) $(DEB_TOOLS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing Debian packages:$$missing"; \
	    echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

deps: build-deps
	@packaging/ci-deps.sh
	@packaging/http-sdk-deps.sh
	@packaging/grpc-sdk-deps.sh

build: build-deps
	$(SWIFT) build

release: build-deps
	$(SWIFT) build -c release --product arbiter

# About forty tests are synchronous and block their thread on a child process for seconds
# (systemd-analyze, dpkg-deb, kubeconform, Python clients). Swift concurrency's cooperative pool
# has one thread per core, so on a loaded 2-core machine two of them starved the live daemon tests
# for 30 s and their reloads timed out. The tests run with dispatch's ordinary global queues,
# which add a thread when one blocks; the daemon itself keeps the cooperative pool.
TEST_ENV := SWIFT_DEBUG_CONCURRENCY_ENABLE_COOPERATIVE_QUEUES=false
# The VM check's release build starts in the background with the debug build (in its own scratch
# path, .build-release, so that neither waits for the other's lock), as does the guest's base: each
# build alone leaves a core idle for long stretches (modules compiled one after another, each on
# one thread). The tests run once both are done, and alone: several of them time reloads of a live
# daemon. The fuzz smoke then builds in .build, where only Arbiter's own modules compile again (with
# the sanitizers): the packages they use are the debug build's objects (see fuzz-build).
test: deps
	@packaging/vm/vm-test.sh --check-root
	@mkdir -p .build-vm; echo "vm-test-build: in the background, log in .build-vm/build.log"
	@$(MAKE) vm-test-build RELEASE_SCRATCH=.build-release >.build-vm/build.log 2>&1 & vm=$$!; \
	$(SWIFT) build --build-tests; debug=$$?; \
	wait $$vm; vm_status=$$?; echo "vm-test-build (exit $$vm_status), the end of its log:"; tail -n 25 .build-vm/build.log; \
	[ $$debug = 0 ] && [ $$vm_status = 0 ]
	$(TEST_ENV) $(SWIFT) test --skip-build
	$(TEST_ENV) ARBITER_CEL_SAFE_PATHS=1 $(SWIFT) test --skip-build --filter 'CELTests.(ConformanceTests|FastPathsTests)|ArbiterEngineTests.(EngineConformanceTests|CerbosCELConformanceTests)'
	$(MAKE) fuzz-smoke FUZZ_SCRATCH=.build
	$(MAKE) vm-test-run

# libFuzzer targets (Fuzz/README.md): built with the sanitizers into FUZZ_SCRATCH (below), all
# five in one `swift build` of a manifest trimmed to them and the libraries they import (no CLI,
# front ends, gRPC or tests); seeds rebuilt from the conformance data each run. `make fuzz` runs
# each target FUZZ_SECONDS; `make fuzz-smoke`, which `make test` runs so that an input of the corpus
# that crashes fails CI, runs each FUZZ_SMOKE_SECONDS with a fixed seed. Its cost in `make test` on
# a fresh clone (Fuzz/README.md, "The smoke in make test"): the sanitizer build plus the smoke.
FUZZ_TARGETS ?= FuzzJSON FuzzRequest FuzzCEL FuzzPolicy FuzzRPC
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 20
# Two targets at a time: each fuzzer is one process, so on an otherwise idle 2-core CI machine the
# smoke takes about half as long; each target still gets its FUZZ_SMOKE_SECONDS on a core.
FUZZ_SMOKE_JOBS ?= 2
ARBITER_CONFORMANCE_DIR ?= $(CURDIR)/../shared/conformance
export ARBITER_CONFORMANCE_DIR

# The fuzz manifest (Package.swift) compiles Arbiter's modules with `-sanitize=fuzzer,address` and
# the packages they use as any debug build does, so in .build (FUZZ_SCRATCH=.build, as `make test`
# does once its tests have run) those packages are the debug build's objects; the next `swift build`
# then compiles Arbiter's modules again without the sanitizers.
FUZZ_SCRATCH ?= .build-fuzz
fuzz-build: deps
	ARBITER_FUZZ=1 $(SWIFT) build --scratch-path $(FUZZ_SCRATCH)

# PyYAML reads the conformance YAML: the python3 on PATH has it, or a venv under .build-fuzz gets it from PyPI.
fuzz-corpus:
	@py=python3; if ! python3 -c 'import yaml' 2>/dev/null; then \
	  py=.build-fuzz/venv/bin/python; \
	  $$py -c 'import yaml' 2>/dev/null || { python3 -m venv .build-fuzz/venv && .build-fuzz/venv/bin/pip install -q pyyaml; }; \
	fi; \
	rm -rf .build-fuzz/corpus/seeds; echo "seed corpora from $(ARBITER_CONFORMANCE_DIR):"; \
	$$py Fuzz/make-corpus.py $(ARBITER_CONFORMANCE_DIR) .build-fuzz/corpus/seeds

fuzz: fuzz-build fuzz-corpus
	FUZZ_BIN=$(FUZZ_SCRATCH)/debug Fuzz/run.sh $(FUZZ_SECONDS) 10 $(FUZZ_TARGETS)

# A fixed seed: the smoke's mutations are the same on every run, so a failure it reports repeats.
fuzz-smoke: fuzz-build fuzz-corpus
	FUZZ_BIN=$(FUZZ_SCRATCH)/debug FUZZ_FLAGS=-seed=1 FUZZ_JOBS=$(FUZZ_SMOKE_JOBS) Fuzz/run.sh $(FUZZ_SMOKE_SECONDS) 60 $(FUZZ_TARGETS)

run: release
	mkdir -p $(dir $(SOCKET))
	.build/release/arbiter serve --policies $(POLICIES) --socket $(SOCKET) --http unix:$(HTTP_SOCKET)

# Release build, peers in a local venv (PyPI wheels), every benchmark, a table and bench/results.json.
# BENCH_FLAGS=--quick for a short smoke run; BENCH_FLAGS="--only cel,peers" for some groups.
BENCH_VENV ?= .venv-bench
BENCH_PEERS := cedarpy cel-expr-python common-expression-language
bench: deps
	$(SWIFT) build -c release --product ArbiterBench
	$(SWIFT) build -c release --product arbiter
	@if ! $(BENCH_VENV)/bin/python -c "import cedarpy, cel, cel_expr_python" 2>/dev/null; then \
	  echo "installing the peers into $(BENCH_VENV): $(BENCH_PEERS)"; \
	  python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q $(BENCH_PEERS); \
	fi
	ARBITER_BENCH_PYTHON=$(CURDIR)/$(BENCH_VENV)/bin/python ARBITER_BIN=$(CURDIR)/.build/release/arbiter \
	  .build/release/ArbiterBench --output bench/results.json $(BENCH_FLAGS)

# The CEL differential test against cel-cpp with fresh seeds, round after round, until a
# disagreement that no accepted difference explains (FUZZ_ROUNDS=0: no end; each round is
# 2,000 expressions, checked and unchecked). Unexplained cases go to .build/cel-fuzz.log too.
FUZZ_ROUNDS ?= 0
fuzz-cel: deps
	$(SWIFT) build --build-tests
	ARBITER_CEL_FUZZ_ROUNDS=$(FUZZ_ROUNDS) ARBITER_CEL_DIFF_LOG=$(CURDIR)/.build/cel-fuzz.log \
	  $(SWIFT) test --skip-build --filter DifferentialTests/fuzz_freshSeeds

# Soak test (not part of `make test`): SOAK_SECONDS of pipelined load with connection churn and a
# reload every 5 s against the release daemon; RSS, fds and p99 every 10 s into .build/soak/soak.csv,
# drawn as .build/soak/soak.png (matplotlib from PyPI in a venv under .build); fails when RSS or fds
# grow after the warm-up. See bench/soak.py.
SOAK_SECONDS ?= 1800
SOAK_VENV := .build/soak-venv
soak: release
	@$(SOAK_VENV)/bin/python -c 'import matplotlib' 2>/dev/null || { \
	  echo "installing matplotlib into $(SOAK_VENV)"; \
	  python3 -m venv $(SOAK_VENV) && $(SOAK_VENV)/bin/pip install -q --disable-pip-version-check matplotlib; }
	@# The run serves a copy: `make deb` or `make vm-test` during the 30 minutes relinks .build/release/arbiter.
	mkdir -p .build/soak-bin && cp .build/release/arbiter .build/soak-bin/arbiter
	$(SOAK_VENV)/bin/python bench/soak.py --arbiter .build/soak-bin/arbiter --seconds $(SOAK_SECONDS) --out .build/soak

# The package must not depend on the Swift toolchain, so its binary carries the Swift runtime.
# The static FoundationNetworking (remote JWKS fetching) needs libcurl named explicitly.
DEB_OUTPUT ?= out
DEB_COMPRESSION ?= xz
RELEASE_SCRATCH ?= .build
deb: build-deps
	$(SWIFT) build -c release --product arbiter --static-swift-stdlib -Xlinker -lcurl --scratch-path $(RELEASE_SCRATCH)
	packaging/deb/build.sh --binary $(RELEASE_SCRATCH)/release/arbiter --output $(DEB_OUTPUT) --compression $(DEB_COMPRESSION)

# The .deb installed and run under systemd 254 as PID 1 in a qemu guest (packaging/vm/vm-test.sh).
# Needs root; without it, says so before building anything. The guest's root file system is
# cached in .build-vm/ (`make clean` keeps it; delete the folder to rebuild it).
# The guest gets the package `make deb` builds, uncompressed (`--compression none`): the same
# files, without a minute of xz on the host and its decompression under emulation in the guest.
# The guest's base does not depend on the package: it is built (or found cached) in the
# background while the release build runs, after `build-deps` so that the two never use apt at once.
VM_DEB_DIR := .build-vm/deb
vm-test: vm-test-build
	$(MAKE) vm-test-run

# The package and the guest's base, without booting (`make test` runs this beside the debug build).
vm-test-build:
	@packaging/vm/vm-test.sh --check-root
	rm -rf $(VM_DEB_DIR)
	$(MAKE) build-deps
	mkdir -p .build-vm
	packaging/vm/vm-test.sh --prepare >.build-vm/prepare.log 2>&1 & prepare=$$!; \
	$(MAKE) deb DEB_OUTPUT=$(VM_DEB_DIR) DEB_COMPRESSION=none || { wait $$prepare; exit 1; }; \
	wait $$prepare || { echo "vm-test: preparing the guest failed:"; cat .build-vm/prepare.log; exit 1; }; \
	cat .build-vm/prepare.log

# Boots the guest with what vm-test-build made.
vm-test-run:
	@ls $(VM_DEB_DIR)/*.deb >/dev/null 2>&1 || { echo "vm-test-run: no package in $(VM_DEB_DIR); run make vm-test"; exit 1; }
	packaging/vm/vm-test.sh --deb "$$(ls $(VM_DEB_DIR)/*.deb)"

# The OTLP trait's span exporter end to end against a stand-in collector (Tests/otlp/); outside
# `make test` because the trait's build adds minutes (docs/operations.md, "Traces").
otlp-smoke: deps
	Tests/otlp/otlp-smoke.sh

clean:
	rm -rf .build .build-fuzz .build-release .run
