#!/usr/bin/env bash
# The long fuzz campaign (issue 21): every target, one at a time and at low
# priority (nice -n 10: the machine is shared), to RUNS executions (default
# 1,000,000) or MAX_TIME seconds per target, whichever comes first, each input
# at most TIMEOUT seconds (libFuzzer's -timeout: over it is a hang, a finding).
#   bash fuzz/campaign.sh [--runs N] [--max-time S] [--timeout S] [TARGET...]
# Appends one row per target to build/fuzz/campaign.tsv: UTC start, target,
# executions, seconds, executions per second, corpus files after the run,
# findings (new files in build/fuzz/artifacts/, each kept there) and the
# command. Exits 1 if any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=1000000
max_time=
timeout=10
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --max-time) max_time="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ "${#targets[@]}" -gt 0 ] || targets=(scenario_fuzz sim_fuzz sweep_fuzz swf_fuzz batsim_fuzz csv_pool_fuzz report_fuzz)
time_opt=()
[ -z "$max_time" ] || time_opt=(--time "$max_time")

build=build/fuzz
table="$build/campaign.tsv"
mkdir -p "$build/artifacts"
[ -f "$table" ] || printf 'start_utc\ttarget\texecutions\tseconds\texec_per_s\tcorpus_files\tfindings\tcommand\n' >"$table"
status=0
for t in "${targets[@]}"; do
  before=$(ls "$build/artifacts" | grep -c "^$t-" || true)
  start_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  cmd=(nice -n 10 bash tools/fuzz.sh --runs "$runs" "${time_opt[@]}" --timeout "$timeout" "$t")
  set +e
  out=$("${cmd[@]}")
  rc=$?
  set -e
  echo "$out"
  row=$(echo "$out" | awk -v t="$t" '$1 == t {print $2 "\t" $4 "\t" $3}')
  after=$(ls "$build/artifacts" | grep -c "^$t-" || true)
  corpus=$(ls "$build/corpus/$t" 2>/dev/null | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$start_utc" "$t" "${row:-?	?	?}" "$corpus" "$((after - before))" "${cmd[*]}" >>"$table"
  [ "$rc" -eq 0 ] || status=1
done
column -t -s "$(printf '\t')" "$table"
exit "$status"
