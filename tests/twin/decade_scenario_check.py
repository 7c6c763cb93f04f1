#!/usr/bin/env python3
"""scenarios/genesis-decade.json: it validates, and a 60-day cut of it (one
replication) runs: both modes, every campaign that starts in the cut has
done work, years.csv adds up to campaigns.csv, and the report's assumptions
state each campaign's adoption day.

usage: decade_scenario_check.py <twin> <scenarios/genesis-decade.json>
"""
import csv
import json
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    twin, path = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    p = subprocess.run([twin, "validate", path], capture_output=True, text=True, timeout=300)
    if p.returncode != 0 or "valid" not in p.stdout:
        fail(f"twin validate {path}: exit {p.returncode}: {p.stdout} {p.stderr}")
    print("ok " + p.stdout.strip())
    text = "\n".join(l for l in open(path).read().split("\n") if not l.lstrip().startswith("//"))
    s = json.loads(text)
    if s["horizon_days"] < 3650 or s["start_date"][:4] != "2026":
        fail("the decade scenario does not span 2026-2035")
    s["horizon_days"] = 60
    s["replications"] = 1
    s["name"] = "genesis-decade-60d"
    # The cut's pool paths, relative to the shipped file, made absolute.
    for c in s["campaigns"]:
        k = c["kernel"]
        if "pool" in k:
            pools = k["pool"] if isinstance(k["pool"], list) else [k["pool"]]
            k["pool"] = [os.path.join(os.path.dirname(path), p) for p in pools]
    with tempfile.TemporaryDirectory() as out:
        cut = os.path.join(out, "genesis-decade-60d.json")
        with open(cut, "w") as f:
            json.dump(s, f)
        p = subprocess.run([twin, "run", cut, "--out", os.path.join(out, "run"), "-j", "2", "-q", "--attribution", "off",
                            "--outputs", "json,csv"], capture_output=True, text=True, timeout=1200)
        if p.returncode != 0:
            fail(f"twin run (60 days): exit {p.returncode}: {p.stderr}")
        r = json.load(open(os.path.join(out, "run", "report.json")))
        camps = list(csv.DictReader(open(os.path.join(out, "run", "campaigns.csv"))))
        years = list(csv.DictReader(open(os.path.join(out, "run", "years.csv"))))
    starting = {c["name"] for c in s["campaigns"] if c.get("start_day", 0) < 60}
    for row in camps:
        if row["campaign"] in starting and int(row["cycles"]) == 0:
            fail(f"campaign {row['campaign']} ({row['mode']}) did no cycle in 60 days")
    modes = {row["mode"] for row in camps}
    if modes != {"closed_loop", "baseline"}:
        fail(f"modes run: {modes}")
    for mode in modes:
        a = sum(int(x["discoveries"]) for x in camps if x["mode"] == mode)
        b = sum(int(x["discoveries"]) for x in years if x["mode"] == mode)
        if a != b:
            fail(f"{mode}: campaigns.csv {a} discoveries, years.csv {b}")
    what = {a["what"]: a["value"] for a in r["assumptions"]}
    for c in s["campaigns"]:
        if c.get("closed_loop_from_day", 0) > 0 and f"campaign {c['name']}, adoption" not in what:
            fail(f"the report's assumptions do not state campaign {c['name']}'s adoption")
    print(f"ok 60-day cut: {len(camps)} campaign rows, the assumptions state every campaign's adoption")


if __name__ == "__main__":
    main()
