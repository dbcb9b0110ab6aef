"""Tests of the Python module `footloose` (src/python), run with unittest:

    PYTHONPATH=build/python /usr/bin/python3 -m unittest discover -v -s tests/python

(ctest -R python does this, and also sets FOOTLOOSE_PROGRAM to the command-line program.)
Reference values are closed forms of MODEL.md Section 2, computed here independently.
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

# Baseline calibration (MODEL.md Section 4): sigma = 4, rho = 6, sE = 0.6, phi1 = 0.4, T = 60.
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
        program = os.environ.get("FOOTLOOSE_PROGRAM")
        if not program:
            self.skipTest("FOOTLOOSE_PROGRAM (the built footloose program) not set")
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
    """One baseline solve (in a worker thread, to see that the GIL is released), shared."""

    @classmethod
    def setUpClass(cls):
        cls.result, cls.error, cls.ticks = None, None, 0

        def solve():
            try:
                cls.result = footloose.solve_path({})
            except footloose.SolveError as error:
                cls.error = error
                cls.result = error.result

        worker = threading.Thread(target=solve)
        started = time.perf_counter()
        worker.start()
        while worker.is_alive():
            time.sleep(0.01)
            cls.ticks += 1
        worker.join()
        cls.wall_seconds = time.perf_counter() - started

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

    def test_gil_released_while_solving(self):
        if self.wall_seconds < 0.5:
            self.skipTest("solve too fast to tell")
        # Holding the GIL would leave the polling thread a handful of ticks in all.
        self.assertGreater(self.ticks, 0.25 * self.wall_seconds / 0.01)

    def test_baseline_converges(self):
        if self.error is not None:
            self.assertIsInstance(self.error, RuntimeError)
            self.assertFalse(self.result["converged"])
            self.assertEqual(str(self.error), self.result["message"])
            self.fail(f"baseline path did not converge: {self.error}")
        self.assertTrue(self.result["converged"])

    def test_converged_path(self):
        if self.error is not None:
            self.skipTest("baseline path did not converge (see test_baseline_converges)")
        r, path = self.result, self.result["path"]
        self.assertGreater(len(path["t"]), 2)
        self.assertEqual(path["t"][0], 0.0)
        self.assertAlmostEqual(path["t"][-1], T_HORIZON, delta=1e-9)
        self.assertTrue(SE < r["sn_inf"] < SN_HFT, f"sn_inf = {r['sn_inf']}")
        self.assertTrue(0.0 < r["lambda_R"] < 1.0, f"lambda_R = {r['lambda_R']}")
        self.assertAlmostEqual(path["sk"][-1], r["sk_inf"], delta=1e-6)
        self.assertIsInstance(r["V0_ok"], bool)
        self.assertIsInstance(r["V1_ok"], bool)
        # Finite everywhere, except relocation_flow at t = 0, which is +inf when aR(0) = 0 < P(0).
        finite = np.isfinite(np.column_stack([path[k] for k in PATH_KEYS]))
        finite[0, PATH_KEYS.index("relocation_flow")] |= path["relocation_flow"][0] == np.inf
        self.assertTrue(np.all(finite))

    def test_unconverged_result_is_flagged(self):
        # SolveError.result is the dict solve_path(..., allow_unconverged=True) returns.
        if self.error is None:
            self.skipTest("baseline converges: nothing to flag")
        result = self.error.result
        self.assertFalse(result["converged"])
        self.assertFalse(result["trustworthy"])
        self.assertTrue(result["message"])
        self.assertTrue(np.isnan(result["sn_inf"]))
        self.assertIsNone(result["V0_ok"])
        for key in PATH_KEYS:
            self.assertEqual(result["path"][key].shape, result["path"]["t"].shape)

    def test_allow_unconverged_is_keyword_only(self):
        # Validation comes first, so these return at once.
        with self.assertRaises(footloose.ConfigError):
            footloose.solve_path({"sE": 1.2}, allow_unconverged=True)
        with self.assertRaises(TypeError):
            footloose.solve_path({"sE": 1.2}, True)


if __name__ == "__main__":
    unittest.main()
