#!/usr/bin/env python3
"""A platform that changes over the years, through `twin run --outputs json,csv`.

  second lab on day 365    a campaign whose lab comes online on day 365 adds
                           its discoveries to year 2 only: year 2's closed-loop
                           rate is above year 1's, and years.csv agrees with
                           the discovery times of campaign 2 (none in year 1)
  adoption on day 180      closed_loop_from_day and autonomous_from_day 180:
                           year 1's multiplier is above 1 and below year 2's
  adoption at the horizon  closed_loop_from_day = autonomous_from_day = the
                           horizon: closed_loop makes exactly the baseline's
                           discoveries, year by year and replication by
                           replication
  goal in year 3           adoption on day 731 (the first day of year 3):
                           goal_year is the third year, years 1 and 2 stay
                           below x2
  end_day                  a campaign ending on day 200 starts no cycle after
                           it: no experiment submitted after its last cycle
                           began on or before day 200
  data growth              100 % a year: transfer bytes of year 2 are about
                           twice year 1's per transfer
  sums                     every run's years.csv discoveries, summed over the
                           years, equal campaigns.csv's discoveries per mode
                           and replication (two different counts); the
                           report's years[] rates, weighted by their days,
                           equal the headline's rate (discovery times against
                           the campaigns' counters)
  capacity online          the second lab (day 365) and a link upgrade on day
                           500 (10 -> 100 Gb/s): years[].capacity_online is
                           the hand-counted mean over each year's days, and
                           years.csv carries the same on each mode's row
  milestones               c1 discovers in closed_loop before day 270, c2
                           starts on day 300: initial operating capability
                           by c1 on the day experiments.csv gives; with c1
                           adopting on day 280 none reaches it by day 270,
                           and c1's earlier closed_loop-mode discoveries
                           (baseline work) do not count

usage: decade_check.py <twin> <source dir>
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

DAY = 86400.0
YEAR = 365.25 * DAY
# Weekly meetings, staffed hours and hand-offs (the defaults), with batches
# large enough for tens of discoveries a year.
HUMAN_PACED = {"policy": "random", "batch": 16, "screen": 32}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def base(src):
    """Two sites, one HPC system, one lab, one campaign; two years."""
    return {
        "schema_version": 1, "name": "decade-test", "horizon_days": 730.5, "replications": 3, "seed": 7,
        "sites": [{"name": "A"}, {"name": "B"}],
        "network": {"links": [{"from": "A", "to": "B", "bandwidth_gbps": 10, "latency_ms": 5}]},
        "hpc": [{"name": "h", "site": "A", "nodes": 8, "node_speed_gflops": 10000}],
        "labs": [{"name": "l1", "site": "B", "robots": 1,
                  "stations": [{"kind": "s", "count": 1, "slots": 2, "duration_min": 120}]}],
        "campaigns": [{"name": "c1", "kernel": {"pool": os.path.join(src, "scenarios/data/Perovskite.csv"),
                                                "goal": "minimize"},
                       "target": {"top_percent": 5}, "on_discovery": "next_problem", "hpc": "h", "lab": "l1",
                       "agent": {"closed_loop": {"policy": "random", "batch": 2, "screen": 4},
                                 "baseline": {"policy": "random", "batch": 2, "screen": 4}}}],
    }


def run(twin, scenario, tmp, name):
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    out = os.path.join(tmp, name)
    p = subprocess.run([twin, "run", path, "--out", out, "-j", "2", "-q", "--attribution", "off",
                        "--outputs", "json,csv"], capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        fail(f"{name}: twin run exited {p.returncode}: {p.stderr}")
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    check_sums(name, out)
    check_year_sums(name, report)
    return report, out


def rows(out, name):
    with open(os.path.join(out, name)) as f:
        return list(csv.DictReader(f))


def check_sums(name, out):
    """years.csv (from discovery times) against campaigns.csv (the campaigns' own counters)."""
    by_years, by_campaigns = {}, {}
    for r in rows(out, "years.csv"):
        k = (r["mode"], r["replication"])
        by_years[k] = by_years.get(k, 0) + int(r["discoveries"])
    for r in rows(out, "campaigns.csv"):
        k = (r["mode"], r["replication"])
        by_campaigns[k] = by_campaigns.get(k, 0) + int(r["discoveries"])
    if not by_campaigns or by_years != by_campaigns:
        fail(f"{name}: years.csv sums {by_years} != campaigns.csv {by_campaigns}")
    if sum(by_campaigns.values()) == 0:
        fail(f"{name}: no discovery at all, the check says nothing")


def check_year_sums(name, report):
    """years[] (from discovery times) weighted by their days against the headline (the campaigns' counters)."""
    horizon = report["scenario"]["horizon_days"]
    for mode, h in report["headline"]["discoveries_per_year"].items():
        total = sum(y["discoveries_per_year"][mode] * y["days"] / 365.25 for y in report["years"])
        whole = h["mean"] * horizon / 365.25
        if abs(total - whole) > 1e-4 * max(1.0, whole):
            fail(f"{name}: years[] add up to {total} discoveries in {mode}, the headline says {whole}")


def first_closed_loop_days(out, campaign, from_day):
    """Per replication, the day of the campaign's first closed_loop discovery on or after from_day (None: none)."""
    first = {}
    for e in rows(out, "experiments.csv"):
        if e["mode"] != "closed_loop" or e["campaign"] != campaign:
            continue
        first.setdefault(e["replication"], None)
        if e["discovery"] == "1" and float(e["end_s"]) >= from_day * DAY:
            t = float(e["end_s"])
            if first[e["replication"]] is None or t < first[e["replication"]]:
                first[e["replication"]] = t
    return first


def year_rate(report, i, mode):
    return report["years"][i]["discoveries_per_year"][mode]


def main():
    twin, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        # A second campaign on a second lab that comes online on day 365.
        s = base(src)
        l2 = json.loads(json.dumps(s["labs"][0]))
        l2["name"] = "l2"
        l2["online_from_day"] = 365
        s["labs"].append(l2)
        c2 = json.loads(json.dumps(s["campaigns"][0]))
        c2["name"] = "c2"
        c2["lab"] = "l2"
        s["campaigns"].append(c2)
        r, out = run(twin, s, tmp, "second-lab")
        if len(r["years"]) != 2:
            fail(f"second lab: {len(r['years'])} years, expected 2")
        y1, y2 = year_rate(r, 0, "closed_loop"), year_rate(r, 1, "closed_loop")
        if not y2 > 1.5 * y1:
            fail(f"second lab: year 2's closed-loop rate {y2} is not well above year 1's {y1}")
        early = [e for e in rows(out, "experiments.csv") if e["campaign"] == "c2" and float(e["submit_s"]) < 365 * DAY]
        if early:
            fail(f"second lab: {len(early)} experiments of c2 before its lab came online")
        print(f"ok second lab on day 365: closed_loop {y1:.1f} -> {y2:.1f} discoveries/year")

        # Capacity online: the same platform with a link upgrade on day 500 (10 -> 100 Gb/s).
        s["network"]["links"][0]["upgrades"] = [{"from_day": 500, "bandwidth_gbps": 100}]
        s["replications"] = 1
        r, out = run(twin, s, tmp, "capacity")
        # Year 1: days 0-365 (366 day starts before 365.25 days), l2 from day 365: 1 + 1/366 labs.
        # Year 2: days 366-730 (365), the link at 10 Gb/s on days 366-499 (134) and 100 on 500-730 (231).
        want = [{"hpc_systems": 1, "nodes": 8, "labs": 1 + 1 / 366, "stations": 1 + 1 / 366, "links": 1,
                 "link_capacity_gbps": 10, "rmax_pflops": 8 * 10000 / 1e6},
                {"hpc_systems": 1, "nodes": 8, "labs": 2, "stations": 2, "links": 1,
                 "link_capacity_gbps": (134 * 10 + 231 * 100) / 365, "rmax_pflops": 0.08}]
        for i, w in enumerate(want):
            got = r["years"][i]["capacity_online"]
            for k, v in w.items():
                if abs(got[k] - v) > 1e-5 * max(1, v):
                    fail(f"capacity online, year {i + 1}: {k} = {got[k]}, hand-counted {v}")
            # years.csv carries the same capacity on every mode's and replication's row of the year.
            csv_rows = [y for y in rows(out, "years.csv") if int(y["year"]) == r["years"][i]["year"]]
            if len(csv_rows) != 2:
                fail(f"capacity online, year {i + 1}: {len(csv_rows)} years.csv rows, expected 2 (one per mode)")
            for y in csv_rows:
                for k, v in w.items():
                    if abs(float(y[k]) - v) > 1e-5 * max(1, v):
                        fail(f"years.csv, year {i + 1}, {y['mode']}: {k} = {y[k]}, hand-counted {v}")
        print(f"ok capacity online: labs {r['years'][0]['capacity_online']['labs']} -> 2, link "
              f"{r['years'][1]['capacity_online']['link_capacity_gbps']} Gb/s in year 2")

        # Milestones: c1 from day 0, c2 (same lab) from day 300.
        s = base(src)
        s["horizon_days"] = 365
        c2 = json.loads(json.dumps(s["campaigns"][0]))
        c2["name"] = "c2"
        c2["start_day"] = 300
        s["campaigns"].append(c2)
        r, out = run(twin, s, tmp, "milestones")
        ms = r["milestones"]
        days = sorted(t for t in first_closed_loop_days(out, "c1", 0).values() if t is not None)
        if len(days) != 3:
            fail(f"milestones: c1 has closed-loop discoveries in {len(days)} replications of 3, the check needs 3")
        want = int(days[1] // DAY)  # the median of three
        m1, m2 = ms["campaigns"][0], ms["campaigns"][1]
        ioc = ms["initial_operating_capability"]
        if m1["campaign"] != "c1" or m1["first_closed_loop_discovery_day"] != want or m1["replications_reached"] != 3:
            fail(f"milestones: c1 {m1}, expected day {want} (experiments.csv) in 3 replications")
        d2 = m2["first_closed_loop_discovery_day"]
        if d2 is not None and d2 < 300:
            fail(f"milestones: c2 starts on day 300 but its first discovery is on day {d2}")
        if want >= 270 or ioc != {**ioc, "day_limit": 270, "reached": True, "by": "c1", "day": want}:
            fail(f"milestones: initial operating capability {ioc}, expected by c1 on day {want}")
        print(f"ok milestones: c1 first closed-loop discovery on day {want} ({m1['date']}), c2 {d2}; IOC by c1")

        # c1 adopts the closed loop on day 280: no campaign can reach it by day 270.
        s["campaigns"][0]["closed_loop_from_day"] = 280
        r, out = run(twin, s, tmp, "milestones-late")
        ioc = r["milestones"]["initial_operating_capability"]
        m1 = r["milestones"]["campaigns"][0]
        early = [t for t in first_closed_loop_days(out, "c1", 0).values() if t is not None and t < 280 * DAY]
        if not early:
            fail("milestones, adoption on day 280: no closed_loop-mode discovery before day 280, the check says nothing")
        if ioc["reached"] or ioc["by"] is not None or ioc["day"] is not None:
            fail(f"milestones, adoption on day 280: initial operating capability {ioc}, expected not reached")
        if m1["first_closed_loop_discovery_day"] is not None and m1["first_closed_loop_discovery_day"] < 280:
            fail(f"milestones, adoption on day 280: c1's first closed-loop discovery on day {m1}")
        print(f"ok milestones, adoption on day 280: not reached by day 270 (c1 {m1['first_closed_loop_discovery_day']})")

        # Adoption on day 180.
        s = base(src)
        s["campaigns"][0]["closed_loop_from_day"] = 180
        s["labs"][0]["autonomous_from_day"] = 180
        s["campaigns"][0]["agent"]["baseline"] = HUMAN_PACED
        r, _ = run(twin, s, tmp, "adoption-180")
        m1, m2 = (r["years"][i]["multiplier"]["value"] for i in (0, 1))
        if not (m1 is not None and m2 is not None and 1.0 < m1 < m2):
            fail(f"adoption on day 180: year multipliers {m1}, {m2}; expected 1 < year 1 < year 2")
        assumptions = json.dumps(r.get("assumptions", r))
        if "closed_loop_from_day" not in assumptions or "autonomous_from_day" not in assumptions:
            fail("adoption on day 180: the report's assumptions do not state the adoption days")
        print(f"ok adoption on day 180: year 1 x{m1:.3g}, year 2 x{m2:.3g}")

        # Adoption at the horizon: closed_loop is the baseline, exactly.
        s["campaigns"][0]["closed_loop_from_day"] = 730.5
        s["labs"][0]["autonomous_from_day"] = 730.5
        _, out = run(twin, s, tmp, "adoption-never")
        per = {}
        for row in rows(out, "years.csv"):
            per.setdefault(row["mode"], []).append((row["replication"], row["year"], row["discoveries"]))
        if per.get("closed_loop") != per.get("baseline") or not per.get("baseline"):
            fail(f"adoption at the horizon: closed_loop {per.get('closed_loop')} != baseline {per.get('baseline')}")
        print("ok adoption at the horizon: closed_loop makes the baseline's discoveries exactly")

        # x2 reached in year 3: adoption on the first day of year 3.
        s = base(src)
        s["horizon_days"] = 4 * 365.25
        s["replications"] = 2
        s["campaigns"][0]["agent"]["baseline"] = HUMAN_PACED
        s["campaigns"][0]["closed_loop_from_day"] = 731
        s["labs"][0]["autonomous_from_day"] = 731
        r, _ = run(twin, s, tmp, "goal-year-3")
        years = [y["year"] for y in r["years"]]
        vs = [y["vs_first_year_baseline"]["value"] for y in r["years"]]
        gy = r["headline"]["goal_year"]["year"]
        if gy != years[2] or not all(v is not None and v < 2 for v in vs[:2]):
            fail(f"goal in year 3: goal_year {gy}, years {years}, vs first year's baseline {vs}")
        print(f"ok goal in year 3: goal_year {gy}, vs first year's baseline {vs}")

        # end_day 200: no cycle starts after it.
        s = base(src)
        s["horizon_days"] = 365
        s["replications"] = 1
        s["campaigns"][0]["end_day"] = 200
        _, out = run(twin, s, tmp, "end-day")
        exp = rows(out, "experiments.csv")
        late = [e for e in exp if float(e["submit_s"]) > 201 * DAY]
        if not exp or late:
            fail(f"end_day 200: {len(exp)} experiments, {len(late)} submitted after day 201")
        if not any(float(e["submit_s"]) > 190 * DAY for e in exp):
            fail("end_day 200: nothing in the days before the end, the check says nothing")
        print(f"ok end_day 200: {len(exp)} experiments, none after the last cycle")

        # Data growth of 100 % a year: a transfer of year 2 carries twice year 1's bytes.
        s = base(src)
        s["replications"] = 1
        s["modes"] = ["closed_loop"]
        s["campaigns"][0]["data_growth_percent_per_year"] = 100
        s["campaigns"][0]["sim_output_gb"] = 50
        r, out = run(twin, s, tmp, "growth")
        s["campaigns"][0]["data_growth_percent_per_year"] = 0
        r0, out0 = run(twin, s, tmp, "no-growth")

        def per_cycle(rep, folder):
            tb = sum(k["modes"]["closed_loop"]["bytes_tb"] for k in rep["resources"]["links"])
            return tb / sum(int(c["cycles"]) for c in rows(folder, "campaigns.csv"))

        ratio = per_cycle(r, out) / per_cycle(r0, out0)
        # Compounded over two years, evenly spread work: mean factor (2^2 - 1) / ln 2 / 2 = 2.16.
        if not 1.8 < ratio < 2.5:
            fail(f"data growth 100 %/year: bytes per cycle x{ratio:.3g} over no growth, expected about x2.16")
        print(f"ok data growth 100 %/year: x{ratio:.3g} bytes per cycle over two years")


if __name__ == "__main__":
    main()
