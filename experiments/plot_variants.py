"""The single front beside its variants (footloose experiment variants).

Left: lambda_R against phi1 under the three models at gamma_R = gamma_E (hollow markers: flagged,
not trustworthy; the front is flagged where V2 fails). Middle: the moved share U_inf. Right: the
moved set of the type-resolved path in the (t, a) plane at moved_set_phi1 (shade = moved share of
the type cell), with the single front's aR(t) and the South's export cut-off aX*(t)."""
import os

from plotstyle import FULL_WIDTH, finite, moved_set_panel, out_dir, plt, read_csv, save

d = out_dir()
rows = read_csv(os.path.join(d, "variants.csv"))
styles = {"front": ("C0", "o", "single front"), "type_resolved": ("C3", "s", "type-resolved"),
          "optimal_timing": ("C2", "^", "optimal timing")}
sE0 = min(r["sE"] for r in rows)
ratio0 = min(r["gamma_ratio"] for r in rows)

fig, (ax_l, ax_u, ax_m) = plt.subplots(1, 3, figsize=(FULL_WIDTH, 2.6))
for model, (colour, marker, label) in styles.items():
    pts = sorted((r for r in rows if r["model"] == model and r["sE"] == sE0 and r["gamma_ratio"] == ratio0),
                 key=lambda r: r["phi1"])
    solved = [r for r in pts if finite(r["lambda_R"])]
    for ax, key in ((ax_l, "lambda_R"), (ax_u, "moved_share")):
        ax.plot([r["phi1"] for r in solved], [r[key] for r in solved], color=colour, lw=1.0,
                label=label if ax is ax_l else None)
        ok = [r for r in solved if r["trustworthy"] == 1]
        bad = [r for r in solved if r["trustworthy"] != 1]
        ax.plot([r["phi1"] for r in ok], [r[key] for r in ok], ls="none", marker=marker, ms=3, color=colour)
        ax.plot([r["phi1"] for r in bad], [r[key] for r in bad], ls="none", marker=marker, ms=4.5,
                mfc="none", mec=colour)
ax_l.set_xlabel(r"$\varphi_1$")
ax_u.set_xlabel(r"$\varphi_1$")
ax_l.set_ylabel(r"$\lambda_R$")
ax_u.set_ylabel(r"$U_\infty$ (moved share of South capital)")
ax_l.set_title(rf"$\lambda_R$ ($s_E$ = {sE0:g}, $\gamma_R/\gamma_E$ = {ratio0:g})")
ax_u.set_title("Relocated mass")
ax_l.legend(loc="lower left")

moved_file = os.path.join(d, "variants_moved_set.csv")
if os.path.exists(moved_file):
    cells = read_csv(moved_file)
    times = sorted({r["t"] for r in cells})
    edges = sorted({r["a_lower"] for r in cells} | {r["a_upper"] for r in cells})
    share = {(r["t"], r["a_lower"]): r["share"] for r in cells}
    moved_set_panel(ax_m, times, edges, [[share[(t, a)] for a in edges[:-1]] for t in times])
    front = [r for r in read_csv(os.path.join(d, "variants_front_path.csv")) if r["t"] > 0]
    ax_m.plot([r["t"] for r in front], [r["aR"] for r in front], color="C0", lw=1.0, label=r"front $a_R(t)$")
    ax_m.plot([r["t"] for r in front], [r["aX_star"] for r in front], color="k", lw=0.7, ls="--",
              label=r"$a_X^*(t)$")
    top = max(max(r["aR"] for r in front), max(r["aX_star"] for r in front))
    ax_m.set_ylim(0, min(1.0, 1.15 * max(ax_m.get_ylim()[1] / 1.2, top)))
    ax_m.set_title("Moved set (type-resolved), shade = share")
    ax_m.legend(loc="upper left", framealpha=0.9)
else:
    ax_m.set_axis_off()
fig.tight_layout()
save(fig, d, "variants")
