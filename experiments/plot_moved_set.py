"""The moved set of one type-resolved path in the (t, a) plane, from its JSON file:

    footloose path --config x.toml --json path.json     # with relocation = "type_resolved"
    /usr/bin/python3 experiments/plot_moved_set.py path.json moved_set.png   # also writes .pdf

Shade: moved share of each type cell; lines: the South's export cut-off aX*(t) and the North's
aX(t) (a second moved interval opens just above aX* when V2 of the single front fails)."""
import json
import os
import sys

from plotstyle import COLUMN_WIDTH, moved_set_panel, plt

if len(sys.argv) != 3:
    sys.exit("usage: plot_moved_set.py PATH.json OUT.png")
document = json.load(open(sys.argv[1]))
if document.get("relocation") != "type_resolved":
    sys.exit("plot_moved_set.py: %s is not a relocation = \"type_resolved\" path" % sys.argv[1])
shares = document["moved_shares"]
path = document["path"]
fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 2.6))
mesh = moved_set_panel(ax, shares["times"], shares["cell_edges"], shares["shares"])
t = [x for x in path["t"] if x > 0]
first = len(path["t"]) - len(t)
ax.plot(t, path["aX_star"][first:], color="k", lw=0.7, ls="--", label=r"$a_X^*(t)$")
ax.plot(t, path["aX"][first:], color="0.4", lw=0.7, ls=":", label=r"$a_X(t)$")
p = document["parameters"]
ax.set_title(rf"Moved set: $\varphi_1$ = {p['phi1']:g}, $\gamma_R/\gamma_E$ = {p['gamma_R'] / p['gamma_E']:g}, "
             rf"$U_\infty$ = {document['U_inf']:.4g}")
ax.legend(loc="upper left", framealpha=0.9)
fig.colorbar(mesh, ax=ax, label="moved share")
out = sys.argv[2]
fig.savefig(out, dpi=200)
fig.savefig(os.path.splitext(out)[0] + ".pdf")
print("wrote", out)
