#!/usr/bin/env python3
"""Notebook-style example: the relocation share lambda_R over (phi1, gamma_R/gamma_E).

    python3 experiments/example_lambda_map.py [--out lambda_map.png] [--small]

One call of footloose.sweep solves the whole grid (warm-started chains on all cores); the result
is a pandas DataFrame with one row per point. lambda_R = 1: the home-market effect goes entirely
through relocation; 0: entirely through entry (docs/model.md 3.9). Points that are not
trustworthy (e.g. V2 fails for large phi1) are hatched, never dropped.
"""
import argparse
import time

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import footloose

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", default="lambda_map.png", help="figure file (PNG or PDF)")
ap.add_argument("--small", action="store_true", help="a 6 x 5 grid (for tests) instead of 56 x 40")
args = ap.parse_args()

n_phi, n_gamma = (6, 5) if args.small else (56, 40)
grid = {"phi1": {"from": 0.05, "to": 0.6, "n": n_phi},
        "gamma_R": {"from": 1e-2, "to": 1e6, "n": n_gamma, "scale": "log"}}
start = time.time()
frame = footloose.sweep(grid)
print(f"{len(frame)} points in {time.time() - start:.1f} s; "
      f"{int(frame['converged'].sum())} converged, {int(frame['trustworthy'].sum())} trustworthy")

phi = np.sort(frame["phi1"].unique())
gamma = np.sort(frame["gamma_R"].unique())
table = frame.pivot(index="gamma_R", columns="phi1", values="lambda_R").loc[gamma, phi]
trusted = frame.pivot(index="gamma_R", columns="phi1", values="trustworthy").loc[gamma, phi]

fig, ax = plt.subplots(figsize=(6.4, 4.4))
mesh = ax.pcolormesh(phi, gamma, table.to_numpy(), shading="nearest", vmin=0.0, vmax=1.0,
                     cmap="viridis")
untrusted = np.ma.masked_where(trusted.to_numpy().astype(bool), np.ones(table.shape))
ax.pcolor(phi, gamma, untrusted, hatch="///", alpha=0.0, shading="nearest")
ax.set_yscale("log")
ax.set_xlabel(r"$\phi_1$ (freeness of trade after the shock)")
ax.set_ylabel(r"$\gamma_R/\gamma_E$ (relocation over entry cost)")
fig.colorbar(mesh, ax=ax, label=r"$\lambda_R$ (share of the long-run shift by relocation)")
ax.set_title("Baldwin-Okubo: relocation share of the home-market effect", fontsize=10)
fig.tight_layout()
fig.savefig(args.out, dpi=150)
print(f"lambda_R from {np.nanmin(table.to_numpy()):.4f} to {np.nanmax(table.to_numpy()):.4f}; "
      f"figure {args.out}")
