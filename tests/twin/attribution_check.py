#!/usr/bin/env python3
"""The attribution of the multiplier, through `twin run --attribution`.

  attribution-same-agent.json    both modes use the same agent: the ladder's
                                 first step (AI choice) adds x1 exactly and
                                 runs no mode of its own; the factors multiply
                                 to the multiplier; Shapley values sum to
                                 ln(multiplier) and give the agent nothing;
                                 the Shapley report is byte-identical with 1
                                 and 2 worker processes
  attribution-cadence-only.json  the modes differ only in the decision
                                 cadence: the whole multiplier lands on
                                 continuous decisions, every other step x1

Also: the terminal, report.html and `twin compare` show the ladder and the
definition of a discovery; --attribution off leaves every other part of
report.json unchanged.

usage: attribution_check.py <twin> <tests/twin/data>
"""
import json
import math
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(twin, args):
    p = subprocess.run([os.path.abspath(twin)] + args, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        fail(f"twin {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


def report(twin, scenario, out, method, jobs=2):
    stdout = run(twin, ["run", scenario, "--out", out, "-j", str(jobs), "--attribution", method])
    with open(os.path.join(out, "report.json"), "rb") as f:
        raw = f.read()
    return json.loads(raw), raw, stdout


def close(a, b, rel=2e-5):
    return abs(a - b) <= rel * max(abs(a), abs(b))


def step(r, name):
    for s in r["attribution"]["steps"]:
        if s["name"] == name:
            return s
    fail(f"no attribution step '{name}' in {[s['name'] for s in r['attribution']['steps']]}")


def check_ladder_multiplies(r, label):
    m = r["headline"]["multiplier"]["value"]
    prod = 1.0
    for s in r["attribution"]["steps"]:
        if s["factor"] is None:
            fail(f"{label}: step {s['name']} has no factor")
        prod *= s["factor"]
    if not close(prod, m):
        fail(f"{label}: the ladder's factors multiply to {prod}, the multiplier is {m}")
    if not close(r["attribution"]["product"], m):
        fail(f"{label}: attribution.product {r['attribution']['product']} != multiplier {m}")
    names = [s["name"] for s in r["attribution"]["steps"]]
    if names != ["AI choice", "continuous decisions", "automated hand-offs", "labs 24/7"]:
        fail(f"{label}: ladder steps {names}")
    if r["attribution"]["steps"][-1]["mode"] != "closed_loop":
        fail(f"{label}: the ladder does not end at closed_loop")
    last = r["attribution"]["steps"][-1]["discoveries_per_year"]
    if not close(last, r["headline"]["discoveries_per_year"]["closed_loop"]["mean"]):
        fail(f"{label}: the last step's discoveries per year {last} are not the closed loop's")
    print(f"ok {label}: factors multiply to the multiplier x{m}")


def main():
    twin, data = sys.argv[1], sys.argv[2]
    same = os.path.join(data, "attribution-same-agent.json")
    cadence = os.path.join(data, "attribution-cadence-only.json")
    with tempfile.TemporaryDirectory() as tmp:
        # 1. The same agent in both modes: AI choice x1 exactly, and no mode run for it.
        r, _, stdout = report(twin, same, os.path.join(tmp, "same"), "ladder")
        check_ladder_multiplies(r, "same agent")
        ai = step(r, "AI choice")
        if ai["factor"] != 1 or ai["mode"] != "baseline" or ai["log_factor"] is not None and ai["log_factor"] != 0:
            fail(f"same agent: AI choice is {ai}, expected x1 exactly at the baseline")
        if "agent" not in r["attribution"]["same_in_both_modes"]:
            fail("same agent: 'agent' not listed as the same in both modes")
        reps = r["scenario"]["replications"]
        if r["attribution"]["simulations"] != 2 * reps:
            fail(f"same agent: {r['attribution']['simulations']} intermediate simulations, expected {2 * reps} "
                 "(two modes in between, none for the agent)")
        with open(os.path.join(tmp, "same", "run-info.json")) as f:
            info = json.load(f)
        if info["attribution_simulations"] != 2 * reps or info["simulations"] != 2 * reps:
            fail(f"same agent: run-info says {info}")
        print("ok same agent: AI choice x1, no mode run for it")

        # The terminal and the page show the ladder and what a discovery is.
        if "Attribution (ladder, paired modes): AI choice x1" not in stdout:
            fail("the terminal summary does not show the ladder:\n" + stdout)
        if "What counts: A discovery is a lab measurement" not in stdout:
            fail("the terminal summary does not say what a discovery is:\n" + stdout)
        with open(os.path.join(tmp, "same", "report.html"), encoding="utf-8") as f:
            html = f.read()
        for want in ["<section id=\"attribution\">", "What each ingredient adds (ladder): AI choice <strong>\u00d71</strong>",
                     "What counts as a discovery: A discovery is a lab measurement"]:
            if want not in html:
                fail("report.html lacks: " + want)
        if not r["headline"]["discovery_definition"].startswith("A discovery is a lab measurement"):
            fail("headline.discovery_definition: " + r["headline"]["discovery_definition"])
        if "a new instance of its table: a random 1909 of the 2121 candidates" not in r["headline"]["discovery_definition"]:
            fail("the definition does not say the campaign moves to a new instance of its table (90 % of 2121): " +
                 r["headline"]["discovery_definition"])
        print("ok the terminal, the page and report.json show the ladder and the definition")

        # --attribution off: every other part of the report is unchanged.
        off, _, _ = report(twin, same, os.path.join(tmp, "off"), "off")
        if off["attribution"]["method"] != "off" or off["attribution"]["steps"]:
            fail(f"--attribution off: {off['attribution']}")
        for key in r:
            if key != "attribution" and r[key] != off[key]:
                fail(f"--attribution off changes report.json's '{key}'")
        cmp = run(twin, ["compare", os.path.join(tmp, "off"), os.path.join(tmp, "same")])
        if "attribution: continuous decisions" not in cmp or "attribution method" not in cmp:
            fail("twin compare does not show the attribution:\n" + cmp)
        print("ok --attribution off changes nothing else; twin compare lists the steps")

        # 2. Shapley: sums to ln(multiplier), nothing to the agent, the same bytes with 1 and 2 workers.
        s1, raw1, _ = report(twin, same, os.path.join(tmp, "sh1"), "shapley", jobs=1)
        s2, raw2, _ = report(twin, same, os.path.join(tmp, "sh2"), "shapley", jobs=2)
        if raw1 != raw2:
            fail("Shapley: report.json differs between -j 1 and -j 2")
        m = s1["headline"]["multiplier"]["value"]
        if m != r["headline"]["multiplier"]["value"]:
            fail("Shapley: the multiplier moved")
        total = sum(x["log_factor"] for x in s1["attribution"]["steps"])
        if not close(total, math.log(m), 1e-4):
            fail(f"Shapley: the values sum to {total}, ln(multiplier) = {math.log(m)}")
        total_f = sum(math.log(x["factor"]) for x in s1["attribution"]["steps"])
        if not close(total_f, math.log(m), 1e-4):
            fail(f"Shapley: ln of the factors sum to {total_f}, ln(multiplier) = {math.log(m)}")
        if step(s1, "AI choice")["factor"] != 1:
            fail(f"Shapley: the agent, the same in both modes, gets {step(s1, 'AI choice')}")
        # Four ingredients in play: 2^4 = 16 modes, 14 of them in between.
        if s1["attribution"]["simulations"] != 14 * reps:
            fail(f"Shapley: {s1['attribution']['simulations']} intermediate simulations, expected {14 * reps}")
        for x in s1["attribution"]["steps"]:
            if x["factor"] != 1 and not (x["ci95_low"] <= x["factor"] <= x["ci95_high"]):
                fail(f"Shapley: {x['name']} x{x['factor']} outside its interval")
        print(f"ok Shapley: ln factors sum to ln(x{m}); -j 1 and -j 2 give the same bytes")

        # 3. Only the cadence differs: everything on continuous decisions.
        c, _, _ = report(twin, cadence, os.path.join(tmp, "cadence"), "ladder")
        check_ladder_multiplies(c, "cadence only")
        m = c["headline"]["multiplier"]["value"]
        if not m > 2:
            fail(f"cadence only: the multiplier is {m}; the scenario should show a cadence effect")
        if step(c, "continuous decisions")["factor"] != m:
            fail(f"cadence only: continuous decisions x{step(c, 'continuous decisions')['factor']}, multiplier x{m}")
        for name in ["AI choice", "automated hand-offs", "labs 24/7"]:
            if step(c, name)["factor"] != 1:
                fail(f"cadence only: {name} x{step(c, name)['factor']}, expected x1")
        print(f"ok cadence only: continuous decisions carries the whole x{m}")


if __name__ == "__main__":
    main()
