// Transition paths of the general model: the saddle-path problem (M7) with its boundary
// conditions (docs/model.md Section 3), solved by global collocation or multiple shooting,
// with diagnostics.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/dynamics.hpp"
#include "models/validity.hpp"
#include "solvers/bvp.hpp"
#include "solvers/collocation.hpp"
#include "solvers/continuation.hpp"
#include "solvers/multiple_shooting.hpp"
#include "solvers/worker_team.hpp"

namespace footloose {

enum class TerminalCondition {
  Asymptotic,  // deviation from the curve point ȳ(s) has no unstable and no curve component
  Truncation   // W(T) = S(T) = FI, P(T) = 0
};

// Which BVP method solves the path. Auto: collocation; multiple shooting only if collocation
// fails and the shooting mesh is small enough (docs/solver.md, "Choosing the method").
enum class PathMethod { Auto, Collocation, Shooting };
const char* to_string(PathMethod m);

struct TransitionOptions {
  PathMethod method = PathMethod::Auto;
  bool verify = false;  // also solve with the other method, report the difference
  // Collocation fallbacks after a failed cold start: continuation in γR/γE from 1 (this flag),
  // then in the shock size φ1 − φ0 (auto: then multiple shooting).
  bool gamma_continuation = true;
  // Collocation: target of the error estimate (scaled max over the path, W(0), S(0), P(0) and
  // aR∞, each relative to its typical size) and the first mesh.
  double tolerance = 1e-9;
  // A mesh refinement that stops short of `tolerance` is still accepted (converged_at_stall)
  // below this (0: the solver's default rule); set by the re-solve that tightens λR.
  double acceptance_tolerance = 0.0;
  int collocation_intervals = 80;
  // Collocation: how the error is estimated (docs/solver.md, "Error estimate"): of a solve from a
  // cold guess, and of a warm start on the neighbour's mesh. Deferred correction (on the
  // answer's own mesh, no second solve) estimates the path as halving does, but aR∞'s far
  // smaller error (cancellations along the path; discretisation, not rounding) falls short by
  // more than 5× at 6 % of 180 stress points (halving 2 %): hence halving for cold solves.
  solvers::ErrorEstimate error_estimate = solvers::ErrorEstimate::Halving;
  solvers::ErrorEstimate warm_error_estimate = solvers::ErrorEstimate::DeferredCorrection;
  // Collocation warm starts: false = on the neighbour's mesh (it never coarsens, so along a chain
  // meshes only grow); true = the neighbour's solution moved onto the cold start's first mesh
  // and refined from there (then on the neighbour's mesh if that fails). Sweeps set it
  // (SweepSettings::coarse_warm_meshes).
  bool warm_start_on_coarse_mesh = false;
  int max_intervals = 40000;
  double horizon = 60.0;                 // T (doubled while y(T) is far from the long-run point)
  bool extend_horizon = true;            // allow that doubling (asymptotic condition only)
  double max_terminal_deviation = 1e-4;  // scaled |y(T) − ȳ|: the condition's error is its square
  double time_limit = 120.0;  // seconds for the whole solve (continuation included); 0 = none
  // Multiple shooting: CVODE relative tolerance and Newton tolerance (scaled max-norm residual).
  // 1e-12/1e-11, not 1e-10/1e-8: at slow relocation the residual is weakly sensitive to aR∞, and
  // 1e-8 left aR∞ up to 4e-6 from collocation's (809 stress points; docs/stress.md).
  double rtol = 1e-12;
  double newton_tolerance = 1e-11;
  double stall_factor = 10.0;  // a stalled Newton is accepted (warned) up to this × the tolerance
  TerminalCondition terminal = TerminalCondition::Asymptotic;
  double start_time = 1e-12;       // ε: Euler step from t = 0 when aR(0) = 0 (error O(ε^{1+1/p}))
  double mesh_first = 1e-3;        // first node after ε
  double mesh_ratio = 4.0;         // geometric node spacing near t = 0
  double mesh_switch = 1.0;        // end of the geometric part
  double mesh_max_step = 2.5;      // largest segment afterwards (also |λ₊|·h ≤ 3)
  double max_amplification = 1e4;  // refine the mesh while a segment amplifies more than this
  double split_amplification = 1e3;  // ... splitting every segment that amplifies more than this
  int max_refinements = 4;
  int max_nodes = 4000;  // a mesh needing more nodes fails ("too stiff"), no refinement beyond
  int output_points_per_segment = 8;
  bool check_v2 = true;
  int v2_types = 200;  // type grid for V2
  // Threads inside one solve (collocation's loops over points and intervals; the answer is the
  // same bits on any number): 1 = the calling thread only. Sweeps that already run one chain
  // per core keep 1. `team`, when set, is used instead of `threads` (keep one across solves:
  // starting and joining a thread costs ~50 µs a solve; a team busy elsewhere, e.g. shared by
  // two concurrent solves, runs the loops on the calling thread).
  int threads = 1;
  std::shared_ptr<solvers::WorkerTeam> team;
};

struct SaddleCheck {
  bool ok = false;
  int stable = 0, center = 0, unstable = 0;
  std::vector<double> eigenvalues;  // at the long-run steady state, ascending
};

// The saddle-path check of a spectrum at a long-run point: eigenvalues with |λ| ≤
// center_tolerance are centre ones (r + δ is always an eigenvalue, docs/model.md §3, so the
// tolerance is relative to it); ok when the counts are (stable, 1, unstable) as given.
SaddleCheck classify_saddle(const std::vector<double>& eigenvalues, double center_tolerance,
                            int expected_stable, int expected_unstable);

// λR's error from sn∞'s (λR = (sn_HFT − sn∞)/(sn_HFT − sE)), not below the rounding that sn∞
// carries (32 ε sn∞: where |sn_HFT − sE| is ~1e-8, λR is known to ~1e-7 at best).
double lambda_r_error(double sn_inf_error, double sn_inf, double sn_hft, double sE);

// Error of the answer, estimated a posteriori (collocation: TransitionOptions::error_estimate).
struct PathErrorEstimate {
  bool available = false;
  double sn_inf = 0, aR_inf = 0, lambda_R = 0;  // absolute
  double W0 = 0, S0 = 0, P0 = 0;                // absolute, co-states at t = 0
  double path = 0;                              // max over the path, scaled by typical sizes
};

// The answer of the other method when TransitionOptions::verify is set.
struct Verification {
  bool performed = false;
  solvers::BvpMethod method = solvers::BvpMethod::MultipleShooting;
  bool converged = false;
  double max_difference = 0;  // max |Δ| over sn∞, aR∞, W(0), S(0), P(0)
  std::string message;
};

// What solve_transition solved (recorded in its result).
struct SolvedProblem {
  bool recorded = false;
  Parameters parameters;
  TradePath trade_path;
  InitialStateSpec initial;
};

// The collocation answer a result was warm-started from: with the result itself, the two points
// of the secant predictor of the next warm start along a sweep.
struct WarmStartOrigin {
  SolvedProblem problem;
  solvers::MeshSolution solution;
};

// The (M5) levels the problem of a collocation answer last solved at the points of its mesh,
// at the times the discretisation maps them to (solvers::collocation_point_times): a warm start
// on that mesh starts its root-finds from them.
struct MeshDemandLevels {
  std::vector<double> times;
  std::vector<DemandLevels> levels;
};

struct TransitionResult {
  bool converged = false;
  solvers::BvpSummary bvp;  // the method that produced the answer: termination, ...
  PathErrorEstimate error_estimate;
  Verification verification;
  bool used_continuation = false;  // the full shock was reached by continuation in φ1 − φ0
  std::string message;
  std::vector<PathPoint> path;
  State initial_state{};   // y(0): states and the solved co-states W, S, P at t = 0
  State terminal_state{};  // y(T)
  State long_run{};        // steady state reached: the curve point ȳ(s)
  double sn_inf = 0, sk_inf = 0, aR_inf = 0, nw_inf = 0;
  double sn_hft = 0;    // HFT share at φ1 (reference for λR)
  double lambda_R = 0;  // (sn_HFT − sn∞)/(sn_HFT − sE)
  SaddleCheck saddle;
  ValidityReport validity;
  solvers::ShootingSummary shooting;
  solvers::ContinuationSummary continuation;
  double horizon = 0;
  // Asymptotic condition: scaled distance of y(T) from the long-run point at the final horizon,
  // and whether it is within TransitionOptions::max_terminal_deviation (the condition's error
  // is its square).
  double terminal_deviation = 0;
  bool horizon_ok = true;
  // λR's error estimate is within the tolerance. It is not where |sn_HFT − sE| is tiny (λR
  // divides sn∞'s error, rounding included, by it): then λR is flagged, sn∞ and aR∞ are not.
  bool lambda_r_ok = true;
  double solve_seconds = 0;
  std::vector<std::string> warnings;
  // Set by solve_transition: what it solved, and (converged collocation answers warm-started from
  // another of the same trade path and initial state) that answer. A collocation solve
  // warm-started from this result starts from the secant step through the two when the new
  // parameters continue the same line (and from this answer alone when that fails).
  SolvedProblem problem;
  std::shared_ptr<const WarmStartOrigin> warm_start_origin;

