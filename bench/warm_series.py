#!/usr/bin/env python3
"""Warm-start figures over several processes, for a host whose speed drifts.

Runs `footloose-bench --only warm --repeats R` N times and prints, for every row (team of 2,
1 thread; warm from sE = 0.601 and the next point of a sweep), the median of the per-process
medians, their range, the smallest single solve and how many processes had a median <= 1 ms.

    python3 bench/warm_series.py [N=10] [--bench build/footloose-bench] [--repeats 40]
"""
import argparse
import re
import statistics
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("processes", nargs="?", type=int, default=10)
    ap.add_argument("--bench", default="build/footloose-bench")
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    if args.processes < 1 or args.repeats < 1:
        sys.exit("warm_series.py: processes and --repeats must be >= 1")
    rows = {}
    for _ in range(args.processes):
        out = subprocess.run([args.bench, "--only", "warm", "--repeats", str(args.repeats)],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            m = re.match(r"  (warm.*?\(ms\))\s+([0-9.]+)\s+([0-9.]+)", line)
            if m:
                rows.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(3))))
    for name, runs in rows.items():
        medians = sorted(r[0] for r in runs)
        print(f"{name:40s} median of medians {statistics.median(medians):.3f}  "
              f"range {medians[0]:.3f}-{medians[-1]:.3f}  min {min(r[1] for r in runs):.3f}  "
              f"processes <= 1 ms: {sum(m <= 1.0 for m in medians)}/{len(medians)}")


if __name__ == "__main__":
    main()
