#!/usr/bin/env python3
"""Whole-program checks of `twin sweep`, run by CTest.

  sweep_checks.py jobs TWIN SWEEP      1 and 3 local workers: identical database
                                       contents (wall-clock table aside) and
                                       identical report files
  sweep_checks.py resume TWIN SWEEP    SIGKILL the sweep mid-way (no child left
                                       running), --resume it: identical to an
                                       uninterrupted sweep, no duplicate rows
  sweep_checks.py kills TWIN SWEEP     SIGKILL the sweep four times at random moments
                                       (seeded: after a random number of recorded
                                       runs, plus a random delay), resuming each
                                       time: identical to an uninterrupted sweep
  sweep_checks.py failures TWIN SWEEP  an invalid variant and a crashing run are
                                       both reported; every other run completes
  sweep_checks.py mpi TWIN SWEEP       mpirun -n 1 against -n 3: identical
                                       (exit 77, skipped, without MPI)
"""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

REPORT_FILES = ["sweep.html", "sweep-summary.json", "variants.csv", "runs.csv"]
# Every table but the wall-clock one, each in its key order.
TABLES = {
    "sweep_meta": "key",
    "parameters": "position",
    "variants": "variant",
    "variant_values": "variant, parameter",
    "runs": "variant, replication",
    "run_campaigns": "variant, replication, mode, campaign",
    "run_outputs": "variant, replication, output",
}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def sweep(twin, args, env=None, launcher=None, timeout=600):
    cmd = (launcher or []) + [os.path.abspath(twin), "sweep"] + args + ["--quiet"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def dump(out):
    db = sqlite3.connect(os.path.join(out, "sweep.sqlite"))
    try:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY {k}").fetchall() for t, k in TABLES.items()}
    finally:
        db.close()


def files(out):
    res = {}
    for f in REPORT_FILES:
        with open(os.path.join(out, f), "rb") as fh:
            res[f] = fh.read()
    return res


def same(a_out, b_out, what):
    da, db = dump(a_out), dump(b_out)
    for t in TABLES:
        if da[t] != db[t]:
            fail(f"{what}: table {t} differs ({len(da[t])} rows against {len(db[t])})")
    fa, fb = files(a_out), files(b_out)
    for f in REPORT_FILES:
        if fa[f] != fb[f]:
            fail(f"{what}: {f} differs")


def expect_complete(out, n_runs):
    d = dump(out)
    runs = d["runs"]
    keys = [(r[0], r[1]) for r in runs]
    if len(keys) != len(set(keys)):
        fail("duplicate runs")
    if len(runs) != n_runs:
        fail(f"{len(runs)} runs recorded, expected {n_runs}")
    bad = [r for r in runs if r[2] != "ok"]
    if bad:
        fail(f"failed runs: {[(r[0], r[1], r[5]) for r in bad]}")
    db = sqlite3.connect(os.path.join(out, "sweep.sqlite"))
    walls = db.execute("SELECT COUNT(*) FROM run_wallclock").fetchone()[0]
    db.close()
    if walls != n_runs:
        fail(f"{walls} wall-clock rows for {n_runs} runs")


def check_jobs(twin, sweep_file):
    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "j1"), os.path.join(tmp, "j3")
        for out, jobs in ((a, 1), (b, 3)):
            p = sweep(twin, [sweep_file, "--jobs", str(jobs), "--out", out])
            if p.returncode != 0:
                fail(f"--jobs {jobs} exited {p.returncode}: {p.stderr}")
        expect_complete(a, 18)
        same(a, b, "1 against 3 workers")
        # A second sweep into the same folder without --resume is refused.
        p = sweep(twin, [sweep_file, "--out", a])
        if p.returncode != 2 or "--resume" not in p.stderr:
            fail(f"a second sweep into the same folder: exit {p.returncode}, {p.stderr}")
        # The report is rebuilt from the database alone, byte for byte.
        before = files(a)
        for f in REPORT_FILES:
            os.remove(os.path.join(a, f))
        p = sweep(twin, [sweep_file, "--out", a, "--report-only"])
        if p.returncode != 0 or files(a) != before:
            fail(f"--report-only did not rebuild the same report (exit {p.returncode}): {p.stderr}")


