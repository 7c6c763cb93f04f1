#!/usr/bin/env python3
"""A plain Python event loop of `twin replay`, the yardstick of bench/replay_speed.sh.

It does what `twin replay TRACE --policy easy|conservative --out DIR` does, in
plain Python with no library beyond the standard one: read the SWF trace
(gzip or not) with the same conventions (run time <= 0 skipped, size field 5
or 8, requested time -1 -> run time, jobs in (submit, id) order, jobs larger
than the machine skipped), replay it on named nodes (node sets as Python
ints, lowest index first) with jobs killed at their requested time, write
jobs.csv in the same format and print the mean wait and bounded slowdown.

The policies are the same as hpc/EasyScheduler and hpc/ConservativeScheduler
(conservative as batsched's conservative_bf: after any job ends, every
queued job is taken out and put back first-fit, in queue order, on the
lowest free nodes of its window), so the schedules are identical and the
script checks C++ correctness as well as speed: its jobs.csv must equal
twin replay's. Only the conservative pass is plain: it re-fits every queued
job at every compression (the C++ re-fits only those that can move).

usage: replay_loop.py TRACE --policy easy|conservative [--nodes N] [--first N] [--out DIR]
"""
import argparse
import bisect
from decimal import Decimal
import gzip
import heapq
import math
import os
import sys

INF = math.inf


def read_swf(path):
    opener = gzip.open if path.endswith(".gz") else open
    max_procs = max_nodes = -1
    jobs = []  # (submit, numeric id or None, id text, run, requested, nodes)
    with opener(path, "rt") as f:
        for line in f:
            s = line.strip()
            if not s:
                continue
            if s[0] == ";":
                key, _, value = s[1:].partition(":")
                key = key.strip()
                try:
                    v = int(value.strip())
                except ValueError:
                    v = -1
                if key == "MaxProcs":
                    max_procs = v
                elif key == "MaxNodes":
                    max_nodes = v
                continue
            f_ = s.split()
            run = float(f_[3])
            if not run > 0:
                continue
            procs = float(f_[4])
            if not procs > 0:
                procs = float(f_[7])
            if not procs > 0:
                continue
            req = float(f_[8])
            if not req > 0:
                req = run
            ident = f_[0]
            numeric = int(ident) if ident.isdigit() else None
            jobs.append((float(f_[1]), numeric, ident, run, req, int(procs)))
    # (submit, id): numeric ids first, by value, then the others by text.
    jobs.sort(key=lambda j: (j[0], 0 if j[1] is not None else 1, j[1] if j[1] is not None else 0, j[2]))
    machine = max_procs if max_procs > 0 else max_nodes
    return jobs, machine


def lowest(mask, n, size):
    """The n lowest members of mask (n <= its count), by bisection on a prefix."""
    if n <= 0:
        return 0
    lo, hi = 0, size
    while lo < hi:
        mid = (lo + hi) // 2
        if (mask & ((1 << mid) - 1)).bit_count() >= n:
            hi = mid
        else:
            lo = mid + 1
    return mask & ((1 << lo) - 1)


class Base:
    def __init__(self, nodes):
        self.size = nodes
        self.free = (1 << nodes) - 1
        self.queue = []          # ids in (submit, id) order = trace order
        self.queued = set()
        self.running = {}        # id -> (mask, count, planned end)
        self.planned_ends = []   # sorted (planned end, id)
        self.finished_since_pass = True
        self.fresh = []

    def submit(self, i):
        self.queue.append(i)
        self.queued.add(i)
        self.fresh.append(i)

    def finish(self, i, now):
        mask, count, pe = self.running.pop(i)
        self.free |= mask
        del self.planned_ends[bisect.bisect_left(self.planned_ends, (pe, i))]
        self.finished_since_pass = True
        return mask, pe

    def start(self, i, mask, now, req):
        self.free &= ~mask
        pe = now + req[i]
        self.running[i] = (mask, mask.bit_count(), pe)
        bisect.insort(self.planned_ends, (pe, i))
        self.queued.discard(i)


