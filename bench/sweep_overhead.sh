#!/usr/bin/env bash
# Sweep machinery overhead and local scaling, measured in one session.
#
#   bench/sweep_overhead.sh BUILD_DIR       [ROUNDS=3] [REPS=8] [HORIZON_DAYS=30]
#
# The same work three ways, ROUNDS times, alternating:
#   run    `twin run S --replications REPS -j 1`: REPS replications of
#          single-lab (both modes each) in one `twin run`, by hand
#   sweep1 `twin sweep` of one variant (S itself) x REPS replications, --jobs 1:
#          one child process per run, results into SQLite, report at the end
#   sweep2 the same sweep with --jobs 2
# and, when the twin was built with MPI and mpirun exists, once per round:
#   mpi3   `mpirun -n 3 twin sweep ...` (rank 0 coordinates, two ranks run)
# S is scenarios/single-lab.json with a HORIZON_DAYS horizon (about one second
# per run at 30 days). Prints the medians and the ratios: sweep1/run (the
# overhead; target < 1.05) and sweep1/sweep2 (scaling from 1 to 2 workers).
set -euo pipefail
BUILD=${1:?usage: bench/sweep_overhead.sh BUILD_DIR}
ROUNDS=${ROUNDS:-3}
REPS=${REPS:-8}
HORIZON_DAYS=${HORIZON_DAYS:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TWIN=$(cd "$BUILD" && pwd)/twin/twin
[ -x "$TWIN" ] || { echo "no twin program at $TWIN (build the target twin)"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$ROOT" "$TMP" "$REPS" "$HORIZON_DAYS" <<'PY'
import json, sys
root, tmp, reps, horizon = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
text = "\n".join(l for l in open(f"{root}/scenarios/single-lab.json") if not l.lstrip().startswith("//"))
s = json.loads(text)
s["horizon_days"] = horizon
s["replications"] = reps
s["campaigns"][0]["kernel"]["pool"] = f"{root}/scenarios/data/oer_3496.csv"
s.pop("$schema", None)
json.dump(s, open(f"{tmp}/scenario.json", "w"), indent=1)
json.dump({"sweep_version": 1, "name": "overhead", "base": "scenario.json", "replications": reps,
           "parameters": [{"name": "robots", "pointer": "/labs/0/robots", "values": [s["labs"][0].get("robots", 1)]}]},
          open(f"{tmp}/sweep.json", "w"), indent=1)
PY

now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
timed() {  # timed NAME COMMAND...: appends the wall time to $TMP/NAME
  local name=$1; shift
  local t0 t1
  t0=$(now)
  "$@" > /dev/null 2> "$TMP/$name.err" || { echo "$name failed:"; cat "$TMP/$name.err"; exit 1; }
  t1=$(now)
  calc "$t1 - $t0" >> "$TMP/$name.times"
}
median() { sort -g "$TMP/$1.times" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

MPI=""
if command -v mpirun > /dev/null && ! "$TWIN" sweep "$TMP/sweep.json" --check --mpi 2>&1 | grep -q "built without MPI"; then
  MPI="mpirun --oversubscribe --bind-to none"
  [ "$(id -u)" = 0 ] && MPI="$MPI --allow-run-as-root"
fi

for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$TMP"/out-*
  timed run "$TWIN" run "$TMP/scenario.json" --out "$TMP/out-run" -j 1 --quiet
  timed sweep1 "$TWIN" sweep "$TMP/sweep.json" --out "$TMP/out-s1" --jobs 1 --quiet
  timed sweep2 "$TWIN" sweep "$TMP/sweep.json" --out "$TMP/out-s2" --jobs 2 --quiet
  [ -n "$MPI" ] && timed mpi3 $MPI -n 3 "$TWIN" sweep "$TMP/sweep.json" --out "$TMP/out-m3" --quiet
  printf 'round %d: run %.2f s, sweep --jobs 1 %.2f s, sweep --jobs 2 %.2f s%s\n' "$r" \
    "$(tail -1 "$TMP/run.times")" "$(tail -1 "$TMP/sweep1.times")" "$(tail -1 "$TMP/sweep2.times")" \
    "$([ -n "$MPI" ] && printf ', mpirun -n 3 %.2f s' "$(tail -1 "$TMP/mpi3.times")")"
done

RUN=$(median run); S1=$(median sweep1); S2=$(median sweep2)
echo "work: $REPS runs of single-lab at $HORIZON_DAYS days (both modes each), $ROUNDS rounds, medians:"
printf '  twin run (by hand, -j 1)    %7.2f s   %.3f s per run\n' "$RUN" "$(calc "$RUN / $REPS")"
printf '  twin sweep --jobs 1         %7.2f s   %.3f s per run\n' "$S1" "$(calc "$S1 / $REPS")"
printf '  twin sweep --jobs 2         %7.2f s\n' "$S2"
printf 'overhead ratio sweep(--jobs 1) / run: %.3f  (%.0f ms per run; target < 1.05)\n' \
  "$(calc "$S1 / $RUN")" "$(calc "($S1 - $RUN) * 1000 / $REPS")"
printf 'scaling --jobs 1 / --jobs 2:          %.2f  (2 cores: at most 2)\n' "$(calc "$S1 / $S2")"
if [ -n "$MPI" ]; then
  M3=$(median mpi3)
  printf '  mpirun -n 3 twin sweep      %7.2f s   (2 worker ranks; --jobs 2 / mpi: %.2f)\n' "$M3" "$(calc "$S2 / $M3")"
fi