def tagged_processes(tag):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if tag.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def recorded(out):
    try:
        db = sqlite3.connect(f"file:{os.path.join(out, 'sweep.sqlite')}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def wallclock(out):
    db = sqlite3.connect(os.path.join(out, "sweep.sqlite"))
    try:
        return {(r[0], r[1]): r for r in db.execute("SELECT * FROM run_wallclock")}
    finally:
        db.close()


def check_resume(twin, sweep_file):
    with tempfile.TemporaryDirectory() as tmp:
        whole, killed = os.path.join(tmp, "whole"), os.path.join(tmp, "killed")
        p = sweep(twin, [sweep_file, "--jobs", "2", "--out", whole])
        if p.returncode != 0:
            fail(f"uninterrupted sweep exited {p.returncode}: {p.stderr}")
        tag = f"TWIN_SWEEP_CHECK_TAG=resume-{os.getpid()}"
        env = dict(os.environ)
        env["TWIN_SWEEP_CHECK_TAG"] = tag.split("=", 1)[1]
        proc = subprocess.Popen([os.path.abspath(twin), "sweep", sweep_file, "--jobs", "2", "--out", killed, "--quiet"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while recorded(killed) < 5:
            if proc.poll() is not None:
                fail("the sweep ended before it could be killed")
            if time.time() > deadline:
                proc.kill()
                fail("no progress to kill")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        n_killed = recorded(killed)
        if n_killed >= 18:
            fail("the sweep finished before the kill")
        # Children die with the sweep (parent-death signal).
        left = []
        for _ in range(50):
            left = tagged_processes(tag)
            if not left:
                break
            time.sleep(0.1)
        if left:
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            fail(f"processes left running after the sweep was killed: {left}")
        before = wallclock(killed)
        p = sweep(twin, [sweep_file, "--jobs", "2", "--out", killed, "--resume"])
        if p.returncode != 0:
            fail(f"--resume exited {p.returncode}: {p.stderr}")
        expect_complete(killed, 18)
        # No finished run was run again: their wall-clock rows (start, pid) are untouched.
        after = wallclock(killed)
        redone = [k for k in before if after.get(k) != before[k]]
        if redone:
            fail(f"runs finished before the kill were run again: {redone}")
        same(whole, killed, "killed and resumed against uninterrupted")
        print(f"killed after {n_killed} of 18 runs; resumed; identical")


def check_kills(twin, sweep_file, seed=7, kills=4):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        whole, killed = os.path.join(tmp, "whole"), os.path.join(tmp, "killed")
        p = sweep(twin, [sweep_file, "--jobs", "2", "--out", whole])
        if p.returncode != 0:
            fail(f"uninterrupted sweep exited {p.returncode}: {p.stderr}")
        total = recorded(whole)
        moments = []
        for k in range(kills):
            before = recorded(killed)
            resume = ["--resume"] if os.path.exists(os.path.join(killed, "sweep.sqlite")) else []
            proc = subprocess.Popen([os.path.abspath(twin), "sweep", sweep_file, "--jobs", "2", "--out", killed,
                                     "--quiet"] + resume, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            target = rng.randint(before, max(before, total - 1))
            delay = rng.uniform(0, 0.4)
            deadline = time.time() + 120
            while recorded(killed) < target and proc.poll() is None and time.time() < deadline:
                time.sleep(0.02)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate()
            if proc.returncode not in (0, -signal.SIGKILL):
                fail(f"kill {k}: the sweep exited {proc.returncode}: {err}")
            moments.append(f"{recorded(killed)}/{total}{'' if proc.returncode else ' (finished)'}")
            # Whatever the moment, the database holds no duplicate and no partial run.
            if os.path.exists(os.path.join(killed, "sweep.sqlite")):
                d = dump(killed)
                keys = [(r[0], r[1]) for r in d["runs"]]
                if len(keys) != len(set(keys)):
                    fail(f"kill {k}: duplicate runs")
                if any(r[2] != "ok" for r in d["runs"]):
                    fail(f"kill {k}: a run recorded as not ok: {[r[:3] for r in d['runs'] if r[2] != 'ok']}")
        p = sweep(twin, [sweep_file, "--jobs", "2", "--out", killed] +
                  (["--resume"] if os.path.exists(os.path.join(killed, "sweep.sqlite")) else []))
        if p.returncode != 0:
            fail(f"the last --resume exited {p.returncode}: {p.stderr}")
        expect_complete(killed, total)
        same(whole, killed, "killed at random moments and resumed against uninterrupted")
        print(f"{kills} kills at {', '.join(moments)} recorded runs; resumed; identical")


def check_failures(twin, sweep_file):
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ)
        env["TWIN_SWEEP_TEST_CRASH"] = "0:1"
        p = sweep(twin, [sweep_file, "--jobs", "2", "--out", out], env=env)
        if p.returncode != 2:
            fail(f"exit {p.returncode}, expected 2 (an invalid variant): {p.stderr}")
        if "variant 1 (robots=-1)" not in p.stderr or "/labs/0/robots" not in p.stderr:
            fail(f"the invalid variant is not named with its pointer: {p.stderr}")
        d = dump(out)
        status = {r[0]: r[3] for r in d["variants"]}
        if status != {0: "valid", 1: "invalid", 2: "valid"}:
            fail(f"variant status {status}")
        runs = {(r[0], r[1]): r for r in d["runs"]}
        if sorted(runs) != [(0, 0), (0, 1), (2, 0), (2, 1)]:
            fail(f"runs {sorted(runs)}")
        crashed = runs[(0, 1)]
        if crashed[2] != "failed" or crashed[4] != signal.SIGABRT or "aborting on purpose" not in crashed[6]:
            fail(f"the crashed run is not recorded as such: {crashed[:7]}")
        for k in [(0, 0), (2, 0), (2, 1)]:
            if runs[k][2] != "ok":
                fail(f"run {k} did not complete: {runs[k][5]}")
        with open(os.path.join(out, "sweep.html")) as f:
            html = f.read()
        if "Invalid variants" not in html or "Failed runs" not in html or "SIGABRT" not in html:
            fail("sweep.html does not report the invalid variant and the failed run")
        # --resume does not redo the failed run; --retry-failed does (and it now passes).
        p = sweep(twin, [sweep_file, "--out", out, "--resume", "--retry-failed"])
        runs = {(r[0], r[1]): r for r in dump(out)["runs"]}
        if runs[(0, 1)][2] != "ok" or p.returncode != 2:
            fail(f"--retry-failed: exit {p.returncode}, run (0, 1) {runs[(0, 1)][2]}")


def check_mpi(twin, sweep_file):
    mpirun = shutil.which("mpirun")
    if not mpirun:
        print("SKIP: no mpirun")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        p = sweep(twin, [sweep_file, "--check", "--mpi"])
        if p.returncode != 0 and "built without MPI" in p.stderr:
            print("SKIP: twin built without MPI")
            sys.exit(77)
        launcher = [mpirun, "--oversubscribe", "--bind-to", "none"]
        if os.geteuid() == 0:
            launcher.append("--allow-run-as-root")
        outs = []
        for n in (1, 3):
            out = os.path.join(tmp, f"n{n}")
            p = sweep(twin, [sweep_file, "--jobs", "2", "--out", out], launcher=launcher + ["-n", str(n)])
            if p.returncode != 0:
                fail(f"mpirun -n {n} exited {p.returncode}: {p.stdout}{p.stderr}")
            expect_complete(out, 18)
            outs.append(out)
        same(outs[0], outs[1], "1 against 3 MPI ranks")
        db = sqlite3.connect(os.path.join(outs[1], "sweep.sqlite"))
        ranks = sorted(r[0] for r in db.execute("SELECT DISTINCT rank FROM run_wallclock"))
        db.close()
        if ranks != [1, 2]:
            fail(f"runs under 3 ranks ran on ranks {ranks}, expected 1 and 2 (rank 0 coordinates)")
        # An error on rank 0 (the folder already holds the sweep) releases the other ranks.
        try:
            p = sweep(twin, [sweep_file, "--out", outs[1]], launcher=launcher + ["-n", "3"], timeout=60)
        except subprocess.TimeoutExpired:
            fail("an error on rank 0 left the other ranks waiting")
        if p.returncode == 0:
            fail("a second sweep into the same folder under mpirun was not refused")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    what, twin, sweep_file = sys.argv[1:]
    {"jobs": check_jobs, "resume": check_resume, "kills": check_kills, "failures": check_failures, "mpi": check_mpi}[what](twin, sweep_file)
    print("ok")


if __name__ == "__main__":
    main()
