// The one list of path outputs: column name → PathPoint member. The `path` arrays of the JSON
// file, the CSV header and the Python module's result["path"] are all generated from it.
#pragma once

#include "models/dynamics.hpp"

namespace footloose {

struct PathColumn {
  const char* name;
  double PathPoint::*member;
};

inline constexpr PathColumn path_columns[] = {
    {"t", &PathPoint::t},
    {"phi", &PathPoint::phi},
    {"K", &PathPoint::K},
    {"K_star", &PathPoint::K_star},
    {"w", &PathPoint::w},
    {"aR", &PathPoint::aR},
    {"W", &PathPoint::W},
    {"S", &PathPoint::S},
    {"P", &PathPoint::P},
    {"W_star", &PathPoint::W_star},
    {"sk", &PathPoint::sk},
    {"sn", &PathPoint::sn},
    {"nw", &PathPoint::nw},
    {"B", &PathPoint::B},
    {"B_star", &PathPoint::B_star},
    {"aD", &PathPoint::aD},
    {"aX", &PathPoint::aX},
    {"aD_star", &PathPoint::aD_star},
    {"aX_star", &PathPoint::aX_star},
    {"relocation_flow", &PathPoint::relocation_flow},  // +inf at t = 0 when aR(0) = 0 < P(0)
    {"entry_rate", &PathPoint::entry_rate},
    {"entry_rate_star", &PathPoint::entry_rate_star},
    {"a_bar", &PathPoint::a_bar},
    {"a_bar_star", &PathPoint::a_bar_star},
    {"omega", &PathPoint::omega},
    {"omega_star", &PathPoint::omega_star},
};

}  // namespace footloose
