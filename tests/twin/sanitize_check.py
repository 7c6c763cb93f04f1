#!/usr/bin/env python3
"""Whole-program runs of `twin` for a sanitizer build (the asan preset's tests,
label "sanitize"): every path a user takes, not only the unit tests, runs under
AddressSanitizer and UndefinedBehaviorSanitizer. A sanitizer report aborts the
process (-fno-sanitize-recover), so a clean run is exit 0 and no report on
stderr; each check also asserts what the command wrote.

  sanitize_check.py run TWIN SCENARIO DAYS  the scenario on a DAYS-day horizon, 2 replications,
                                            every output (json, html, csv, trace)
  sanitize_check.py replay TWIN TRACE POLICY [OPTION...]  twin replay of a trace (options passed on)
  sanitize_check.py sweep TWIN SCENARIO     a 2-variant sweep over SCENARIO on a 2-day horizon, then --resume
  sanitize_check.py compare TWIN A B        twin compare A B --html --json
"""
import json
import os
import re
import subprocess
import sys
import tempfile

REPORTS = ("AddressSanitizer", "runtime error:", "LeakSanitizer", "UndefinedBehaviorSanitizer")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(twin, args, cwd=None):
    p = subprocess.run([os.path.abspath(twin)] + args, cwd=cwd, capture_output=True, text=True, timeout=1500)
    for r in REPORTS:
        if r in p.stderr or r in p.stdout:
            fail(f"twin {' '.join(args)}: sanitizer report\n{p.stderr[-4000:]}")
    if p.returncode != 0:
        fail(f"twin {' '.join(args)} exited {p.returncode}\n{p.stderr[-4000:]}")
    return p


def strip_comments(text):
    """The scenario's JSON without // and /* */ comments (nlohmann accepts them, Python's json does not)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            m = re.compile(r'"(?:[^"\\]|\\.)*"').match(text, i)
            out.append(m.group(0))
            i = m.end()
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def short_scenario(scenario, days, folder):
    """SCENARIO with a DAYS-day horizon and 2 replications, written into FOLDER
    beside a link to its data folder, so its relative paths still resolve."""
    with open(scenario) as f:
        doc = json.loads(strip_comments(f.read()))
    doc["horizon_days"] = days
    doc["replications"] = 2
    data = os.path.join(os.path.dirname(os.path.abspath(scenario)), "data")
    if os.path.isdir(data):
        os.symlink(data, os.path.join(folder, "data"))
    path = os.path.join(folder, os.path.basename(scenario))
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path, doc


def check_run(twin, scenario, days):
    with tempfile.TemporaryDirectory() as tmp:
        path, doc = short_scenario(scenario, int(days), tmp)
        out = os.path.join(tmp, "out")
        run(twin, ["run", path, "--out", out, "--outputs", "json,html,csv,trace", "-j", "2", "--quiet"])
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
        if report["scenario"]["horizon_days"] != int(days):
            fail(f"report horizon {report['scenario']['horizon_days']}, expected {days}")
        names = sorted(c["name"] for c in report["campaigns"])
        if names != sorted(c["name"] for c in doc["campaigns"]):
            fail(f"report campaigns {names}")
        for f in ["report.html", "trace.json", "experiments.csv", "jobs.csv", "samples.csv", "campaigns.csv",
                  "utilisation.csv"]:
            if not os.path.getsize(os.path.join(out, f)):
                fail(f"{f} is empty")
        with open(os.path.join(out, "trace.json")) as f:
            json.load(f)
        print(f"ok run {os.path.basename(scenario)} ({days} days): {len(names)} campaigns")


def check_replay(twin, trace, policy, *options):
    with tempfile.TemporaryDirectory() as out:
        run(twin, ["replay", trace, "--policy", policy, "--out", out] + list(options))
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(out, "jobs.csv")) as f:
            rows = len(f.read().splitlines()) - 1
        if rows < 1:
            fail("jobs.csv has no job")
        print(f"ok replay {os.path.basename(trace)} {policy}: {rows} jobs; summary keys {len(summary)}")


def check_sweep(twin, scenario):
    with tempfile.TemporaryDirectory() as tmp:
        sweep = {"sweep_version": 1, "name": "sanitize", "base": os.path.abspath(scenario),
                 "set": {"/horizon_days": 2, "/replications": 1}, "replications": 1,
                 "parameters": [{"name": "seed", "pointer": "/seed", "values": [1, 2]}],
                 "outputs": [{"name": "cl", "pointer": "/campaigns/0/modes/closed_loop/experiments"}]}
        path = os.path.join(tmp, "sweep.json")
        with open(path, "w") as f:
            json.dump(sweep, f)
        out = os.path.join(tmp, "out")
        run(twin, ["sweep", path, "--out", out, "-j", "2", "--quiet"])
        with open(os.path.join(out, "runs.csv")) as f:
            runs = len(f.read().splitlines()) - 1
        if runs != 2:
            fail(f"runs.csv has {runs} runs, expected 2 (2 variants x 1 replication)")
        run(twin, ["sweep", path, "--out", out, "--resume", "--quiet"])
        print(f"ok sweep: {runs} runs, resumed")


def check_compare(twin, a, b):
    with tempfile.TemporaryDirectory() as tmp:
        html, js = os.path.join(tmp, "c.html"), os.path.join(tmp, "c.json")
        p = run(twin, ["compare", a, b, "--html", html, "--json", js, "--all"])
        with open(js) as f:
            cmp = json.load(f)
        if not cmp["headline"] or not p.stdout:
            fail("compare wrote no headline")
        print(f"ok compare: {len(cmp['headline'])} headline rows")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    what, twin, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    {"run": check_run, "replay": check_replay, "sweep": check_sweep, "compare": check_compare}[what](twin, *args)


main()
