#!/usr/bin/env bash
# Whole-run benchmark: simulated experiments per wall second of `twin run` on
# bench/genesis-national-random.json (the national default with random
# closed_loop agents; -j 1, one simulation at a time, each in its own process)
# against bench_raw_closed_loop, the same closed loop with the same random
# agent written on raw SimGrid. Runs both ROUNDS times, alternating, in this
# one session, takes each one's median, and prints the ratio twin/raw (1.0 =
# as fast as raw SimGrid; below 1 = slower). Then runs the twin once on the
# real national default (Gaussian-process agents in closed_loop) and prints
# its figure beside the random variant's, outside the ratio: the difference
# is the cost of the agents' thinking. Builds nothing.
#
#   bench/whole_run.sh BUILD_DIR [ROUNDS] [REPLICATIONS]
#
# BUILD_DIR holds twin/twin and bench/bench_raw_closed_loop, e.g.
#   cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release
#   cmake --build build/release --target twin bench_raw_closed_loop
#   bench/whole_run.sh build/release
# ROUNDS defaults to 3; REPLICATIONS to the scenario's (5, so 10 simulations).
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
build=$1
rounds=${2:-3}
reps=${3:-}
twin_bin=$build/twin/twin
raw_bin=$build/bench/bench_raw_closed_loop
random_scenario=$(cd "$(dirname "$0")" && pwd)/genesis-national-random.json
[[ -f $random_scenario ]] || { echo "whole_run: $random_scenario not found" >&2; exit 2; }
for b in "$twin_bin" "$raw_bin"; do
  [[ -x $b ]] || { echo "whole_run: $b not found (build the targets twin and bench_raw_closed_loop)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A number from a flat JSON text: json_num KEY FILE
json_num() { grep -o "\"$1\": *[0-9.eE+-]*" "$2" | head -1 | sed 's/.*: *//'; }
# The median of numbers, one per line on stdin.
median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# CPU seconds (user + system, children included) of a command: cpu_s OUT_FILE CMD...
cpu_s() {
  local out=$1; shift
  local TIMEFORMAT='%3U %3S' rc=0
  { time "$@" > "$out.stdout" 2> "$out.stderr"; } 2> "$out.time" || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "whole_run: '$*' failed (exit $rc):" >&2
    cat "$out.stderr" >&2
    exit 1
  fi
  awk '{print $1 + $2}' "$out.time"
}

rep_args=()
[[ -n $reps ]] && rep_args=(--replications "$reps")

echo "whole run: national default with random agents, -j 1, ${reps:-the scenario} replications x 2 modes, $rounds rounds alternating"
for ((i = 1; i <= rounds; i++)); do
  out=$tmp/twin$i
  c=$(cpu_s "$tmp/twin_cpu$i" "$twin_bin" run "$random_scenario" --out "$out" -j 1 --quiet "${rep_args[@]}")
  e=$(json_num simulated_experiments "$out/run-info.json")
  w=$(json_num wall_s "$out/run-info.json")
  r=$(json_num experiments_per_wall_s "$out/run-info.json")
  echo "$r" >> "$tmp/twin_rate"
  awk -v e="$e" -v c="$c" 'BEGIN {print e / c}' >> "$tmp/twin_cpu_rate"
  printf '  round %d twin: %s experiments, %.2f wall s, %.2f CPU s, %.0f experiments/wall s\n' "$i" "$e" "$w" "$c" "$r"

  c=$(cpu_s "$tmp/raw_cpu$i" "$raw_bin" "${rep_args[@]}")
  f=$tmp/raw_cpu$i.stdout
  e=$(json_num simulated_experiments "$f")
  w=$(json_num wall_s "$f")
  r=$(json_num experiments_per_wall_s "$f")
  echo "$r" >> "$tmp/raw_rate"
  awk -v e="$e" -v c="$c" 'BEGIN {print e / c}' >> "$tmp/raw_cpu_rate"
  printf '  round %d raw:  %s experiments, %.2f wall s, %.2f CPU s, %.0f experiments/wall s\n' "$i" "$e" "$w" "$c" "$r"
done

twin=$(median < "$tmp/twin_rate")
raw=$(median < "$tmp/raw_rate")
twin_cpu=$(median < "$tmp/twin_cpu_rate")
raw_cpu=$(median < "$tmp/raw_cpu_rate")

# Once, outside the ratio: the twin on the real national default (embedded),
# whose closed_loop agents are Gaussian processes.
out=$tmp/twin_gp
c=$(cpu_s "$tmp/twin_gp_cpu" "$twin_bin" run --out "$out" -j 1 --quiet "${rep_args[@]}")
gp_e=$(json_num simulated_experiments "$out/run-info.json")
gp_w=$(json_num wall_s "$out/run-info.json")
gp=$(json_num experiments_per_wall_s "$out/run-info.json")
printf '  once twin, national default (GP agents): %s experiments, %.2f wall s, %.2f CPU s, %.0f experiments/wall s\n' \
  "$gp_e" "$gp_w" "$c" "$gp"

printf 'twin (random agents): %.0f simulated experiments per wall second (median of %d)\n' "$twin" "$rounds"
printf 'raw SimGrid (random agents): %.0f simulated experiments per wall second (median of %d)\n' "$raw" "$rounds"
printf 'ratio twin/raw: %.2f (experiments per CPU second: %.2f)\n' \
  "$(awk -v a="$twin" -v b="$raw" 'BEGIN {print a / b}')" "$(awk -v a="$twin_cpu" -v b="$raw_cpu" 'BEGIN {print a / b}')"
printf 'twin on the national default (GP agents, once, not in the ratio): %.0f simulated experiments per wall second, %.2f x the random variant\n' \
  "$gp" "$(awk -v a="$gp" -v b="$twin" 'BEGIN {print a / b}')"
