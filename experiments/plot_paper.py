"""The paper's figures and results beside the general model (footloose experiment paper):
paper_fig3 (Figure 3), paper_weights (Figures 2 and 5), paper_results (Results 4-7)."""
import os

from plotstyle import FULL_WIDTH, finite, out_dir, plt, read_csv, save

d = out_dir()

# ---- Figure 3 ----
rows = read_csv(os.path.join(d, "paper_fig3.csv"))
c = rows[0]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 2.8))
a = [r["a"] for r in rows]
sigma = c.get("sigma", 4.0)
scale = [x ** (sigma - 1) for x in a]  # gains times a^(sigma-1): the paper's vX, vD become flat


def scaled(key):
    return [r[key] * k if finite(r[key]) else float("nan") for r, k in zip(rows, scale)]


ax1.plot(a, scaled("vX_paper"), "C0", lw=2.2, label=r"paper (13) $v_X$: $(1-\varphi)(B-B^*)/\sigma$")
ax1.plot(a, scaled("vD_paper"), "C1", lw=2.2, label=r"paper (14) $v_D$: $(B-B^*)/\sigma$")
ax1.plot(a, scaled("gain_flow_t0"), "k--", lw=1.1, label=r"true: $[\pi_N(a)-\pi_S(a)]\,a^{\sigma-1}$")
for key, name, ls, ha in (("aX", r"$a_X$", ":", "right"), ("aX_star", r"$a_X^*$", "-.", "left"),
                          ("aD", r"$a_D$", ":", "right")):
    ax1.axvline(c[key], color="0.5", ls=ls, lw=0.8)
    ax1.text(c[key], 0.03, " " + name + " ", transform=ax1.get_xaxis_transform(), ha=ha, va="bottom", fontsize=7.5)
ax1.set_xlim(0, 1.02 * c["aD"])
ax1.set_xlabel(r"type $a$")
ax1.set_ylabel(r"gain flow $\times a^{\sigma-1}$ at $t=0^+$")
ax1.set_title(r"Figure 3: relocation gains at the initial point")
ax1.legend(frameon=False, loc="upper left")
ax2.plot(a, scaled("gain_pv_t0"), "k", label=r"$v(a,0)\,a^{\sigma-1}$ on the solved path")
ax2.plot(a, scaled("pv_paper_frozen"), "C2--", label=r"$t=0$ flow$/(r+\delta)$ ($B,B^*$ frozen)")
ax2.axvline(c["aR_inf"], color="C3", ls=":", lw=1.0, label=r"$a_R^\infty$")
ax2.set_xlim(0, 1.02 * c["aD"])
ax2.set_xlabel(r"type $a$")
ax2.set_ylabel(r"present-value gain $\times a^{\sigma-1}$")
ax2.set_title("True gain with distinct export cut-offs")
ax2.legend(frameon=False, loc="upper left")
fig.tight_layout()
save(fig, d, "paper_fig3")

# ---- Figures 2 and 5 ----
rows = read_csv(os.path.join(d, "paper_weights.csv"))
a = [r["a"] for r in rows]
fig, axes = plt.subplots(1, 3, figsize=(FULL_WIDTH, 2.6), sharey=True)
panels = [("Figure 2: HFT, North", "north", "post_hft"),
          ("Figure 5: instant relocation, North", "north", "post_instant_relocation"),
          ("Figure 5: instant relocation, South", "south", "post_instant_relocation")]
for ax, (title, nation, post) in zip(axes, panels):
    ax.plot(a, [r[f"{nation}_pre"] for r in rows], "C0", label="weights (pre)")
    ax.plot(a, [r[f"{nation}_{post}"] for r in rows], "C3", label="weights (post)")
    ax.plot(a, [r[f"{nation}_post_general"] for r in rows], "k:", lw=1.0, label="general model, long run")
    ax2 = ax.twinx()
    ax2.plot(a, [r["a_pow_1_minus_sigma_plus_rho"] for r in rows], color="0.6", lw=1.0)
    ax2.set_yticks([])
    ax2.grid(False)
    ax.set_title(title)
    ax.set_xlabel(r"type $a$")
