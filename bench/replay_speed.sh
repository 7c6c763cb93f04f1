#!/usr/bin/env bash
# Replay speed against a plain Python event loop of the same policy, in the
# same session: `twin replay TRACE --policy P --out DIR` (read the trace,
# replay, write jobs.csv and summary.json) against bench/replay_loop.py doing
# the same in Python, ROUNDS times, alternating. Prints each round, the
# medians, and the ratio python / twin (higher is better; the goal is >= 6
# under EASY). Both must write the same jobs.csv: the script says so.
#
#   bench/replay_speed.sh BUILD_DIR [TRACE...]     # ROUNDS=3 POLICIES="easy conservative" FIRST=0
#
# Default traces: the project's copies of SDSC-BLUE and LANL-CM5. FIRST=N
# replays only the first N jobs (the Python conservative loop re-fits every
# queued job at every job end, so it takes minutes on a whole trace).
set -euo pipefail
build=${1:?usage: replay_speed.sh BUILD_DIR [TRACE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
traces=("$@")
if [ ${#traces[@]} -eq 0 ]; then
  traces=("$here/../tests/data/swf/SDSC-BLUE-2000-4.2-cln.swf.gz" "$here/../tests/data/swf/LANL-CM5-1994-4.1-cln.swf.gz")
fi
rounds=${ROUNDS:-3}
policies=${POLICIES:-easy conservative}
first=${FIRST:-0}
twin="$build/twin/twin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sel=()
[ "$first" -gt 0 ] && sel=(--first "$first")

secs() { # seconds a command takes (wall), its output discarded
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

for trace in "${traces[@]}"; do
  name=$(basename "$trace" | sed 's/\.swf.*//')
  for policy in $policies; do
    tw=() py=()
    for r in $(seq "$rounds"); do
      a=$(secs "$twin" replay "$trace" --policy "$policy" "${sel[@]}" --out "$work/twin")
      b=$(secs python3 "$here/replay_loop.py" "$trace" --policy "$policy" "${sel[@]}" --out "$work/py")
      tw+=("$a") py+=("$b")
      printf '%-24s %-13s round %d: twin %.3f s, python %.3f s\n' "$name" "$policy" "$r" "$a" "$b"
    done
    same=$(cmp -s "$work/twin/jobs.csv" "$work/py/jobs.csv" && echo "same jobs.csv" || echo "JOBS.CSV DIFFER")
    mt=$(median "${tw[@]}") mp=$(median "${py[@]}")
    printf '%-24s %-13s median: twin %.3f s, python %.3f s, ratio python/twin %.1f (%s)\n' "$name" "$policy" "$mt" "$mp" \
      "$(echo "$mp / $mt" | bc -l)" "$same"
  done
done
