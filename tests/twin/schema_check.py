#!/usr/bin/env python3
"""The JSON Schema that `twin schema` prints accepts every scenario the project
ships (scenarios/*.json, tests/scenarios/two-labs.json) and rejects what the
parser rejects: an unknown key, a wrong type, an outage window without its end.

usage: schema_check.py TWIN SOURCE_DIR
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema


def strip_comments(text):
    # Scenario files may hold // and /* */ comments (the parser allows them);
    # none of the shipped ones has "//" inside a string.
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"(^|\s)//.*$", "", line) for line in text.split("\n"))


def main():
    twin, src = sys.argv[1], sys.argv[2]
    schema = json.loads(subprocess.run([twin, "schema"], check=True, capture_output=True, text=True).stdout)
    validator = jsonschema.Draft7Validator(schema)
    failures = 0
    files = sorted(f for f in glob.glob(os.path.join(src, "scenarios", "*.json")) if not f.endswith(".schema.json"))
    files.append(os.path.join(src, "tests", "scenarios", "two-labs.json"))
    for f in files:
        doc = json.loads(strip_comments(open(f).read()))
        errors = list(validator.iter_errors(doc))
        for e in errors[:5]:
            print(f"{f}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += bool(errors)
    base = json.loads(strip_comments(open(os.path.join(src, "scenarios", "lab-outage.json")).read()))
    broken = {
        "an unknown lab key": lambda d: d["labs"][0].__setitem__("robotz", 1),
        "an outage window without to_day": lambda d: d["labs"][0].__setitem__("outages", [{"from_day": 3}]),
        "a campaign lab that is a number": lambda d: d["campaigns"][0].__setitem__("lab", 4),
        "an unknown on_outage": lambda d: d["labs"][0].__setitem__("on_outage", "explode"),
    }
    for what, change in broken.items():
        doc = json.loads(json.dumps(base))
        change(doc)
        if validator.is_valid(doc):
            print(f"the schema accepts {what}")
            failures += 1
    print(f"{len(files)} scenarios checked, {len(broken)} broken variants, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