axes[0].set_ylabel("revenue weight (normalised)")
axes[0].plot([], [], color="0.6", label=r"$a^{1-\sigma+\rho}$ (shape only, own scale)")
handles, labels = axes[0].get_legend_handles_labels()
fig.tight_layout(rect=(0, 0.1, 1, 1))
fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False)
save(fig, d, "paper_weights")

# ---- Results 4-7 ----
beta = read_csv(os.path.join(d, "paper_beta.csv"))
r5 = read_csv(os.path.join(d, "paper_result5.csv"))
wel = read_csv(os.path.join(d, "paper_welfare.csv"))
tw = read_csv(os.path.join(d, "paper_transition_welfare.csv"))
fig, axes = plt.subplots(2, 2, figsize=(FULL_WIDTH, 5.2))
ax = axes[0, 0]
b = [r["beta"] for r in beta]
ax.plot(b, [r["phi_P"] for r in beta], "k--", label=r"partition $\varphi_P$")
ax.plot(b, [r["phi_S_instant"] for r in beta], "C0-o", ms=3, label=r"sustain $\varphi_S$ (instant selection)")
fb = [r for r in beta if finite(r["phi_S_frozen"])]
ax.plot([r["beta"] for r in fb], [r["phi_S_frozen"] for r in fb], "C1-s", ms=3, label=r"sustain (frozen selection)")
ax.set_xlabel(r"$\beta=\rho/(\sigma-1)$")
ax.set_ylabel(r"$\varphi$")
ax.set_title("Result 4: partition and sustain points")
ax.legend(frameon=False)
ax = axes[0, 1]
for i, bb in enumerate(sorted({r["beta"] for r in r5})):
    for reading, ls in (("instant", "-"), ("frozen", "--")):
        pts = [r for r in r5 if r["beta"] == bb and r["reading"] == reading]
        ax.plot([r["phi"] for r in pts], [r["a_bar_star"] for r in pts], color=f"C{i}", ls=ls,
                label=rf"$\beta$={bb:g}" if reading == "instant" else None)
ax.plot([], [], "k-", label="instant selection")
ax.plot([], [], "k--", label="frozen selection")
ax.set_xlabel(r"$\varphi$ (DD phase)")
ax.set_ylabel(r"$\bar a^*$")
ax.set_title(r"Result 5: South mean $a$ in the DD phase")
ax.legend(frameon=False, ncol=2)
ax = axes[1, 0]
phis = sorted({r["phi"] for r in wel})
top = [max((r for r in wel if r["phi"] == p), key=lambda r: r["sn"]) for p in phis]
ax.plot(phis, [r["mstar_ratio_paper_26"] for r in top], "C3", label=r"paper (26) at $s_n=s_n^{HFT}$")
ax.plot(phis, [r["mstar_ratio_corrected"] for r in top], "k--", label=r"corrected (M4): any $s_n$ on the curve")
ax.set_xlabel(r"$\varphi$")
ax.set_ylabel(r"$\bar m^*_{reloc}/\bar m^*_{no\,reloc}$")
ax.set_title("Results 6-7: small-nation welfare, long run")
ax3 = ax.twinx()
ax3.plot(phis, [r["omega_star_hft"] for r in top], "C0:", label=r"$\omega^*$ long run (right)")
ax3.set_ylabel(r"$\omega^*$")
ax3.grid(False)
h1, l1 = ax.get_legend_handles_labels()
h2, l2 = ax3.get_legend_handles_labels()
ax.legend(h1 + h2, l1 + l2, frameon=False, loc="center left")
ax = axes[1, 1]
ok = [r for r in tw if finite(r["integral_omega_star_gap"])]
ax.plot([r["gamma_ratio"] for r in ok], [r["integral_omega_star_gap"] for r in ok], "C3-o", ms=3,
        label=r"South: $\int(\omega^*-\omega^*_\infty)\,dt$")
ax.plot([r["gamma_ratio"] for r in ok], [r["integral_omega_gap"] for r in ok], "C0-s", ms=3,
        label=r"North: $\int(\omega-\omega_\infty)\,dt$")
ax.axhline(0, color="k", lw=0.6)
ax.set_xscale("log")
ax.set_xlabel(r"$\gamma_R/\gamma_E$")
ax.set_ylabel("transitional welfare gap")
ax.set_title("Result 7 along the transition path")
ax.legend(frameon=False)
fig.tight_layout()
save(fig, d, "paper_results")
