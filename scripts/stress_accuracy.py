#!/usr/bin/env python3
"""Accuracy of the path solver on the answered points of a `footloose stress` run.

For every answered point (class valid or flagged) of a stress JSON (`footloose stress --json`),
solve the point three times with `footloose path`, each in its own process under `timeout`:

  default   method = "collocation", every other setting at its default (tolerance 1e-9, T = 60).
            The program's default method is "auto", which is collocation first; forcing it keeps a
            silent fallback to shooting out of the comparison.
  tight     method = "collocation", tolerance = 1e-11 (100x tighter), T = 120 (doubled).
  shooting  method = "shooting", its default settings (rtol, newton_tol, T).

and report
  1. |default - tight| in sn_inf, aR_inf, lambda_R: worst of each, points above the threshold;
  2. max |collocation - shooting| over sn_inf, aR_inf, W(0), S(0), P(0) where both converged;
  3. whether the default solve's error_estimate of sn_inf and aR_inf bounds |default - tight|;
as Markdown on stdout (and --md), and everything, per point, as JSON (--out).

    python3 scripts/stress_accuracy.py out/stress.json --jobs 2 --out acc.json --md acc.md
    python3 scripts/stress_accuracy.py out/stress.json --limit 20      # first 20 answered points

Valid points carry no config_toml in the stress JSON; their config is rebuilt from `params`
(the 11 config keys, written with Python's shortest round-trip repr, as the stress run does).

Exit codes: 0 the run completed (whatever it found); 2 bad input (missing or malformed stress
JSON, missing binary, bad option, unwritable output directory): nothing is solved.
Python 3 standard library only.
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

CONFIG_KEYS = ("sigma", "rho", "sE", "F", "FI", "delta", "r", "phi0", "phi1", "gamma_E", "gamma_R")
ANSWERED = ("valid", "flagged")
SOLVE_KINDS = ("default", "tight", "shooting")
# The settings each solve adds to the point's parameters (config keys of `footloose path`).
SETTING_KEYS = ("method", "tolerance", "T", "rtol", "newton_tol")


class InputError(Exception):
    """Bad input: reported in one line, exit code 2."""


# ---------------------------------------------------------------------------------------------
# Input


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def load_stress(path):
    if not os.path.exists(path):
        raise InputError(f"stress JSON '{path}' does not exist")
    if not os.path.isfile(path):
        raise InputError(f"stress JSON '{path}' is not a regular file")
    try:
        with open(path, "r", encoding="utf-8") as f:
            doc = json.load(f)
    except json.JSONDecodeError as e:
        raise InputError(f"'{path}' is not valid JSON: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read '{path}': {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("points"), list):
        raise InputError(f"'{path}' is not a footloose stress JSON: no 'points' array at the top level")
    for k, pt in enumerate(doc["points"]):
        if not isinstance(pt, dict) or "class" not in pt:
            raise InputError(f"'{path}': points[{k}] is not a stress point (no 'class')")
        if pt["class"] not in ANSWERED:
            continue
        params = pt.get("params")
        if not isinstance(params, dict):
            raise InputError(f"'{path}': answered point {pt.get('index', k)} has no 'params' object")
        for key in CONFIG_KEYS:
            v = params.get(key)
            if not is_number(v) or not math.isfinite(v):
                raise InputError(f"'{path}': point {pt.get('index', k)}: params.{key} is missing or not a finite number")
        if "config_toml" in pt and not isinstance(pt["config_toml"], str):
            raise InputError(f"'{path}': point {pt.get('index', k)}: config_toml is not a string")
    return doc


def toml_float(v):
    text = repr(float(v))  # shortest round trip, e.g. 0.1, 1e-05, 976.8084133375114
    if not any(c in text for c in ".eEn"):
        text += ".0"
    return text


def point_toml(pt):
    """The point's parameters as a config file. Rebuilt from `params` (valid points have no
    config_toml); where the stress run wrote config_toml, the two must agree exactly."""
    params = pt["params"]
    index = pt.get("index", "?")
    lines = [f"# footloose stress point {index} ({pt['class']})"]
    lines += [f"{key} = {toml_float(params[key])}" for key in CONFIG_KEYS]
    text = "\n".join(lines) + "\n"
    given = pt.get("config_toml")
    if given is not None:
        parsed = {}
        for line in given.splitlines():
            line = line.split("#", 1)[0].strip()
            if "=" in line:
                key, value = (s.strip() for s in line.split("=", 1))
                try:
                    parsed[key] = float(value)
                except ValueError:
                    parsed[key] = value
        for key in CONFIG_KEYS:
            if parsed.get(key) != float(params[key]):
                raise InputError(f"point {index}: config_toml has {key} = {parsed.get(key)!r} but params.{key} = "
                                 f"{params[key]!r}")
        if any(key in parsed for key in SETTING_KEYS):
            raise InputError(f"point {index}: config_toml sets solver settings ({', '.join(k for k in SETTING_KEYS if k in parsed)}); "
                             "this script expects parameters only")
    return text


# ---------------------------------------------------------------------------------------------
# Solves


def solve_settings(args):
    return {
        "default": {"method": "collocation"},
        "tight": {"method": "collocation", "tolerance": args.tight_tolerance, "T": args.tight_T},
        "shooting": {"method": "shooting"},
    }


def settings_toml(settings):
    out = []
    for key, value in settings.items():
        out.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {toml_float(value)}")
    return "\n".join(out) + "\n"


def settings_text(settings):
    return ", ".join(f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v:g}" for k, v in settings.items())


def last_line(text, limit=300):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= limit else line[: limit - 3] + "..."


def failure_message(stdout, stderr):
    """The solver's own reason: the first 'not solved' / 'error' line, else the last line."""
    for text in (stderr, stdout):
        for line in text.splitlines():
            l = line.strip()
            if l and ("not solved" in l or "error" in l.lower() or "not converge" in l):
                return l if len(l) <= 300 else l[:297] + "..."
    return last_line(stderr) or last_line(stdout)


