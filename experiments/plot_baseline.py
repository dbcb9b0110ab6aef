"""Baseline transition path (footloose experiment baseline): every path output against time,
with the HFT (instant entry) and instant-relocation levels at phi1 as reference lines."""
import os

from plotstyle import FULL_WIDTH, column, finite, out_dir, plt, read_csv, save

d = out_dir()
path = read_csv(os.path.join(d, "baseline.csv"))
ref = {r["level"]: r for r in read_csv(os.path.join(d, "baseline_reference.csv"))}
t = column(path, "t")
T = t[-1]
t_min = max(1e-6, sorted(x for x in t if x > 0)[1])  # skip the start time epsilon
for r in path:
    r["B_gap"] = r["B"] - r["B_star"]
for r in ref.values():
    r["B_gap"] = r["B"] - r["B_star"]

# (title, [(column, label, style)], reference columns to draw)
panels = [
    ("North share of active firms", [("sn", r"$s_n$", "C0")], "sn"),
    ("North share of capital", [("sk", r"$s_k$", "C0")], "sk"),
    ("Relocation front", [("aR", r"$a_R$", "C0")], "aR"),
    ("World active firms", [("nw", r"$n^w$", "C0")], "nw"),
    ("Demand gap", [("B_gap", r"$B-B^*$", "C0")], "B_gap"),
    ("Relocation flow", [("relocation_flow", r"$X/K^* = \dot u$", "C0")], None),
    ("Entry rates", [("entry_rate", r"$\dot K/K$", "C0"), ("entry_rate_star", r"$\dot K^*/K^*$", "C3")], None),
    ("Productivity, North", [("a_bar", r"$\bar a$", "C0")], "a_bar"),
    ("Productivity, South", [("a_bar_star", r"$\bar a^*$", "C3")], "a_bar_star"),
    ("Welfare, North", [("omega", r"$\omega$", "C0")], "omega"),
    ("Welfare, South", [("omega_star", r"$\omega^*$", "C3")], "omega_star"),
    ("Relocation value", [("P", r"$P$", "C0")], None),
]
fig, axes = plt.subplots(4, 3, figsize=(FULL_WIDTH, 8.2), sharex=True)
for ax, (title, series, ref_key) in zip(axes.flat, panels):
    for key, label, colour in series:
        pts = [(x, r[key]) for x, r in zip(t, path) if x >= t_min and finite(r[key])]
        if title == "Relocation flow":  # drop the integration noise once the flow has died out
            top = max(y for _, y in pts)
            pts = [(x, y) for x, y in pts if y > 1e-9 * top]
        ax.plot([x for x, _ in pts], [y for _, y in pts], color=colour, label=label)
    if ref_key:
        ax.axhline(ref["hft"][ref_key], color="k", ls="--", lw=0.9, label="HFT (instant entry)")
        ax.axhline(ref["instant_relocation"][ref_key], color="C2", ls=":", lw=1.3, label="instant relocation")
        ax.axhline(ref["initial"][ref_key], color="0.6", ls="-.", lw=0.8, label=r"autarky ($t<0$)")
    if title == "Relocation flow":
        ax.set_yscale("log")
    ax.set_xscale("log")
    ax.set_xlim(t_min, T)
    ax.set_title(title)
    ax.set_ylabel(", ".join(label for _, label, _ in series))
    if len(series) > 1:
        ax.legend(loc="best", frameon=False)
for ax in axes[-1]:
    ax.set_xlabel(r"time $t$ (years, log scale)")
p = ref["long_run"]
fig.suptitle(rf"Baseline transition: $\varphi$: {ref['initial']['phi']:g} $\to$ {p['phi']:g}, "
             "(sequential-equilibrium timing)", y=1.0)
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.tight_layout(rect=(0, 0.03, 1, 1))
fig.legend(handles[1:], labels[1:], loc="lower center", ncol=3, frameon=False)
save(fig, d, "baseline")
