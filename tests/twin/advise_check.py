#!/usr/bin/env python3
"""`twin advise` on tests/twin/data/advise-saturated.json, a lab whose one
slow station (anneal, one slot, 6 h a step) is saturated:

  - one more anneal station is ranked first, its interval above zero, and
    above what one more robot, technician, dispense station, node or link
    bandwidth gives (none of which relieves the bottleneck); `twin run`'s
    report names the same station in headline.buy_next;
  - every option has the keys of the issue (per_dollar null: no prices);
    options on the spare lab and the link to HUB are listed, not run, at 0;
  - advice.json is byte-identical with 1 and 2 workers (and with 1 and 3 MPI
    ranks where mpirun is there), and advice.html is written;
  - a bad option (--replications 0) is refused before anything is written;
  - priced (the same scenario with capital prices on the anneal station, the
    robot, a technician-year and a node): the same deltas, each priced
    option's cost_usd is its price (a node: 10 % more nodes, 2 of 16, at its
    price), per_dollar = delta / cost_usd, unpriced options stay null, and
    by_per_dollar lists the priced options by per_dollar.

usage: advise_check.py <twin> <tests/twin/data>
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def advise(twin, scenario, out, extra, launcher=()):
    p = subprocess.run(list(launcher) + [os.path.abspath(twin), "advise", scenario, "--out", out, "-q"] + extra,
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        fail(f"twin advise {' '.join(extra)} exited {p.returncode}: {p.stdout}{p.stderr}")
    with open(os.path.join(out, "advice.json"), "rb") as f:
        raw = f.read()
    if not os.path.getsize(os.path.join(out, "advice.html")):
        fail("advice.html is empty")
    return json.loads(raw), raw


def option(a, resource):
    for o in a["options"]:
        if o["resource"] == resource:
            return o
    fail(f"no option '{resource}' in {[o['resource'] for o in a['options']]}")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    twin, data = sys.argv[1:]
    scenario = os.path.join(data, "advise-saturated.json")
    with tempfile.TemporaryDirectory() as tmp:
        a, raw1 = advise(twin, scenario, os.path.join(tmp, "j1"), ["-j", "1"])
        _, raw2 = advise(twin, scenario, os.path.join(tmp, "j2"), ["-j", "2"])
        if raw1 != raw2:
            fail("advice.json differs between -j 1 and -j 2")

        keys = {"resource", "change", "delta_discoveries_per_year", "ci95_low", "ci95_high", "per_dollar"}
        for o in a["options"]:
            if not keys <= set(o):
                fail(f"option {o.get('resource')} lacks {sorted(keys - set(o))}")
            if o["per_dollar"] is not None:
                fail(f"option {o['resource']}: per_dollar {o['per_dollar']} without prices")
        if a["replications"] != 3 or a["base_discoveries_per_year"] <= 0:
            fail(f"base: {a['replications']} replications, {a['base_discoveries_per_year']} discoveries a year")

        top = a["options"][0]
        if top["resource"] != "lab.anneal station":
            fail(f"ranked first: {top['resource']} ({top['delta_discoveries_per_year']}), expected lab.anneal station")
        # The run's own report reads the same station off its bottleneck (headline.buy_next).
        run_out = os.path.join(tmp, "run")
        p = subprocess.run([twin, "run", scenario, "--out", run_out, "-q", "-j", "2", "--attribution", "off"],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            fail(f"twin run exited {p.returncode}: {p.stderr}")
        with open(os.path.join(run_out, "report.json")) as f:
            buy = json.load(f)["headline"]["buy_next"]
        if (buy or {}).get("resource") != "lab.anneal" or buy.get("kind") != "station":
            fail(f"report's buy_next: {buy}, expected the anneal station advise ranks first")
        print(f"ok the report's buy_next: {buy['change']}, as advise ranks first")
        if not (top["ci95_low"] > 0 and top["significant"]):
            fail(f"one more anneal station: interval {top['ci95_low']} to {top['ci95_high']}, expected above 0")
        for r in ("lab robots", "lab technicians", "lab.dispense station", "lab.measure station", "cluster nodes",
                  "link ANL-ORNL"):
            o = option(a, r)
            if not o["simulated"]:
                fail(f"{r} was not simulated")
            if o["delta_discoveries_per_year"] >= top["ci95_low"]:
                fail(f"{r} gives {o['delta_discoveries_per_year']}, not below the anneal station's "
                     f"{top['ci95_low']}")
        for r in ("spare.furnace station", "spare robots", "lab spare", "link ORNL-HUB"):
            o = option(a, r)
            if o["simulated"] or o["delta_discoveries_per_year"] != 0 or not o["note"]:
                fail(f"{r}: simulated {o['simulated']}, delta {o['delta_discoveries_per_year']}, note {o['note']}")
        ranks = [o["rank"] for o in a["options"]]
        deltas = [o["delta_discoveries_per_year"] for o in a["options"]]
        if ranks != list(range(1, len(ranks) + 1)) or deltas != sorted(deltas, reverse=True):
            fail(f"options not ranked by delta: {list(zip(ranks, deltas))}")
        if a["simulations"] != 3 * (1 + sum(o["simulated"] for o in a["options"])):
            fail(f"{a['simulations']} simulations for {len(a['options'])} options")

        bad = os.path.join(tmp, "bad")
        p = subprocess.run([os.path.abspath(twin), "advise", scenario, "--out", bad, "--replications", "0"],
                           capture_output=True, text=True)
        if p.returncode == 0 or os.path.exists(bad):
            fail(f"--replications 0: exit {p.returncode}, folder written {os.path.exists(bad)}")

        # Priced: prices change what an option costs, never what it does.
        with open(scenario) as f:
            text = f.read()
        for old, new in (('{"kind": "anneal", "count": 1,', '{"kind": "anneal", "count": 1, "capital_usd": 400000,'),
                         ('"robots": 1, "robot_move_min": {"fixed": 1},',
                          '"robots": 1, "robot_move_min": {"fixed": 1}, "capital_per_robot_usd": 150000, '
                          '"technician_year_usd": 100000,'),
                         ('"nodes": 16, "node_speed_gflops": 20000}',
                          '"nodes": 16, "node_speed_gflops": 20000, "capital_per_node_usd": 30000}')):
            if old not in text:
                fail(f"advise-saturated.json no longer holds {old}")
            text = text.replace(old, new)
        pool = '"../../../scenarios/data/P3HT.csv"'
        if pool not in text:
            fail(f"advise-saturated.json no longer reads {pool}")
        text = text.replace(pool, json.dumps(os.path.abspath(os.path.join(data, json.loads(pool)))))
        priced_path = os.path.join(tmp, "advise-priced.json")
        with open(priced_path, "w") as f:
            f.write(text)
        ap, _ = advise(twin, priced_path, os.path.join(tmp, "priced"), ["-j", "2"])
        costs = {"lab.anneal station": 400000, "lab robots": 150000, "lab technicians": 100000,
                 "cluster nodes": 2 * 30000}
        for o in ap["options"]:
            d = option(a, o["resource"])["delta_discoveries_per_year"]
            if o["delta_discoveries_per_year"] != d:
                fail(f"{o['resource']}: delta {o['delta_discoveries_per_year']} priced, {d} unpriced")
            want = costs.get(o["resource"])
            if want is None:
                if o["per_dollar"] is not None or o["cost_usd"] is not None:
                    fail(f"{o['resource']} has no price but cost_usd {o['cost_usd']}, per_dollar {o['per_dollar']}")
                continue
            if o["cost_usd"] != want:
                fail(f"{o['resource']}: cost_usd {o['cost_usd']}, expected {want}")
            if abs(o["per_dollar"] - d / want) > 1e-5 * max(1e-12, abs(d / want)):
                fail(f"{o['resource']}: per_dollar {o['per_dollar']}, expected {d / want}")
        expect = sorted(costs, key=lambda r: -option(ap, r)["per_dollar"])
        if ap["by_per_dollar"] != expect:
            fail(f"by_per_dollar {ap['by_per_dollar']}, expected {expect}")
        if a["by_per_dollar"]:
            fail(f"by_per_dollar {a['by_per_dollar']} without prices")

        mpirun = shutil.which("mpirun")
        if mpirun:
            launcher = [mpirun, "--oversubscribe", "--bind-to", "none"]
            if os.geteuid() == 0:
                launcher.append("--allow-run-as-root")
            _, raw3 = advise(twin, scenario, os.path.join(tmp, "mpi"), ["-j", "1"], launcher + ["-n", "3"])
            if raw3 != raw1:
                fail("advice.json differs between 3 MPI ranks and one process")
        else:
            print("note: no mpirun, the MPI comparison is skipped")
    print("ok")


if __name__ == "__main__":
    main()
