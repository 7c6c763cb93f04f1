#!/usr/bin/env python3
"""The outage cases a new user hit, through `twin run --outputs json,csv`.

single-lab with its lab retired on day 10, and with its HPC system retired
on day 5 of 15 (and on day 30 of a year): the campaign must stop, not spin.
Checked from the CSV rows: nothing is submitted to a facility that is down,
no sample is discarded, the simulations stay in proportion to the
measurements (a spinning campaign ran 92,818 simulations for 254), and the
report's sample conservation agrees with the rows of samples.csv.

usage: outage_check.py <twin> <scenarios/single-lab.json>
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

DAY = 86400.0


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def load(path):
    text = open(path).read()
    text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
    return json.loads(text)


def rows(folder, name):
    return list(csv.DictReader(io.StringIO(open(os.path.join(folder, name)).read())))


def run(twin, scenario, folder, tmp, name):
    for c in scenario["campaigns"]:  # the data files stay beside single-lab.json
        c["kernel"]["pool"] = os.path.join(folder, c["kernel"]["pool"])
    path = os.path.join(tmp, name + ".json")
    out = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(scenario, f)
    p = subprocess.run([os.path.abspath(twin), "run", path, "--out", out, "--quiet", "--replications", "1",
                        "--outputs", "json,csv"], capture_output=True, text=True, timeout=1200)
    if p.returncode != 0:
        fail(f"{name}: twin run exited {p.returncode}: {p.stderr}")
    return out


def check_common(name, out):
    report = json.load(open(os.path.join(out, "report.json")))
    samples = rows(out, "samples.csv")
    exp = rows(out, "experiments.csv")
    camps = rows(out, "campaigns.csv")
    if any(s["state"] == "discarded" for s in samples):
        fail(f"{name}: samples were sent into a closed lab")
    for c in camps:
        measured = sum(1 for e in exp if (e["mode"], e["replication"], e["campaign"]) ==
                       (c["mode"], c["replication"], c["campaign"]) and e["ok"] == "1")
        if int(c["simulations"]) > 5 * measured + 100:
            fail(f"{name} {c['mode']}: {c['simulations']} simulations for {measured} measurements: it spins")
    cons = report["conservation"]["samples"]
    by_state = {}
    for s in samples:
        by_state[s["state"]] = by_state.get(s["state"], 0) + 1
    got = {"finished": by_state.get("measured", 0), "failed": by_state.get("failed", 0),
           "discarded": by_state.get("discarded", 0), "in_flight": by_state.get("in_flight", 0)}
    for k, v in got.items():
        if cons[k] != v:
            fail(f"{name}: conservation says {k} {cons[k]}, samples.csv has {v} rows")
    if not cons["balanced"] or cons["created"] != len(samples):
        fail(f"{name}: samples conservation {cons} against {len(samples)} rows")
    return exp


def main():
    twin, base_path = sys.argv[1], sys.argv[2]
    base = load(base_path)
    folder = os.path.dirname(os.path.abspath(base_path))
    with tempfile.TemporaryDirectory() as tmp:
        s = json.loads(json.dumps(base))
        s["labs"][0]["offline_from_day"] = 10
        out = run(twin, s, folder, tmp, "lab10")
        exp = check_common("lab retired on day 10", out)
        if not exp:
            fail("lab retired on day 10: no experiment before day 10")
        late = [e for e in exp if float(e["submit_s"]) >= 10 * DAY]
        if late:
            fail(f"lab retired on day 10: {len(late)} experiments submitted after it")
        print(f"ok lab retired on day 10: {len(exp)} experiments, none after day 10")

        for horizon, day in ((15, 5), (365, 30)):
            s = json.loads(json.dumps(base))
            s["horizon_days"] = horizon
            s["hpc"][0]["offline_from_day"] = day
            name = f"HPC retired on day {day} of {horizon}"
            out = run(twin, s, folder, tmp, f"hpc{day}")
            check_common(name, out)
            jobs = rows(out, "jobs.csv")
            if not jobs:
                fail(f"{name}: no campaign job before the retirement")
            late = [j for j in jobs if float(j["submit_s"]) >= day * DAY]
            if late:
                fail(f"{name}: {len(late)} campaign jobs submitted after it")
            print(f"ok {name}: {len(jobs)} campaign jobs, none after day {day}")


if __name__ == "__main__":
    main()
