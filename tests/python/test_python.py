"""Tests of the Python module `footloose` (src/python), run with unittest:

    PYTHONPATH=build/python /usr/bin/python3 -m unittest discover -v -s tests/python

(ctest -R python does this, and also sets FOOTLOOSE_PROGRAM to the command-line program.)
Reference values are closed forms of docs/model.md Section 2, computed here independently.
"""
import json
import os
import subprocess
import tempfile
import threading
import time
import unittest

import numpy as np

import footloose

# Baseline calibration (docs/model.md Section 4): sigma = 4, rho = 6, sE = 0.6, phi1 = 0.4, T = 60.
SE = 0.6
BETA = 6.0 / 3.0
T_HORIZON = 60.0


def hft_sn(phi, sE=SE, beta=BETA):
    """(9): sn = 1/2 + (sE - 1/2)(1 + phi^beta)/(1 - phi^beta)."""
    return 0.5 + (sE - 0.5) * (1.0 + phi ** beta) / (1.0 - phi ** beta)


SN_HFT = 0.5 + 0.1 * 1.16 / 0.84  # hft_sn(0.4) written out

PATH_KEYS = ["t", "sk", "sn", "nw", "aR", "W", "S", "P", "B", "B_star", "aD", "aX", "aD_star",
             "aX_star", "relocation_flow", "entry_rate", "entry_rate_star", "a_bar", "a_bar_star",
             "omega", "omega_star", "phi", "K", "K_star"]
SCALAR_KEYS = ["sn_inf", "sk_inf", "aR_inf", "lambda_R", "converged", "trustworthy",
               "residual_norm", "saddle_ok", "V0_ok", "V1_ok", "V2_ok", "initial_costates",
               "solve_seconds", "warnings", "message"]


class StaticEquilibria(unittest.TestCase):
    def test_baseline_hft_share(self):
        report = footloose.static_equilibria({})
        self.assertAlmostEqual(report["hft"]["sn"], SN_HFT, delta=1e-12)
        self.assertAlmostEqual(footloose.static_equilibria()["hft"]["sn"], SN_HFT, delta=1e-12)

    def test_other_phi_and_numpy_values(self):
        report = footloose.static_equilibria({"phi1": np.float64(0.3), "sigma": np.int64(4)})
        self.assertEqual(report["phi"], 0.3)
        self.assertAlmostEqual(report["hft"]["sn"], hft_sn(0.3), delta=1e-12)

    def test_integers_accepted_for_numbers(self):
        report = footloose.static_equilibria({"sigma": 4, "rho": 6})
        self.assertAlmostEqual(report["hft"]["sn"], SN_HFT, delta=1e-12)

    def test_same_content_as_program_json(self):
        # ctest sets FOOTLOOSE_PROGRAM; otherwise the program next to the module's directory
        # (<build>/python/footloose*.so -> <build>/footloose).
        program = os.environ.get("FOOTLOOSE_PROGRAM") or os.path.join(
            os.path.dirname(os.path.dirname(os.path.abspath(footloose.__file__))), "footloose")
        self.assertTrue(os.access(program, os.X_OK), f"no footloose program at {program}")
        with tempfile.TemporaryDirectory() as work:
            config = os.path.join(work, "run.toml")
            with open(config, "w") as out:
                out.write("phi1 = 0.3\ngamma_R = 2.0\n")
            target = os.path.join(work, "static.json")
            subprocess.run([program, "static", "--config", config, "--json", target], check=True,
                           stdout=subprocess.DEVNULL)
            with open(target) as f:
                expected = json.load(f)
        self.assertEqual(footloose.static_equilibria({"phi1": 0.3, "gamma_R": 2.0}), expected)


