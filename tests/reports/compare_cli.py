#!/usr/bin/env python3
"""`twin compare` as a program: exit codes, messages and files.

  compare_cli.py TWIN_OR_HARNESS REPORT_JSON

TWIN_OR_HARNESS is run as `<it> compare ...` (the twin program, or
reports_compare_cli, which holds only that subcommand).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def compare(exe, *args):
    return subprocess.run([exe, "compare"] + list(args), capture_output=True, text=True, timeout=60)


def expect_error(p, what, *needles):
    if p.returncode != 2:
        fail(f"{what}: exit {p.returncode}, expected 2; stderr: {p.stderr}")
    for n in needles:
        if n not in p.stderr:
            fail(f"{what}: stderr lacks {n!r}: {p.stderr}")


def main():
    exe, report = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp(prefix="twin-compare-")
    try:
        with open(report) as f:
            data = json.load(f)
        # B: the same run with one more discovery per year in the closed loop, in a folder.
        b = json.loads(json.dumps(data))
        b["headline"]["discoveries_per_year"]["closed_loop"]["mean"] += 1
        os.makedirs(os.path.join(work, "b"))
        with open(os.path.join(work, "b", "report.json"), "w") as f:
            json.dump(b, f, indent=2)

        p = compare(exe, report, report)
        if p.returncode != 0 or "Headline" not in p.stdout or "no differences" not in p.stdout:
            fail(f"A against A: exit {p.returncode}, stdout: {p.stdout} stderr: {p.stderr}")

        html = os.path.join(work, "out.html")
        js = os.path.join(work, "out.json")
        p = compare(exe, report, os.path.join(work, "b"), "--html", html, "--json", js)
        if p.returncode != 0:
            fail(f"A against B: exit {p.returncode}: {p.stderr}")
        # +1 discovery per year lies inside both 95 % intervals: printed, but not marked.
        if "  discoveries per year, closed loop" not in p.stdout or "+1" not in p.stdout:
            fail("A against B: the difference is not printed:\n" + p.stdout)
        if "* discoveries per year, closed loop" in p.stdout:
            fail("A against B: a difference inside the replications' spread is marked:\n" + p.stdout)
        with open(html, encoding="utf-8") as f:
            page = f.read()
        if not page.startswith("<!DOCTYPE html>") or "<svg" not in page or "<script" in page:
            fail("the HTML comparison is not a self-contained page with charts")
        with open(js) as f:
            cmp = json.load(f)
        if cmp["changed"]["headline"] != 1:
            fail(f"expected 1 headline difference, got {cmp['changed']['headline']}")
        leftovers = [n for n in os.listdir(work) if ".tmp" in n]
        if leftovers:
            fail(f"temporary files left behind: {leftovers}")

        missing = os.path.join(work, "nope.json")
        expect_error(compare(exe, missing, report), "missing file", missing, "cannot read: no such file")
        notjson = os.path.join(work, "notjson.json")
        with open(notjson, "w") as f:
            f.write("this is not json")
        expect_error(compare(exe, report, notjson), "not JSON", notjson + ":/: not JSON: parse error")
        partial = os.path.join(work, "partial.json")
        del b["headline"]["multiplier"]["value"]
        with open(partial, "w") as f:
            json.dump(b, f)
        expect_error(compare(exe, report, partial), "not a report", partial + ":/headline/multiplier/value: missing")
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        expect_error(compare(exe, empty, report), "folder without report.json", empty, "no report.json")
        unwritable = os.path.join(work, "no", "such", "folder", "x.html")
        expect_error(compare(exe, report, report, "--html", unwritable), "unwritable output", unwritable)
        print("twin compare: exit codes, messages and files as expected")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
