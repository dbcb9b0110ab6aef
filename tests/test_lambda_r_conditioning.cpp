// λR = (sn_HFT − sn∞)/(sn_HFT − sE) where sn_HFT − sE is ~1e-8 (stress points 175 and 858 of
// `footloose stress --n 1000 --seed 1`): the rounding of sn∞ alone (a few ulps) moves λR by
// ~1e-7, so no mesh can bring it to 1e-8. The error estimate must say so: it bounds the
// difference to a tight solve (tolerance 1e-11, T = 120), and the answer is flagged.
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/path_test_helpers.hpp"

using namespace footloose;
using namespace footloose::testing;

TEST_CASE("lambda_R's error estimate covers its rounding floor where sn_HFT - sE is tiny",
          "[transition][accuracy]") {
  struct Point {
    int index;
    Parameters p;
  };
  std::vector<Point> points(2);
  points[0].index = 175;
  points[0].p = {3.0569230983052194,   8.14148549694511,
                 0.623339331601563,    1.4934946202174624,
                 0.3962350491422503,   0.1330507049855376,
                 0.031744619471094485, 0.0,
                 0.016486951386655947, 1.0,
                 14151.013223020513};
  points[1].index = 858;
  points[1].p = {4.99726924204365,     15.685776462235978,
                 0.5274597840159754,   3.046259563711879,
                 0.08405348735899139,  0.14987660250077875,
                 0.07768437659336416,  0.0,
                 0.021833960465117864, 1.0,
                 1185383.4873610085};
  for (const auto& [index, p] : points) {
    INFO("stress point " << index);
    const TransitionResult r = solve_transition(p, jump(p), {}, TransitionOptions{});
    TransitionOptions tight_options;
    tight_options.tolerance = 1e-11;
    tight_options.horizon = 120.0;
    const TransitionResult tight = solve_transition(p, jump(p), {}, tight_options);
    REQUIRE(r.converged);
    REQUIRE(tight.converged);
    REQUIRE(std::fabs(r.sn_hft - p.sE) < 1e-7);  // the ill-conditioned case
    CHECK(std::fabs(r.sn_inf - tight.sn_inf) < 1e-13);
    const double lambda_difference = std::fabs(r.lambda_R - tight.lambda_R);
    REQUIRE(r.error_estimate.available);
    CHECK(r.error_estimate.lambda_R >= lambda_difference);
    CHECK_FALSE(r.trustworthy());
    CHECK_FALSE(r.lambda_r_ok);
    bool warned = false;
    for (const auto& w : r.warnings)
      warned = warned || w.find("ill-conditioned") != std::string::npos;
    CHECK(warned);
  }
}
