"""Shared helpers for the experiment plots (footloose experiment NAME --out DIR).

Journal-figure sizes (full width 7 in, single column 3.4 in), 8-9 pt text, PNG (200 dpi) + PDF.
The scripts only read CSV files written by the C++ command, so they can be re-run by hand:
    /usr/bin/python3 experiments/plot_NAME.py DIR
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FULL_WIDTH = 7.0
COLUMN_WIDTH = 3.4

plt.rcParams.update({
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8.5,
    "legend.fontsize": 7,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "lines.linewidth": 1.3,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "savefig.bbox": "tight",
    "mathtext.fontset": "cm",
})


def out_dir():
    if len(sys.argv) != 2:
        sys.exit("usage: plot_NAME.py OUTPUT_DIR (the --out directory of footloose experiment)")
    return sys.argv[1]


def read_csv(path):
    """Rows as dicts; numeric cells as floats (nan/inf understood), other cells as str."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for key, value in row.items():
            try:
                row[key] = float(value)
            except (TypeError, ValueError):
                pass
    return rows


def column(rows, key):
    return [r[key] for r in rows]


def finite(x):
    return isinstance(x, float) and math.isfinite(x)


def save(fig, directory, stem):
    for ext in ("png", "pdf"):
        fig.savefig(os.path.join(directory, f"{stem}.{ext}"), dpi=200)
    plt.close(fig)
    print(f"wrote {os.path.join(directory, stem)}.png/.pdf")


def moved_set_panel(ax, times, edges, shares):
    """The moved set of a type-resolved path in the (t, a) plane: shade = moved share of each type
    cell (edges: the M + 1 cell edges; shares[k][i]: share of cell i at times[k]); log time axis
    from the first positive time."""
    import numpy as np

    keep = [k for k, t in enumerate(times) if t > 0]
    t = np.array([times[k] for k in keep])
    grid = np.array([shares[k] for k in keep]).T  # cells x times
    centres = 0.5 * (np.array(edges[:-1]) + np.array(edges[1:]))
    ax.grid(False)
    mesh = ax.pcolormesh(t, centres, grid, shading="nearest", cmap="Reds", vmin=0, vmax=1)
    ax.set_xscale("log")
    ax.set_xlim(max(t[0], 1e-3), t[-1])
    moved = [centres[i] for i in range(len(centres)) if grid[i].max() > 1e-3]
    ax.set_ylim(0, min(1.0, 1.2 * max(moved)) if moved else 1.0)
    ax.set_xlabel("t")
    ax.set_ylabel("type a")
    return mesh