  // Collocation answers that keep their factorised matrix: the (M5) levels at its mesh points.
  std::shared_ptr<const MeshDemandLevels> mesh_levels;

  // Drops what only a warm start from this result needs (the factorised Newton matrix, ~1 MB,
  // and the mesh's (M5) levels): for results that are stored rather than chained.
  void release_solver_cache() {
    bvp.factorisation.reset();
    mesh_levels.reset();
  }

  bool trustworthy() const {
    return converged && saddle.ok && validity.all_ok() && horizon_ok && lambda_r_ok &&
           bvp.termination != solvers::BvpTermination::AccuracyNotReached;
  }
  std::string brief_report() const;
};

// Initial state y(0) of the three states (K, K*, w) for the given specification at φ0.
State initial_states(const Parameters& p, const InitialStateSpec& spec);

// The boundary value problem that solve_transition builds for the full shock (λ = 1), ready
// for any BVP method; its asymptotic condition uses row bases fixed at aR = reference_aR.
// Its rhs and Jacobian keep the (M5) levels of the last state seen at each time (a cache that
// speeds up collocation): one instance serves one thread at a time.
struct PathBvp {
  virtual ~PathBvp() = default;
  solvers::BoundaryValueProblem bvp;
};
std::unique_ptr<PathBvp> make_path_problem(const Parameters& p, const TradePath& phi_path,
                                           const InitialStateSpec& initial,
                                           const TransitionOptions& options, double reference_aR);

// Solves the transition path. warm_start: a solved path of nearby parameters (same options), or
// nullptr for a cold start (continuation in the size of the trade shock φ1 − φ0 only if the
// full shock fails).
TransitionResult solve_transition(const Parameters& p, const TradePath& phi_path,
                                  const InitialStateSpec& initial, const TransitionOptions& options,
                                  const TransitionResult* warm_start = nullptr);

}  // namespace footloose
