// Bratu's problem u'' = −λ e^u on [0, 1], u(0) = u(1) = 0, as a first-order BVP for the solver
// tests: states (u, u'), left unknown z = u'(0). Its closed form (tests/test_collocation.cpp):
// u(x) = −2 ln[cosh((x − ½)θ/2) / cosh(θ/4)] when λ = θ² / (2 cosh²(θ/4)).
#pragma once

#include <cmath>

#include "solvers/bvp.hpp"

namespace footloose::testing {

inline solvers::BoundaryValueProblem bratu(double lambda) {
  solvers::BoundaryValueProblem pb;
  pb.state_size = 2;
  pb.left_free_size = 1;
  pb.rhs = [lambda](double, const double* y, double* f) {
    f[0] = y[1];
    f[1] = -lambda * std::exp(y[0]);
  };
  pb.left_state = [](const double* z, double* y) {
    y[0] = 0.0;
    y[1] = z[0];
  };
  pb.right_residual = [](const double* y, const double*, double* r) { r[0] = y[0]; };
  pb.typical_state = {1.0, 1.0};
  pb.typical_left_free = {1.0};
  return pb;
}

}  // namespace footloose::testing