class Easy(Base):
    def __init__(self, nodes):
        super().__init__(nodes)
        self.blocked = False
        self.head = None
        self.shadow = INF
        self.reserved = None

    def schedule(self, now, size, req):
        starts = []
        if self.blocked and not self.finished_since_pass:
            for i in self.fresh:
                if self.free == 0:
                    break
                self.try_backfill(i, now, size, req, starts)
        else:
            self.full_pass(now, size, req, starts)
        if starts:
            self.queue = [i for i in self.queue if i in self.queued]
        self.finished_since_pass = False
        self.fresh = []
        return starts

    def full_pass(self, now, size, req, starts):
        self.blocked = False
        order = self.queue
        k = 0
        while k < len(order) and size[order[k]] <= self.free.bit_count():
            i = order[k]
            m = lowest(self.free, size[i], self.size)
            self.start(i, m, now, req)
            starts.append((i, m))
            k += 1
        if k == len(order):
            return
        head = order[k]
        available = self.free.bit_count()
        self.shadow = INF
        for pe, j in self.planned_ends:
            available += self.running[j][1]
            if available >= size[head]:
                self.shadow = max(pe, now)
                break
        self.head = head
        self.reserved = None
        self.blocked = True
        for i in order[k + 1:]:
            if self.free == 0:
                break
            self.try_backfill(i, now, size, req, starts)

    def ensure_reserved(self, size):
        if self.reserved is not None:
            return
        available = self.free
        for pe, j in self.planned_ends:
            if pe > self.shadow:
                break
            available |= self.running[j][0]
        self.reserved = lowest(available, size[self.head], self.size)

    def try_backfill(self, i, now, size, req, starts):
        n = size[i]
        if n > self.free.bit_count():
            return
        if now + req[i] <= self.shadow:
            m = lowest(self.free, n, self.size)
        else:
            self.ensure_reserved(size)
            outside = self.free & ~self.reserved
            if n > outside.bit_count():
                return
            m = lowest(outside, n, self.size)
        self.start(i, m, now, req)
        starts.append((i, m))


class Conservative(Base):
    def __init__(self, nodes):
        super().__init__(nodes)
        self.profile = None      # [[t, free mask], ...], first at the present
        self.planned = {}        # id -> (start, end, mask)

    def split(self, t):
        p = self.profile
        k = bisect.bisect_right(p, t, key=lambda s: s[0]) - 1
        if p[k][0] == t:
            return k
        p.insert(k + 1, [t, p[k][1]])
        return k + 1

    def change(self, a, b, mask, take):
        a = max(a, self.profile[0][0])
        if not b > a:
            return
        i, j = self.split(a), self.split(b)
        for k in range(i, j):
            if take:
                self.profile[k][1] &= ~mask
            else:
                self.profile[k][1] |= mask

    def finish(self, i, now):
        mask, pe = super().finish(i, now)
        if self.profile is not None and now < pe:
            self.change(now, pe, mask, False)

    def find_fit(self, n, w):
        p = self.profile
        for k in range(len(p)):
            if p[k][1].bit_count() < n:
                continue
            t = p[k][0]
            end = t + w
            inter = p[k][1]
            j = k + 1
            while j < len(p) and p[j][0] < end:
                inter &= p[j][1]
                if inter.bit_count() < n:
                    break
                j += 1
            if inter.bit_count() >= n:
                return t, lowest(inter, n, self.size)
        return INF, 0

    def place(self, i, size, req):
        t, m = self.find_fit(size[i], req[i])
        self.planned[i] = (t, t + req[i], m)
        self.change(t, t + req[i], m, True)

    def schedule(self, now, size, req):
        if self.profile is None:
            self.profile = [[now, self.free]]
        else:
            p = self.profile
            k = 0
            while k + 1 < len(p) and p[k + 1][0] <= now:
                k += 1
            del p[:k]
            p[0][0] = now
        if self.finished_since_pass:
            for i in self.queue:
                if i in self.planned:
                    a, b, m = self.planned.pop(i)
                    self.change(a, b, m, False)
                self.place(i, size, req)
        else:
            for i in self.fresh:
                self.place(i, size, req)
        self.finished_since_pass = False
        self.fresh = []
        starts = []
        for i in self.queue:  # queue order
            t, b, m = self.planned[i]
            if t <= now:
                del self.planned[i]
                self.start(i, m, now, req)
                starts.append((i, m))
        if starts:
            self.queue = [i for i in self.queue if i in self.queued]
        return starts

    def next_wakeup(self, now):
        best = INF
        for t, b, m in self.planned.values():
            if now < t < best:
                best = t
        return best


