#include "models/revenue_weights.hpp"

namespace footloose {

RevenueWeights revenue_weights(const PathPoint& x, double a) {
  // paper (10): revenue a^{1−σ}B·1[a<aD] + φa^{1−σ}B*·1[a<aX] per North producer (South: B*, aD*,
  // φB, aX*)
  const double home = (a < x.aD ? x.B : 0.0) + (a < x.aX ? x.phi * x.B_star : 0.0);
  const double north = x.K * home + (a < x.aR ? x.K_star * home : 0.0);
  const double south =
      a >= x.aR
          ? x.K_star * ((a < x.aD_star ? x.B_star : 0.0) + (a < x.aX_star ? x.phi * x.B : 0.0))
          : 0.0;
  return {north, south};
}

}  // namespace footloose