def number(d, key):
    v = d.get(key) if isinstance(d, dict) else None
    return float(v) if is_number(v) else None  # null (non-finite) -> None


def run_solve(binary, timeout, workdir, index, kind, toml_text):
    stem = os.path.join(workdir, f"p{index}_{kind}")
    config, out = stem + ".toml", stem + ".json"
    with open(config, "w", encoding="utf-8") as f:
        f.write(toml_text)
    cmd = ["timeout", "-k", "5", f"{timeout:g}", binary, "path", "--config", config, "--json", out]
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    seconds = time.monotonic() - start
    rec = {"status": None, "exit_code": proc.returncode, "seconds": round(seconds, 3)}
    rc = proc.returncode
    if rc in (124, 137, -9):
        rec["status"] = "timed_out"
        rec["message"] = f"killed by timeout after {timeout:g} s"
    elif rc == 1:
        rec["status"] = "not_converged"
        rec["message"] = failure_message(proc.stdout, proc.stderr)
    elif rc == 2:
        rec["status"] = "bad_input"
        rec["message"] = failure_message(proc.stdout, proc.stderr)
    elif rc != 0:
        rec["status"] = "error"
        rec["message"] = f"exit code {rc}: " + (last_line(proc.stderr) or last_line(proc.stdout))
    else:
        try:
            with open(out, "r", encoding="utf-8") as f:
                d = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            rec["status"] = "error"
            rec["message"] = f"exit code 0 but no readable --json file: {e}"
            d = None
        if d is not None:
            rec["status"] = "converged" if d.get("converged") is True else "not_converged"
            rec["method"] = d.get("method")
            rec["termination"] = d.get("termination")
            rec["trustworthy"] = d.get("trustworthy")
            for key in ("sn_inf", "aR_inf", "lambda_R", "horizon", "mesh_intervals", "newton_iterations",
                        "residual_norm", "solve_seconds"):
                rec[key] = number(d, key)
            c = d.get("initial_costates") or {}
            rec["W0"], rec["S0"], rec["P0"] = number(c, "W"), number(c, "S"), number(c, "P")
            e = d.get("error_estimate")
            rec["error_estimate"] = ({k: number(e, k) for k in ("sn_inf", "aR_inf", "lambda_R", "W0", "S0", "P0",
                                                              "path_scaled")}
                                     if isinstance(e, dict) else None)
            rec["warnings"] = len(d.get("warnings") or [])
            reasons = d.get("untrustworthy_reasons") or []
            rec["untrustworthy_reasons"] = [str(x)[:200] for x in reasons] if isinstance(reasons, list) else [str(reasons)[:200]]
            rec["margins"] = {k: number(d, k) for k in ("V0_margin", "V1_margin", "V2_margin")}
            if rec["status"] != "converged":
                rec["message"] = "file written but converged is not true"
    for path in (config, out):  # path JSONs are ~0.2-1 MB each: do not keep thousands of them
        try:
            os.remove(path)
        except OSError:
            pass
    return rec


