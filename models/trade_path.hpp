// The path of trade freeness φ(t), known at t = 0 (perfect foresight), docs/model.md Section 3.
#pragma once

#include <cmath>
#include <string>

namespace footloose {

enum class TradePathKind { Jump, Linear, Exponential };

struct TradePath {
  TradePathKind kind = TradePathKind::Jump;
  double phi0 = 0.0;      // before t = 0
  double phi1 = 0.4;      // long-run value
  double duration = 0.0;  // Linear: time to go from φ0 to φ1; Exponential: half-life

  double operator()(double t) const {
    switch (kind) {
      case TradePathKind::Jump:
        return phi1;
      case TradePathKind::Linear:
        return t >= duration ? phi1 : phi0 + (phi1 - phi0) * t / duration;
      case TradePathKind::Exponential:
        return phi1 + (phi0 - phi1) * std::exp(-std::log(2.0) * t / duration);
    }
    return phi1;
  }
  // Times where φ(t) is not smooth (shooting nodes are placed there).
  double kink_time() const { return kind == TradePathKind::Linear ? duration : 0.0; }
};

inline const char* to_string(TradePathKind k) {
  switch (k) {
    case TradePathKind::Jump:
      return "jump";
    case TradePathKind::Linear:
      return "linear";
    case TradePathKind::Exponential:
      return "exponential";
  }
  return "?";
}

// Where the path starts (docs/model.md Section 3, boundary conditions at t = 0).
enum class InitialStateKind { Autarky, Hft, Relocation, Explicit };

struct InitialStateSpec {
  InitialStateKind kind = InitialStateKind::Autarky;  // Hft / Relocation: steady state at φ0
  double K = 0.0, K_star = 0.0, aR = 0.0;             // used when kind == Explicit
};

}  // namespace footloose
