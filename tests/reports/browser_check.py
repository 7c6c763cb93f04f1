#!/usr/bin/env python3
"""The HTML report in a real browser (Debian's headless chromium).

  browser_check.py RENDERER REPORT_JSON CHROMIUM [KEEP_DIR]

Renders REPORT_JSON to HTML with RENDERER (reports_render_html), then has
chromium, started with a fresh profile and no network services:
  - dump the DOM: the verdict must be in the page's text;
  - take a screenshot: a PNG, not blank (enough non-white pixels, several colours);
  - log to stderr: no console message at all (the page has no script), and a
    known console.error in a page of our own is seen, so the check can fail.
Exits 77 (skipped) when CHROMIUM is empty or missing, 1 on a failure. With
KEEP_DIR the HTML and the screenshot are kept there for a person to look at.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1100,1400"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit, non-interlaced RGB/RGBA/grey PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, width, height, depth, ctype, interlace = 8, b"", 0, 0, 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        fail(f"{path}: unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    pixels = []
    for line in rows:
        if channels >= 3:
            pixels.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        else:
            pixels.append([(line[x],) * 3 for x in range(0, stride, channels)])
    return width, height, pixels


def console_lines(stderr):
    """Console messages of a page in chromium's --enable-logging=stderr output
    (console.error is logged as INFO:CONSOLE, so the level does not tell)."""
    return [l for l in stderr.splitlines() if ":CONSOLE" in l or "Uncaught" in l]


def chromium(browser, args, profile, timeout=40):
    cmd = [browser] + FLAGS + ["--user-data-dir=" + profile] + args
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail("chromium did not finish in %d s: %s" % (timeout, " ".join(cmd)))


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    renderer, report, browser = sys.argv[1], sys.argv[2], sys.argv[3]
    keep = sys.argv[4] if len(sys.argv) > 4 else None
    if not browser or not shutil.which(browser):
        print("SKIP: chromium is not installed (apt-get install -y chromium)")
        return 77
    work = tempfile.mkdtemp(prefix="twin-browser-")
    try:
        html = os.path.join(work, "report.html")
        p = subprocess.run([renderer, report, html], capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            fail(f"{renderer} exited {p.returncode}: {p.stderr}")
        url = "file://" + html

        # 1. The verdict is in the page's text, as the browser parsed it.
        d = chromium(browser, ["--dump-dom", url], os.path.join(work, "profile-dom"))
        if d.returncode != 0:
            fail(f"chromium --dump-dom exited {d.returncode}: {d.stderr[-2000:]}")
        dom = d.stdout
        text = re.sub(r"<[^>]+>", "", dom).replace("&amp;", "&")
        for needle in ["R&D productivity multiplier (closed loop / baseline):", "Goal \u00d72:", "Verdict"]:
            if needle not in text:
                fail(f"the page's text lacks {needle!r}")
        m = re.search(r'<strong class="multiplier">([^<]*)</strong>', dom)
        if not m or not re.search(r"\d", m.group(1)):
            fail("the multiplier in the page has no number")
        print(f"verdict in the DOM: multiplier {m.group(1)}; {len(dom)} characters of DOM")

        # 2. The screenshot is not blank; 3. no console error.
        shot = os.path.join(work, "report.png")
        s = chromium(browser, ["--enable-logging=stderr", "--v=0", "--screenshot=" + shot, url],
                     os.path.join(work, "profile-shot"))
        if s.returncode != 0 or not os.path.exists(shot):
            fail(f"chromium --screenshot exited {s.returncode}: {s.stderr[-2000:]}")
        console = console_lines(s.stderr)
        if console:
            fail("the page wrote to the console (it has no script, so this is an error or a blocked "
                 "resource):\n" + "\n".join(console))
        # The detector itself must see a console error where there is one.
        bad = os.path.join(work, "bad.html")
        with open(bad, "w") as f:
            f.write('<!DOCTYPE html><html><body>x<script>console.error("boom")</script></body></html>')
        b = chromium(browser, ["--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + bad],
                     os.path.join(work, "profile-bad"))
        if not any("boom" in l for l in console_lines(b.stderr)):
            fail("chromium's log does not show a known console error; the console check would miss errors")
        width, height, pixels = read_png(shot)
        ink = sum(1 for row in pixels for px in row if min(px) < 200)
        colours = {px for row in pixels[::4] for px in row[::4]}
        share = ink / float(width * height)
        print(f"screenshot {width}x{height}, {os.path.getsize(shot)} bytes, {share:.1%} inked pixels, "
              f"{len(colours)} colours; no console message")
        if share < 0.02 or len(colours) < 8:
            fail("the screenshot looks blank")
        if keep:
            os.makedirs(keep, exist_ok=True)
            shutil.copy(html, os.path.join(keep, "report.html"))
            shutil.copy(shot, os.path.join(keep, "report.png"))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