# ---------------------------------------------------------------------------------------------
# Comparisons


def absdiff(a, b, key):
    x, y = a.get(key), b.get(key)
    if x is None or y is None:
        return None
    return abs(x - y)


def worst(items):
    """items: (value, index) pairs, value None skipped -> (value, index) of the largest, or (None, None)."""
    best = (None, None)
    for v, i in items:
        if v is None:
            continue
        if math.isnan(v):
            return (v, i)
        if best[0] is None or v > best[0]:
            best = (v, i)
    return best


def differences(a, b, keys):
    """|a - b| per key and their max (nan if one is missing), or None unless both converged."""
    if a["status"] != "converged" or b["status"] != "converged":
        return None
    diffs = {q: absdiff(a, b, q) for q in keys}
    vals = [v for v in diffs.values() if v is not None]
    diffs["max"] = max(vals) if len(vals) == len(keys) else float("nan")
    return diffs


def compare(records, threshold, bound_floor):
    """records: per point {index, class, toml, solves: {kind: rec}, stress: {...}} -> summary, and
    per-point comparison fields added in place."""
    qty = ("sn_inf", "aR_inf", "lambda_R")
    cs_keys = ("sn_inf", "aR_inf", "W0", "S0", "P0")
    for r in records:
        d, t, s = (r["solves"][k] for k in SOLVE_KINDS)
        r["default_vs_tight"] = differences(d, t, qty)
        r["colloc_vs_shooting"] = differences(d, s, cs_keys)
        r["estimate_bound"] = None
        e = d.get("error_estimate")
        if r["default_vs_tight"] is not None and e is not None:
            b = {}
            for q in ("sn_inf", "aR_inf"):
                diff, est = r["default_vs_tight"][q], e.get(q)
                if diff is None or est is None:
                    b[q] = {"difference": diff, "estimate": est, "bounded": None, "ratio": None}
                    continue
                b[q] = {"difference": diff, "estimate": est, "bounded": diff <= est,
                        "beyond_floor": diff > est + bound_floor,
                        "ratio": (diff / est) if est > 0 else (math.inf if diff > 0 else 0.0)}
            r["estimate_bound"] = b
        st = r["stress"]
        r["default_vs_stress_run"] = None
        if d["status"] == "converged" and all(st.get(q) is not None for q in qty):
            r["default_vs_stress_run"] = max(abs(d[q] - st[q]) if d[q] is not None else float("nan") for q in qty)

    summary = {"threshold": threshold, "bound_floor": bound_floor, "points": len(records)}
    # solve statistics
    solves = {}
    for kind in SOLVE_KINDS:
        recs = [r["solves"][kind] for r in records]
        by = {}
        for x in recs:
            by[x["status"]] = by.get(x["status"], 0) + 1
        secs = sorted(x["seconds"] for x in recs)
        solves[kind] = {
            "count": len(recs),
            "by_status": by,
            "converged": by.get("converged", 0),
            "not_trustworthy": sum(1 for x in recs if x["status"] == "converged" and x.get("trustworthy") is False),
            "termination_not_converged": sum(1 for x in recs if x["status"] == "converged" and x.get("termination") != "converged"),
            "seconds_median": secs[len(secs) // 2] if secs else None,
            "seconds_max": secs[-1] if secs else None,
            "seconds_total": round(sum(secs), 3),
        }
    summary["solves"] = solves
    # The trustworthy verdict (saddle, V0-V2) of the same point under another solve.
    flips = {}
    for kind in ("tight", "shooting"):
        flips[kind] = [r["index"] for r in records
                       if r["solves"]["default"]["status"] == "converged" and r["solves"][kind]["status"] == "converged"
                       and r["solves"]["default"].get("trustworthy") != r["solves"][kind].get("trustworthy")]
    summary["verdict_differs_from_default"] = flips

    # 1. default vs tight
    pairs = [r for r in records if r["default_vs_tight"] is not None]
    dt = {"compared": len(pairs), "worst": {}, "above_threshold": {}}
    for q in qty + ("max",):
        v, i = worst((r["default_vs_tight"][q], r["index"]) for r in pairs)
        dt["worst"][q] = {"value": v, "point": i}
        dt["above_threshold"][q] = sum(1 for r in pairs if not (r["default_vs_tight"][q] is not None
                                                                 and r["default_vs_tight"][q] <= threshold))
    dt["points_above_threshold"] = [r["index"] for r in pairs
                                    if not (r["default_vs_tight"]["max"] <= threshold)]
    dt["not_compared"] = [r["index"] for r in records if r["default_vs_tight"] is None]
    summary["default_vs_tight"] = dt

    # 2. collocation vs shooting
    pairs = [r for r in records if r["colloc_vs_shooting"] is not None]
    cs = {"both_converged": len(pairs), "worst": {}}
    for q in cs_keys + ("max",):
        v, i = worst((r["colloc_vs_shooting"][q], r["index"]) for r in pairs)
        cs["worst"][q] = {"value": v, "point": i}
    cs["above_threshold"] = sum(1 for r in pairs if not (r["colloc_vs_shooting"]["max"] <= threshold))
    cs["points_above_threshold"] = [r["index"] for r in pairs if not (r["colloc_vs_shooting"]["max"] <= threshold)]
    cs["shooting_failed"] = [r["index"] for r in records if r["solves"]["shooting"]["status"] != "converged"]
    summary["colloc_vs_shooting"] = cs

    # 3. error estimate bounds |default - tight|
    pairs = [r for r in records if r["estimate_bound"] is not None]
    eb = {"checked": len(pairs), "no_estimate": [r["index"] for r in records
                                                 if r["default_vs_tight"] is not None and r["estimate_bound"] is None]}
    for q in ("sn_inf", "aR_inf"):
        items = [r for r in pairs if r["estimate_bound"][q]["bounded"] is not None]
        v, i = worst((r["estimate_bound"][q]["ratio"], r["index"]) for r in items)
        eb[q] = {"checked": len(items),
                 "violations": sum(1 for r in items if not r["estimate_bound"][q]["bounded"]),
                 "violations_beyond_floor": sum(1 for r in items if r["estimate_bound"][q]["beyond_floor"]),
                 "worst_ratio": v, "worst_ratio_point": i}
    eb["points_violating"] = [r["index"] for r in pairs
                              if any(r["estimate_bound"][q]["bounded"] is False for q in ("sn_inf", "aR_inf"))]
    eb["points_violating_beyond_floor"] = [r["index"] for r in pairs
                                           if any(r["estimate_bound"][q].get("beyond_floor") for q in ("sn_inf", "aR_inf"))]
    summary["estimate_bound"] = eb

    v, i = worst((r["default_vs_stress_run"], r["index"]) for r in records)
    summary["default_vs_stress_run"] = {"compared": sum(1 for r in records if r["default_vs_stress_run"] is not None),
                                        "worst": v, "point": i}
    return summary


# ---------------------------------------------------------------------------------------------
# Report


def g(v, digits=3):
    if v is None:
        return "–"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "inf"
        if v == 0.0:
            return "0"
        return f"{v:.{digits}g}"
    return str(v)


def markdown(meta, summary, records, settings):
    by_index = {r["index"]: r for r in records}
    thr = summary["threshold"]
    L = []
    L.append("# Path solver accuracy on the answered stress points")
    L.append("")
    L.append(f"Command: `{meta['command']}` (in `{meta['cwd']}`)  ")
    st = meta["stress"]
    L.append(f"Input: `{meta['input']}` (stress run N = {g(st.get('n'))}, seed {g(st.get('seed'))}, "
             f"time limit {g(st.get('time_limit'))} s): {st['answered']} answered points "
             f"(valid {st['valid']}, flagged {st['flagged']}); processed {summary['points']}"
             + (f" (--limit {meta['limit']})" if meta["limit"] is not None else "") + ".  ")
    L.append(f"Binary: `{meta['binary']}` (modified {meta['binary_mtime']}, sha256 {meta['binary_sha256'][:12]}, "
             f"copied at the start); `timeout {g(meta['timeout'])}` per solve, "
             f"{meta['jobs']} jobs; started {meta['started']}, {g(meta['wall_seconds'])} s wall.  ")
    L.append(f"Threshold {g(thr)}; differences are absolute.")
    L.append("")
    L.append("## Solves")
    L.append("")
    L.append("| solve | settings | converged | not converged | timed out | other | not trustworthy | termination ≠ converged | median s | max s |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for kind in SOLVE_KINDS:
        s = summary["solves"][kind]
        by = s["by_status"]
        other = sum(v for k, v in by.items() if k not in ("converged", "not_converged", "timed_out"))
        L.append(f"| {kind} | {settings_text(settings[kind])} | {s['converged']} | {by.get('not_converged', 0)} | "
                 f"{by.get('timed_out', 0)} | {other} | {s['not_trustworthy']} | {s['termination_not_converged']} | "
                 f"{g(s['seconds_median'])} | {g(s['seconds_max'])} |")
    L.append("")
    for kind, pts in summary["verdict_differs_from_default"].items():
        if pts:
            parts = []
            for i in pts:
                x = by_index[i]["solves"]
                bad = x[kind] if x["default"].get("trustworthy") else x["default"]
                which = kind if x["default"].get("trustworthy") else "default"
                parts.append(f"{i} ({which} not trustworthy: {'; '.join(bad.get('untrustworthy_reasons') or []) or '?'})")
            L.append(f"Trustworthy verdict differs between default and {kind} at {len(pts)} point(s): " + ", ".join(parts) + ".")
            L.append("")
    rs = summary["default_vs_stress_run"]
    L.append(f"Default re-solve vs the stress run's own answer (max over sn_inf, aR_inf, lambda_R): worst "
             f"{g(rs['worst'])} (point {g(rs['point'])}) over {rs['compared']} points.")
    L.append("")

    dt = summary["default_vs_tight"]
    L.append("## 1. Default vs tight collocation")
    L.append("")
    L.append(f"Points where both converged: {dt['compared']}.")
    L.append("")
    L.append(f"| quantity | worst \\|default − tight\\| | at point | points > {g(thr)} |")
    L.append("|---|---|---|---|")
    for q in ("sn_inf", "aR_inf", "lambda_R", "max"):
        w = dt["worst"][q]
        name = "any of the three" if q == "max" else q
        L.append(f"| {name} | {g(w['value'])} | {g(w['point'])} | {dt['above_threshold'][q]} |")
    L.append("")
    if dt["points_above_threshold"]:
        L.append(f"Points above {g(thr)}:")
        L.append("")
        L.append("| point | class | \\|Δ sn_inf\\| | \\|Δ aR_inf\\| | \\|Δ lambda_R\\| | estimate sn_inf | estimate aR_inf | tight termination |")
        L.append("|---|---|---|---|---|---|---|---|")
        for i in dt["points_above_threshold"]:
            r = by_index[i]
            d = r["default_vs_tight"]
            e = r["solves"]["default"].get("error_estimate") or {}
            L.append(f"| {i} | {r['class']} | {g(d['sn_inf'])} | {g(d['aR_inf'])} | {g(d['lambda_R'])} | "
                     f"{g(e.get('sn_inf'))} | {g(e.get('aR_inf'))} | {r['solves']['tight'].get('termination')} |")
    else:
        L.append(f"No point above {g(thr)}.")
    L.append("")

    cs = summary["colloc_vs_shooting"]
    L.append("## 2. Collocation (default) vs shooting")
    L.append("")
    L.append(f"Points where both converged: {cs['both_converged']}; shooting did not converge on "
             f"{len(cs['shooting_failed'])}" + (f" ({', '.join(map(str, cs['shooting_failed']))})" if cs["shooting_failed"] else "") + ".")
    L.append("")
    L.append(f"| quantity | worst \\|collocation − shooting\\| | at point |")
    L.append("|---|---|---|")
    for q in ("sn_inf", "aR_inf", "W0", "S0", "P0", "max"):
        w = cs["worst"][q]
        name = "max over the five" if q == "max" else q.replace("0", "(0)")
        L.append(f"| {name} | {g(w['value'])} | {g(w['point'])} |")
    L.append("")
    L.append(f"Points with max difference > {g(thr)}: {cs['above_threshold']}.")
    L.append("")
    if cs["points_above_threshold"]:
        L.append("| point | class | max | sn_inf | aR_inf | W(0) | S(0) | P(0) | shooting termination |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for i in cs["points_above_threshold"]:
            r = by_index[i]
            d = r["colloc_vs_shooting"]
            L.append(f"| {i} | {r['class']} | {g(d['max'])} | {g(d['sn_inf'])} | {g(d['aR_inf'])} | {g(d['W0'])} | "
                     f"{g(d['S0'])} | {g(d['P0'])} | {r['solves']['shooting'].get('termination')} |")
        L.append("")

    eb = summary["estimate_bound"]
    L.append("## 3. Does the default solve's error estimate bound |default − tight|?")
    L.append("")
    L.append(f"Points checked: {eb['checked']} (both converged and an estimate reported; without an estimate: "
             f"{len(eb['no_estimate'])}). A violation is |default − tight| > estimate; \"beyond floor\" also "
             f"requires it to exceed estimate + {g(summary['bound_floor'])}. The estimate covers the mesh error of "
             f"the default solve only; the tight solve also changes T, so a violation may be the horizon's share.")
    L.append("")
    L.append("| quantity | checked | violations | beyond floor | worst \\|Δ\\|/estimate | at point |")
    L.append("|---|---|---|---|---|---|")
    for q in ("sn_inf", "aR_inf"):
        e = eb[q]
        L.append(f"| {q} | {e['checked']} | {e['violations']} | {e['violations_beyond_floor']} | "
                 f"{g(e['worst_ratio'])} | {g(e['worst_ratio_point'])} |")
    L.append("")
    if eb["points_violating"]:
        L.append(f"Points violating the bound: {', '.join(map(str, eb['points_violating']))}.")
        L.append("")
    if eb["points_violating_beyond_floor"]:
        L.append(f"Violations beyond the floor:")
        L.append("")
        L.append("| point | class | \\|Δ sn_inf\\| | estimate | \\|Δ aR_inf\\| | estimate |")
        L.append("|---|---|---|---|---|---|")
        for i in eb["points_violating_beyond_floor"]:
            b = by_index[i]["estimate_bound"]
            L.append(f"| {i} | {by_index[i]['class']} | {g(b['sn_inf']['difference'])} | {g(b['sn_inf']['estimate'])} | "
                     f"{g(b['aR_inf']['difference'])} | {g(b['aR_inf']['estimate'])} |")
        L.append("")

    failed = [r for r in records if any(r["solves"][k]["status"] != "converged" for k in SOLVE_KINDS)]
    if failed:
        L.append("## Solves that did not converge")
        L.append("")
        L.append("| point | solve | status | s | message |")
        L.append("|---|---|---|---|---|")
        for r in failed:
            for k in SOLVE_KINDS:
                x = r["solves"][k]
                if x["status"] != "converged":
                    msg = (x.get("message") or "").replace("|", "\\|")
                    L.append(f"| {r['index']} | {k} | {x['status']} | {g(x['seconds'])} | {msg} |")
        L.append("")

    listed = sorted(set(dt["points_above_threshold"]) | set(cs["points_above_threshold"])
                    | set(eb["points_violating_beyond_floor"]))
    if listed:
        L.append("## Configs of the listed points")
        L.append("")
        L.append(f"Above {g(thr)} in 1 or 2, or beyond the floor in 3; reproduce with `footloose path --config X.toml` "
                 "plus the solve's settings.")
        L.append("")
        for i in listed:
            L.append("```toml")
            L.append(by_index[i]["toml"].rstrip("\n"))
            L.append("```")
            L.append("")
    return "\n".join(L).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------


def check_output_target(path, option):
    if path is None:
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise InputError(f"{option}: directory '{directory}' does not exist")
    if not os.access(directory, os.W_OK):
        raise InputError(f"{option}: directory '{directory}' is not writable")
    if os.path.isdir(path):
        raise InputError(f"{option}: '{path}' is a directory")


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".stress_accuracy.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def checked_number(text, convert, kind, holds, requirement):
    """argparse type: text converted by `convert`, refused unless holds(value)."""
    try:
        v = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not {kind}") from None
    if not holds(v):
        raise argparse.ArgumentTypeError(f"'{text}' must be {requirement}")
    return v


def positive_float(text):
    return checked_number(text, float, "a number", lambda v: math.isfinite(v) and v > 0,
                          "a positive number")


def nonneg_float(text):
    return checked_number(text, float, "a number", lambda v: math.isfinite(v) and v >= 0,
                          "a number >= 0")


def positive_int(text):
    return checked_number(text, int, "an integer", lambda v: v >= 1, ">= 1")


def parse_args(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(
        description="Re-solve the answered points of a `footloose stress` JSON: default vs tight collocation, "
                    "collocation vs shooting, and whether the error estimate bounds the difference.",
        epilog="Exit codes: 0 completed; 2 bad input (nothing solved).")
    ap.add_argument("stress_json", help="JSON written by `footloose stress --json`")
    ap.add_argument("--jobs", type=positive_int, default=2, help="solves at a time (default 2)")
    ap.add_argument("--out", help="write the summary and per-point results as JSON")
    ap.add_argument("--md", help="write the Markdown report (also printed on stdout)")
    ap.add_argument("--limit", type=positive_int, help="only the first K answered points")
    ap.add_argument("--binary", default=os.path.join(repo, "build", "footloose"),
                    help="footloose program (default: build/footloose of this repository)")
    ap.add_argument("--timeout", type=positive_float, default=60.0, help="seconds per solve, via timeout(1) (default 60)")
    ap.add_argument("--threshold", type=positive_float, default=1e-8, help="difference to report (default 1e-8)")
    ap.add_argument("--tight-tolerance", type=positive_float, default=1e-11,
                    help="collocation tolerance of the tight solve (default 1e-11 = default/100)")
    ap.add_argument("--tight-T", type=positive_float, default=120.0, help="horizon T of the tight solve (default 120 = 2 x 60)")
    ap.add_argument("--bound-floor", type=nonneg_float, default=1e-12,
                    help="a bound violation counts as 'beyond floor' only if |diff| > estimate + this (default 1e-12)")
    return ap.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        doc = load_stress(args.stress_json)
        binary = args.binary
        if os.sep not in binary:
            binary = shutil.which(binary) or binary
        if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
            raise InputError(f"--binary '{args.binary}' is not an executable file (build it: scripts/build.sh)")
        binary = os.path.abspath(binary)
        if shutil.which("timeout") is None:
            raise InputError("timeout(1) (coreutils) is not on PATH")
        check_output_target(args.out, "--out")
        check_output_target(args.md, "--md")
        answered = [p for p in doc["points"] if p["class"] in ANSWERED]
        selected = answered[: args.limit] if args.limit is not None else answered
        records = []
        for k, pt in enumerate(selected):
            index = pt.get("index", k)
            stress = {q: (float(pt[q]) if is_number(pt.get(q)) else None) for q in ("sn_inf", "aR_inf", "lambda_R")}
            stress["method"] = pt.get("method")
            records.append({"index": index, "class": pt["class"], "flags": pt.get("flags", []),
                            "toml": point_toml(pt), "stress": stress, "solves": {}})
        if len({r["index"] for r in records}) != len(records):
            raise InputError(f"'{args.stress_json}': point indices are not unique")
    except InputError as e:
        print(f"stress_accuracy.py: error: {e}", file=sys.stderr)
        return 2

    settings = solve_settings(args)
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    tasks = [(r, kind) for r in records for kind in SOLVE_KINDS]
    total = len(tasks)
    done = 0
    lock = threading.Lock()
    step = max(1, total // 20)
    print(f"stress_accuracy: {len(records)} answered points ({total} solves), {args.jobs} jobs, "
          f"timeout {args.timeout:g} s each", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="stress_accuracy.") as workdir:
        # Solve with a private copy: a rebuild of the binary during the run (the linker replaces
        # build/footloose) would otherwise fail some solves (exit 126) or mix two builds.
        snapshot = os.path.join(workdir, "footloose")
        shutil.copy2(binary, snapshot)
        with open(snapshot, "rb") as f:
            binary_sha256 = hashlib.sha256(f.read()).hexdigest()
        mtime = datetime.datetime.fromtimestamp(os.path.getmtime(snapshot), datetime.timezone.utc)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(run_solve, snapshot, args.timeout, workdir, r["index"], kind,
                                   r["toml"] + settings_toml(settings[kind])): (r, kind) for r, kind in tasks}
            for fut in concurrent.futures.as_completed(futures):
                r, kind = futures[fut]
                rec = fut.result()
                with lock:
                    r["solves"][kind] = rec
                    done += 1
                    if rec["status"] != "converged":
                        print(f"  point {r['index']} {kind}: {rec['status']} ({rec['seconds']:.1f} s) "
                              f"{rec.get('message', '')}", file=sys.stderr)
                    if done % step == 0 or done == total:
                        print(f"  {done}/{total} solves, {time.monotonic() - t0:.0f} s", file=sys.stderr)
    wall = time.monotonic() - t0

    summary = compare(records, args.threshold, args.bound_floor)
    bad = [r["index"] for r in records for k in SOLVE_KINDS if r["solves"][k]["status"] == "bad_input"]
    meta = {
        "command": " ".join(shlex.quote(a) for a in ["python3", sys.argv[0] or "stress_accuracy.py"] + list(argv)),
        "argv": list(argv),
        "cwd": os.getcwd(),
        "input": args.stress_json,
        "binary": binary,
        "binary_mtime": mtime.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "binary_sha256": binary_sha256,
        "timeout": args.timeout,
        "jobs": args.jobs,
        "limit": args.limit,
        "started": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "wall_seconds": round(wall, 1),
        "stress": {"n": doc.get("n"), "seed": doc.get("seed"), "time_limit": doc.get("time_limit"),
                   "answered": len(answered),
                   "valid": sum(1 for p in answered if p["class"] == "valid"),
                   "flagged": sum(1 for p in answered if p["class"] == "flagged")},
        "settings": settings,
    }
    report = markdown(meta, summary, records, settings)
    if bad:
        report += (f"\n**Warning**: `footloose path` rejected the config (exit 2) of point(s) "
                   f"{', '.join(map(str, sorted(set(bad))))}: the rebuilt TOML or a setting is wrong.\n")
    sys.stdout.write(report)
    sys.stdout.flush()

    def clean(x):  # JSON has no NaN/inf: write null, as footloose does
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    if args.out:
        out = dict(meta)
        out["summary"] = summary
        out["points"] = records
        write_atomically(args.out, json.dumps(clean(out), indent=1, allow_nan=False) + "\n")
    if args.md:
        write_atomically(args.md, report)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("stress_accuracy.py: interrupted", file=sys.stderr)
        sys.exit(130)