def intervals(mask):
    """Batsim-style intervals of the members: 0-7 12."""
    out = []
    i = 0
    while mask:
        skip = (mask & -mask).bit_length() - 1
        mask >>= skip
        i += skip
        ones = (mask ^ (mask + 1)).bit_length() - 1
        out.append(str(i) if ones == 1 else f"{i}-{i + ones - 1}")
        mask >>= ones
        i += ones
    return " ".join(out)


def num(v):
    """A double as C++ std::to_chars writes it: the shorter of the fixed and
    the scientific forms of its shortest round-trip digits (fixed on a tie)."""
    d = Decimal(repr(float(v))).normalize()
    sign, digits, exp = d.as_tuple()
    ds = "".join(map(str, digits))
    fixed = format(d, "f")
    e = len(ds) - 1 + exp
    sci = ("-" if sign else "") + ds[0] + ("." + ds[1:] if len(ds) > 1 else "") + ("e-" if e < 0 else "e+") + f"{abs(e):02d}"
    return fixed if len(fixed) <= len(sci) else sci


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trace")
    ap.add_argument("--policy", required=True, choices=["easy", "conservative"])
    ap.add_argument("--nodes", type=int, default=0)
    ap.add_argument("--out", default=".")
    ap.add_argument("--tau", type=float, default=10.0)
    ap.add_argument("--first", type=int, default=0, help="keep only the first N jobs (as twin replay --first)")
    a = ap.parse_args()
    jobs, machine = read_swf(a.trace)
    if a.first > 0:
        jobs = jobs[:a.first]
    nodes = a.nodes if a.nodes > 0 else machine
    jobs = [j for j in jobs if j[5] <= nodes]
    submit = [j[0] for j in jobs]
    run = [min(j[3], j[4]) for j in jobs]  # killed at the requested time
    req = [j[4] for j in jobs]
    size = [j[5] for j in jobs]
    sched = Easy(nodes) if a.policy == "easy" else Conservative(nodes)
    start = [0.0] * len(jobs)
    alloc = [0] * len(jobs)
    ends = []  # heap of (end, id) of running jobs: ends in (end, id) order
    nxt = 0
    now = -INF
    while True:
        t = INF
        if ends:
            t = ends[0][0]
        if nxt < len(jobs):
            t = min(t, submit[nxt])
        if isinstance(sched, Conservative):
            t = min(t, sched.next_wakeup(now))
        if t == INF:
            break
        now = t
        changed = False
        while ends and ends[0][0] <= now:
            e, i = heapq.heappop(ends)
            sched.finish(i, now)
            changed = True
        while nxt < len(jobs) and submit[nxt] <= now:
            sched.submit(nxt)
            nxt += 1
            changed = True
        wake = isinstance(sched, Conservative) and any(p[0] <= now for p in sched.planned.values())
        if changed or wake:
            for i, m in sched.schedule(now, size, req):
                start[i] = now
                alloc[i] = m
                heapq.heappush(ends, (now + run[i], i))
    rows = ["job_id,submit_s,start_s,end_s,wait_s,nodes_requested,nodes_allocated,killed\n"]
    wait_total = slowdown_total = 0.0
    for i, j in enumerate(jobs):
        end = start[i] + run[i]
        wait = start[i] - submit[i]
        wait_total += wait
        slowdown_total += max(1.0, (wait + run[i]) / max(run[i], a.tau))
        rows.append(f"{j[2]},{num(submit[i])},{num(start[i])},{num(end)},{num(wait)},{size[i]},{intervals(alloc[i])},"
                    f"{1 if j[3] > j[4] else 0}\n")
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "jobs.csv"), "w") as f:
        f.writelines(rows)
    n = max(1, len(jobs))
    print(f'{{"policy": "{a.policy}", "jobs": {len(jobs)}, "mean_wait_s": {wait_total / n!r}, '
          f'"mean_bounded_slowdown": {slowdown_total / n!r}}}')


if __name__ == "__main__":
    sys.exit(main())
