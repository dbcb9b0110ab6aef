"""lambda_R and sn_inf against gamma_R/gamma_E (footloose experiment lambda_r).

Filled markers: trustworthy points (converged, saddle ok, V0/V1/V2 hold); hollow: converged but
flagged (the single relocation front is not valid there); x on the axis: failed or skipped."""
import os

from plotstyle import FULL_WIDTH, finite, out_dir, plt, read_csv, save

d = out_dir()
rows = read_csv(os.path.join(d, "lambda_r.csv"))
phi1s = sorted({r["phi1"] for r in rows})
sEs = sorted({r["sE"] for r in rows})
colours = {phi: f"C{i}" for i, phi in enumerate(phi1s)}
styles = ["-", "--", ":", "-."]
markers = ["o", "s", "^", "D"]

fig, (ax_l, ax_s) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0))
failed_marked = False
for j, sE in enumerate(sEs):
    for phi in phi1s:
        pts = sorted((r for r in rows if r["phi1"] == phi and r["sE"] == sE), key=lambda r: r["gamma_ratio"])
        solved = [r for r in pts if r["converged"] == 1]
        label = rf"$\varphi_1$={phi:g}, $s_E$={sE:g}"
        for ax, key in ((ax_l, "lambda_R"), (ax_s, "sn_inf")):
            x = [r["gamma_ratio"] for r in solved]
            y = [r[key] for r in solved]
            ax.plot(x, y, color=colours[phi], ls=styles[j % 4], lw=1.0, label=label if ax is ax_l else None)
            ok = [r for r in solved if r["valid"] == 1]
            bad = [r for r in solved if r["valid"] != 1]
            ax.plot([r["gamma_ratio"] for r in ok], [r[key] for r in ok], ls="none", marker=markers[j % 4],
                    ms=2.8, color=colours[phi])
            ax.plot([r["gamma_ratio"] for r in bad], [r[key] for r in bad], ls="none", marker=markers[j % 4],
                    ms=4, mfc="none", mec=colours[phi])
            fails = [r for r in pts if r["converged"] != 1]
            if fails:
                failed_marked = True
                ybase = 0.0 if key == "lambda_R" else None
                if ybase is not None:
                    ax.plot([r["gamma_ratio"] for r in fails], [ybase] * len(fails), ls="none", marker="x",
                            ms=4, color=colours[phi])
        # sn_HFT and sE as reference levels on the right panel
        hft = [r["sn_hft"] for r in solved if finite(r["sn_hft"])]
        if hft:
            ax_s.axhline(hft[0], color=colours[phi], ls=styles[j % 4], lw=0.5, alpha=0.6)
    ax_s.axhline(sE, color="k", ls=styles[j % 4], lw=0.6, alpha=0.6)

ax_l.set_xscale("log")
ax_s.set_xscale("log")
ax_l.set_xlabel(r"$\gamma_R/\gamma_E$")
ax_s.set_xlabel(r"$\gamma_R/\gamma_E$")
ax_l.set_ylabel(r"$\lambda_R = (s_n^{HFT}-s_n^\infty)/(s_n^{HFT}-s_E)$")
ax_s.set_ylabel(r"$s_n^\infty$")
ax_l.set_ylim(-0.05, 1.05)
ax_l.set_title(r"Share of the home-market effect done by relocation")
ax_s.set_title(r"Long-run North share $s_n^\infty$ (thin lines: $s_n^{HFT}$, $s_E$)")
from matplotlib.lines import Line2D  # noqa: E402

extra = [Line2D([], [], ls="none", marker="o", color="0.3", ms=3, label="valid (V0, V1, V2)"),
         Line2D([], [], ls="none", marker="o", mfc="none", mec="0.3", ms=4, label="front not valid")]
if failed_marked:
    extra.append(Line2D([], [], ls="none", marker="x", color="0.3", ms=4, label=r"failed (at $\lambda_R$=0)"))
h, l = ax_l.get_legend_handles_labels()
fig.legend(h + extra, l + [e.get_label() for e in extra], loc="center left", bbox_to_anchor=(1.0, 0.5),
           frameon=False)
fig.tight_layout()
save(fig, d, "lambda_r")
