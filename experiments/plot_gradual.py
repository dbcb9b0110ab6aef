"""Gradual (linear over D years) against one-shot liberalisation (footloose experiment gradual)."""
import os

from plotstyle import FULL_WIDTH, out_dir, plt, read_csv, save

d = out_dir()
summary = read_csv(os.path.join(d, "gradual.csv"))
paths = read_csv(os.path.join(d, "gradual_paths.csv"))
durations = [r["duration"] for r in summary]
t_max = 1.5 * max(max(durations), 20)

panels = [("phi", r"$\varphi(t)$"), ("sn", r"$s_n$"), ("aR", r"$a_R$"), ("sk", r"$s_k$"),
          ("B_minus_B_star", r"$B-B^*$"), ("omega_star", r"$\omega^*$")]
fig, axes = plt.subplots(2, 3, figsize=(FULL_WIDTH, 4.2), sharex=True)
for i, D in enumerate(durations):
    pts = [r for r in paths if r["duration"] == D and r["t"] <= t_max]
    label = "jump" if D == 0 else f"linear over {D:g} years"
    s = next(r for r in summary if r["duration"] == D)
    if s["converged"] == 1:
        label += rf" ($s_n^\infty$={s['sn_inf']:.5f})"
    else:
        label += f" ({s['status']})"
    for ax, (key, name) in zip(axes.flat, panels):
        ax.plot([r["t"] for r in pts], [r[key] for r in pts], color=f"C{i}", label=label)
for ax, (key, name) in zip(axes.flat, panels):
    ax.set_ylabel(name)
    ax.set_xlim(0, t_max)
for ax in axes[-1]:
    ax.set_xlabel(r"time $t$ (years)")
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.tight_layout(rect=(0, 0.08, 1, 1))
fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False)
save(fig, d, "gradual")
