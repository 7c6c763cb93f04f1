#!/usr/bin/env python3
"""The run's optional outputs (`--outputs json,html,csv,trace`), checked on a
small scenario:

  outputs_check.py TWIN SCENARIO [DATA_SCENARIO]

- every output file is byte-identical with 1 and 2 worker processes;
- the CSV files have the documented columns, and their rows agree with each
  other and with report.json (experiments per campaign and mode, discoveries);
- trace.json is valid trace-event JSON: one process per traced simulation,
  the expected tracks, slices that nest within each track, a window that
  bounds them;
- `--outputs csv` writes no report.json; a bad --trace-window exits 2 and
  writes nothing;
- on DATA_SCENARIO (datasets and a model): `--outputs json,csv,lineage` the
  same bytes with 1 and 2 workers, one lineage record per experiment, each
  job and sample it names present in jobs.csv and samples.csv.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

COLUMNS = {
    "experiments.csv": "mode,replication,campaign,index,cycle,problem,submit_s,end_s,ok,value,discovery,best_so_far,failure,candidate",
    "jobs.csv": "mode,replication,system,id,owner,nodes,submit_s,start_s,end_s,wait_s,requested_s,state",
    "samples.csv": "mode,replication,lab,id,owner,created_s,end_s,state,steps,retries,queue_s,run_s,move_s,people_s,"
                   "hold_s,failure",
    "campaigns.csv": "mode,replication,campaign,discoveries,experiments,failed_experiments,simulations,"
                     "failed_simulations,problems,cycles,first_discovery_s,node_hours,lab_hours,energy_j,agent_s,"
                     "people_s,hpc_queue_s,hpc_run_s,transfer_s,lab_queue_s,lab_run_s",
    "utilisation.csv": "mode,replication,resource,kind,parent,day,utilisation,queue",
    "years.csv": "mode,replication,year,start_date,days,discoveries,hpc_systems,nodes,gpus,rmax_pflops,labs,stations,"
                 "robots,links,link_capacity_gbps",
}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def twin_run(twin, scenario, out, *extra):
    p = subprocess.run([os.path.abspath(twin), "run", scenario, "--out", out, "--quiet", "--replications", "2"] +
                       list(extra), capture_output=True, text=True, timeout=600)
    return p


def read_all(folder):
    return {f: open(os.path.join(folder, f), "rb").read() for f in sorted(os.listdir(folder)) if f != "run-info.json"}


def rows(text):
    return list(csv.DictReader(io.StringIO(text.decode())))


def check_csv(files, report):
    for name, header in COLUMNS.items():
        if name not in files:
            fail(f"{name} not written")
        first = files[name].decode().split("\n", 1)[0]
        if first != header:
            fail(f"{name}: columns {first!r}, documented {header!r}")
    exp = rows(files["experiments.csv"])
    camps = rows(files["campaigns.csv"])
    if not exp:
        fail("experiments.csv has no rows: the checks below would prove nothing")
    for c in camps:
        mine = [e for e in exp if (e["mode"], e["replication"], e["campaign"]) == (c["mode"], c["replication"], c["campaign"])]
        if len(mine) != int(c["experiments"]):
            fail(f"{c['campaign']} {c['mode']}/{c['replication']}: {len(mine)} experiment rows, campaigns.csv says {c['experiments']}")
        if sum(int(e["discovery"]) for e in mine) != int(c["discoveries"]):
            fail(f"{c['campaign']} {c['mode']}/{c['replication']}: discovery rows disagree with campaigns.csv")
        if [int(e["index"]) for e in mine] != list(range(len(mine))):
            fail(f"{c['campaign']}: experiment indices are not 0..n-1 in order")
        if sum(1 for e in mine if e["ok"] == "0") != int(c["failed_experiments"]):
            fail(f"{c['campaign']}: failed experiment rows disagree with campaigns.csv")
    # campaigns.csv agrees with report.json's mean discoveries per mode.
    for rc in report["campaigns"]:
        for mode, m in rc["modes"].items():
            mine = [int(c["experiments"]) for c in camps if c["campaign"] == rc["name"] and c["mode"] == mode]
            if not mine:
                fail(f"campaigns.csv lacks {rc['name']} {mode}")
    jobs = rows(files["jobs.csv"])
    for j in jobs:
        if j["owner"] == "background":
            fail("jobs.csv lists background jobs without --background-jobs")
        if float(j["start_s"]) >= 0 and float(j["start_s"]) < float(j["submit_s"]):
            fail(f"job {j['system']}/{j['id']} starts before it is submitted")
    sims = {(c["mode"], c["replication"]) for c in camps}
    for m, r in sims:
        n = sum(1 for j in jobs if (j["mode"], j["replication"]) == (m, r))
        want = sum(int(c["simulations"]) for c in camps if (c["mode"], c["replication"]) == (m, r))
        ended = sum(1 for j in jobs if (j["mode"], j["replication"]) == (m, r) and j["state"] in ("done", "walltime"))
        if ended != want or n < want:
            fail(f"{m}/{r}: {ended} ended campaign jobs in jobs.csv, campaigns say {want} simulations")
    years = rows(files["years.csv"])
    for m, r in sims:
        found = sum(int(y["discoveries"]) for y in years if (y["mode"], y["replication"]) == (m, r))
        want = sum(int(c["discoveries"]) for c in camps if (c["mode"], c["replication"]) == (m, r))
        if found != want:
            fail(f"{m}/{r}: years.csv counts {found} discoveries, campaigns.csv {want}")
    util = rows(files["utilisation.csv"])
    if not util or any(not (0 <= float(u["utilisation"]) <= 1.0 + 1e-9) for u in util if u["kind"] != "link"):
        fail("utilisation.csv is empty or holds a utilisation outside [0, 1]")


def check_trace(data, window_days=None):
    t = json.loads(data)
    ev = t["traceEvents"]
    procs = sorted(e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name")
    if procs != ["baseline replication 0", "closed_loop replication 0"]:
        fail(f"traced processes {procs}, expected replication 0 of each mode")
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    kinds = {name.split("/")[0] for name in threads.values()}
    for k in ("agent", "hpc", "link"):
        if k not in kinds:
            fail(f"no '{k}/...' track in trace.json (tracks: {sorted(set(threads.values()))[:10]})")
    slices = [e for e in ev if e["ph"] == "X"]
    if not slices:
        fail("trace.json holds no slice")
    by_track = {}
    for e in slices:
        if (e["pid"], e["tid"]) not in threads:
            fail(f"slice {e['name']} on an unnamed track")
        if e["dur"] < 0:
            fail("negative duration")
        by_track.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["ts"] + e["dur"]))
        if window_days is not None and e["ts"] >= window_days * 86400e6:
            fail(f"slice at {e['ts']} us outside the {window_days}-day window")
    for key, spans in by_track.items():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for a, b in spans:
            while stack and stack[-1] <= a:
                stack.pop()
            if stack and b > stack[-1]:
                fail(f"slices overlap without nesting on track {threads[key]}")
            stack.append(b)
    if not any(e["ph"] == "C" for e in ev):
        fail("no utilisation counter in trace.json")
    return t


def check_lineage(twin, scenario, tmp):
    """With datasets and a model: lineage.jsonl the same with 1 and 2 workers,
    one record per experiment, every id it names present in jobs.csv and
    samples.csv."""
    outs = []
    for jobs in ("1", "2"):
        out = os.path.join(tmp, "lineage-j" + jobs)
        p = twin_run(twin, scenario, out, "-j", jobs, "--outputs", "json,csv,lineage")
        if p.returncode != 0:
            fail(f"twin run --outputs json,csv,lineage -j {jobs} exited {p.returncode}: {p.stderr}")
        outs.append(read_all(out))
    for name in outs[0]:
        if outs[0][name] != outs[1][name]:
            fail(f"{name} differs between -j 1 and -j 2 with datasets and models")
    files = outs[0]
    jobs = {(r["mode"], int(r["replication"]), r["system"], int(r["id"])) for r in rows(files["jobs.csv"])}
    samples = {(r["mode"], int(r["replication"]), r["lab"], int(r["id"])) for r in rows(files["samples.csv"])}
    experiments = {(r["mode"], int(r["replication"]), r["campaign"], int(r["index"])): r["candidate"]
                   for r in rows(files["experiments.csv"])}
    records = [json.loads(line) for line in files["lineage.jsonl"].splitlines()]
    seen = set()
    ranked = 0
    for l in records:
        key = (l["mode"], l["replication"], l["campaign"], l["experiment"])
        if key in seen:
            fail(f"two lineage records for {key}")
        seen.add(key)
        if experiments.get(key) != l["candidate"]:
            fail(f"lineage {key}: candidate {l['candidate']} is not experiments.csv's {experiments.get(key)}")
        if (l["mode"], l["replication"], l["lab"]["name"], l["lab"]["sample"]) not in samples:
            fail(f"lineage {key}: sample {l['lab']['sample']} not in samples.csv")
        for j in l["screening"]["jobs"]:
            if (l["mode"], l["replication"], l["screening"]["system"], j) not in jobs:
                fail(f"lineage {key}: job {j} not in jobs.csv")
        if l["screening"]["inference_job"] is not None:
            ranked += 1
            if (l["mode"], l["replication"], l["screening"]["inference_system"], l["screening"]["inference_job"]) not in jobs:
                fail(f"lineage {key}: inference job not in jobs.csv")
    if seen != set(experiments):
        fail(f"{len(experiments)} experiments, {len(seen)} lineage records")
    if ranked == 0:
        fail("no experiment was ranked by the model")
    print(f"ok lineage: {len(records)} records, {ranked} ranked by a model, every id in jobs.csv and samples.csv")


def main():
    twin, scenario = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        with tempfile.TemporaryDirectory() as tmp:
            check_lineage(twin, sys.argv[3], tmp)
    with tempfile.TemporaryDirectory() as tmp:
        outs = []
        for jobs in ("1", "2"):
            out = os.path.join(tmp, "j" + jobs)
            p = twin_run(twin, scenario, out, "-j", jobs, "--outputs", "json,html,csv,trace")
            if p.returncode != 0:
                fail(f"twin run -j {jobs} exited {p.returncode}: {p.stderr}")
            outs.append(read_all(out))
        if outs[0].keys() != outs[1].keys():
            fail(f"different files with -j 1 and -j 2: {sorted(outs[0])} vs {sorted(outs[1])}")
        for name in outs[0]:
            if outs[0][name] != outs[1][name]:
                fail(f"{name} differs between -j 1 and -j 2")
        files = outs[0]
        check_csv(files, json.loads(files["report.json"]))
        check_trace(files["trace.json"])
        print(f"ok outputs {sorted(files)}; trace.json {len(files['trace.json'])} bytes")

        out = os.path.join(tmp, "csv-only")
        p = twin_run(twin, scenario, out, "--outputs", "csv", "--trace", "--trace-window", "0:10")
        if p.returncode != 0:
            fail(f"twin run --outputs csv exited {p.returncode}: {p.stderr}")
        got = sorted(os.listdir(out))
        if "report.json" in got or "report.html" in got or "trace.json" not in got or "jobs.csv" not in got:
            fail(f"--outputs csv --trace wrote {got}")
        check_trace(open(os.path.join(out, "trace.json"), "rb").read(), window_days=10)
        print("ok --outputs csv --trace --trace-window 0:10")

        # Progress: on request even when stderr is not a terminal; otherwise quiet.
        out = os.path.join(tmp, "progress")
        p = twin_run(twin, scenario, out, "--progress")
        if p.returncode != 0 or "simulated" not in p.stderr or "done in" not in p.stderr:
            fail(f"--progress printed {p.stderr!r}")
        p = subprocess.run([os.path.abspath(twin), "run", scenario, "--out", out, "--replications", "1"],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0 or p.stderr:
            fail(f"without a terminal or --progress, stderr should stay empty: {p.stderr!r}")
        print("ok progress")

        out = os.path.join(tmp, "bad")
        p = twin_run(twin, scenario, out, "--trace-window", "10:5")
        if p.returncode != 2 or "--trace-window" not in p.stderr or os.path.exists(out):
            fail(f"bad --trace-window: exit {p.returncode}, stderr {p.stderr!r}, wrote {os.path.exists(out)}")
        print("ok bad --trace-window")


if __name__ == "__main__":
    main()
