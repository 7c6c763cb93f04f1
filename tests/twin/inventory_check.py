#!/usr/bin/env python3
"""Whole-program check of `twin inventory`.

  inventory_check.py TWIN SCENARIO

  - writes inventory.json and inventory.csv into --out (and nothing else:
    no temporary file left), prints the tables, exits 0;
  - the CSV holds the same items as the JSON, and its per-item figures add up
    to the JSON's totals (nodes, GPUs, stations, robots, link capacity);
  - --day defaults to 90; a negative day is a usage error and writes nothing;
  - a scenario error exits 2 and writes nothing.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

TWIN = os.path.abspath(sys.argv[1])
SCENARIO = os.path.abspath(sys.argv[2])


def run(*args):
    return subprocess.run([TWIN, "inventory"] + list(args), capture_output=True, text=True, timeout=120)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "inv")
    p = run(SCENARIO, "--out", out)
    if p.returncode != 0:
        fail(f"exit {p.returncode}: {p.stderr}")
    if sorted(os.listdir(out)) != ["inventory.csv", "inventory.json"]:
        fail(f"files written: {sorted(os.listdir(out))}")
    j = json.load(open(os.path.join(out, "inventory.json")))
    if j["day"] != 90:
        fail(f"default day {j['day']}, expected 90")
    for needle in ("HPC systems online", "Robotic labs online", "AI-directed readiness", "Network links up",
                   "Campaigns active"):
        if needle not in p.stdout:
            fail(f"terminal output lacks '{needle}':\n{p.stdout}")
    rows = list(csv.DictReader(io.StringIO(open(os.path.join(out, "inventory.csv")).read())))
    by_kind = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r)
    for kind, key in (("hpc", "hpc"), ("store", "stores"), ("link", "links"), ("lab", "labs"),
                      ("campaign", "campaigns")):
        names_csv = [r["name"] for r in by_kind.get(kind, [])]
        names_json = [x["name"] for x in j[key]]
        if names_csv != names_json:
            fail(f"{kind}: CSV {names_csv} against JSON {names_json}")
    t = j["totals"]
    sums = {
        "nodes": sum(int(r["nodes"]) for r in by_kind.get("hpc", [])),
        "gpus": sum(int(r["gpus"]) for r in by_kind.get("hpc", [])),
        "stations": sum(int(r["stations"]) for r in by_kind.get("lab", [])),
        "robots": sum(int(r["robots"]) for r in by_kind.get("lab", [])),
    }
    for k, v in sums.items():
        if t[k] != v:
            fail(f"totals.{k} = {t[k]}, the CSV rows sum to {v}")
    cap = sum(float(r["bandwidth_gbps"]) for r in by_kind.get("link", []))
    if abs(t["link_capacity_gbps"] - cap) > 1e-4 * max(1.0, cap):
        fail(f"totals.link_capacity_gbps = {t['link_capacity_gbps']}, the CSV rows sum to {cap}")
    if t["nodes"] <= 0 or t["labs"] <= 0:
        fail(f"an empty platform on day 90: {t}")

    bad = os.path.join(tmp, "bad")
    p = run(SCENARIO, "--day", "-1", "--out", bad)
    if p.returncode == 0 or os.path.exists(bad):
        fail(f"--day -1: exit {p.returncode}, out exists {os.path.exists(bad)}")
    broken = os.path.join(tmp, "broken.json")
    open(broken, "w").write('{"schema_version": 1, "name": "b"}')
    p = run(broken, "--out", bad)
    if p.returncode != 2 or os.path.exists(bad) or "broken.json" not in p.stderr:
        fail(f"a broken scenario: exit {p.returncode}, stderr {p.stderr!r}")
print("ok")
