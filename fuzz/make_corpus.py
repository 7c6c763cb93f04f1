#!/usr/bin/env python3
"""Seed corpora and dictionaries for the fuzz targets, from the shipped files.

  make_corpus.py SOURCE_DIR OUT_DIR

writes OUT_DIR/<target>/ (one seed per file) and OUT_DIR/<target>.dict
(libFuzzer's dictionary format) for every target of fuzz/CMakeLists.txt.
Nothing is hand-written: scenario keys and enum values come from the scenario
schema (scenarios/scenario.schema.json, the output of `twin schema`, which
twin.schema_is_generated keeps equal to the parameter tables); sweep, report
and Batsim keys from the shipped files of their kind; SWF header keys from the
shipped traces. Large files are cut (traces to their first lines, reports
above 100 kB left out) so that an execution stays fast.
"""
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sys

SRC, OUT = sys.argv[1], sys.argv[2]


def src(*parts):
    return os.path.join(SRC, *parts)


def files(folder, ext, exclude=()):
    d = src(folder)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(ext) and f not in exclude)


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def head_lines(data, n):
    return b"".join(data.splitlines(keepends=True)[:n])


class Target:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(OUT, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.words = set()
        # The inputs earlier campaigns found (tests/fuzz/<target>-<what>): seeds, so every run retries them.
        for p in files("tests/fuzz", ""):
            if os.path.basename(p).startswith(name + "-"):
                self.seed_file(p)

    def seed(self, data, label):
        h = hashlib.sha1(data).hexdigest()[:12]
        with open(os.path.join(self.dir, f"{label}-{h}"), "wb") as f:
            f.write(data)

    def seed_file(self, path, transform=lambda d: d):
        with open(path, "rb") as f:
            self.seed(transform(f.read()), os.path.basename(path))

    def word(self, w):
        if w and len(w) <= 64:
            self.words.add(w)

    def write_dict(self):
        with open(os.path.join(OUT, self.name + ".dict"), "w") as f:
            for i, w in enumerate(sorted(self.words)):
                esc = "".join(c if 32 <= ord(c) < 127 and c not in '\\"' else "\\x%02x" % ord(c) for c in w)
                f.write(f'w{i}="{esc}"\n')


def json_words(t, text):
    """Keys ("key":) and string values of JSON text, comments and all."""
    for m in re.finditer(r'"((?:[^"\\\n]|\\.){1,64})"', text):
        t.word('"' + m.group(1) + '"')


def schema_words(t, node):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            t.word('"' + k + '"')
            t.word("/" + k)
        for v in node.get("enum", []):
            if isinstance(v, str):
                t.word('"' + v + '"')
        for v in node.values():
            schema_words(t, v)
    elif isinstance(node, list):
        for v in node:
            schema_words(t, v)


def structural(t):
    # JSON's own tokens, and numbers at the edges of the readers' ranges.
    for w in ["{", "}", "[", "]", ":", ",", "null", "true", "false", "-1", "0", "1e308", "-1e308", "1e-320",
              "9223372036854775807", "18446744073709551616", "//", "/*", "*/"]:
        t.word(w)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(src("scenarios", "scenario.schema.json")) as f:
        schema = json.load(f)

    # Scenarios: the shipped ones, the tests' own, the broken ones.
    t = Target("scenario_fuzz")
    for p in files("scenarios", ".json", {"scenario.schema.json"}) + files("tests/scenarios", ".json") + \
            files("tests/scenarios/bad", ".json") + files("tests/twin/data", ".json"):
        t.seed_file(p)
    schema_words(t, schema)
    structural(t)
    for w in ["data/oer_3496.csv", "data/P3HT.csv", "data/topologyzoo_Esnet_2007.gml",
              "../tests/data/swf/LANL-CM5-head.swf", "../tests/data/swf/batsim_small.json"]:
        if os.path.exists(src("scenarios", w)):
            t.word('"' + w + '"')
    t.write_dict()

    # Short simulations: the scenarios that validate (the shipped ones, the
    # tests' own), with the same dictionary; the harness cuts their horizon.
    t = Target("sim_fuzz")
    for p in files("scenarios", ".json", {"scenario.schema.json"}) + files("tests/scenarios", ".json") + \
            files("tests/twin/data", ".json"):
        t.seed_file(p)
    schema_words(t, schema)
    structural(t)
    for w in ["data/oer_3496.csv", "data/P3HT.csv", "data/topologyzoo_Esnet_2007.gml"]:
        if os.path.exists(src("scenarios", w)):
            t.word('"' + w + '"')
    t.write_dict()

    # Sweeps: parsed as if in scenarios/sweeps/, so a seed's base is rewritten
    # to the same scenario seen from there.
    t = Target("sweep_fuzz")
    here = src("scenarios", "sweeps")
    for p in files("scenarios/sweeps", ".json") + files("tests/sweep/data", ".json"):
        with open(p) as f:
            text = f.read()

        def rebase(m, p=p):
            target = os.path.normpath(os.path.join(os.path.dirname(p), m.group(2)))
            return m.group(1) + os.path.relpath(target, here) + '"'

        text = re.sub(r'("base"\s*:\s*")([^"<]+)"', rebase, text)
        t.seed(text.encode(), os.path.basename(p))
        json_words(t, text)
    schema_words(t, schema)
    structural(t)
    t.write_dict()

    # SWF traces: plain and gzip, the shipped head of LANL-CM5 and the first
    # lines of the full traces.
    t = Target("swf_fuzz")
    for p in files("tests/data/swf", ".swf") + files("tests/data/swf", ".swf.gz"):
        with open(p, "rb") as f:
            data = f.read()
        if p.endswith(".gz"):
            data = gzip.decompress(data)
        for n in (40, 400):
            part = head_lines(data, n)
            t.seed(part, os.path.basename(p) + f"-{n}")
            t.seed(gz(part), os.path.basename(p) + f"-{n}.gz")
        for line in data.decode("latin-1").splitlines():
            m = re.match(r"\s*;\s*([A-Za-z]+)\s*:", line)
            if m:
                t.word("; " + m.group(1) + ":")
    for w in ["-1", "0", "1e308", "nan", "inf", "2147483648", "\n", "\t", ";"]:
        t.word(w)
    t.write_dict()

    # Batsim workloads, plain and gzip.
    t = Target("batsim_fuzz")
    for p in files("tests/data/swf", ".json"):
        with open(p, "rb") as f:
            data = f.read()
        t.seed(data, os.path.basename(p))
        t.seed(gz(data), os.path.basename(p) + ".gz")
        json_words(t, data.decode())
    structural(t)
    t.write_dict()

    # CSV pools: the shipped data sets (cut to their first rows) and the
    # tests' broken one.
    t = Target("csv_pool_fuzz")
    for p in files("scenarios/data", ".csv") + files("tests/scenarios/bad", ".csv"):
        with open(p, "rb") as f:
            data = f.read()
        t.seed(head_lines(data, 60), os.path.basename(p))
        first = data.splitlines()[0].decode("latin-1") if data else ""
        for field in first.split(","):
            t.word(field.strip())
    for w in [",", "\r\n", "\xef\xbb\xbf", "1e308", "-1e308", "nan", "inf", "+", "e-400", '"']:
        t.word(w)
    t.write_dict()

    # report.json for compare: the shipped reports under 100 kB.
    t = Target("report_fuzz")
    for p in files("tests/golden", ".json") + files("tests/reports/data", ".json"):
        if os.path.getsize(p) <= 100_000:
            t.seed_file(p)
            with open(p) as f:
                json_words(t, f.read())
    structural(t)
    t.write_dict()


main()
