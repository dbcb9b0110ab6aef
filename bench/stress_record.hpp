// The record a `footloose stress` child sends back to the parent, and the parent's classification
// of it (bench/stress.cpp). In a header so that a test can feed the classifier a record by hand
// (e.g. an injected "silent" answer: converged, residual above the tolerance).
#pragma once

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "bench/stress.hpp"
#include "models/transition.hpp"

namespace footloose {

// The record a child sends back (one write(), smaller than PIPE_BUF: atomic).

constexpr std::uint32_t kRecordMagic = 0x53545231;  // "STR1"
enum ChildOutcome : std::int32_t { kConverged = 0, kNotConverged = 1, kThrew = 2 };

struct ChildRecord {
  std::uint32_t magic = 0;
  std::int32_t outcome = kThrew;
  std::int32_t trustworthy = 0, saddle_ok = 0, v0_ok = 0, v1_ok = 0, v2_ok = 0, v2_evaluated = 0;
  std::int32_t newton_converged = 0, newton_iterations = 0, nodes = 0;
  std::int32_t continuation_attempts = 0, continuation_failures = 0, warnings = 0;
  std::int32_t stable = 0, center = 0, unstable = 0;
  std::int32_t method = 0, termination = 0;      // solvers::BvpMethod, solvers::BvpTermination
  double tolerance = NAN, error_estimate = NAN;  // residual tolerance; scaled path error estimate
  double sn_inf = NAN, lambda_R = NAN, aR_inf = NAN, residual = NAN, defect = NAN;
  double amplification = NAN, horizon = NAN, lambda_reached = NAN, solve_seconds = NAN;
  double v0_margin = NAN, v1_margin = NAN, v2_margin = NAN;
  char cause[240] = {};     // the most specific part of the failure message (grouped in the table)
  char shooting[400] = {};  // the last shooting's own failure message
  char message[1200] = {};  // the full message, truncated (or the first warning when converged)
};
static_assert(std::is_trivially_copyable<ChildRecord>::value, "sent as bytes");
static_assert(sizeof(ChildRecord) <= PIPE_BUF, "one atomic write");

// The parent's view of one point.
struct PointResult {
  StressClass cls = StressClass::Failed;
  bool has_record = false;
  ChildRecord record;
  bool silent = false;
  std::string silent_reason;
  std::vector<std::string> flags;  // saddle, V0, V1, V2
  std::string message, cause;
  double seconds = 0;  // wall time of the child, as the parent saw it
};

// Class (valid, flagged, failed), flags (saddle, V0, V1, V2) and the "silent" verdict of a
// complete record (out.record); sets out.cls, flags, message, cause, silent, silent_reason.
void classify_record(PointResult& out);

// The record of one solve, as the stress child sends it to the parent (bench/stress.cpp).
ChildRecord record_of_result(const TransitionResult& r);

}  // namespace footloose