class BadInput(unittest.TestCase):
    def assertRejected(self, function, params, field, *fragments):
        with self.assertRaises(ValueError) as caught:
            function(params)
        error = caught.exception
        self.assertIsInstance(error, footloose.ConfigError)
        self.assertEqual(error.field, field)
        message = str(error)
        self.assertIn(f"'{field}'", message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    def test_unknown_key(self):
        for function in (footloose.static_equilibria, footloose.solve_path):
            self.assertRejected(function, {"sigmaa": 4.0}, "sigmaa", "unknown key",
                                "did you mean 'sigma'?")

    def test_sE_out_of_domain(self):
        for function in (footloose.static_equilibria, footloose.solve_path):
            self.assertRejected(function, {"sE": 1.2}, "sE", "1.2", "0.5 < sE < 1")

    def test_rho_not_above_sigma_minus_one(self):
        for rho in (3.0, 2.5):
            for function in (footloose.static_equilibria, footloose.solve_path):
                self.assertRejected(function, {"sigma": 4.0, "rho": rho}, "rho", "rho > sigma - 1")

    def test_wrong_types(self):
        self.assertRejected(footloose.static_equilibria, {"sigma": [4.0]}, "sigma", "a number")
        self.assertRejected(footloose.static_equilibria, {"sigma": None}, "sigma", "a number")
        self.assertRejected(footloose.static_equilibria, {"sigma": "4"}, "sigma", "a number")
        self.assertRejected(footloose.static_equilibria, {"T": True}, "T", "a number")
        self.assertRejected(footloose.static_equilibria, {"phi_path": 1}, "phi_path", "a string")
        with self.assertRaises(TypeError):
            footloose.static_equilibria([("sigma", 4.0)])
        with self.assertRaises(TypeError):
            footloose.static_equilibria({4: 4.0})

    def test_dependent_keys(self):
        self.assertRejected(footloose.solve_path, {"phi_path": "linear"}, "phi_path_time", "required")
        self.assertRejected(footloose.solve_path, {"phi_path_time": 2.0}, "phi_path_time", "only used")


class BaselinePath(unittest.TestCase):
    """One baseline solve, shared by the tests of the result's form and values."""

    @classmethod
    def setUpClass(cls):
        cls.result = footloose.solve_path({})

    def test_result_keys(self):
        for key in SCALAR_KEYS + ["path"]:
            self.assertIn(key, self.result)
        self.assertEqual(sorted(self.result["initial_costates"]), ["P", "S", "W"])
        self.assertIsInstance(self.result["warnings"], list)
        self.assertTrue(all(isinstance(w, str) for w in self.result["warnings"]))

    def test_arrays_equal_length_time_increasing(self):
        path = self.result["path"]
        for key in PATH_KEYS:
            self.assertIn(key, path)
            self.assertIsInstance(path[key], np.ndarray)
            self.assertEqual(path[key].dtype, np.float64)
            self.assertEqual(path[key].shape, path["t"].shape, key)
        self.assertTrue(np.all(np.diff(path["t"]) > 0))

    def test_baseline_converges_and_is_trustworthy(self):
        r = self.result
        self.assertTrue(r["converged"], r["message"])
        self.assertTrue(r["trustworthy"], r["warnings"])
        self.assertEqual(r["termination"], "converged")
        self.assertIs(r["V0_ok"], True)
        self.assertIs(r["V1_ok"], True)
        self.assertIs(r["V2_ok"], True)
        self.assertIs(r["saddle_ok"], True)

    def test_converged_path(self):
        r, path = self.result, self.result["path"]
        self.assertGreater(len(path["t"]), 2)
        self.assertEqual(path["t"][0], 0.0)
        self.assertAlmostEqual(path["t"][-1], T_HORIZON, delta=1e-9)
        self.assertTrue(SE < r["sn_inf"] < SN_HFT, f"sn_inf = {r['sn_inf']}")
        # docs/model.md Section 4: lambda_R ~ 0.995 (to its printed digits); sn_HFT from (9).
        self.assertLessEqual(abs(r["lambda_R"] - 0.995), 5e-4, f"lambda_R = {r['lambda_R']}")
        self.assertAlmostEqual(r["sn_hft"], SN_HFT, delta=1e-14)
        self.assertAlmostEqual(path["sk"][-1], r["sk_inf"], delta=1e-6)
        # Finite everywhere, except relocation_flow at t = 0, which is +inf when aR(0) = 0 < P(0).
        finite = np.isfinite(np.column_stack([path[k] for k in PATH_KEYS]))
        finite[0, PATH_KEYS.index("relocation_flow")] |= path["relocation_flow"][0] == np.inf
        self.assertTrue(np.all(finite))

    def test_allow_unconverged_is_keyword_only(self):
        # Validation comes first, so these return at once.
        with self.assertRaises(footloose.ConfigError):
            footloose.solve_path({"sE": 1.2}, allow_unconverged=True)
        with self.assertRaises(TypeError):
            footloose.solve_path({"sE": 1.2}, True)


# Multiple shooting at phi1 = 0.02: its mesh would need ~4e4 nodes (more than max_nodes = 4000),
# so it refuses at once (termination too_stiff): an unconverged path in a millisecond.
TOO_STIFF = {"phi1": 0.02, "method": "shooting"}


class UnconvergedPath(unittest.TestCase):
    def check_flagged(self, result):
        self.assertFalse(result["converged"])
        self.assertFalse(result["trustworthy"])
        self.assertEqual(result["termination"], "too_stiff")
        self.assertEqual(result["method"], "shooting")
        self.assertIn("too stiff", result["message"])
        self.assertTrue(np.isnan(result["sn_inf"]))
        self.assertTrue(np.isnan(result["lambda_R"]))
        self.assertIsNone(result["V0_ok"])
        self.assertIsNone(result["V1_ok"])
        self.assertIsNone(result["V2_ok"])
        self.assertIsNone(result["solver_state"])
        for key in PATH_KEYS:
            self.assertEqual(result["path"][key].shape, result["path"]["t"].shape)

    def test_solve_error_raised(self):
        with self.assertRaises(footloose.SolveError) as caught:
            footloose.solve_path(TOO_STIFF)
        error = caught.exception
        self.assertIsInstance(error, RuntimeError)
        self.assertIn("too_stiff", str(error))
        self.assertEqual(str(error), error.result["message"])
        self.check_flagged(error.result)

    def test_allow_unconverged_returns_the_flagged_result(self):
        result = footloose.solve_path(TOO_STIFF, allow_unconverged=True)
        self.check_flagged(result)

    def test_same_problem_by_collocation_converges(self):
        # Control: the default method answers the same point.
        result = footloose.solve_path({"phi1": 0.02})
        self.assertTrue(result["converged"])
        self.assertTrue(result["trustworthy"])


class FlaggedPath(unittest.TestCase):
    def test_v2_violation_is_flagged_not_raised(self):
        # phi1 = 0.6 at the baseline: V2 fails (docs/model.md Section 3); converged, so no SolveError.
        result = footloose.solve_path({"phi1": 0.6})
        self.assertTrue(result["converged"])
        self.assertFalse(result["trustworthy"])
        self.assertIs(result["V2_ok"], False)
        self.assertIs(result["V0_ok"], True)
        self.assertIs(result["V1_ok"], True)
        self.assertLess(result["validity"]["V2"]["margin"], -0.1)


class GilReleased(unittest.TestCase):
    """The solve releases the GIL: a Python thread keeps running while another thread solves.

    The worker solves phi1 = 0.01 at tolerance 1e-11 (~0.5 s each in session 7; a small shock
    needs a fine mesh, and the tight tolerance keeps each solve long now that the solver is
    fast: at the default tolerance it took 50 ms and the count below lost its margin) until at
    least 1 s has passed; the main thread meanwhile sleeps 10 ms at a time and counts its
    wake-ups. Were the GIL held through the solve, the main thread could only wake outside the
    solves (their gaps, and ~2 ticks at each solve's ends); released, it wakes ~100 times a
    second.
    """

    def test_gil_released_while_solving(self):
        solves, errors = [], []
        stop_after = 1.0

        def work():
            started = time.perf_counter()
            try:
                while time.perf_counter() - started < stop_after:
                    result = footloose.solve_path({"phi1": 0.01, "tolerance": 1e-11})
                    solves.append(result["solve_seconds"])
            except Exception as error:  # reported below
                errors.append(error)

        worker = threading.Thread(target=work)
        ticks = 0
        started = time.perf_counter()
        worker.start()
        while worker.is_alive():
            time.sleep(0.01)
            ticks += 1
        worker.join()
        wall = time.perf_counter() - started
        self.assertFalse(errors, errors)
        solving = sum(solves)
        # The problem is slow enough to tell: most of the wall time is spent inside the solver.
        self.assertGreater(solving, 0.5 * wall, f"{len(solves)} solves, {solving:.2f} s of {wall:.2f} s")
        self.assertGreaterEqual(wall, stop_after)
        # Held GIL: ticks only outside the solves ((wall - solving)/0.01) and ~2 at each solve's
        # ends. Released: ~wall/0.01 (at least a quarter of it).
        held_at_most = (wall - solving) / 0.01 + 2 * len(solves) + 10
        self.assertGreater(ticks, max(0.25 * wall / 0.01, held_at_most),
                           f"{ticks} ticks in {wall:.2f} s during {len(solves)} solves "
                           f"({solving:.2f} s solving)")


if __name__ == "__main__":
    unittest.main()
