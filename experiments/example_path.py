#!/usr/bin/python3
"""Solve the baseline transition path and plot sn, sk and aR against time.

    PYTHONPATH=build/python /usr/bin/python3 experiments/example_path.py OUT.png [KEY=VALUE ...]

KEY=VALUE pairs are config keys (as in the TOML files), e.g. phi1=0.3 gamma_R=2. Left column: the
first time unit on a logarithmic axis (relocation starts as a power of t); right column: the
whole horizon. Dashed lines: the long-run values; for sn also sE and the HFT share.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

try:
    import footloose
except ImportError:  # convenience: the default build directory beside the sources
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "python"))
    import footloose


def parse_value(text):
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    output = argv[1]
    params = {}
    for pair in argv[2:]:
        key, sep, value = pair.partition("=")
        if not sep:
            print(f"example_path.py: expected KEY=VALUE, got '{pair}'", file=sys.stderr)
            return 2
        params[key] = parse_value(value)

    try:
        static = footloose.static_equilibria(params)
        result = footloose.solve_path(params)
    except footloose.ConfigError as error:
        print(f"example_path.py: {error}", file=sys.stderr)
        return 2
    except footloose.SolveError as error:
        print(f"example_path.py: {error}", file=sys.stderr)
        return 1
    print(result["report"])
    for warning in result["warnings"]:
        print(f"warning: {warning}")

    path = result["path"]
    t = path["t"]
    sE = static["parameters"]["sE"]
    rows = [
        ("sn", "North share of firms $s_n$", result["sn_inf"],
         [(sE, "$s_E$"), (static["hft"]["sn"], "HFT")]),
        ("sk", "North share of capital $s_k$", result["sk_inf"], []),
        ("aR", "relocation threshold $a_R$", result["aR_inf"], []),
    ]
    early = (t > 0) & (t <= 1.0)
    fig, axes = plt.subplots(len(rows), 2, figsize=(10, 8), sharey="row")
    for (key, label, long_run, references), (ax_log, ax_lin) in zip(rows, axes):
        ax_log.plot(t[early], path[key][early])
        ax_log.set_xscale("log")
        ax_lin.plot(t, path[key])
        for ax in (ax_log, ax_lin):
            ax.axhline(long_run, color="gray", linestyle="--", linewidth=0.8)
            for value, name in references:
                ax.axhline(value, color="tab:red", linestyle=":", linewidth=0.8)
                ax.annotate(name, (1.0, value), xycoords=("axes fraction", "data"), ha="right",
                            va="bottom", fontsize=8, color="tab:red")
            ax.grid(True, alpha=0.3)
        ax_log.set_ylabel(label)
    axes[-1][0].set_xlabel("t (log scale, t ≤ 1)")
    axes[-1][1].set_xlabel("t")
    p = static["parameters"]
    fig.suptitle(f"Transition after φ: {p['phi0']} → {p['phi1']}  (σ={p['sigma']}, ρ={p['rho']}, "
                 f"sE={p['sE']}, γE={p['gamma_E']}, γR={p['gamma_R']});  "
                 f"λR = {result['lambda_R']:.4f}" + ("" if result["trustworthy"] else "  [NOT trustworthy]"))
    fig.tight_layout()
    fig.savefig(output, dpi=120)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
