#!/usr/bin/env python3
"""Kill safety of `twin run`, run by CTest.

  kill_check.py TWIN SCENARIO KILLS SEED

SCENARIO (small) runs once uninterrupted with every output (json, html, csv,
trace) to learn how long a run takes. Then KILLS runs into the same folder,
each SIGKILLed at a moment drawn (from SEED) over that length, the folder
starting empty for odd kills and holding a whole earlier output for even
ones. After every kill, each output file is either absent or whole: JSON
parses, the HTML ends with its closing tag, every CSV row has its header's
field count and the file ends with a newline. A last uninterrupted run into
the same folder leaves no temporary file behind and writes the same
report.json as the first.
"""
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

JSON = ["report.json", "trace.json", "run-info.json"]
HTML = ["report.html"]
TEMPORARIES = set()


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def args(twin, scenario, out):
    return [os.path.abspath(twin), "run", scenario, "--out", out, "--outputs", "json,html,csv,trace", "-j", "2",
            "--quiet"]


def whole(out):
    """Names of the outputs in OUT, each checked whole; fails on the first that is not."""
    seen = []
    for name in sorted(os.listdir(out)):
        path = os.path.join(out, name)
        with open(path, "rb") as f:
            data = f.read()
        if ".tmp." in name:
            TEMPORARIES.add(name)
            continue  # a temporary of the killed writer: not an output
        if name in JSON:
            try:
                json.loads(data)
            except ValueError as e:
                fail(f"{name} is not whole JSON ({len(data)} bytes): {e}")
        elif name in HTML:
            if not data.rstrip().endswith(b"</html>"):
                fail(f"{name} does not end with </html> ({len(data)} bytes)")
        elif name.endswith(".csv"):
            if not data.endswith(b"\n"):
                fail(f"{name} does not end with a newline ({len(data)} bytes)")
            rows = list(csv.reader(io.StringIO(data.decode())))
            if not rows:
                fail(f"{name} has no header")
            bad = [i for i, r in enumerate(rows) if len(r) != len(rows[0])]
            if bad:
                fail(f"{name}: row {bad[0]} has {len(rows[bad[0]])} fields, the header {len(rows[0])}")
        else:
            fail(f"unexpected file {name} in the output folder")
        seen.append(name)
    return seen


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        sys.exit(2)
    twin, scenario, kills, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        ref = os.path.join(tmp, "ref")
        t0 = time.monotonic()
        p = subprocess.run(args(twin, scenario, ref), capture_output=True, text=True, timeout=900)
        length = time.monotonic() - t0
        if p.returncode != 0:
            fail(f"uninterrupted run exited {p.returncode}: {p.stderr}")
        outputs = whole(ref)
        for f in ["report.json", "report.html", "trace.json", "experiments.csv", "run-info.json"]:
            if f not in outputs:
                fail(f"the uninterrupted run wrote no {f}: {outputs}")
        out = os.path.join(tmp, "out")
        counts = {"absent": 0, "whole": 0}
        for k in range(kills):
            if k % 2 == 0:
                shutil.rmtree(out, ignore_errors=True)
            elif not os.path.isdir(out) or not os.listdir(out):
                shutil.copytree(ref, out, dirs_exist_ok=True)
            # Most of a run is simulation; the outputs are written in its last part: half the kills land there.
            at = rng.uniform(0, length * 1.1) if k % 2 == 0 else rng.uniform(length * 0.7, length * 1.1)
            proc = subprocess.Popen(args(twin, scenario, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                proc.wait(timeout=at)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            if os.path.isdir(out):
                got = whole(out)
                counts["whole"] += len(got)
                counts["absent"] += len([f for f in outputs if f not in got])
            else:
                counts["absent"] += len(outputs)
        # A run after the kills removes the killed writers' temporaries and writes the same report.
        p = subprocess.run(args(twin, scenario, out), capture_output=True, text=True, timeout=900)
        if p.returncode != 0:
            fail(f"the run after the kills exited {p.returncode}: {p.stderr}")
        left = [f for f in os.listdir(out) if ".tmp." in f]
        if left:
            fail(f"temporary files left after a whole run: {left}")
        with open(os.path.join(ref, "report.json"), "rb") as a, open(os.path.join(out, "report.json"), "rb") as b:
            if a.read() != b.read():
                fail("report.json after the kills differs from the uninterrupted run's")
        print(f"{kills} kills over a {length:.1f} s run: outputs found whole {counts['whole']} times, absent "
              f"{counts['absent']} times, never partial; {len(TEMPORARIES)} killed writers' temporaries seen, removed by "
              f"the next run")


main()
