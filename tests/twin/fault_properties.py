#!/usr/bin/env python3
"""Fault properties over random small scenarios, run by CTest.

  fault_properties.py TWIN COUNT SEED

Draws COUNT small scenarios from SEED: 1-3 sites joined by links, 1-2 HPC
systems, 1-2 robotic labs of 1-3 station kinds, 1-3 campaigns on analytic
kernels; outage windows on sites, links, systems, labs and station kinds,
random lab, link and system failures (mtbf_h), node failures, station
breakdowns, failing steps, facilities coming online late or retiring, both
on_outage rules, campaigns with one facility or a preference list. Each runs
with 1 and with 2 workers, with every output, and must show:

- the same report.json bytes with 1 and 2 workers;
- every output file whole (JSON parses, CSV rows complete, HTML closed);
- conservation that holds and agrees with the items counted in the CSVs:
  samples.csv and jobs.csv list each sample and job once, and their states
  count what report.json's conservation says was created, finished, failed
  and still in flight, per mode (samples and campaign jobs are counted in the
  twin where they are, the CSV rows are written from the items themselves);
- no sample or job lost: each listed item ended (or is in flight at the
  horizon), none twice.
"""
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile

# A job's last state in jobs.csv and the conservation term it counts in; every other state
# (walltime, node_failure, outage, skipped) is a failure.
JOB_END = {"done": "finished", "running": "in_flight", "queued": "in_flight", "discarded": "discarded"}
SAMPLE_END = {"measured": "finished", "failed": "failed", "in_flight": "in_flight", "discarded": "discarded"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def windows(rng, horizon, p=0.5, most=2):
    """Up to MOST outage windows in order, without overlaps, or none."""
    if rng.random() > p:
        return []
    out, t = [], rng.uniform(0, horizon / 2)
    for _ in range(rng.randint(1, most)):
        if t >= horizon - 0.2:
            break
        length = rng.choice([0.1, 0.5, 1, 3])
        out.append({"from_day": round(t, 3), "to_day": round(t + length, 3), "reason": "drawn"})
        t += length + rng.uniform(0.5, horizon / 3)
    return out


def scenario(rng, k):
    horizon = rng.choice([4, 6, 9])
    n_sites = rng.randint(1, 3)
    sites = [{"name": f"S{i}", "utc_offset_h": rng.choice([-8, -6, -5, 0])} for i in range(n_sites)]
    for s in sites:
        o = windows(rng, horizon, 0.15, 1)
        if o:
            s["outages"] = o
    links = []
    for i in range(1, n_sites):
        link = {"from": f"S{rng.randint(0, i - 1)}", "to": f"S{i}", "bandwidth_gbps": rng.choice([1, 10, 100]),
                "latency_ms": rng.choice([1, 9, 30])}
        o = windows(rng, horizon, 0.3)
        if o:
            link["outages"] = o
        elif rng.random() < 0.3:
            link["mtbf_h"], link["repair_h"] = rng.choice([24, 72]), rng.choice([1, 6])
        links.append(link)
    hpc = []
    for i in range(rng.randint(1, 2)):
        h = {"name": f"H{i}", "site": f"S{rng.randrange(n_sites)}", "nodes": rng.choice([2, 8, 32]),
             "node_speed_gflops": rng.choice([2000, 20000])}
        o = windows(rng, horizon, 0.3)
        if o:
            h["outages"] = o
        elif rng.random() < 0.2:
            h["mtbf_h"], h["repair_h"] = rng.choice([24, 96]), rng.choice([1, 8])
        if rng.random() < 0.4:
            h["node_mtbf_h"], h["node_repair_h"] = rng.choice([50, 500]), rng.choice([1, 4])
        if i > 0 and rng.random() < 0.5:
            h["online_from_day"] = round(rng.uniform(0, horizon / 2), 2)
        hpc.append(h)
    labs = []
    for i in range(rng.randint(1, 2)):
        stations = []
        for j in range(rng.randint(1, 3)):
            st = {"kind": f"k{j}", "count": rng.randint(1, 3), "slots": rng.choice([1, 2, 4]),
                  "duration_min": rng.choice([{"fixed": 20}, {"lognormal": {"median": 60, "sigma": 0.3}},
                                              {"exponential": {"mean": 30}}]),
                  "success_probability": rng.choice([1, 0.95, 0.7])}
            if rng.random() < 0.3:
                st["mtbf_h"], st["repair_h"] = rng.choice([12, 48]), rng.choice([0.5, 2])
            o = windows(rng, horizon, 0.2, 1)
            if o:
                st["outages"] = o
            stations.append(st)
        lab = {"name": f"L{i}", "site": f"S{rng.randrange(n_sites)}", "stations": stations,
               "robots": rng.randint(0, 2), "technicians": rng.randint(1, 3),
               "staffed": rng.choice(["24/7", {"weekdays": "mon-fri", "hours": "08:00-17:00"}]),
               "handoff_min": rng.choice([0, 10]), "on_outage": rng.choice(["hold", "fail"]),
               "max_retries": rng.randint(0, 2)}
        o = windows(rng, horizon, 0.4)
        if o:
            lab["outages"] = o
        elif rng.random() < 0.3:
            lab["mtbf_h"], lab["repair_h"] = rng.choice([24, 96]), rng.choice([2, 12])
        if i > 0 and rng.random() < 0.3:
            lab["offline_from_day"] = round(rng.uniform(1, horizon), 2)
        labs.append(lab)
    campaigns = []
    for i in range(rng.randint(1, 3)):
        # Targets near each surface's minimum (Branin 0.398, Michalewicz -1.801).
        kernel, target = rng.choice([({"branin": {}}, {"value_at_most": rng.choice([0.45, 0.6])}),
                                     ({"michalewicz": {}}, {"value_at_most": rng.choice([-1.7, -1.5])})])
        hs = [h["name"] for h in hpc]
        ls = [l["name"] for l in labs]
        rng.shuffle(hs)
        rng.shuffle(ls)
        c = {"name": f"C{i}", "kernel": kernel, "target": target,
             "on_discovery": rng.choice(["next_problem", "continue"]),
             "hpc": hs if len(hs) > 1 and rng.random() < 0.5 else hs[0],
             "lab": ls if len(ls) > 1 and rng.random() < 0.5 else ls[0],
             "agent": {"closed_loop": {"policy": "random", "batch": rng.randint(1, 4), "screen": rng.choice([0, 8])},
                       "baseline": {"policy": "random", "batch": rng.randint(2, 8), "screen": rng.choice([0, 8]),
                                    "cadence_days": rng.choice([1, 3])}}}
        if rng.random() < 0.3:
            c["start_day"] = round(rng.uniform(0, horizon / 2), 2)
        campaigns.append(c)
    return {"schema_version": 1, "name": f"fault-{k}", "seed": rng.randint(0, 10 ** 6), "horizon_days": horizon,
            "replications": rng.randint(1, 2), "sites": sites, "network": {"links": links}, "hpc": hpc,
            "labs": labs, "campaigns": campaigns}


def rows(path):
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        fail(f"{path} does not end with a newline")
    table = list(csv.reader(io.StringIO(data.decode())))
    if not table:
        fail(f"{path} has no header")
    for i, r in enumerate(table):
        if len(r) != len(table[0]):
            fail(f"{path}: row {i} has {len(r)} fields, the header {len(table[0])}")
    return [dict(zip(table[0], r)) for r in table[1:]]


def check(twin, doc, tmp, k):
    path = os.path.join(tmp, f"fault-{k}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    reports = []
    for jobs in (1, 2):
        out = os.path.join(tmp, f"out-{k}-{jobs}")
        p = subprocess.run([os.path.abspath(twin), "run", path, "--out", out, "--outputs", "json,html,csv",
                            "-j", str(jobs), "--quiet", "--attribution", "off"],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            fail(f"scenario {k} (-j {jobs}) exited {p.returncode}: {p.stderr[-2000:]}\n{json.dumps(doc)}")
        with open(os.path.join(out, "report.json"), "rb") as f:
            reports.append(f.read())
        with open(os.path.join(out, "report.html"), "rb") as f:
            if not f.read().rstrip().endswith(b"</html>"):
                fail(f"scenario {k}: report.html is not whole")
    if reports[0] != reports[1]:
        fail(f"scenario {k}: report.json differs between 1 and 2 workers\n{json.dumps(doc)}")
    report = json.loads(reports[0])
    out = os.path.join(tmp, f"out-{k}-2")
    samples = rows(os.path.join(out, "samples.csv"))
    jobs = rows(os.path.join(out, "jobs.csv"))
    cons = report["conservation"]
    for kind in ("jobs", "samples", "transfers"):
        if not cons[kind]["balanced"]:
            fail(f"scenario {k}: {kind} do not balance: {cons[kind]}\n{json.dumps(doc)}")
    counted = {"samples": 0, "jobs": 0}
    for mode, by in cons["by_mode"].items():
        # Samples: each listed once, its state one of the conservation's terms.
        mine = [r for r in samples if r["mode"] == mode]
        ids = [(r["replication"], r["lab"], r["id"]) for r in mine]
        if len(ids) != len(set(ids)):
            fail(f"scenario {k} {mode}: a sample listed twice")
        states = {}
        for r in mine:
            term = SAMPLE_END.get(r["state"])
            if term is None:
                fail(f"scenario {k} {mode}: sample state {r['state']!r}")
            states[term] = states.get(term, 0) + 1
        s = by["samples"]
        if len(mine) != s["created"]:
            fail(f"scenario {k} {mode}: samples.csv lists {len(mine)} samples, conservation created {s['created']}")
        for term in ("finished", "failed", "in_flight", "discarded"):
            if states.get(term, 0) != s[term]:
                fail(f"scenario {k} {mode}: samples.csv has {states.get(term, 0)} {term}, conservation {s[term]}")
        counted["samples"] += len(mine)
        # Campaign jobs: each listed once; every job that ended has its end after its submission.
        mj = [r for r in jobs if r["mode"] == mode]
        jids = [(r["replication"], r["system"], r["id"]) for r in mj]
        if len(jids) != len(set(jids)):
            fail(f"scenario {k} {mode}: a job listed twice")
        jstates = {}
        for r in mj:
            if r["state"] == "done" and float(r["end_s"]) < float(r["submit_s"]):
                fail(f"scenario {k} {mode}: job {r['id']} ends before it is submitted")
            term = JOB_END.get(r["state"], "failed")
            jstates[term] = jstates.get(term, 0) + 1
        j = by["jobs"]
        # A job killed by a node failure or an outage and put back in the queue is a row of its own (the
        # attempt) beside the job's later rows; the HPC results count those requeues.
        reps = report["scenario"]["replications"]
        requeued = round(sum(h["modes"][mode]["campaign_jobs_requeued"] for h in report["resources"]["hpc"]) * reps)
        if jstates.get("failed", 0) < requeued:
            fail(f"scenario {k} {mode}: {requeued} requeued jobs, only {jstates.get('failed', 0)} killed rows")
        jstates["failed"] = jstates.get("failed", 0) - requeued
        if len(mj) - requeued != j["created"]:
            fail(f"scenario {k} {mode}: jobs.csv lists {len(mj)} jobs ({requeued} of them requeued attempts), "
                 f"conservation created {j['created']}")
        for term in ("finished", "failed", "in_flight", "discarded"):
            if jstates.get(term, 0) != j[term]:
                fail(f"scenario {k} {mode}: jobs.csv has {jstates.get(term, 0)} {term}, conservation {j[term]}\n"
                     f"{json.dumps(doc)}")
        counted["jobs"] += len(mj)
    return counted


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    twin, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    total = {"samples": 0, "jobs": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(count):
            doc = scenario(rng, k)
            if os.environ.get("FAULT_KEEP"):
                with open(f"{os.environ['FAULT_KEEP']}/fault-{k}.json", "w") as f:
                    json.dump(doc, f, indent=1)
            got = check(twin, doc, tmp, k)
            for key in total:
                total[key] += got[key]
    print(f"ok: {count} random scenarios (seed {seed}): the same bytes with 1 and 2 workers, outputs whole, "
          f"conservation counted: {total['samples']} samples and {total['jobs']} campaign jobs listed")


main()
