"""footloose.sweep: rows against independent cold solve_path calls, DataFrame input, failed points
as rows, bad grids refused before solving; and the notebook-style example runs."""
import math
import os
import subprocess
import sys
import tempfile
import unittest

import pandas as pd

import footloose

RESULT_COLUMNS = ["sn_inf", "sk_inf", "aR_inf", "moved_share", "lambda_R", "converged", "trustworthy",
                  "termination", "error_estimate", "seconds"]


class Sweep(unittest.TestCase):
    def test_grid_rows_equal_cold_solves(self):
        grid = {"sE": 0.6, "phi1": [0.3, 0.4],
                "gamma_R": {"from": 1.0, "to": 100.0, "n": 3, "scale": "log"}}
        frame = footloose.sweep(grid, jobs=2)
        self.assertEqual(list(frame.columns), ["phi1", "gamma_R"] + RESULT_COLUMNS)
        self.assertEqual(len(frame), 6)
        # Product order, last key fastest; log range 1, 10, 100.
        self.assertEqual(list(frame["phi1"]), [0.3, 0.3, 0.3, 0.4, 0.4, 0.4])
        for got, want in zip(frame["gamma_R"], [1.0, 10.0, 100.0] * 2):
            self.assertAlmostEqual(got, want, delta=1e-12 * want)
        for _, row in frame.iterrows():
            cold = footloose.solve_path({"sE": 0.6, "phi1": row["phi1"], "gamma_R": row["gamma_R"]})
            self.assertTrue(row["converged"])
            for key in ("sn_inf", "aR_inf", "lambda_R"):
                self.assertAlmostEqual(row[key], cold[key], delta=1e-8, msg=key)
            self.assertEqual(row["termination"], cold["termination"])

    def test_dataframe_points_and_failed_rows(self):
        points = pd.DataFrame({"phi1": [0.4, 0.02], "method": ["collocation", "shooting"]})
        frame = footloose.sweep(points, jobs=1)
        self.assertEqual(len(frame), 2)
        self.assertTrue(frame.loc[0, "converged"])
        self.assertFalse(frame.loc[1, "converged"])  # shooting refuses phi1 = 0.02: a row, flagged
        self.assertEqual(frame.loc[1, "termination"], "too_stiff")
        self.assertTrue(math.isnan(frame.loc[1, "sn_inf"]))

    def test_bad_grids_are_refused(self):
        cases = [({"phi1": [0.3], "gamma_RR": 2.0}, "gamma_RR"),
                 ({"phi1": {"from": 0.1, "to": 0.5, "n": 0}}, "phi1"),
                 ({"gamma_R": {"from": 0.0, "to": 10.0, "n": 3, "scale": "log"}}, "gamma_R"),
                 ({"sE": [0.6, 1.2]}, "sE")]
        for grid, key in cases:
            with self.assertRaises(footloose.ConfigError) as caught:
                footloose.sweep(grid)
            self.assertIn(key, str(caught.exception))
        with self.assertRaises(TypeError):
            footloose.sweep([0.3, 0.4])


class Example(unittest.TestCase):
    def test_lambda_map_example_runs(self):
        source = os.environ.get("FOOTLOOSE_SOURCE_DIR",
                                os.path.join(os.path.dirname(__file__), "..", ".."))
        script = os.path.join(source, "experiments", "example_lambda_map.py")
        with tempfile.TemporaryDirectory() as out:
            figure = os.path.join(out, "lambda_map.png")
            run = subprocess.run([sys.executable, script, "--small", "--out", figure],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertTrue(os.path.getsize(figure) > 1000)
            self.assertIn("lambda_R", run.stdout)


if __name__ == "__main__":
    unittest.main()
