#!/usr/bin/env python3
"""Resource limits on input, run by CTest.

  limits_check.py TWIN SCENARIO

SCENARIO (small) with its lab's steps made a few milliseconds long over a
century asks for more work than any machine does: with /limits/max_events
set low the run stops at once, exits non-zero, names the file, the pointer
and the day it reached, and writes no report. With a limit above the work
the same scenario on its own short horizon runs. Out-of-range limits and
horizons are refused before anything runs.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def strip_comments(text):
    return "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))


def run(twin, path, out):
    return subprocess.run([os.path.abspath(twin), "run", path, "--out", out, "--quiet", "-j", "2",
                           "--attribution", "off"], capture_output=True, text=True, timeout=300)


def main():
    twin, scenario = sys.argv[1], sys.argv[2]
    with open(scenario) as f:
        base = json.loads(strip_comments(f.read()))
    # Pool files named relative to the scenario, named absolute so the copies find them.
    here = os.path.dirname(os.path.abspath(scenario))
    for c in base["campaigns"]:
        pool = c.get("kernel", {}).get("pool")
        if isinstance(pool, str):
            c["kernel"]["pool"] = os.path.normpath(os.path.join(here, pool))
        elif isinstance(pool, list):
            c["kernel"]["pool"] = [os.path.normpath(os.path.join(here, p)) for p in pool]
    with tempfile.TemporaryDirectory() as tmp:

        def write(doc, name):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                json.dump(doc, f)
            return path

        # Millisecond steps over a century, a limit of 20,000 instants.
        doc = json.loads(json.dumps(base))
        doc["horizon_days"] = 36500
        for lab in doc["labs"]:
            for st in lab["stations"]:
                st["duration_min"] = {"fixed": 0.0001}
            lab["robot_move_min"] = {"fixed": 0.0001}
        doc["limits"] = {"max_events": 20000}
        path = write(doc, "century.json")
        out = os.path.join(tmp, "century")
        p = run(twin, path, out)
        if p.returncode == 0:
            fail("a century of millisecond steps ran within 20,000 events")
        m = re.search(r"century\.json: /limits/max_events: .*reached 20000 simulated instants on day ([0-9.]+) of 36500",
                      p.stderr)
        if not m:
            fail(f"the error does not name the file, the pointer, the limit and the day: {p.stderr}")
        if float(m.group(1)) >= 36500:
            fail(f"stopped on day {m.group(1)}, not before the horizon")
        if os.path.exists(os.path.join(out, "report.json")):
            fail("a report was written for a run that stopped at its limit")
        # The scenario itself, on its own horizon, is within a limit set just above its work.
        doc = json.loads(json.dumps(base))
        doc["limits"] = {"max_events": 100000000}
        p = run(twin, write(doc, "within.json"), os.path.join(tmp, "within"))
        if p.returncode != 0:
            fail(f"the scenario within its limit exited {p.returncode}: {p.stderr}")
        # Out of range: refused before anything runs, with the pointer.
        for key, value, pointer in (("limits", {"max_events": 0}, "/limits/max_events"),
                                    ("horizon_days", 1000000, "/horizon_days")):
            doc = json.loads(json.dumps(base))
            doc[key] = value
            p = run(twin, write(doc, "bad.json"), os.path.join(tmp, "bad"))
            if p.returncode == 0 or pointer not in p.stderr:
                fail(f"{key}={value}: exit {p.returncode}, {p.stderr}")
    print("ok: the limit stops a century of millisecond steps with a clear error; out-of-range input refused")


main()
