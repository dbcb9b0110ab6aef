"""The model variants (docs/model.md Section 6) from Python: solve_path with
relocation='type_resolved' reduces to the single front where V2 holds (U_inf = aR_inf^rho within
the first-order error of 100 type cells); timing='optimal' with entry nearly frozen has the
sequential long run; sweep rows equal single solves; bad combinations raise ConfigError naming the
key; warm_start is refused for variants."""
import math
import unittest

import numpy as np

import footloose


class Variants(unittest.TestCase):
    def test_type_resolved_reduces_to_the_front(self):
        front = footloose.solve_path({"phi1": 0.4})
        typed = footloose.solve_path({"phi1": 0.4, "relocation": "type_resolved", "type_cells": 100})
        self.assertTrue(typed["converged"])
        self.assertEqual(typed["relocation"], "type_resolved")
        self.assertLess(abs(typed["U_inf"] / front["aR_inf"] ** 6.0 - 1.0), 5e-3)
        self.assertLess(abs(typed["sn_inf"] - front["sn_inf"]), 1e-4)
        self.assertIsInstance(typed["path"]["U"], np.ndarray)
        self.assertEqual(len(typed["path"]["moved_set"]), len(typed["path"]["t"]))
        frame = footloose.path_frame(typed)
        self.assertIn("U", frame.columns)
        shares = np.array(typed["moved_shares"]["shares"])
        edges = np.array(typed["moved_shares"]["cell_edges"])
        weights = edges[1:] ** 6.0 - edges[:-1] ** 6.0
        self.assertAlmostEqual(float(shares[-1] @ weights), typed["U_inf"], delta=1e-3 * typed["U_inf"])

    def test_optimal_timing_with_frozen_entry_has_the_sequential_long_run(self):
        seq = footloose.solve_path({"phi1": 0.4, "gamma_E": 1e6})
        nash = footloose.solve_path({"phi1": 0.4, "gamma_E": 1e6, "timing": "optimal"})
        self.assertTrue(nash["trustworthy"])
        self.assertAlmostEqual(nash["aR_inf"], seq["aR_inf"], delta=1e-5)
        for column in ("u", "q", "option_value", "surplus"):
            self.assertIsInstance(nash["path"][column], np.ndarray)
        self.assertGreater(nash["q0"], 0.0)

    def test_sweep_rows_equal_single_solves(self):
        frame = footloose.sweep({"phi1": [0.4, 0.5], "relocation": "type_resolved", "type_cells": 50},
                                jobs=2)
        for _, row in frame.iterrows():
            single = footloose.solve_path({"phi1": row["phi1"], "relocation": "type_resolved",
                                           "type_cells": 50})
            self.assertTrue(row["converged"])
            self.assertTrue(math.isnan(row["aR_inf"]))
            self.assertAlmostEqual(row["moved_share"], single["U_inf"], delta=1e-12)
            self.assertAlmostEqual(row["sn_inf"], single["sn_inf"], delta=1e-12)

    def test_bad_combinations(self):
        with self.assertRaises(footloose.ConfigError) as caught:
            footloose.solve_path({"relocation": "type_resolved", "timing": "optimal"})
        self.assertEqual(caught.exception.field, "timing")
        with self.assertRaises(footloose.ConfigError) as caught:
            footloose.solve_path({"type_cells": 10})
        self.assertEqual(caught.exception.field, "type_cells")
        front = footloose.solve_path({"phi1": 0.4})
        with self.assertRaises(ValueError):
            footloose.solve_path({"phi1": 0.4, "timing": "optimal"}, warm_start=front)


if __name__ == "__main__":
    unittest.main()
