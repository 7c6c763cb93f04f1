#!/usr/bin/env bash
# Run time against simulated years: `twin run` on scenarios/genesis-decade.json
# cut to 1, 2, 5 and 10 years (horizon_days = years x 365.25, everything else
# as shipped), -j 2, REPLICATIONS replications (default 1), --attribution off
# unless ATTRIBUTION is set; then, with --full, the whole decade with the
# scenario's 5 replications. Prints wall and CPU seconds (user + system,
# children included) per run and per simulated year, the lab experiments
# simulated (both modes, all replications) and CPU ms per experiment. YEARS="1 2" picks
# other cuts. Builds nothing.
#
#   bench/decade_years.sh BUILD_DIR [REPLICATIONS] [--full]
#
# e.g. cmake --build build/release --target twin && bench/decade_years.sh build/release 1 --full
# On a shared machine wall time moves with the load; CPU time much less.
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
build=$1
reps=${2:-1}
full=${3:-}
attribution=${ATTRIBUTION:-off}
twin_bin=$(cd "$build" && pwd)/twin/twin
src=$(cd "$(dirname "$0")/.." && pwd)
scenario=$src/scenarios/genesis-decade.json
[[ -x $twin_bin ]] || { echo "decade_years: $twin_bin not found (build the target twin)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A copy of the scenario with another horizon and replication count; its
# pool paths (relative to scenarios/) made absolute.
cut() {  # cut YEARS REPS OUT
  python3 - "$scenario" "$1" "$2" "$3" <<'EOF'
import json, os, sys
src, years, reps, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
text = "\n".join(l for l in open(src).read().split("\n") if not l.lstrip().startswith("//"))
s = json.loads(text)
s["horizon_days"] = years * 365.25
s["replications"] = reps
s["name"] = "genesis-decade-%gy" % years
for c in s["campaigns"]:
    k = c["kernel"]
    if "pool" in k:
        pools = k["pool"] if isinstance(k["pool"], list) else [k["pool"]]
        k["pool"] = [os.path.join(os.path.dirname(src), p) for p in pools]
json.dump(s, open(out, "w"))
EOF
}

run() {  # run LABEL SCENARIO
  local out=$tmp/$1 TIMEFORMAT='%3R %3U %3S'
  { time "$twin_bin" run "$2" --out "$out" -j 2 --attribution "$attribution" > "$out.stdout" 2> "$out.stderr"; } 2> "$out.time" \
    || { echo "decade_years: twin run $2 failed:" >&2; cat "$out.stderr" >&2; exit 1; }
  read -r wall user sys < "$out.time"
  # Lab experiments simulated (both modes, every replication): the work done.
  local exps
  exps=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
n = r["scenario"]["replications"]
print(round(sum(m["experiments"] * n for c in r["campaigns"] for m in c["modes"].values())))' "$out/report.json")
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}') $exps"
}

printf "%-8s %-5s %10s %10s %14s %12s %16s\n" years reps wall_s cpu_s cpu_s_per_year experiments cpu_ms_per_exp
for y in ${YEARS:-1 2 5 10}; do
  f=$tmp/decade-$y.json
  cut "$y" "$reps" "$f"
  read -r wall cpu exps < <(run "y$y" "$f")
  printf "%-8s %-5s %10s %10s %14s %12s %16s\n" "$y" "$reps" "$wall" "$cpu" "$(awk -v c="$cpu" -v y="$y" 'BEGIN {printf "%.2f", c / y}')" \
    "$exps" "$(awk -v c="$cpu" -v e="$exps" 'BEGIN {printf "%.3f", (e > 0 ? 1000 * c / e : 0)}')"
done
if [[ $full == --full ]]; then
  read -r wall cpu exps < <(run full "$scenario")
  printf "%-8s %-5s %10s %10s %14s %12s %16s   (scenarios/genesis-decade.json as shipped, attribution %s)\n" 10 5 "$wall" "$cpu" \
    "$(awk -v c="$cpu" 'BEGIN {printf "%.2f", c / 10}')" "$exps" "$(awk -v c="$cpu" -v e="$exps" 'BEGIN {printf "%.3f", (e > 0 ? 1000 * c / e : 0)}')" \
    "$attribution"
  grep -E "Year by year|x2|Goal" "$tmp/full.stdout" || true
fi
