#!/usr/bin/env python3
"""Whole-program checks of what a new user meets on the command line.

  cli_check.py TWIN SHORT_SCENARIO

  - numeric options say what they expect (no 300-digit range); --jobs 0 means
    the number of cores;
  - an unknown subcommand is named, with the list of commands and a "did you
    mean";
  - a folder given as the scenario is called a folder;
  - --log: diagnostics of several parts on stderr with --log=twin.thres:debug,
    of one part with --log=twin.lab.thres:debug, nothing new without; a bad
    setting is refused; report.json is byte-identical either way.
"""
import os
import re
import subprocess
import sys
import tempfile

TWIN = os.path.abspath(sys.argv[1])
SCENARIO = os.path.abspath(sys.argv[2])
USAGE = 105  # CLI11's ValidationError
EXTRAS = 109  # CLI11's ExtrasError


def run(*args, cwd=None):
    return subprocess.run([TWIN] + list(args), capture_output=True, text=True, timeout=600, cwd=cwd)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def expect(p, code, *needles, where=""):
    if p.returncode != code:
        fail(f"{where}: exit {p.returncode}, expected {code}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    for n in needles:
        if n not in p.stderr:
            fail(f"{where}: stderr lacks {n!r}:\n{p.stderr}")
    if re.search(r"\d{30}", p.stderr):
        fail(f"{where}: a 30-digit number on stderr:\n{p.stderr}")


def categories(stderr):
    return sorted(set(re.findall(r"\[(twin_[a-z_]+)/", stderr)))


def main():
    # Numeric options.
    expect(run("run", "--jobs", "-1", SCENARIO), USAGE, "--jobs: expected an integer >= 0, got -1", where="--jobs -1")
    expect(run("run", "--replications", "0", SCENARIO), USAGE, "--replications: expected an integer >= 1, got 0",
           where="--replications 0")
    expect(run("run", "--seed", "1.5", SCENARIO), USAGE, "--seed: expected an integer >= 0, got 1.5", where="--seed")
    expect(run("sweep", "x.json", "--jobs", "-3"), USAGE, "--jobs: expected an integer >= 0, got -3", where="sweep --jobs")

    # Unknown subcommands.
    p = run("frobnicate")
    expect(p, EXTRAS, "unknown command 'frobnicate'", "run validate schema models replay", where="unknown command")
    if "__sweep-run" in p.stderr:
        fail("the hidden worker command is listed:\n" + p.stderr)
    expect(run("valdate", SCENARIO), EXTRAS, "unknown command 'valdate' (did you mean 'validate'?)", where="typo")

    with tempfile.TemporaryDirectory() as work:
        # A folder as the scenario.
        expect(run("validate", work), 2, f"error: {work}:/: a folder, not a scenario file", where="validate folder")
        expect(run("run", work, "--out", os.path.join(work, "o")), 2, "a folder, not a scenario file", where="run folder")
        if os.path.exists(os.path.join(work, "o", "report.json")):
            fail("run of a folder wrote a report")

        # --log.
        plain = run("run", SCENARIO, "--out", os.path.join(work, "plain"), "--quiet", "-j", "0")
        expect(plain, 0, where="run")
        if plain.stderr != "":
            fail("a run without --log wrote to stderr:\n" + plain.stderr[:2000])
        logged = run("run", SCENARIO, "--out", os.path.join(work, "logged"), "--quiet", "--log=twin.thres:debug")
        expect(logged, 0, where="run --log=twin.thres:debug")
        found = categories(logged.stderr)
        for c in ["twin_agents_campaign", "twin_hpc_batch", "twin_lab_engine", "twin_net", "twin_run"]:
            if c not in found:
                fail(f"--log=twin.thres:debug: no line of {c} (found {found})")
        for what in ["proposes", "submitted", "starts", "ends"]:
            if what not in logged.stderr:
                fail(f"--log=twin.thres:debug: nothing says '{what}'")
        lab = run("run", SCENARIO, "--out", os.path.join(work, "lab"), "--quiet", "--log=twin.lab.thres:debug")
        expect(lab, 0, where="run --log=twin.lab.thres:debug")
        if categories(lab.stderr) != ["twin_lab_engine"]:
            fail(f"--log=twin.lab.thres:debug shows {categories(lab.stderr)}, expected the lab only")
        two = run("run", SCENARIO, "--out", os.path.join(work, "two"), "--quiet", "--log=twin.net.thres:verbose",
                  "--log", "twin.run.thres:verbose")
        expect(two, 0, where="two --log options")
        if categories(two.stderr) != ["twin_net", "twin_run"]:
            fail(f"two --log options show {categories(two.stderr)}, expected twin_net and twin_run")
        reports = set()
        for d in ["plain", "logged", "lab", "two"]:
            with open(os.path.join(work, d, "report.json"), "rb") as f:
                data = f.read()
            if b"VERBOSE" in data or b"twin_" in data:
                fail(f"{d}/report.json holds diagnostics")
            reports.add(data)
        if len(reports) != 1:
            fail("report.json differs with --log")
        expect(run("run", SCENARIO, "--log=twin.lba.thres:debug"), USAGE,
               "unknown log category 'twin.lba' (did you mean 'twin.lab'?)", "twin.agents", where="bad category")
        expect(run("run", SCENARIO, "--log=twin.thres:loud"), USAGE, "unknown level 'loud'", where="bad level")
        expect(run("run", SCENARIO, "--log=twin"), USAGE, "expected CATEGORY.OPTION:VALUE", where="bad setting")
    print("ok")


main()
