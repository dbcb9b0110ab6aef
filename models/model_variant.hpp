// Which model describes relocation (docs/model.md Section 6): the single front of (M7), or the
// variants of EXTENSION.md — a type-resolved moved set (A) and optimal (Nash) timing of moves (B).
#pragma once

namespace footloose {

enum class RelocationModel {
  Front,        // one relocation front aR(t): types a < aR produce in the North ((M7))
  TypeResolved  // any set of types, a moved share per type cell (Section 6.A)
};

enum class RelocationTiming {
  Sequential,  // a unit moves as soon as its gain covers the congestion cost (the paper's rule)
  Optimal      // each type chooses its date: cost co-state q and option value Ω (Section 6.B)
};

inline const char* to_string(RelocationModel m) {
  return m == RelocationModel::Front ? "front" : "type_resolved";
}
inline const char* to_string(RelocationTiming t) {
  return t == RelocationTiming::Sequential ? "sequential" : "optimal";
}

}  // namespace footloose
