#!/usr/bin/env python3
"""Pick the inputs of a fuzzing run worth keeping in the repository corpus, within a file budget.

libFuzzer's -merge=1 keeps every input that adds a feature, which after ten minutes on the TOML
parser is over a thousand files (each parse error is its own path), and even a minimal edge cover
(-set_cover_merge=1 -use_counters=0) is about 400. This reads the control file of a
`-set_cover_merge=1 -use_counters=0 -merge_control_file=CTL SCRATCH KEPT NEW` pass, whose FT
lines list every edge feature of every input, and copies into the kept corpus, greedily, the new
inputs that add the most edges to what the kept corpus reaches, until the corpus holds MAX_FILES
files or nothing adds an edge. (The COV lines are cumulative, not per input: not used.)

usage: select_corpus.py CTL KEPT_CORPUS_DIR MAX_FILES
"""
import hashlib
import os
import shutil
import sys


def read_control_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    count = int(lines[0])
    files = lines[2:2 + count]
    edges = {}
    for line in lines[2 + count:]:
        if line.startswith("FT "):
            parts = line.split()
            edges[int(parts[1])] = set(map(int, parts[2:]))
    return files, edges


def main():
    control, kept_dir, max_files = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files, edges = read_control_file(control)
    kept_dir_real = os.path.realpath(kept_dir)
    kept = [i for i, f in enumerate(files) if os.path.dirname(os.path.realpath(f)) == kept_dir_real]
    kept_set = set(kept)
    candidates = [i for i in range(len(files)) if i not in kept_set and i in edges]
    covered = set().union(*(edges.get(i, set()) for i in kept)) if kept else set()
    reachable = covered.union(*(edges[i] for i in candidates)) if candidates else set(covered)
    before = len(covered)
    budget = max(0, max_files - len(os.listdir(kept_dir)))
    chosen = []
    while len(chosen) < budget:
        best, gain = None, 0
        for i in candidates:
            g = len(edges[i] - covered)
            if g > gain or (g == gain and g > 0 and os.path.getsize(files[i]) < os.path.getsize(files[best])):
                best, gain = i, g
        if best is None:
            break
        chosen.append(best)
        covered |= edges[best]
        candidates.remove(best)
    for i in chosen:
        with open(files[i], "rb") as f:
            data = f.read()
        shutil.copyfile(files[i], os.path.join(kept_dir, hashlib.sha1(data).hexdigest()))
    left = len(reachable) - len(covered)
    print(f"select_corpus: kept corpus reached {before} edges; added {len(chosen)} inputs "
          f"(budget {budget}): now {len(covered)} of the {len(reachable)} edges this run reached"
          + (f" ({left} left out by the {max_files}-file limit)" if left else ""))


if __name__ == "__main__":
    main()
