#!/usr/bin/env bash
# Runs the libFuzzer targets of the fuzz preset, one after another, each on its
# own corpus (seeded from build/fuzz/fuzz/seeds, grown in build/fuzz/corpus/),
# with its generated dictionary and a per-input time limit.
#   bash tools/fuzz.sh [--time S] [--runs N] [--seed N] [--timeout S] [TARGET...]
#     --time S     each target runs S seconds (default 20, unless --runs is given)
#     --runs N     each target runs N executions (CI: 4000 with --seed 1; the long campaign: 1000000);
#                  with --time as well, whichever comes first
#     --seed N     libFuzzer's seed: with --runs, the same inputs on every machine (CI's run is reproducible)
#     --timeout S  an input taking longer than S seconds is a hang (default 10)
# Builds the fuzz preset first. Prints executions and executions per second per
# target; exits 1 if any target found a crash, a hang, a leak-free OOM or a
# sanitizer report (the input is kept in build/fuzz/artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
time_limit=()
runs_limit=()
timeout=10
seed=()
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time_limit=(-max_total_time="$2"); shift 2 ;;
    --runs) runs_limit=(-runs="$2"); shift 2 ;;
    --seed) seed=(-seed="$2"); shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
limit=("${time_limit[@]}" "${runs_limit[@]}")
[ "${#limit[@]}" -gt 0 ] || limit=(-max_total_time=20)
[ "${#targets[@]}" -gt 0 ] || targets=(scenario_fuzz sim_fuzz sweep_fuzz swf_fuzz batsim_fuzz csv_pool_fuzz report_fuzz)

build=build/fuzz
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
if [ ! -f "$build/CMakeCache.txt" ]; then cmake --preset fuzz -G Ninja "${launcher[@]}" >/dev/null; fi
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" fuzz_corpus >/dev/null

mkdir -p "$build/corpus" "$build/artifacts" "$build/logs"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
printf '%-16s %12s %10s %8s  %s\n' target executions exec/s seconds result
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  log="$build/logs/$t.log"
  start=$(date +%s)
  set +e
  "$build/fuzz/$t" "$corpus" "$build/fuzz/seeds/$t" -dict="$build/fuzz/seeds/$t.dict" "${limit[@]}" "${seed[@]}" \
    -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
    >"$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="FAILED (exit $rc, log $log)"
    status=1
  elif ! grep -q 'inline 8-bit counters' "$log"; then
    # A target whose coverage counters libFuzzer never registered runs blind
    # (no feature ever new): a broken build, not a clean run.
    result="FAILED (no coverage counters registered, log $log)"
    status=1
  fi
  printf '%-16s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$secs" "$result"
  if [ "$rc" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly signal|uncaught|timeout' "$log" | head -20 >&2 || true
  fi
done
exit "$status"
