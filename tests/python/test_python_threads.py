"""solve_path(..., threads=N): the threads of one solve, validated like the config key `threads`.

Run by ctest (python_module) with pytest. Accepted values give the same path as one thread (the
solver's answer does not depend on the number of threads); bad values raise ConfigError naming
the field and the allowed range, as `footloose path --threads` and the config key do.
"""
import unittest

import numpy as np

import footloose

RANGE = "1 <= threads <= 64"


class Threads(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.one = footloose.solve_path({"phi1": 0.4}, threads=1)

    def assertSamePath(self, result):
        self.assertTrue(result["converged"])
        for key in ("sn_inf", "aR_inf", "lambda_R", "residual_norm"):
            self.assertEqual(result[key], self.one[key], msg=key)
        self.assertEqual(result["initial_costates"], self.one["initial_costates"])
        self.assertEqual(sorted(result["path"]), sorted(self.one["path"]))
        for column, values in self.one["path"].items():
            self.assertTrue(np.array_equal(result["path"][column], values), msg=column)

    def test_accepted_values_give_the_one_thread_path(self):
        self.assertSamePath(footloose.solve_path({"phi1": 0.4}))  # default: 1
        self.assertSamePath(footloose.solve_path({"phi1": 0.4}, threads=2))
        self.assertSamePath(footloose.solve_path({"phi1": 0.4}, threads=64))
        self.assertSamePath(footloose.solve_path({"phi1": 0.4}, threads=np.int64(2)))
        self.assertSamePath(footloose.solve_path({"phi1": 0.4, "threads": 2}))  # the config key
        self.assertSamePath(footloose.solve_path(None, threads=2))  # baseline phi1 = 0.4

    def test_warm_start_on_two_threads(self):
        warm = footloose.solve_path({"phi1": 0.401}, warm_start=self.one, threads=2)
        cold = footloose.solve_path({"phi1": 0.401}, threads=1)
        self.assertTrue(warm["converged"])
        self.assertAlmostEqual(warm["sn_inf"], cold["sn_inf"], delta=1e-9)

    def assertRejected(self, threads, *fragments, params=None):
        with self.assertRaises(footloose.ConfigError) as caught:
            footloose.solve_path(params if params is not None else {}, threads=threads)
        self.assertEqual(caught.exception.field, "threads")
        message = str(caught.exception)
        self.assertIn("'threads'", message)
        for fragment in fragments:
            self.assertIn(fragment, message)

    def test_bad_values(self):
        self.assertRejected(0, RANGE)
        self.assertRejected(-2, RANGE)
        self.assertRejected(65, RANGE)
        self.assertRejected(2.5, "whole number", RANGE)
        self.assertRejected("2", "a number", RANGE)
        self.assertRejected(True, "a number", RANGE)
        self.assertRejected([2], "a number", RANGE)

    def test_bad_config_key(self):
        with self.assertRaises(footloose.ConfigError) as caught:
            footloose.solve_path({"threads": 0})
        self.assertEqual(caught.exception.field, "threads")
        self.assertIn(RANGE, str(caught.exception))

    def test_model_variants_take_no_threads(self):
        self.assertRejected(2, "single-front", params={"relocation": "type_resolved"})

    def test_given_twice(self):
        with self.assertRaises(ValueError) as caught:
            footloose.solve_path({"threads": 2}, threads=2)
        self.assertIn("twice", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
