"""Gradual (linear over D years) against one-shot liberalisation (footloose experiment gradual).

gradual.png: the paths for the first gamma_R/gamma_E of the settings;
gradual_hysteresis.png: sn_inf(D) - sn_inf(jump) against D for every gamma_R/gamma_E."""
import math
import os

from plotstyle import COLUMN_WIDTH, FULL_WIDTH, out_dir, plt, read_csv, save

d = out_dir()
summary = read_csv(os.path.join(d, "gradual.csv"))
paths = read_csv(os.path.join(d, "gradual_paths.csv"))
ratios = sorted({r["gamma_ratio"] for r in summary})
durations = sorted({r["duration"] for r in summary})
t_max = 1.5 * max(max(durations), 20)

# 1. Paths at the first ratio.
ratio = ratios[0]
panels = [("phi", r"$\varphi(t)$"), ("sn", r"$s_n$"), ("aR", r"$a_R$"), ("sk", r"$s_k$"),
          ("B_minus_B_star", r"$B-B^*$"), ("omega_star", r"$\omega^*$")]
fig, axes = plt.subplots(2, 3, figsize=(FULL_WIDTH, 4.2), sharex=True)
for i, D in enumerate(durations):
    s = next(r for r in summary if r["duration"] == D and r["gamma_ratio"] == ratio)
    pts = [r for r in paths if r["duration"] == D and r["gamma_ratio"] == ratio and r["t"] <= t_max]
    label = "jump" if D == 0 else f"linear over {D:g} years"
    if s["converged"] == 1:
        label += rf" ($s_n^\infty$ = {s['sn_inf']:.7f})"
    else:
        label += f" ({s['status']})"
    for ax, (key, name) in zip(axes.flat, panels):
        ax.plot([r["t"] for r in pts], [r[key] for r in pts], color=f"C{i}", label=label)
for ax, (key, name) in zip(axes.flat, panels):
    ax.set_ylabel(name)
    ax.set_xlim(0, t_max)
for ax in axes[-1]:
    ax.set_xlabel(r"time $t$ (years)")
axes[0, 0].set_title(rf"$\gamma_R/\gamma_E = {ratio:g}$", fontsize="medium", loc="left")
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.tight_layout(rect=(0, 0.08, 1, 1))
fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False)
save(fig, d, "gradual")

# 2. Hysteresis: the long run depends on the speed of liberalisation.
fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 2.8))
for i, g in enumerate(ratios):
    rows = [r for r in summary if r["gamma_ratio"] == g and not math.isnan(r["sn_inf_minus_jump"])]
    ax.plot([r["duration"] for r in rows], [1e6 * r["sn_inf_minus_jump"] for r in rows], "o-",
            color=f"C{i}", label=rf"$\gamma_R/\gamma_E = {g:g}$")
ax.axhline(0.0, color="0.5", lw=0.8)
ax.set_xlabel(r"duration $D$ of the linear rise of $\varphi$ (years)")
ax.set_ylabel(r"$10^6 \times (s_n^\infty(D) - s_n^\infty(\mathrm{jump}))$")
ax.legend(frameon=False)
fig.tight_layout()
save(fig, d, "gradual_hysteresis")
