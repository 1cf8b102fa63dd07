#!/usr/bin/env bash
# Runs the libFuzzer targets built into .build-fuzz (see Fuzz/README.md), one after the other.
#
# usage: Fuzz/run.sh SECONDS TIMEOUT TARGET...
#   SECONDS  how long each target runs (libFuzzer's -max_total_time, corpus replay included)
#   TIMEOUT  seconds one input may take before libFuzzer reports it as a hang
#   FUZZ_FLAGS (environment) more libFuzzer flags, e.g. -seed=1 for a repeatable mutation sequence
#   FUZZ_JOBS  (environment) how many targets run at once (default 1); each is one process on one
#              core, so 2 on a 2-core machine halves the wall time of a run when nothing else runs
#
# Each target replays .build-fuzz/corpus/found/<T> (what earlier runs found; new inputs are saved
# there) and .build-fuzz/corpus/seeds/<T> (rebuilt from the conformance data by make-corpus.py),
# then mutates. A crash, invariant failure, hang or out-of-memory fails the run; libFuzzer saves
# the input under .build-fuzz/artifacts/<T>/. Prints one line per target (executions, exec/s,
# libFuzzer's cov: and ft:, corpus size) and a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=$1 timeout=$2
shift 2
bin=${FUZZ_BIN:-.build-fuzz/debug}  # FUZZ_BIN: where the fuzz build put them (make passes it)
logs=.build-fuzz/logs
mkdir -p "$logs"

# The Swift runtime's backtracer and ASan's leak check both misreport under libFuzzer: the
# backtracer's helper reads the crashed thread's stack (an ASan report of its own), and the
# runtime's metadata caches live until exit (reported as leaks).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}

jobs=${FUZZ_JOBS:-1}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: FUZZ_JOBS must be a positive number, not '$jobs'" >&2; exit 2; }

# fuzz_one TARGET: runs it; writes its table row (and on failure the log's telling lines) to
# $logs/TARGET.row and "ok" or "failed" to $logs/TARGET.result.
fuzz_one() {
    local target=$1
    local found=.build-fuzz/corpus/found/$target seeds=.build-fuzz/corpus/seeds/$target
    local artifacts=.build-fuzz/artifacts/$target
    mkdir -p "$found" "$seeds" "$artifacts"
    local log=$logs/$target.log status last cov ft corp execs rate result
    "$bin/$target" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} "$found" "$seeds" >"$log" 2>&1
    status=$?
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
    rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
    if [ "$status" = 0 ]; then result=ok; else result="FAILED (exit $status, log $log)"; fi
    {
        printf '%-12s %9s %8s %7s %7s %7s  %s\n' "$target" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$result"
        if [ "$status" != 0 ]; then
            grep -E 'ERROR: |Fatal error|fuzz invariant|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 | sed 's/^/    /'
        fi
    } >"$logs/$target.row"
    if [ "$status" = 0 ]; then echo ok; else echo failed; fi >"$logs/$target.result"
}

printf '%-12s %9s %8s %7s %7s %7s  %s\n' target execs exec/s cov ft corpus result
rm -f "$logs"/*.row "$logs"/*.result
if [ "$jobs" = 1 ]; then
    # One at a time, each row as soon as its target is done.
    for target in "$@"; do fuzz_one "$target"; cat "$logs/$target.row"; done
else
    # Up to $jobs at once; the rows in the order the targets were named, once all are done.
    for target in "$@"; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
        fuzz_one "$target" &
    done
    wait
    for target in "$@"; do cat "$logs/$target.row" 2>/dev/null || echo "$target: no result (the runner died)"; done
fi
passed=0 failed=0
for target in "$@"; do
    if [ "$(cat "$logs/$target.result" 2>/dev/null)" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
