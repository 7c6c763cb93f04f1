#!/usr/bin/env bash
# What a change to the GP agents does on box kernels, and what it costs: the
# two box campaigns of scenarios/genesis-decade.json (quantum-films,
# Michalewicz; fission-fuel-kinetics, the kinetics kernel with its
# catalyst), both from day 0 with their closed-loop agents from day 0, every
# lab online and autonomous from day 0 (everything else as shipped),
# HORIZON_DAYS (default 182.625) and REPLICATIONS (default 6), --attribution
# off. Each twin given runs it once, -j 1, all of them at the same time (on a
# shared machine their wall times then compare). Prints each twin's wall
# seconds and each campaign's closed-loop discoveries (mean and 95 %
# interval); with two twins, the paired difference per replication (second
# minus first: mean and standard error). Builds nothing.
#
#   bench/box_agents.sh TWIN [TWIN_REFERENCE]
#
# e.g. bench/box_agents.sh build/release/twin/twin /tmp/twin-of-an-older-commit
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "$@"; do [[ -x $t ]] || { echo "box_agents: $t is not an executable" >&2; exit 2; }; done

python3 - "$src/scenarios/genesis-decade.json" "${HORIZON_DAYS:-182.625}" "${REPLICATIONS:-6}" "$tmp/box.json" <<'EOF'
import json, sys
src, horizon, reps, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = json.loads("\n".join(l for l in open(src).read().split("\n") if not l.lstrip().startswith("//")))
s["name"] = "box-agents"
s["horizon_days"] = horizon
s["replications"] = reps
s["campaigns"] = [c for c in s["campaigns"] if c["name"] in ("quantum-films", "fission-fuel-kinetics")]
for c in s["campaigns"]:
    c["start_day"] = 0
    c["closed_loop_from_day"] = 0
for lab in s["labs"]:
    for key in ("online_from_day", "autonomous_from_day"):
        if key in lab:
            lab[key] = 0
json.dump(s, open(out, "w"))
EOF

i=0
for t in "$@"; do
  i=$((i + 1))
  ( start=$EPOCHREALTIME
    "$t" run "$tmp/box.json" --out "$tmp/out$i" -j 1 -q --attribution off --outputs json,csv > "$tmp/out$i.log" 2>&1 ||
      { echo "box_agents: $t failed:" >&2; cat "$tmp/out$i.log" >&2; exit 1; }
    echo "$start $EPOCHREALTIME" > "$tmp/wall$i" ) &
done
wait

python3 - "$tmp" "$@" <<'EOF'
import csv, json, math, statistics, sys
tmp, twins = sys.argv[1], sys.argv[2:]
per = []
for i, t in enumerate(twins, 1):
    a, b = open(f"{tmp}/wall{i}").read().split()
    wall = float(b) - float(a)
    r = json.load(open(f"{tmp}/out{i}/report.json"))
    print(f"{t}: {wall:.1f} s wall")
    for c in r["campaigns"]:
        d = c["modes"]["closed_loop"]["discoveries"]
        ci = f"{d['ci95_low']:.1f}-{d['ci95_high']:.1f}" if d.get("ci95_low") is not None else "no interval"
        print(f"  {c['name']}: closed-loop discoveries {d['mean']:.1f} ({ci})")
    rows = {}
    for row in csv.DictReader(open(f"{tmp}/out{i}/campaigns.csv")):
        if row["mode"] == "closed_loop":
            rows[(row["campaign"], int(row["replication"]))] = int(row["discoveries"])
    per.append(rows)
if len(per) == 2:
    print("paired, second minus first, per replication:")
    for name in sorted({k[0] for k in per[0]}):
        diff = [per[1][k] - per[0][k] for k in sorted(per[0]) if k[0] == name]
        se = statistics.stdev(diff) / math.sqrt(len(diff)) if len(diff) > 1 else float("nan")
        print(f"  {name}: {statistics.mean(diff):+.1f} +- {se:.1f} ({' '.join(str(x) for x in diff)})")
EOF
