"""Validity map of the single relocation front over (phi1, sE) (footloose experiment validity):
one panel for the instant-relocation limit (gamma_ratio = 0 in the CSV) and one per
gamma_R/gamma_E, with the partition point phi_P = (1-sE)/sE, the sustain point
phi_S = ((1-sE)/sE)^(1/beta) and the HFT full-agglomeration line phi^beta = (1-sE)/sE."""
import math
import os

from matplotlib.lines import Line2D

from plotstyle import FULL_WIDTH, out_dir, plt, read_csv, save

d = out_dir()
rows = read_csv(os.path.join(d, "validity.csv"))
ratios = sorted({r["gamma_ratio"] for r in rows})
beta = rows[0]["rho"] / (rows[0]["sigma"] - 1)


def category(r):
    if r["status"] in ("failed", "skipped"):
        return "failed"
    if r["valid"] == 1:
        return "valid"
    if r["saddle_ok"] == 0:
        return "saddle"
    if r["v0_ok"] == 0:
        return "V0"
    if r["v1_ok"] == 0:
        return "V1"
    return "V2"


styles = {
    "valid": dict(marker="o", color="C2", label="valid"),
    "V2": dict(marker="s", color="C1", label="V2 fails"),
    "V1": dict(marker="D", color="C3", label="V1 fails"),
    "V0": dict(marker="v", color="C4", label=r"V0 fails ($P<0$)"),
    "saddle": dict(marker="^", color="C5", label="saddle check fails"),
    "failed": dict(marker="x", color="0.4", label="not converged"),
}
n = len(ratios)
cols = min(n, 4)
fig, axes = plt.subplots(1, cols, figsize=(FULL_WIDTH, 2.5), sharey=True, squeeze=False)
sE_line = [0.5 + 0.005 * i for i in range(1, 99)]
for ax, ratio in zip(axes.flat, ratios):
    pts = [r for r in rows if r["gamma_ratio"] == ratio]
    for cat, st in styles.items():
        sel = [r for r in pts if category(r) == cat]
        if sel:
            ax.scatter([r["phi1"] for r in sel], [r["sE"] for r in sel], s=14, marker=st["marker"],
                       color=st["color"], linewidths=1.0)
    ax.plot([(1 - s) / s for s in sE_line], sE_line, "k--", lw=0.8)
    ax.plot([((1 - s) / s) ** (1 / beta) for s in sE_line], sE_line, "k:", lw=1.0)
    ax.set_xlim(0, 1)
    ax.set_ylim(min(r["sE"] for r in rows) - 0.03, max(r["sE"] for r in rows) + 0.03)
    ax.set_xlabel(r"$\varphi_1$")
    ax.set_title("instant relocation (static)" if ratio == 0 else rf"$\gamma_R/\gamma_E = {ratio:g}$")
axes.flat[0].set_ylabel(r"$s_E$")
handles = [Line2D([], [], ls="none", marker=st["marker"], color=st["color"], label=st["label"])
           for cat, st in styles.items() if any(category(r) == cat for r in rows)]
handles += [Line2D([], [], color="k", ls="--", lw=0.8, label=r"$\varphi_P=(1-s_E)/s_E$"),
            Line2D([], [], color="k", ls=":", label=r"$\varphi_S=\varphi_{HFT}^{agg}=((1-s_E)/s_E)^{1/\beta}$")]
fig.tight_layout(rect=(0, 0.12, 1, 1))
fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
save(fig, d, "validity")
