#!/usr/bin/env python3
"""Holds the build to the layering of STYLE.md by checking #include lines:
each folder may include only the folders its row allows (and itself). The
folders that may not use SimGrid include none of its headers, and their CMake
targets link none of it (so reports/ and models/ build without an engine)."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
ALLOWED = {
    "twin/core": {"twin/core"},
    "models": {"models"},
    "hpc": {"hpc", "twin/core"},
    "lab": {"lab", "twin/core"},
    "agents": {"agents", "twin/core", "models"},
    "reports": {"reports", "twin/core"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>')
# Folders that may not use SimGrid (neither s4u nor xbt), and their targets.
NO_SIMGRID = {"twin/core": "twin_core", "models": "twin_models", "reports": "twin_reports"}
SIMGRID_HEADER = re.compile(r"^(simgrid/|simgrid\.h|xbt/|xbt\.h)")
# The twin's XBT log categories: a target of their own (twin_log), so the only
# files of twin/core that may use SimGrid; nothing else of the no-SimGrid folders
# includes them.
LOG_FILES = {"twin/core/Log.hpp", "twin/core/Log.cpp"}


def folder_of(path):
    for f in sorted(ALLOWED, key=len, reverse=True):
        if path.startswith(f + "/"):
            return f
    return path.split("/")[0]


bad = []
checked = 0
for folder, allowed in ALLOWED.items():
    base = os.path.join(ROOT, folder)
    for dirpath, _, files in os.walk(base):
        rel_dir = os.path.relpath(dirpath, ROOT)
        if folder == "twin/core" and rel_dir != "twin/core":
            continue
        for name in sorted(files):
            if not name.endswith((".hpp", ".cpp")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    rel = os.path.relpath(path, ROOT)
                    sm = SYSTEM_INCLUDE.match(line)
                    if sm and folder in NO_SIMGRID and rel not in LOG_FILES and SIMGRID_HEADER.match(sm.group(1)):
                        bad.append(f"{os.path.relpath(path, ROOT)}:{n}: {folder}/ may not use SimGrid: <{sm.group(1)}>")
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = m.group(1)
                    if "/" not in target:
                        bad.append(f"{path}:{n}: include paths start at the repository root: {target}")
                        continue
                    checked += 1
                    if target in LOG_FILES and folder in NO_SIMGRID and rel not in LOG_FILES:
                        bad.append(f"{rel}:{n}: {folder}/ links no SimGrid, so may not log through {target}")
                    if folder_of(target) not in allowed:
                        bad.append(f"{os.path.relpath(path, ROOT)}:{n}: {folder}/ may not include {target}")
LINK = re.compile(r"target_link_libraries\(\s*(\w+)([^)]*)\)", re.S)
for folder, target in NO_SIMGRID.items():
    cmake = os.path.join(ROOT, folder, "CMakeLists.txt")
    with open(cmake, encoding="utf-8") as f:
        text = f.read()
    for m in LINK.finditer(text):
        checked += 1
        if m.group(1) == target and "SIMGRID" in m.group(2):
            bad.append(f"{folder}/CMakeLists.txt: {target} may not link SimGrid")
for b in bad:
    print(b)
print(f"{checked} includes checked, {len(bad)} violations")
sys.exit(1 if bad or checked == 0 else 0)
