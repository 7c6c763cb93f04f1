#!/usr/bin/env bash
# The national platform scaled (issue 18): scenarios/genesis-national.json
# with every robotic lab and every campaign copied K times (K x 4 labs and
# K x 4 campaigns, each copy at its original's site, each copied campaign
# on its own copy of the labs; the five HPC systems, their background load
# and the backbone stay as shipped), one replication, both modes, -j 2,
# --attribution off. For each K it prints the lab experiments simulated
# (both modes), wall and CPU seconds (user + system, children included),
# experiments per wall and per CPU second, and the peak resident memory of
# the largest simulation process. Builds nothing; writes its scenarios to a
# temporary directory.
#
#   bench/scaled_platform.sh BUILD_DIR [K...]        (default K: 1 4 16)
#   HORIZON_DAYS=182.625 bench/scaled_platform.sh build/release 16   # half a year
#   KEEP=DIR bench/scaled_platform.sh ...            # keep the scenarios and reports in DIR
#
# The figure of the issue: K = 16 (64 labs, 64 campaigns), a platform-year.
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
build=$1
shift
factors=("$@")
[[ ${#factors[@]} -gt 0 ]] || factors=(1 4 16)
twin_bin=$(cd "$build" && pwd)/twin/twin
src=$(cd "$(dirname "$0")/.." && pwd)
[[ -x $twin_bin ]] || { echo "scaled_platform: $twin_bin not found (build the target twin)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "scaled_platform: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
if [[ -n ${KEEP:-} ]]; then
  tmp=$KEEP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi

# scale K OUT: the national default with its labs and campaigns copied K times.
scale() {
  python3 - "$src/scenarios/genesis-national.json" "$1" "$2" "${HORIZON_DAYS:-}" <<'EOF'
import copy, json, os, sys
src, k, out, horizon = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
text = "\n".join(l for l in open(src).read().split("\n") if not l.lstrip().startswith("//"))
s = json.loads(text)
base = os.path.dirname(os.path.abspath(src))
def absolute(p):
    return p if os.path.isabs(p) else os.path.join(base, p)
for c in s["campaigns"]:
    pool = c["kernel"].get("pool")
    if isinstance(pool, list):
        c["kernel"]["pool"] = [absolute(p) for p in pool]
    elif isinstance(pool, str):
        c["kernel"]["pool"] = absolute(pool)
def name(n, i):
    return n if i == 0 else f"{n}-c{i}"
labs, camps = [], []
for i in range(k):
    for l in s["labs"]:
        x = copy.deepcopy(l)
        x["name"] = name(l["name"], i)
        labs.append(x)
    for c in s["campaigns"]:
        x = copy.deepcopy(c)
        x["name"] = name(c["name"], i)
        x["lab"] = [name(l, i) for l in c["lab"]] if isinstance(c["lab"], list) else name(c["lab"], i)
        camps.append(x)
s["labs"], s["campaigns"] = labs, camps
s["name"] = f"genesis-national-x{k}"
s["replications"] = 1
if horizon:
    s["horizon_days"] = float(horizon)
json.dump(s, open(out, "w"), indent=1)
EOF
}

printf '%3s %5s %10s %12s %8s %8s %12s %12s %9s\n' K labs horizon_d experiments wall_s cpu_s exp/wall_s exp/cpu_s peak_MB
for k in "${factors[@]}"; do
  scenario=$tmp/national-x$k.json
  scale "$k" "$scenario"
  out=$tmp/out-x$k
  TIMEFORMAT='%3R %3U %3S'
  { time /usr/bin/time -f '%M' -o "$tmp/rss-x$k" "$twin_bin" run "$scenario" --out "$out" -j 2 -q \
      --attribution off > "$tmp/run-x$k.log" 2>&1; } 2> "$tmp/time-x$k" || {
    echo "scaled_platform: twin run failed for K=$k:" >&2
    cat "$tmp/run-x$k.log" >&2
    exit 1
  }
  read -r wall user sys < "$tmp/time-x$k"
  python3 - "$out/report.json" "$k" "$wall" "$user" "$sys" "$(tail -1 "$tmp/rss-x$k")" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
k, wall, user, sys_s, rss_kb = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
exps = sum(m["experiments"] for c in r["campaigns"] for m in c["modes"].values())
cpu = user + sys_s
print(f"{k:3d} {4 * k:5d} {r['scenario']['horizon_days']:10g} {exps:12.0f} {wall:8.1f} {cpu:8.1f} "
      f"{exps / wall:12.0f} {exps / cpu:12.0f} {rss_kb / 1024:9.0f}")
EOF
done
