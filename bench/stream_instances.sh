#!/usr/bin/env bash
# Does the problem stream flatter or handicap the agent? AF(0.8) of a policy
# on the real table over SEEDS seeds (the run-to-run spread) against its
# AF(0.8) on generated instances 1..INSTANCES (one seed), RUNS runs each,
# with `twin bench-agent ... --instance K`. Prints both lists, their ranges,
# whether the instances' median lies within the table's range, and a
# Mann-Whitney test of the two samples.
#
#   bench/stream_instances.sh BUILD_DIR DATASET GOAL [POLICY]   # RUNS=10 SEEDS=5 INSTANCES=5 KERNEL_PARAMS=
set -euo pipefail
build=${1:?usage: stream_instances.sh BUILD_DIR DATASET max|min [POLICY]}
data=${2:?dataset}
goal=${3:?goal}
policy=${4:-gp-ard}
runs=${RUNS:-10}
seeds=${SEEDS:-5}
instances=${INSTANCES:-5}
twin="$build/twin/twin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# KERNEL_PARAMS="stream_subset=1 stream_noise=0" passes --kernel-param to the instances.
af() { "$twin" bench-agent "$data" --goal "$goal" --policy "$policy" --runs "$runs" --threads 2 --out "$tmp/o" "$@" |
         sed -n 's/^AF(0.8) = //p'; }
table=()
for s in $(seq 1 "$seeds"); do table+=("$(af --seed "$s")"); done
inst=()
kp=()
for p in ${KERNEL_PARAMS:-}; do kp+=(--kernel-param "$p"); done
for k in $(seq 1 "$instances"); do inst+=("$(af --seed 11 --instance "$k" "${kp[@]}")"); done
python3 - "$data" "$policy" "$runs" "${table[*]}" "${inst[*]}" <<'PY'
import math, statistics, sys
data, policy, runs, t, i = sys.argv[1:]
t = [float(x) for x in t.split()]
i = [float(x) for x in i.split()]
print(f"{data} {policy}, {runs} runs each: AF(0.8)")
print(f"  table, seeds 1..{len(t)}:       {' '.join(f'{x:.2f}' for x in t)}  range {min(t):.2f}-{max(t):.2f}, median {statistics.median(t):.2f}")
print(f"  instances 1..{len(i)} (seed 11): {' '.join(f'{x:.2f}' for x in i)}  range {min(i):.2f}-{max(i):.2f}, median {statistics.median(i):.2f}")
m = statistics.median(i)
print("  instances' median within the table's run-to-run range: " + ("yes" if min(t) <= m <= max(t) else "NO"))
# A sharper question than the range: do the two samples differ? Mann-Whitney U
# (ranks, ties averaged), two-sided p by the normal approximation.
both = sorted([(x, 0) for x in t] + [(x, 1) for x in i])
ranks, j = [0.0] * len(both), 0
while j < len(both):
    k = j
    while k < len(both) and both[k][0] == both[j][0]:
        k += 1
    for q in range(j, k):
        ranks[q] = (j + k + 1) / 2
    j = k
u = sum(r for r, (_, side) in zip(ranks, both) if side == 0) - len(t) * (len(t) + 1) / 2
mu, sd = len(t) * len(i) / 2, math.sqrt(len(t) * len(i) * (len(t) + len(i) + 1) / 12)
p = math.erfc(abs(u - mu) / sd / math.sqrt(2))
print(f"  instances' median / table's: {m / statistics.median(t):.3f}; Mann-Whitney U = {u:g}, two-sided p = {p:.3f}"
      + (" (the instances differ from the table)" if p < 0.05 else " (no difference at 5 %)"))
PY
