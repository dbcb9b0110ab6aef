"""warm_start, path_frame, version and the site install of the Python module `footloose`.

Run by ctest (python_module) with pytest; each test compares with an independent computation:
a warm-started solve with a cold one, the DataFrame with the result's own arrays, the module's
version with the program's --version.
"""
import os
import subprocess
import unittest

import numpy as np
import pandas as pd

import footloose

HEADLINE = ("sn_inf", "aR_inf", "lambda_R")


class WarmStart(unittest.TestCase):
    def test_warm_equals_cold_at_a_neighbour(self):
        anchor = footloose.solve_path({"phi1": 0.4})
        for phi1 in (0.401, 0.41):
            warm = footloose.solve_path({"phi1": phi1}, warm_start=anchor)
            cold = footloose.solve_path({"phi1": phi1})
            self.assertTrue(warm["converged"] and cold["converged"])
            for key in HEADLINE:
                self.assertAlmostEqual(warm[key], cold[key], delta=1e-9, msg=key)
            for key in ("W", "S", "P"):
                self.assertAlmostEqual(warm["initial_costates"][key], cold["initial_costates"][key],
                                       delta=1e-9, msg=key)

    def test_warm_start_is_used(self):
        # The neighbour is solved at a tighter tolerance, on a finer mesh (about 1000 intervals
        # against 310). A warm start keeps the neighbour's mesh (it never coarsens), a cold solve
        # builds its own from 80 intervals: the mesh size shows which one happened.
        anchor = footloose.solve_path({"phi1": 0.4, "tolerance": 1e-11})
        warm = footloose.solve_path({"phi1": 0.4005}, warm_start=anchor)
        cold = footloose.solve_path({"phi1": 0.4005})
        self.assertTrue(warm["converged"] and cold["converged"])
        self.assertGreater(anchor["mesh_intervals"], 2 * cold["mesh_intervals"])
        self.assertGreaterEqual(warm["mesh_intervals"], anchor["mesh_intervals"])
        self.assertAlmostEqual(warm["sn_inf"], cold["sn_inf"], delta=1e-9)

    def test_bad_warm_start_is_refused(self):
        with self.assertRaises(TypeError):
            footloose.solve_path({"phi1": 0.4}, warm_start=3.0)
        with self.assertRaises(ValueError):
            footloose.solve_path({"phi1": 0.4}, warm_start={"sn_inf": 0.6})

    def test_unconverged_neighbour_means_cold(self):
        # Multiple shooting refuses phi1 = 0.02 at the baseline (too stiff for its mesh).
        failed = footloose.solve_path({"phi1": 0.02, "method": "shooting"}, allow_unconverged=True)
        self.assertFalse(failed["converged"])
        self.assertEqual(failed["termination"], "too_stiff")
        self.assertIsNone(failed["solver_state"])
        result = footloose.solve_path({"phi1": 0.02}, warm_start=failed)
        self.assertTrue(result["converged"])


class PathFrame(unittest.TestCase):
    def test_frame_has_the_path_arrays(self):
        result = footloose.solve_path({"phi1": 0.4})
        frame = footloose.path_frame(result)
        self.assertIsInstance(frame, pd.DataFrame)
        self.assertEqual(set(frame.columns), set(result["path"].keys()))
        self.assertEqual(len(frame), len(result["path"]["t"]))
        np.testing.assert_array_equal(frame["sn"].to_numpy(), result["path"]["sn"])
        self.assertTrue(frame["t"].is_monotonic_increasing)

    def test_not_a_result(self):
        with self.assertRaises(ValueError):
            footloose.path_frame({"sn_inf": 0.6})


class Version(unittest.TestCase):
    def test_version_matches_the_program(self):
        program = os.environ.get("FOOTLOOSE_PROGRAM")
        if not program:
            self.skipTest("FOOTLOOSE_PROGRAM (the built program) not set; ctest sets it")
        out = subprocess.run([program, "--version"], capture_output=True, text=True, check=True)
        self.assertIn(footloose.__version__, out.stdout)
        self.assertIn(footloose.git_commit, out.stdout)


if __name__ == "__main__":
    unittest.main()
