#include "models/transition.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "models/static_equilibria.hpp"
#include "solvers/horizon.hpp"
#include "solvers/linearization.hpp"

namespace footloose {

namespace {

// Rounding carried by sn∞ (= n/(n + n*) from the solved states): default and tight solves differ
// by up to ~16 ulps (2e-15 at sn∞ = 0.62, stress points 175, 363, 858), so 32 ε sn∞. λR divides
// it by |sn_HFT − sE|: where that is ~1e-8, λR is known to ~1e-7 at best, whatever the mesh.
double sn_inf_rounding(double sn_inf) {
  return 32.0 * std::numeric_limits<double>::epsilon() * std::fabs(sn_inf);
}

constexpr int kFreeCostates = 3;  // W, S, P at t = 0

// Magnitudes of the unknowns: scaling of Newton and absolute tolerances of CVODE.
std::vector<double> typical_state(const Parameters& p, const State& y0, double w_scale) {
  return {std::max(y0[kCapitalNorth], 1e-3 / p.fI()),
          std::max(y0[kCapitalSouth], 1e-3 / p.fI()),
          w_scale,
          p.FI,
          p.FI,
          p.FI};
}

// Instant-selection relocation steady state at φ (the largest aR the path can reach).
double instant_relocation_threshold(const Parameters& p, double phi) {
  if (phi <= 0.0) return 0.0;
  return instant_relocation(p, phi, SelectionReading::Instant).aR;
}

// A first guess of aR∞: the share of the adjustment done by relocation, λR, is guessed from the
// ratio x = λE/λR of the entry and relocation rates at the instant-relocation point (the stable
// eigenvalues of the (K, K*, W, S) block and of the (w, P) block of the Jacobian of (M7)):
// ln(1/λR − 1) piecewise linear in log10 x through baseline solves (γR/γE = 1, 10, 100, 1e4, 1e6:
// x = 0.152, 0.509, 1.94, 83.4, 8086 and λR = 0.995, 0.957, 0.766, 0.230, 0.052), extrapolated
// with the end slopes. The rates carry what γR/γE alone misses: with β = 1.2 relocation stays
// fast up to γR/γE ~ 1e6 (λR = 0.99 at 7.5e5, where the γR/γE table said 0.08). aR∞ is then
// read off the static curve (M4) at the implied sn.
double relocation_share_from_rates(double x) {
  static const double log_x[] = {-0.818, -0.293, 0.287, 1.921, 3.908};
  static const double log_odds[] = {-5.345, -3.101, -1.186, 1.209, 2.902};
  const double lx = std::log10(std::max(x, 1e-300));
  int k = 0;
  while (k < 3 && lx > log_x[k + 1]) ++k;
  const double slope = (log_odds[k + 1] - log_odds[k]) / (log_x[k + 1] - log_x[k]);
  const double y = log_odds[k] + slope * (lx - log_x[k]);
  return 1.0 / (1.0 + std::exp(std::clamp(y, -700.0, 700.0)));
}

// x = λE/λR at the curve point aR (see above).
double entry_over_relocation_rate(const Parameters& p, double phi, double aR) {
  const GeneralModel model(p, TradePath{TradePathKind::Jump, phi, phi, 0.0});
  const State y = model.steady_state(aR, phi);
  double J[kStateSize * kStateSize];
  model.jacobian_at_phi(phi, y.data(), J);
  const auto at = [&](int i, int j) { return J[i * kStateSize + j]; };
  // (w, P) block [[0, J_wP], [J_Pw, J_PP]]: its stable root
  const double jpp = at(kRelocationValue, kRelocationValue);
  const double relocation =
      0.5 * (jpp - std::sqrt(jpp * jpp + 4.0 * at(kRelocationState, kRelocationValue) *
                                             at(kRelocationValue, kRelocationState)));
  // (K, K*, W, S) block: its most negative eigenvalue
  const int idx[4] = {kCapitalNorth, kCapitalSouth, kValueNorth, kValueSouth};
  Eigen::Matrix4d E;
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) E(a, b) = at(idx[a], idx[b]);
  const Eigen::EigenSolver<Eigen::Matrix4d> es(E);
  double entry = 0.0;
  for (int k = 0; k < 4; ++k) entry = std::min(entry, es.eigenvalues()(k).real());
  if (!(relocation < 0.0) || !(entry < 0.0)) throw std::runtime_error("no stable rates");
  return entry / relocation;
}

double guess_long_run_threshold(const Parameters& p, double phi, double aR_instant) {
  try {
    const double lambda_R =
        relocation_share_from_rates(entry_over_relocation_rate(p, phi, aR_instant));
    const double sn_hft = hft(p, phi).sn;
    const double sn = sn_hft - lambda_R * (sn_hft - p.sE);
    return std::max({corrected_curve_at_sn(p, phi, sn).aR, 1e-3 * aR_instant, 1e-12});
  } catch (const std::exception&) {
    return std::max(0.5 * aR_instant, 1e-12);
  }
}

// Typical size of w = aR^{ρ+σ−1} (scaling of Newton, the error estimate and CVODE's absolute
// tolerance): w at the instant-relocation threshold, the largest aR∞ can be. Shooting uses w at
// the guessed long run when that is smaller: its absolute tolerance on w must resolve w∞ (at
// γR/γE = 1e8, aR∞ ≈ 0.10 against 0.44 and w∞ 1e-6 times smaller: with w(aR_instant) shooting's
// aR∞ was off by 3.5e-5). Collocation keeps w(aR_instant): its tolerance is on the error
// estimate, and a guess far below the answer (small β, slow relocation) made its meshes explode.
// aR_instant and aR_guess: instant_relocation_threshold and guess_long_run_threshold at φ1.
double typical_relocation_state(const Parameters& p, const TradePath& phi_path, double aR_instant,
                                double aR_guess, bool at_guess) {
  const double aR = at_guess ? std::min(aR_guess, aR_instant) : aR_instant;
  return GeneralModel(p, phi_path).state_from_threshold(std::max(aR, 1e-8));
}

// The BVP's free parameter is ln aR∞: the spectrum at the curve point varies like aR^{1−σ}, so
// Newton in the logarithm keeps aR∞ > 0 without a constraint and is far better scaled.
double curve_parameter(double aR) {
  return std::log(aR);
}
double threshold_of_curve_parameter(double s) {
  return std::exp(s);
}

// The boundary value problem for a given trade path.
struct PathProblem : PathBvp {
  GeneralModel model;
  State start;  // y(0) states (co-state entries unused)
  double phi_end;
  double t0;
  Eigen::MatrixXd reference_unstable_rows, reference_center_row;  // set by set_reference()

  // Fixes the row bases of the asymptotic condition at the curve point aR = s_ref.
  // (Kept: a warm start's first residual is at the same point.)
  void set_reference(double s_ref) {
    const solvers::SpectralSplit& split = curve_point(s_ref).split;
    reference_unstable_rows = split.left_unstable;
    reference_center_row = split.left_center;
  }

  PathProblem(const Parameters& p, const TradePath& path, const State& y0,
              const TransitionOptions& o, double w_scale)
      : model(p, path), start(y0), phi_end(path.phi1), t0(o.start_time) {
    bvp.state_size = kStateSize;
    bvp.left_free_size = kFreeCostates;
    bvp.parameter_size = o.terminal == TerminalCondition::Asymptotic ? 1 : 0;
    bvp.rhs = [this](double t, const double* y, double* f) { extended_rhs(t, y, f); };
    bvp.jacobian = [this](double t, const double* y, double* J) { extended_jacobian(t, y, J); };
    bvp.at_points =
        [this](const std::vector<double>& times) -> std::unique_ptr<solvers::PointEvaluator> {
      // A time twice would be one cache entry for two points: those loops stay serial.
      for (size_t k = 1; k < times.size(); ++k)
        if (!(times[k] > times[k - 1])) return nullptr;
      return std::make_unique<LevelsAtPoints>(*this, times);
    };
    bvp.typical_state = typical_state(p, y0, w_scale);
    bvp.typical_left_free = {p.FI, p.FI, p.FI};
    bvp.positive_state = {true, true, true, false, false, false};  // K, K*, w > 0
    if (bvp.parameter_size == 1) {
      bvp.typical_params = {1.0};  // ln aR∞: errors relative to aR∞
    }
    bvp.left_state = [this](const double* z, double* y) { left_state(z, y); };
    if (o.terminal == TerminalCondition::Asymptotic) {
      bvp.right_residual = [this](const double* yT, const double* s, double* r) {
        asymptotic_condition(yT, threshold_of_curve_parameter(s[0]), r);
      };
    } else {
      bvp.right_residual = [this](const double* yT, const double*, double* r) {
        const double FI = model.parameters().FI;  // W(T) = S(T) = FI, P(T) = 0
        r[0] = (yT[kValueNorth] - FI) / FI;
        r[1] = (yT[kValueSouth] - FI) / FI;
        r[2] = yT[kRelocationValue] / FI;
      };
    }
  }

  PathProblem(const PathProblem&) = delete;  // bvp's functions and the cache's links hold `this`
  PathProblem& operator=(const PathProblem&) = delete;

  struct LevelsAtTime {
    State y;
    DemandLevels levels;
    DemandLevelDerivatives derivatives;  // of the levels at y, when has_derivatives
    bool has_derivatives = false;
    // Inserted by a point evaluator for its loop, no levels yet: absent to everyone else (the
    // loop erases it unless it fills it).
    bool pending = false;
    double time = 0.0;
    // The entry looked up right after this one last time (or nullptr): the residuals of an
    // iteration visit the times in the same order, so the next look-up is tried there before
    // the hash table (entries of an unordered_map keep their addresses).
    LevelsAtTime* next = nullptr;
  };
  // The (M5) levels at (t, y). Collocation evaluates the rhs and then the Jacobian at the same
  // points of an iterate, and the next iterate at the same times: the levels of the last y seen
  // at each t are kept, reused when y is the same, else the root-finds start from them, moved to
  // first order in the change of state when their derivatives are known (predicted()).
  // The entry of (t, y), its levels and derivatives those of y.
  const LevelsAtTime& levels_at(double t, const double* y) const {
    LevelsAtTime* entry = last_looked_up && last_looked_up->next && last_looked_up->next->time == t
                              ? last_looked_up->next
                              : nullptr;
    if (!entry) {
      const auto found = levels_by_time.find(t);
      if (found != levels_by_time.end()) entry = &found->second;
    }
    if (entry) {
      move_levels(*entry, t, y);
    } else {
      // Integrators (shooting, one-pass checks) never come back to a time: keep it bounded.
      if (levels_by_time.size() >= kMaxCachedTimes) {
        levels_by_time.clear();
        last_looked_up = nullptr;
        ++cache_clears;
      }
      LevelsAtTime fresh;
      std::copy_n(y, kStateSize, fresh.y.begin());
      fresh.levels = model.demand_levels(t, y, nullptr, fresh.derivatives);
      fresh.has_derivatives = true;
      fresh.time = t;
      entry = &levels_by_time.emplace(t, fresh).first->second;
    }
    if (last_looked_up) last_looked_up->next = entry;
    last_looked_up = entry;
    return *entry;
  }
  // An entry's levels moved to y (kept when y is its state); a pending one's from a cold start.
  void move_levels(LevelsAtTime& entry, double t, const double* y) const {
    if (entry.pending) {
      entry.levels = model.demand_levels(t, y, nullptr, entry.derivatives);
      entry.has_derivatives = true;
      entry.pending = false;
      std::copy_n(y, kStateSize, entry.y.begin());
    } else if (!std::equal(entry.y.begin(), entry.y.end(), y)) {
      const DemandLevels start = entry.has_derivatives ? predicted(entry, y) : entry.levels;
      entry.levels = model.demand_levels(t, y, &start, entry.derivatives);
      entry.has_derivatives = true;
      std::copy_n(y, kStateSize, entry.y.begin());
    }
  }
  // The levels at y to first order from those kept at the entry's state: a start for the
  // root-finds (one Newton step fewer each), the old levels where the change is not small.
  DemandLevels predicted(const LevelsAtTime& entry, const double* y) const {
    const DemandLevelDerivatives& d = entry.derivatives;
    const double dK = y[kCapitalNorth] - entry.y[kCapitalNorth];
    const double dK_star = y[kCapitalSouth] - entry.y[kCapitalSouth];
    // A = aR^θ = w^{θ/(ρ+σ−1)} for 0 < w < 1 (aR < 1): dA = A θ/(ρ+σ−1) dw/w
    const double w0 = entry.y[kRelocationState], w1 = y[kRelocationState];
    const double dA =
        w0 > 0.0 && w0 < 1.0 && w1 > 0.0 && w1 < 1.0
            ? d.A * model.parameters().theta() / model.relocation_exponent() * (w1 - w0) / w0
            : 0.0;
    const auto moved = [](double level, double dlog) {
      return std::fabs(dlog) < 0.5 ? level * (1.0 + dlog) : level;
    };
    DemandLevels out = entry.levels;
    out.B = moved(out.B, d.dlogB_dK * dK + d.dlogB_dK_star * dK_star + d.dlogB_dA * dA);
    out.B_star =
        moved(out.B_star, d.dlogBs_dK * dK + d.dlogBs_dK_star * dK_star + d.dlogBs_dA * dA);
    return out;
  }
  // Starts the (M5) root-finds at the given times from the given levels (those of a nearby
  // problem at the same times), until a state is seen there.
  void seed_levels(const MeshDemandLevels& seed) {
    levels_by_time.reserve(levels_by_time.size() + seed.times.size());
    LevelsAtTime entry;
    entry.y.fill(std::numeric_limits<double>::quiet_NaN());  // matches no state
    for (size_t k = 0; k < seed.times.size(); ++k) {
      entry.levels = seed.levels[k];
      entry.time = seed.times[k];
      levels_by_time.insert_or_assign(seed.times[k], entry);
    }
  }
  // The levels kept at the given times (those without any are left out); the look-ups through
  // the team.
  MeshDemandLevels kept_levels(const std::vector<double>& times, solvers::WorkerTeam* team) const {
    const int n = static_cast<int>(times.size());
    MeshDemandLevels out;
    out.levels.resize(n);
    std::vector<char> kept(n, 0);
    solvers::run_on(team, n, [&](int begin, int end) {
      for (int k = begin; k < end; ++k) {
        if (const LevelsAtTime* entry = kept_entry(times[k])) {
          out.levels[k] = entry->levels;
          kept[k] = 1;
        }
      }
    });
    out.times = times;
    int m = 0;
    for (int k = 0; k < n; ++k) {
      if (!kept[k]) continue;
      out.times[m] = times[k];
      out.levels[m++] = out.levels[k];
    }
    out.times.resize(m);
    out.levels.resize(m);
    return out;
  }
  // The (M5) levels at (t, y) for the outputs of a solved path, without touching the cache: the
  // kept ones when y is the state last seen in `entry` (kept_entry at the time the solver
  // evaluated that point at: a collocation node's t(ξ) differs from the node by rounding), else
  // root-finds started from the levels kept there (collocation: its last iterate) or, with no
  // entry, from `neighbour` (e.g. those of the previous output point; nullptr: a cold
  // root-find). A collocation answer's last residual is at the answer (chord or full Newton
  // steps): its nodes hit.
  DemandLevels output_levels(double t, const LevelsAtTime* entry, const double* y,
                             const DemandLevels* neighbour) const {
    if (!entry) return model.demand_levels(t, y, neighbour);
    if (std::equal(entry->y.begin(), entry->y.end(), y)) return entry->levels;
    return model.demand_levels(t, y, &entry->levels);
  }
  // The entry kept at time t, or nullptr (pending ones included: none is left after a solve).
  const LevelsAtTime* kept_entry(double t) const {
    const auto found = levels_by_time.find(t);
    return found == levels_by_time.end() ? nullptr : &found->second;
  }
  struct TimeBits {  // the bit pattern as the hash (std::hash<double> runs a byte hash)
    size_t operator()(double t) const {
      std::uint64_t bits;
      std::memcpy(&bits, &t, sizeof bits);
      return static_cast<size_t>(bits ^ (bits >> 32));
    }
  };
  static constexpr size_t kMaxCachedTimes = 1 << 16;
  mutable std::unordered_map<double, LevelsAtTime, TimeBits>
      levels_by_time;                              // one solve: written by one thread at a time
  mutable LevelsAtTime* last_looked_up = nullptr;  // by levels_at, in levels_by_time
  mutable std::uint64_t cache_clears = 0;          // levels_by_time.clear() calls so far

  // at_points: levels_at at fixed times, each point on its own entry of levels_by_time (found or
  // inserted pending by begin_loop, on the calling thread), so that the points of a loop touch
  // nothing shared. The entries a loop changes are saved first: end_loop puts back those above a
  // failed point and erases the pending ones left, and the cache is as after the serial loop.
  class LevelsAtPoints : public solvers::PointEvaluator {
   public:
    LevelsAtPoints(const PathProblem& problem, std::vector<double> times)
        : problem_(problem),
          times_(std::move(times)),
          entries_(times_.size(), nullptr),
          saved_(times_.size()),
          changed_(times_.size(), 0),
          cache_clears_(problem.cache_clears) {}

    bool begin_loop() override {
      auto& cache = problem_.levels_by_time;
      if (cache_clears_ != problem_.cache_clears) {  // the entries are gone
        std::fill(entries_.begin(), entries_.end(), nullptr);
        cache_clears_ = problem_.cache_clears;
      }
      size_t missing = 0;
      for (size_t k = 0; k < times_.size(); ++k) {
        if (entries_[k]) continue;
        const auto found = cache.find(times_[k]);
        if (found != cache.end())
          entries_[k] = &found->second;
        else
          ++missing;
      }
      // The serial loop would clear the cache on the way (levels_at): let it.
      if (cache.size() + missing > kMaxCachedTimes) return false;
      LevelsAtTime pending;
      pending.y.fill(std::numeric_limits<double>::quiet_NaN());
      pending.pending = true;
      for (size_t k = 0; k < times_.size(); ++k) {
        if (entries_[k]) continue;
        pending.time = times_[k];
        entries_[k] = &cache.emplace(times_[k], pending).first->second;
      }
      return true;
    }
    // extended_rhs / extended_jacobian with the point's entry for levels_at.
    void rhs(int point, const double* y, double* f) override {
      const double t = times_[point];
      if (y[kRelocationState] < 0.0) return problem_.reflected_rhs(t, y, f);
      const LevelsAtTime& at = levels(point, y);
      problem_.model.rhs(t, y, at.levels, at.derivatives, f);
    }
    void jacobian(int point, const double* y, double* J) override {
      const double t = times_[point];
      if (y[kRelocationState] < 0.0) return problem_.reflected_jacobian(t, y, J);
      problem_.model.jacobian(t, y, levels(point, y).levels, J);
    }
    void end_loop(int failed_point) override {
      for (size_t k = 0; k < times_.size(); ++k) {
        if (!entries_[k]) continue;
        if (changed_[k] && failed_point >= 0 && static_cast<int>(k) > failed_point)
          *entries_[k] = saved_[k];
        changed_[k] = 0;
        if (entries_[k]->pending) {
          problem_.levels_by_time.erase(times_[k]);
          entries_[k] = nullptr;
        }
      }
    }

   private:
    const PathProblem& problem_;
    std::vector<double> times_;
    std::vector<LevelsAtTime*> entries_;  // per point, in levels_by_time (nullptr: to find)
    std::vector<LevelsAtTime> saved_;     // per point, its entry before the loop changed it
    std::vector<char> changed_;           // per point: saved_ holds the entry's earlier value
    std::uint64_t cache_clears_;          // the problem's when entries_ were found

    const LevelsAtTime& levels(int point, const double* y) {
      LevelsAtTime& entry = *entries_[point];
      if (!changed_[point] && (entry.pending || !std::equal(entry.y.begin(), entry.y.end(), y))) {
        saved_[point] = entry;
        changed_[point] = 1;
      }
      problem_.move_levels(entry, times_[point], y);
      return entry;
    }
  };

  // (M7) for w ≥ 0; for w < 0 (Newton iterates only) its point reflection about w = 0,
  // f(w) = 2 f(0) − f(−w): continuous, increasing in w like aR^θ = w^{θ/(ρ+σ−1)}, so that Newton
  // can come back from w < 0 (the model itself reads aR = max(w, 0)^{1/(ρ+σ−1)}, flat there).
  void extended_rhs(double t, const double* y, double* f) const {
    if (y[kRelocationState] >= 0.0) {
      const LevelsAtTime& at = levels_at(t, y);
      return model.rhs(t, y, at.levels, at.derivatives, f);
    }
    reflected_rhs(t, y, f);
  }
  void extended_jacobian(double t, const double* y, double* J) const {
    if (y[kRelocationState] >= 0.0) return model.jacobian(t, y, levels_at(t, y).levels, J);
    reflected_jacobian(t, y, J);
  }
  // The reflections for w < 0 (no cached levels).
  void reflected_rhs(double t, const double* y, double* f) const {
    State at_zero, mirrored;
    std::copy_n(y, kStateSize, at_zero.begin());
    std::copy_n(y, kStateSize, mirrored.begin());
    at_zero[kRelocationState] = 0.0;
    mirrored[kRelocationState] = -y[kRelocationState];
    double f0[kStateSize], fm[kStateSize];
    model.rhs(t, at_zero.data(), f0);
    model.rhs(t, mirrored.data(), fm);
    for (int i = 0; i < kStateSize; ++i) f[i] = 2.0 * f0[i] - fm[i];
  }
  void reflected_jacobian(double t, const double* y, double* J) const {
    State at_zero, mirrored;
    std::copy_n(y, kStateSize, at_zero.begin());
    std::copy_n(y, kStateSize, mirrored.begin());
    at_zero[kRelocationState] = 0.0;
    mirrored[kRelocationState] = -y[kRelocationState];
    double J0[kStateSize * kStateSize], Jm[kStateSize * kStateSize];
    model.jacobian(t, at_zero.data(), J0);
    model.jacobian(t, mirrored.data(), Jm);
    for (int k = 0; k < kStateSize * kStateSize; ++k) J[k] = 2.0 * J0[k] - Jm[k];
    for (int i = 0; i < kStateSize; ++i) {  // ∂/∂w of −f(−w) is +f'(−w)
      J[i * kStateSize + kRelocationState] = Jm[i * kStateSize + kRelocationState];
    }
  }

  // y(t0) from y(0) = (K0, K*0, w0, W0, S0, P0): one Euler step of length ε. The right-hand
  // side depends on aR^θ ∝ t^{1/p} near w = 0, so the step's error is O(ε^{1+1/p}).
  void left_state(const double* z, double* y) const {
    State y0 = start;
    y0[kValueNorth] = z[0];
    y0[kValueSouth] = z[1];
    y0[kRelocationValue] = z[2];
    double f[kStateSize];
    model.rhs(0.0, y0.data(), f);
    for (int i = 0; i < kStateSize; ++i) y[i] = y0[i] + t0 * f[i];
  }

  // Asymptotic boundary condition at the curve point ȳ(s), s = aR∞: the scaled deviation has no
  // component on the unstable left eigenvectors and none on the curve's (zero) left eigenvector.
  // The curve point and its spectrum depend on s only: the last few are kept (the difference
  // columns of the Newton matrix in y(T) evaluate the condition 2n times at the same s, those in
  // s at s ± step between residuals at s; the answer's long run and saddle check read its own).
  struct CurvePoint {
    double s = NAN;
    State ybar{};
    solvers::SpectralSplit split;
  };
  static constexpr int kKeptCurvePoints = 3;
  mutable std::array<CurvePoint, kKeptCurvePoints> kept_curve_points;
  mutable int next_kept_curve_point = 0;  // the slot the next new point replaces

  // The kept curve point at s, or nullptr.
  const CurvePoint* kept_curve_point(double s) const {
    for (const CurvePoint& point : kept_curve_points)
      if (point.s == s) return &point;
    return nullptr;
  }
  // The curve point at s: kept, else computed and kept.
  const CurvePoint& curve_point(double s) const {
    if (const CurvePoint* kept = kept_curve_point(s)) return *kept;
    CurvePoint point;
    point.s = s;
    point.ybar = model.steady_state(s, phi_end);
    point.split = spectrum_at(point.ybar, 1);
    CurvePoint& slot = kept_curve_points[next_kept_curve_point];
    next_kept_curve_point = (next_kept_curve_point + 1) % kKeptCurvePoints;
    slot = std::move(point);
    return slot;
  }
  // The steady state ȳ(aR) at φ: the kept curve point's when there is one at φ = φ_end.
  State steady_state_at(double aR, double phi) const {
    const CurvePoint* kept = phi == phi_end ? kept_curve_point(aR) : nullptr;
    return kept ? kept->ybar : model.steady_state(aR, phi);
  }

  void asymptotic_condition(const double* yT, double s, double* r) const {
    if (!(s > 0.0 && s < 1.0)) throw std::runtime_error("curve coordinate aR outside (0, 1)");
    const CurvePoint& point = curve_point(s);
    const State& ybar = point.ybar;
    const solvers::SpectralSplit& split = point.split;
    if (split.unstable != 3 || split.center != 1) {
      throw std::runtime_error("steady state at aR = " + std::to_string(s) +
                               " is not a saddle with 3 unstable, 1 centre eigenvalues");
    }
    const auto& typ = bvp.typical_state;
    Eigen::VectorXd d(kStateSize);
    for (int i = 0; i < kStateSize; ++i) d(i) = (yT[i] - ybar[i]) / typ[i];
    // Fixed row bases (from the reference point) times the smooth spectral projectors.
    const Eigen::VectorXd ru = reference_unstable_rows * (split.unstable_projector * d);
    const Eigen::VectorXd rc = reference_center_row * (split.center_projector * d);
    for (int i = 0; i < 3; ++i) r[i] = ru(i);
    r[3] = rc(0);
  }

  // Spectrum of the scaled Jacobian D⁻¹ J D at a steady state (analytic Jacobian of (M7)).
  // center_count = 1 takes the eigenvalue nearest 0 as the curve's direction (the asymptotic
  // condition); −1 classifies by a tolerance (the saddle-path check).
  solvers::SpectralSplit spectrum_at(const State& ybar, int center_count = -1) const {
    double Jrow[kStateSize * kStateSize];
    model.jacobian_at_phi(phi_end, ybar.data(), Jrow);
    Eigen::MatrixXd J(kStateSize, kStateSize);
    const auto& D = bvp.typical_state;
    for (int i = 0; i < kStateSize; ++i)
      for (int j = 0; j < kStateSize; ++j) J(i, j) = Jrow[i * kStateSize + j] * D[j] / D[i];
    // Small aR∞ makes the relocation pair ±aR^{1−σ}-large: extended precision (where needed)
    // keeps the slow eigenvalues' digits.
    const double largest = J.cwiseAbs().maxCoeff();
    return solvers::split_spectrum(J, 1e-9 * (1.0 + largest), center_count, true);
  }
};

// Node values of a crude guess. The shock's progress s(t) = (φ(t) − φ0)/(φ1 − φ0) (1 at once
// for a jump) is followed with first-order lags: capital moves from y0 towards ȳ at the entry
// speed; w towards w̄ with a time constant τ consistent with the guessed long-run w̄
// (w̄ − w0 = c∫P) and with the initial gap (1−φ)(B − B*) driving it; P = (dw/dt)/c. W, S at FI.
// For a jump this is w − w0 = (w̄ − w0)(1 − e^{−t/τ}), P = P0 e^{−t/τ}; for a slow ramp the
// guess follows the moving target instead of jumping to ȳ at once.
solvers::MeshSolution cold_guess(const PathProblem& pb, const std::vector<double>& nodes,
                                 double aR_guess) {
  const Parameters& p = pb.model.parameters();
  const TradePath& path = pb.model.trade_path();
  const State ybar = pb.model.steady_state(aR_guess, pb.phi_end);
  const double w0 = pb.start[kRelocationState], wbar = std::max(ybar[kRelocationState], w0);
  MarketState at_start = pb.model.market_state(0.0, pb.start.data());
  at_start.phi = pb.phi_end;  // the gap the shock opens (φ(0) may still be φ0 on gradual paths)
  const TemporaryEquilibrium eq = solve_temporary_equilibrium(p, at_start);
  const double gap = std::max((1.0 - pb.phi_end) * (eq.B - eq.B_star), 1e-12);
  const double speed = (1.0 + 1.0 / p.beta()) / (p.sigma * p.gamma_R * p.FI);  // dw/dt = speed·P
  const double tau = std::max(2.0 * std::sqrt(std::max(wbar - w0, 1e-300) / (speed * gap)), 1e-6);
  const double entry_time = p.gamma_E / 0.3;
  const double phi_span = path.phi1 - path.phi0;
  const auto progress = [&](double t) {
    return phi_span == 0.0 ? 1.0 : std::clamp((path(t) - path.phi0) / phi_span, 0.0, 1.0);
  };
  // Lags R' = (s − R)/T of the progress, by exponential steps (exact for a constant s, so the
  // grid only has to resolve s(t): 1/100 of its time scale, the ramp's duration or half-life).
  double relocation = 0.0, capital = 0.0, t = 0.0;
  const double progress_scale = path.kind == TradePathKind::Jump ? INFINITY : path.duration;
  const auto advance_to = [&](double t_next) {
    const int steps =
        static_cast<int>(std::clamp(std::ceil(100.0 * (t_next - t) / progress_scale), 1.0, 1e4));
    const double h = (t_next - t) / steps;
    for (int k = 0; k < steps; ++k) {
      const double s_mid = progress(t + (k + 0.5) * h);
      relocation = s_mid + (relocation - s_mid) * std::exp(-h / tau);
      capital = s_mid + (capital - s_mid) * std::exp(-h / entry_time);
    }
    t = t_next;
  };
  solvers::MeshSolution g;
  g.nodes = nodes;
  g.states.resize(nodes.size() * kStateSize);
  double P_start = 0.0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    advance_to(nodes[i]);
    const double relocation_rate = (progress(t) - relocation) / tau;  // R'
    double* y = &g.states[i * kStateSize];
    y[kCapitalNorth] =
        pb.start[kCapitalNorth] + capital * (ybar[kCapitalNorth] - pb.start[kCapitalNorth]);
    y[kCapitalSouth] =
        pb.start[kCapitalSouth] + capital * (ybar[kCapitalSouth] - pb.start[kCapitalSouth]);
    y[kRelocationState] = w0 + (wbar - w0) * relocation;
    y[kValueNorth] = p.FI;
    y[kValueSouth] = p.FI;
    y[kRelocationValue] = std::max(wbar - w0, 0.0) * relocation_rate / speed;
    if (i == 0) P_start = y[kRelocationValue];
  }
  g.left_free = {p.FI, p.FI, P_start};
  if (pb.bvp.parameter_size == 1) g.params = {curve_parameter(aR_guess)};
  return g;
}

// Re-targets a solved guess onto a new node set; the parameter vector is reset to the given
// default when the terminal condition changes its size.
solvers::MeshSolution retarget(const solvers::MeshSolution& from, const std::vector<double>& nodes,
                               int param_size, double param_default) {
  solvers::MeshSolution g = solvers::interpolate_guess(from, nodes, kStateSize);
  if (static_cast<int>(g.params.size()) != param_size) g.params.assign(param_size, param_default);
  return g;
}

}  // namespace

std::unique_ptr<PathBvp> make_path_problem(const Parameters& p, const TradePath& phi_path,
                                           const InitialStateSpec& initial,
                                           const TransitionOptions& options, double reference_aR) {
  const State y0 = initial_states(p, initial);
  const double aR_instant = instant_relocation_threshold(p, phi_path.phi1);
  const double aR_guess = guess_long_run_threshold(p, phi_path.phi1, aR_instant);
  auto pb = std::make_unique<PathProblem>(
      p, phi_path, y0, options,
      typical_relocation_state(p, phi_path, aR_instant, aR_guess,
                               options.method == PathMethod::Shooting));
  if (options.terminal == TerminalCondition::Asymptotic) pb->set_reference(reference_aR);
  return pb;
}

State initial_states(const Parameters& p, const InitialStateSpec& spec) {
  State y{};
  GeneralModel model(p, TradePath{TradePathKind::Jump, p.phi0, p.phi0, 0.0});
  switch (spec.kind) {
    case InitialStateKind::Autarky:
      // The curve (M4) at φ = 0, aR = 0: free entry and (M5) market by market. With an interior
      // cut-off this is 2.1's K = E/(β fI); it also covers the corner aD = 1 (fI(β−1) ≥ f).
      y = model.steady_state(0.0, 0.0);
      break;
    case InitialStateKind::Hft:
      y = model.steady_state(0.0, p.phi0);  // the curve (M4) at aR = 0 is the HFT point
      break;
    case InitialStateKind::Relocation: {
      const double aR = instant_relocation_threshold(p, p.phi0);
      y = model.steady_state(aR, p.phi0);
      break;
    }
    case InitialStateKind::Explicit:
      if (!(spec.K > 0.0)) throw ParameterError("K0", spec.K, "K0 > 0");
      if (!(spec.K_star > 0.0)) throw ParameterError("K_star0", spec.K_star, "K_star0 > 0");
      if (!(spec.aR >= 0.0 && spec.aR < 1.0)) throw ParameterError("aR0", spec.aR, "0 <= aR0 < 1");
      y[kCapitalNorth] = spec.K;
      y[kCapitalSouth] = spec.K_star;
      y[kRelocationState] = model.state_from_threshold(spec.aR);
      break;
  }
  y[kValueNorth] = y[kValueSouth] = p.FI;
  y[kRelocationValue] = 0.0;
  return y;
}

std::string TransitionResult::brief_report() const {
  std::ostringstream os;
  os.precision(10);
  os << (converged ? "converged" : "FAILED") << ": sn_inf = " << sn_inf << ", aR_inf = " << aR_inf
     << ", lambda_R = " << lambda_R << ", saddle " << (saddle.ok ? "ok" : "NOT ok") << ", validity "
     << (validity.all_ok() ? "ok" : "FLAGGED") << ", " << solvers::to_string(bvp.method) << " "
     << solvers::to_string(bvp.termination) << ", " << solve_seconds << " s";
  return os.str();
}

namespace {

using Clock = std::chrono::steady_clock;

// What a method run leaves behind for the common epilogue.
struct MethodRun {
  bool converged = false;
  std::unique_ptr<PathProblem> problem;
  solvers::MeshSolution solution;
  std::string message;
};

bool same_problem_family(const SolvedProblem& a, const TradePath& path,
                         const InitialStateSpec& initial) {
  const TradePath& q = a.trade_path;
  const InitialStateSpec& i = a.initial;
  return a.recorded && q.kind == path.kind && q.phi0 == path.phi0 && q.phi1 == path.phi1 &&
         q.duration == path.duration && i.kind == initial.kind && i.K == initial.K &&
         i.K_star == initial.K_star && i.aR == initial.aR;
}

// The secant predictor of a warm start from `from` (answer W, warm-started from the origin O):
// the step k such that the parameters p continue the line O → W (p − W = k (W − O), in the
// logarithm of the fields that are positive at all three points, linearly otherwise), with
// 0 < k ≤ 2, the same trade path and initial state throughout and O on W's mesh. 0: none.
double secant_step(const TransitionResult& from, const Parameters& p, const TradePath& path,
                   const InitialStateSpec& initial) {
  const WarmStartOrigin* origin = from.warm_start_origin.get();
  if (!origin || !from.converged || from.bvp.method != solvers::BvpMethod::Collocation ||
      !same_problem_family(from.problem, path, initial) ||
      !same_problem_family(origin->problem, path, initial))
    return 0.0;
  const solvers::MeshSolution &w = from.bvp.solution, &o = origin->solution;
  if (o.nodes != w.nodes || o.time_stretch != w.time_stretch ||
      o.states.size() != w.states.size() || o.midpoints.size() != w.midpoints.size() ||
      o.left_free.size() != w.left_free.size() || o.params.size() != w.params.size())
    return 0.0;
  std::vector<double> back, ahead;  // W − O and p − W per field
  for (const ParameterDomain& d : parameter_domains()) {
    const double a = origin->problem.parameters.*d.field, b = from.problem.parameters.*d.field,
                 c = p.*d.field;
    const bool logarithmic = a > 0.0 && b > 0.0 && c > 0.0;
    back.push_back(logarithmic ? std::log(b / a) : b - a);
    ahead.push_back(logarithmic ? std::log(c / b) : c - b);
  }
  size_t lead = 0;
  for (size_t j = 1; j < back.size(); ++j)
    if (std::fabs(back[j]) > std::fabs(back[lead])) lead = j;
  if (back[lead] == 0.0) return 0.0;
  const double k = ahead[lead] / back[lead];
  if (!(k > 0.0 && k <= 2.0)) return 0.0;
  for (size_t j = 0; j < back.size(); ++j)
    if (std::fabs(ahead[j] - k * back[j]) >
        1e-9 * (std::fabs(ahead[j]) + std::fabs(back[j])) + 1e-15)
      return 0.0;
  return k;
}

// W + k (W − O), componentwise, on W's mesh (secant_step checked that the two fit).
solvers::MeshSolution secant_prediction(const TransitionResult& from, double k) {
  solvers::MeshSolution g = from.bvp.solution;
  const solvers::MeshSolution& o = from.warm_start_origin->solution;
  const auto step = [k](std::vector<double>& x, const std::vector<double>& back) {
    for (size_t i = 0; i < x.size(); ++i) x[i] += k * (x[i] - back[i]);
  };
  step(g.states, o.states);
  step(g.midpoints, o.midpoints);
  step(g.left_free, o.left_free);
  step(g.params, o.params);
  return g;
}

// Everything both methods share: the initial state, the long-run guess, the homotopy in the
// shock size, and the horizon check.
struct PathSetup {
  const Parameters& p;
  const TradePath& phi_path;
  InitialStateSpec initial;
  TransitionOptions o;
  State y0{};
  double aR_instant = 0, aR_guess = 0;
  double w_scale = 0, w_scale_shooting = 0;  // typical w for collocation and for shooting
  Clock::time_point start = Clock::now();

  PathSetup(const Parameters& params, const TradePath& path, const InitialStateSpec& initial,
            const TransitionOptions& options)
      : p(params), phi_path(path), initial(initial), o(options) {
    y0 = initial_states(p, initial);
    aR_instant = instant_relocation_threshold(p, phi_path.phi1);
    // Long-run guess: relocation does most of the adjustment when γR ≤ γE (model.md §4).
    aR_guess = guess_long_run_threshold(p, phi_path.phi1, aR_instant);
    w_scale = typical_relocation_state(p, phi_path, aR_instant, aR_guess, false);
    w_scale_shooting = typical_relocation_state(p, phi_path, aR_instant, aR_guess, true);
  }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start).count(); }
  double time_left() const { return o.time_limit > 0.0 ? o.time_limit - elapsed() : 0.0; }
  bool out_of_time() const { return o.time_limit > 0.0 && time_left() <= 0.0; }
  int param_size() const { return o.terminal == TerminalCondition::Asymptotic ? 1 : 0; }
  // Homotopy in the size of the shock: φ(t; λ) = φ0 + λ(φ(t) − φ0).
  TradePath scaled_path(double lambda) const {
    TradePath q = phi_path;
    q.phi1 = p.phi0 + lambda * (phi_path.phi1 - p.phi0);
    q.phi0 = p.phi0 + lambda * (phi_path.phi0 - p.phi0);
    return q;
  }
  // aR∞ guess for the scaled shock.
  double scaled_guess(const TradePath& q) const {
    return std::max(
        aR_guess * instant_relocation_threshold(p, q.phi1) / std::max(aR_instant, 1e-300), 1e-12);
  }
  // Scaled distance of y(T) from the long-run curve point (the asymptotic condition's error is
  // its square).
  double terminal_deviation(const PathProblem& pb, const solvers::MeshSolution& sol) const {
    const State ybar =
        pb.steady_state_at(threshold_of_curve_parameter(sol.params[0]), phi_path.phi1);
    const double* yT = &sol.states[(sol.nodes.size() - 1) * kStateSize];
    double deviation = 0.0;
    for (int i = 0; i < kStateSize; ++i) {
      deviation = std::max(deviation, std::fabs(yT[i] - ybar[i]) / pb.bvp.typical_state[i]);
    }
    return deviation;
  }
};

// The horizon-doubling mesh: the old nodes, then steps of the last one up to the new horizon.
std::vector<double> lengthened_nodes(const std::vector<double>& nodes, double new_horizon) {
  std::vector<double> longer = nodes;
  const double h = longer.back() - longer[longer.size() - 2];
  while (longer.back() < new_horizon * (1.0 - 5e-10)) longer.push_back(longer.back() + h);
  longer.back() = new_horizon;
  return longer;
}

// The frame both methods share: the current solution (the warm start, then each solved shock
// size), one attempt at shock size λ (time check, the problem at that shock, its guess: the
// current solution or a cold one, the method's solve, the solution kept), and the horizon
// doubling after the continuation.
struct ShockAttempts {
  PathSetup& su;
  const TransitionOptions& options;  // the method's copy of the options
  double w_scale;
  MethodRun& run;
  solvers::MeshSolution current;
  bool have_current = false;
  bool timed_out = false;

  ShockAttempts(PathSetup& setup, const TransitionOptions& method_options, double w_typical,
                MethodRun& method_run)
      : su(setup), options(method_options), w_scale(w_typical), run(method_run) {}

  // cold(problem, aR∞ guess): a cold guess; solve(problem, guess, answer): the method's solve,
  // true when usable (run.message set otherwise).
  bool attempt(double lambda,
               const std::function<solvers::MeshSolution(const PathProblem&, double)>& cold,
               const std::function<bool(PathProblem&, const solvers::MeshSolution&,
                                        solvers::MeshSolution&)>& solve) {
    if (su.out_of_time()) {
      run.message = "time limit of " + std::to_string(su.o.time_limit) + " s reached";
      timed_out = true;
      return false;
    }
    try {
      const TradePath q = su.scaled_path(lambda);
      auto pb = std::make_unique<PathProblem>(su.p, q, su.y0, options, w_scale);
      solvers::MeshSolution guess;
      if (have_current) {
        guess = current;
        if (su.param_size() == 1)
          pb->set_reference(threshold_of_curve_parameter(current.params[0]));
      } else {
        const double aR_scaled = su.scaled_guess(q);
        guess = cold(*pb, aR_scaled);
        if (su.param_size() == 1) pb->set_reference(aR_scaled);
      }
      solvers::MeshSolution answer;
      if (!solve(*pb, guess, answer)) return false;
      current = std::move(answer);
      have_current = true;
      run.problem = std::move(pb);
      return true;
    } catch (const std::exception& e) {
      run.message = e.what();
      return false;
    }
  }

  // Continuation in the shock size from first_lambda (1: the full shock only), then the
  // horizon doubling while y(T) is far from the long-run point (the asymptotic condition is
  // exact to second order in that distance). Leaves the answer in run.solution.
  void run_to_full_shock(double first_lambda, bool full_shock_only, double& horizon,
                         TransitionResult& result, const std::function<bool(double)>& attempt_at,
                         const std::function<solvers::MeshSolution(double)>& lengthen_current) {
    solvers::ContinuationOptions cont;
    cont.first_lambda = first_lambda;
    if (full_shock_only) cont.max_attempts = 1;
    result.continuation = solvers::continue_to_one(attempt_at, cont);
    run.converged = result.continuation.reached;
    if (run.converged && su.param_size() == 1 && su.o.extend_horizon) {
      solvers::HorizonExtensionOptions ho;
      ho.max_deviation = su.o.max_terminal_deviation;
      run.converged = solvers::double_horizon_while_far(
          horizon, ho, [&] { return su.terminal_deviation(*run.problem, current); },
          [&](double longer) {
            current = lengthen_current(longer);
            return attempt_at(1.0);
          },
          result.warnings);
    }
    result.horizon = horizon;
    run.solution = current;
    if (run.converged && su.param_size() == 1) {
      // What is left of the asymptotic condition's error (its square, scaled) is reported, and an
      // answer whose y(T) is still far from the long-run point is not trustworthy.
      result.terminal_deviation = su.terminal_deviation(*run.problem, current);
      result.horizon_ok = result.terminal_deviation <= su.o.max_terminal_deviation;
    }
  }
};

// Multiple shooting with CVODES + KINSOL (mesh refinement by segment amplification).
MethodRun run_shooting(PathSetup& su, const TransitionResult* warm_start,
                       TransitionResult& result) {
  const Parameters& p = su.p;
  const TransitionOptions& o = su.o;
  MethodRun run;
  // Horizon and node spacing from the linearisation at the guessed long run: the fastest
  // unstable eigenvalue bounds the segment length (|λ₊|·h ≤ 3) after the geometric start.
  double horizon = o.horizon, max_step = o.mesh_max_step;
  {
    const PathProblem full(p, su.phi_path, su.y0, o, su.w_scale_shooting);
    const auto split = full.spectrum_at(full.model.steady_state(su.aR_guess, su.phi_path.phi1));
    const double fastest = split.eigenvalues(split.eigenvalues.size() - 1);
    if (fastest > 0.0) max_step = std::min(max_step, 3.0 / fastest);
  }
  result.horizon = horizon;
  if (!(max_step > 0.0) || horizon / max_step > o.max_nodes) {
    std::ostringstream os;
    os << "the shooting mesh would need about " << horizon / max_step
       << " nodes (segments of at most " << max_step
       << " for the fastest unstable eigenvalue, horizon " << horizon
       << "), more than max_nodes = " << o.max_nodes << ": too stiff for multiple shooting";
    run.message = os.str();
    result.bvp.method = solvers::BvpMethod::MultipleShooting;
    result.bvp.termination = solvers::BvpTermination::TooStiff;
    result.bvp.message = run.message;
    return run;
  }
  const std::vector<double> nodes =
      solvers::geometric_then_uniform_mesh(o.start_time, o.mesh_first, o.mesh_switch, o.mesh_ratio,
                                           max_step, horizon, {su.phi_path.kink_time()});
  solvers::ShootingOptions so;
  so.rtol = o.rtol;
  so.newton.function_tolerance = o.newton_tolerance;
  so.stall_tolerance = o.stall_factor * o.newton_tolerance;
  solvers::ShootingRefinementOptions refine;
  refine.max_refinements = o.max_refinements;
  refine.max_amplification = o.max_amplification;
  refine.split_amplification = o.split_amplification;
  refine.max_nodes = o.max_nodes;
  const int param_size = su.param_size();
  const double param_default = curve_parameter(su.aR_guess);
  ShockAttempts frame(su, o, su.w_scale_shooting, run);
  if (warm_start && warm_start->converged &&
      warm_start->bvp.method == solvers::BvpMethod::MultipleShooting &&
      !warm_start->shooting.solution.nodes.empty()) {
    // Keep the neighbour's own nodes when they fit this problem (same start and horizon, the
    // kink of φ(t) among them): its node values are then a guess accurate to the parameter
    // change.
    const auto& old_nodes = warm_start->shooting.solution.nodes;
    const double kink = su.phi_path.kink_time();
    const bool fits =
        old_nodes.front() == nodes.front() &&
        std::fabs(old_nodes.back() - horizon) <= 1e-12 * horizon &&
        (kink <= 0.0 || std::any_of(old_nodes.begin(), old_nodes.end(), [&](double t) {
           return std::fabs(t - kink) <= 1e-12 * horizon;
         }));
    frame.current = retarget(warm_start->shooting.solution, fits ? old_nodes : nodes, param_size,
                             param_default);
    frame.have_current = true;
  }
  const auto cold = [&](const PathProblem& pb, double aR) { return cold_guess(pb, nodes, aR); };
  const auto solve = [&](PathProblem& pb, const solvers::MeshSolution& guess,
                         solvers::MeshSolution& answer) {
    refine.time_limit = o.time_limit > 0.0 ? std::max(su.time_left(), 1e-9) : 0.0;
    result.shooting = solvers::solve_multiple_shooting_refined(pb.bvp, guess, so, refine);
    if (!result.shooting.converged) {
      run.message = result.shooting.message;
      return false;
    }
    answer = result.shooting.solution;
    return true;
  };
  frame.run_to_full_shock(
      1.0, false, horizon, result,
      [&](double lambda) { return frame.attempt(lambda, cold, solve); },
      [&](double longer) {
        return retarget(frame.current, lengthened_nodes(frame.current.nodes, longer), param_size,
                        param_default);
      });
  // The unified summary.
  solvers::BvpSummary& b = result.bvp;
  const solvers::ShootingSummary& s = result.shooting;
  b.method = solvers::BvpMethod::MultipleShooting;
  b.solution = s.solution;
  b.newton_iterations = static_cast<int>(s.newton.iterations);
  b.intervals = static_cast<int>(s.solution.nodes.size()) - 1;
  b.residual_max = s.newton.residual_max;
  b.tolerance = o.newton_tolerance;
  b.seconds = s.seconds;
  b.warnings = s.warnings;
  b.message = run.converged ? "" : run.message;
  if (run.converged) {
    b.termination = s.newton.converged ? solvers::BvpTermination::Converged
                                       : solvers::BvpTermination::ConvergedAtStall;
  } else if (frame.timed_out || su.out_of_time() || s.newton.timed_out) {
    b.termination = solvers::BvpTermination::TimeLimit;
  } else {
    b.termination = solvers::BvpTermination::NotConverged;
  }
  return run;
}

// Global collocation in the stretched time ξ, t = T ξ^p (p makes aR^θ ∝ t^{θ/(ρ+σ−1)} smooth).
// first_lambda: the first shock size tried (1: the full shock; below 1: continuation in the shock
// size from there, the full shock having failed).
// fresh_warm_mesh: a warm start's guess moves onto the cold start's coarse mesh, instead of
// keeping the neighbour's mesh.
MethodRun run_collocation(PathSetup& su, const TransitionResult* warm_start,
                          TransitionResult& result, double first_lambda, bool secant,
                          bool fresh_warm_mesh) {
  const Parameters& p = su.p;
  TransitionOptions o = su.o;
  o.start_time = 0.0;  // y(0) itself is the left boundary: no Euler step
  MethodRun run;
  const int param_size = su.param_size();
  const GeneralModel probe(p, su.phi_path);
  const double stretch =
      su.y0[kRelocationState] > 0.0
          ? 2.0
          : solvers::smoothing_stretch(
                p.theta() / probe.relocation_exponent(), 8,
                std::min(16.0, std::max(4.0, std::ceil(probe.relocation_exponent() / p.theta()))));
  double horizon = o.horizon;
  const double kink = su.phi_path.kink_time();
  std::vector<double> breaks;
  if (kink > 0.0) breaks.push_back(kink);
  solvers::CollocationOptions co;
  co.tolerance = o.tolerance;
  co.acceptance_tolerance = o.acceptance_tolerance;
  co.max_intervals = o.max_intervals;
  co.break_points = breaks;
  co.team = o.team.get();  // solve_transition's (the same bits on any number of threads)
  // Warm starts on the cold start's mesh never reuse a factorised matrix: none is kept.
  co.keep_factorisation = !o.warm_start_on_coarse_mesh;
  // The neighbour's factorised Newton matrix: chord steps when the guess is on its mesh.
  std::shared_ptr<const solvers::CollocationFactorisation> neighbour_matrix;
  const MeshDemandLevels* neighbour_levels = nullptr;  // its (M5) levels on that mesh
  const std::vector<double>* neighbour_nodes = nullptr;
  const auto fresh_mesh = [&](double T) {
    return solvers::stretched_uniform_mesh(0.0, T, stretch, o.collocation_intervals, breaks);
  };
  ShockAttempts frame(su, o, su.w_scale, run);
  if (warm_start && warm_start->converged &&
      warm_start->bvp.method == solvers::BvpMethod::Collocation &&
      !warm_start->bvp.solution.nodes.empty()) {
    const auto& ws = warm_start->bvp.solution;
    const bool fits = ws.time_stretch == stretch && ws.nodes.front() == 0.0 &&
                      (kink <= 0.0 || std::any_of(ws.nodes.begin(), ws.nodes.end(), [&](double t) {
                         return std::fabs(t - kink) <= 1e-12 * ws.nodes.back();
                       }));
    if (fits && static_cast<int>(ws.params.size()) == param_size) {
      frame.current = ws;  // the neighbour's mesh, nodes and midpoints
      if (!fresh_warm_mesh) {
        neighbour_matrix = warm_start->bvp.factorisation;
        neighbour_levels = warm_start->mesh_levels.get();
        neighbour_nodes = &ws.nodes;
      }
      const double k = secant ? secant_step(*warm_start, p, su.phi_path, su.initial) : 0.0;
      if (k > 0.0) frame.current = secant_prediction(*warm_start, k);
      horizon = ws.nodes.back();
      if (fresh_warm_mesh) {  // the guess on the cold start's mesh, refined as a cold start is
        solvers::MeshSolution m =
            solvers::interpolate_guess(frame.current, fresh_mesh(horizon), kStateSize);
        m.time_stretch = stretch;
        m.midpoints.clear();
        frame.current = std::move(m);
      }
      frame.have_current = true;
    }
  }
  const auto cold = [&](const PathProblem& pb, double aR) {
    solvers::MeshSolution guess = cold_guess(pb, fresh_mesh(horizon), aR);
    guess.time_stretch = stretch;
    return guess;
  };
  const auto solve = [&](PathProblem& pb, const solvers::MeshSolution& guess,
                         solvers::MeshSolution& answer) {
    co.time_limit = o.time_limit > 0.0 ? std::max(su.time_left(), 1e-9) : 0.0;  // 0 = none
    // w is left free: KINSOL's constraint w ≥ 0 stalls Newton near t = 0, and the model reads
    // aR = max(w, 0)^{1/(ρ+σ−1)}, so trial points with w < 0 are defined (converged paths
    // have w ≥ 0: V0 and the outputs see it).
    pb.bvp.positive_state[kRelocationState] = false;
    // A guess on the neighbour's mesh (adapted already): no residual-indicator passes, and the
    // warm start's error estimate.
    const bool on_neighbour_mesh = neighbour_nodes && guess.nodes == *neighbour_nodes;
    // Same mesh, same mapped times: the root-finds start from the neighbour's levels.
    if (on_neighbour_mesh && neighbour_levels) pb.seed_levels(*neighbour_levels);
    co.residual_passes = on_neighbour_mesh ? 0 : solvers::CollocationOptions{}.residual_passes;
    co.error_estimate = on_neighbour_mesh ? o.warm_error_estimate : o.error_estimate;
    result.bvp = solvers::solve_collocation(pb.bvp, guess, co, neighbour_matrix);
    if (!result.bvp.is_usable()) {
      run.message = result.bvp.message;
      return false;
    }
    answer = result.bvp.solution;
    return true;
  };
  frame.run_to_full_shock(
      first_lambda, first_lambda >= 1.0, horizon, result,
      [&](double lambda) { return frame.attempt(lambda, cold, solve); },
      [&](double longer) {
        solvers::MeshSolution m =
            solvers::interpolate_guess(frame.current, fresh_mesh(longer), kStateSize);
        m.time_stretch = stretch;
        m.midpoints.clear();
        return m;
      });
  if (!run.converged && frame.timed_out)
    result.bvp.termination = solvers::BvpTermination::TimeLimit;
  if (!run.converged && result.bvp.message.empty()) result.bvp.message = run.message;
  return run;
}

// Scaled distance between two answers in the headline numbers.
double headline_difference(const TransitionResult& a, const TransitionResult& b) {
  double d = std::fabs(a.sn_inf - b.sn_inf);
  d = std::max(d, std::fabs(a.aR_inf - b.aR_inf));
  for (int k : {kValueNorth, kValueSouth, kRelocationValue}) {
    d = std::max(d, std::fabs(a.initial_state[k] - b.initial_state[k]));
  }
  return d;
}

}  // namespace

const char* to_string(PathMethod m) {
  switch (m) {
    case PathMethod::Auto:
      return "auto";
    case PathMethod::Collocation:
      return "collocation";
    case PathMethod::Shooting:
      return "shooting";
  }
  return "?";
}

namespace {

// One solve by the chosen method. Collocation tries the full shock (shock_continuation false) or
// continues in the shock size from 1/4 (true); auto then falls back on multiple shooting.
// secant: a collocation warm start may start from the secant prediction (secant_step).
// fresh_warm_mesh: it starts on the cold start's mesh (run_collocation).
TransitionResult solve_transition_direct(const Parameters& p, const TradePath& phi_path,
                                         const InitialStateSpec& initial,
                                         const TransitionOptions& o,
                                         const TransitionResult* warm_start,
                                         bool shock_continuation, bool secant = false,
                                         bool fresh_warm_mesh = false) {
  PathSetup su(p, phi_path, initial, o);
  TransitionResult result;
  result.horizon = o.horizon;
  MethodRun run;
  if (o.method == PathMethod::Shooting) {
    run = run_shooting(su, warm_start, result);
  } else {
    run = run_collocation(su, warm_start, result, shock_continuation ? 0.25 : 1.0, secant,
                          fresh_warm_mesh);
    if (!run.converged && o.method == PathMethod::Auto && shock_continuation && !su.out_of_time() &&
        result.bvp.termination != solvers::BvpTermination::BadInput) {
      // Auto: multiple shooting as the fallback (it refuses at once where its mesh is too big).
      const std::string first =
          result.bvp.brief_report() + (run.message.empty() ? "" : ": " + run.message);
      TransitionResult retry;
      MethodRun second = run_shooting(su, nullptr, retry);
      if (second.converged) {
        retry.warnings.insert(retry.warnings.begin(),
                              "collocation failed (" + first + "); solved by multiple shooting");
        result = std::move(retry);
        run = std::move(second);
      } else {
        run.message += "; multiple shooting fallback: " + second.message;
      }
    }
  }
  result.converged = run.converged;
  result.used_continuation = result.converged && result.continuation.solved.size() > 1;
  if (result.used_continuation) {
    result.warnings.push_back("the full shock was reached by continuation in its size (" +
                              result.continuation.report() + ")");
  }
  if (!result.converged) {
    std::ostringstream os;
    os << "transition path not solved by " << solvers::to_string(result.bvp.method) << " ("
       << solvers::to_string(result.bvp.termination) << ")";
    if (result.continuation.attempts > 1) {
      os << "; continuation in the shock size reached lambda = " << result.continuation.last_lambda
         << " of 1 (" << result.continuation.report() << ")";
    }
    if (!run.message.empty()) os << "; " << run.message;
    result.message = os.str();
    result.solve_seconds = su.elapsed();
    return result;
  }
  const PathProblem& pb = *run.problem;
  const solvers::MeshSolution& sol = run.solution;
  const bool collocation = result.bvp.method == solvers::BvpMethod::Collocation;
  result.bvp.solution = sol;
  if (!collocation) result.shooting.solution = sol;

  // Outputs on a grid fine enough to plot (the outputs and V2, o.v2_types types at every point,
  // are not under the time limit). Shooting: up to output_points_per_segment per segment, at
  // most ~2000 points. Collocation: its adapted mesh (dense where the path moves), thinned to
  // at most ~600 points, or with interval midpoints added below 300 intervals.
  const int segments = static_cast<int>(sol.nodes.size()) - 1;
  std::vector<double> times, states;
  if (collocation) {
    times = solvers::collocation_output_times(sol.nodes, 600, 300);
    states = solvers::evaluate_collocation_solution(pb.bvp, sol, times);
  } else {
    times = solvers::shooting_output_times(
        sol.nodes, std::clamp(2000 / std::max(segments, 1), 1, o.output_points_per_segment));
    solvers::ShootingOptions so;
    so.rtol = o.rtol;
    states = solvers::evaluate_shooting_solution(pb.bvp, sol, times, so);
  }
  State y_start = su.y0;
  y_start[kValueNorth] = sol.left_free[0];
  y_start[kValueSouth] = sol.left_free[1];
  y_start[kRelocationValue] = sol.left_free[2];
  result.initial_state = y_start;
  // The path starts at t = 0; shooting then follows the integration from t = ε. The (M5)
  // levels: from those the solver kept at the point's time (output_levels; collocation: a node's
  // at its mapped time t(ξ_i), point 2i), else from the previous output point's.
  const std::vector<double> point_times =
      collocation ? solvers::collocation_point_times(sol) : std::vector<double>{};
  const auto cache_time_of = [&](double t) {
    if (!collocation) return t;
    const auto node = std::lower_bound(sol.nodes.begin(), sol.nodes.end(), t);
    if (node == sol.nodes.end() || *node != t) return t;
    return point_times[2 * static_cast<size_t>(node - sol.nodes.begin())];
  };
  struct OutputPoint {
    double t, cache_time;
    const double* y;
  };
  std::vector<OutputPoint> points;
  points.reserve(times.size() + 1);
  if (!collocation) points.push_back({0.0, 0.0, y_start.data()});
  for (size_t k = 0; k < times.size(); ++k)
    points.push_back({times[k], cache_time_of(times[k]), &states[k * kStateSize]});
  // Points with kept levels depend on nothing else, nor do the runs of points without (each from
  // the point before it): both through the team. Each point's exception is kept and the first
  // along the path rethrown, as by the serial loop, which stops there.
  const int n_points = static_cast<int>(points.size());
  std::vector<const PathProblem::LevelsAtTime*> entries(n_points, nullptr);
  std::vector<DemandLevels> levels(n_points);
  std::vector<std::exception_ptr> failures(n_points);
  result.path.resize(n_points);
  const auto add_output = [&](int k, const DemandLevels* neighbour) {
    try {
      const OutputPoint& x = points[k];
      levels[k] = pb.output_levels(x.t, entries[k], x.y, neighbour);
      result.path[k] = pb.model.outputs(x.t, x.y, levels[k]);
    } catch (...) {
      failures[k] = std::current_exception();
    }
  };
  solvers::WorkerTeam* team = o.team.get();
  solvers::run_on(team, n_points, [&](int begin, int end) {
    for (int k = begin; k < end; ++k) {
      entries[k] = pb.kept_entry(points[k].cache_time);
      if (entries[k]) add_output(k, nullptr);
    }
  });
  std::vector<int> run_starts;  // of the runs of points without kept levels
  for (int k = 0; k < n_points; ++k)
    if (!entries[k] && (k == 0 || entries[k - 1])) run_starts.push_back(k);
  solvers::run_on(team, static_cast<int>(run_starts.size()), [&](int begin, int end) {
    for (int r = begin; r < end; ++r) {
      int k = run_starts[r];
      if (k > 0 && failures[k - 1]) continue;
      for (; k < n_points && !entries[k]; ++k) {
        add_output(k, k > 0 ? &levels[k - 1] : nullptr);
        if (failures[k]) break;
      }
    }
  });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  // What a warm start on this mesh reuses with the factorised matrix: the levels at its points.
  if (collocation && result.bvp.factorisation)
    result.mesh_levels =
        std::make_shared<const MeshDemandLevels>(pb.kept_levels(point_times, team));
  std::copy_n(&sol.states[(sol.nodes.size() - 1) * kStateSize], kStateSize,
              result.terminal_state.begin());

  // Long run: the curve point (asymptotic condition) or the state at T (truncation).
  const int param_size = su.param_size();
  const double aR_inf =
      param_size == 1 ? threshold_of_curve_parameter(sol.params[0])
                      : pb.model.threshold_from_state(result.terminal_state[kRelocationState]);
  const auto share_at = [&](double aR) {
    const State lr = pb.model.steady_state(aR, phi_path.phi1);
    return pb.model.outputs(result.horizon, lr.data()).sn;
  };
  result.long_run = pb.steady_state_at(aR_inf, phi_path.phi1);
  const PathPoint lr = pb.model.outputs(result.horizon, result.long_run.data());
  result.aR_inf = aR_inf;
  result.sk_inf = lr.sk;
  result.sn_inf = lr.sn;
  result.nw_inf = lr.nw;
  result.sn_hft = hft(p, phi_path.phi1).sn;
  result.lambda_R = (result.sn_hft - result.sn_inf) / (result.sn_hft - p.sE);

  // Error estimate of the headline numbers from the method's estimate.
  if (result.bvp.error.available) {
    const auto& e = result.bvp.error;
    PathErrorEstimate& pe = result.error_estimate;
    pe.available = true;
    pe.path = e.scaled_max;
    pe.W0 = e.left_free_abs.size() > 0 ? e.left_free_abs[0] : 0.0;
    pe.S0 = e.left_free_abs.size() > 1 ? e.left_free_abs[1] : 0.0;
    pe.P0 = e.left_free_abs.size() > 2 ? e.left_free_abs[2] : 0.0;
    pe.aR_inf = param_size == 1 ? aR_inf * std::expm1(e.params_abs[0]) : 0.0;  // from ln aR∞
    if (param_size == 1 && pe.aR_inf > 0.0) {
      const double h = std::min(1e-6, 0.25 * aR_inf);  // d sn∞ / d aR∞ along the curve
      try {
        pe.sn_inf =
            std::fabs((share_at(aR_inf + h) - share_at(aR_inf - h)) / (2.0 * h)) * pe.aR_inf;
      } catch (const std::exception&) {
        pe.sn_inf = std::fabs(share_at(aR_inf) - share_at(aR_inf - h)) / h * pe.aR_inf;
      }
    }
    pe.lambda_R = lambda_r_error(pe.sn_inf, result.sn_inf, result.sn_hft, p.sE);
  }

  // Saddle-path check at the long-run point.
  // Classified against r + δ, which is always an eigenvalue (docs/model.md §3): centre if
  // |λ| ≤ 1e-6 (r + δ). (Relative to max|λ| failed: the fast relocation pair grows like aR^{1−σ},
  // up to 1e37 in the stress domain, and swallowed the slow eigenvalues.)
  // The spectrum is the asymptotic condition's at the answer's curve point when that is kept.
  const PathProblem::CurvePoint* kept =
      param_size == 1 && pb.phi_end == phi_path.phi1 ? pb.kept_curve_point(aR_inf) : nullptr;
  const Eigen::VectorXd eigenvalues =
      kept ? kept->split.eigenvalues : pb.spectrum_at(result.long_run, 1).eigenvalues;
  result.saddle = classify_saddle(
      std::vector<double>(eigenvalues.data(), eigenvalues.data() + eigenvalues.size()),
      1e-6 * p.discount(), 2, 3);
  if (!result.saddle.ok)
    result.warnings.push_back("saddle-path check failed at the long-run point");

  result.validity = check_validity(p, result.path, o.check_v2, o.v2_types, team);
  if (!result.validity.all_ok()) {
    result.warnings.push_back("the single relocation front is not valid on this path:\n" +
                              result.validity.report());
  }
  if (result.bvp.termination == solvers::BvpTermination::AccuracyNotReached) {
    result.warnings.push_back("the error estimate is above the requested tolerance: " +
                              result.bvp.brief_report());
  }
  for (const auto& w : result.bvp.warnings) result.warnings.push_back(w);

  if (o.verify) {  // the other method, cold, on the same problem
    TransitionOptions other = o;
    other.verify = false;
    other.check_v2 = false;
    other.method = collocation ? PathMethod::Shooting : PathMethod::Collocation;
    if (o.time_limit > 0.0) other.time_limit = std::max(su.time_left(), 1.0);
    const TransitionResult check = solve_transition(p, phi_path, initial, other);  // cold
    Verification& v = result.verification;
    v.performed = true;
    v.method = check.bvp.method;
    v.converged = check.converged;
    if (check.converged) {
      v.max_difference = headline_difference(result, check);
    } else {
      v.message = check.message;
    }
  }
  result.solve_seconds = su.elapsed();
  return result;
}

// The tolerance bounds the scaled path, hence sn∞ and aR∞; λR = (sn_HFT − sn∞)/(sn_HFT − sE)
// divides sn∞'s error by |sn_HFT − sE|, which can be small. While λR's estimated error exceeds
// the tolerance, the collocation answer is solved again from itself with the tolerance scaled
// down by that excess (at most twice, not below 1e-13); what remains is said in the warnings.
TransitionResult tighten_for_lambda_r(const Parameters& p, const TradePath& phi_path,
                                      const InitialStateSpec& initial, const TransitionOptions& o,
                                      TransitionResult r) {
  TransitionOptions tighter = o;
  tighter.gamma_continuation = false;
  // λR's floor from the rounding of sn∞ alone: no tighter solve can go below it.
  const auto rounding_floor = [&](const TransitionResult& x) {
    return sn_inf_rounding(x.sn_inf) / std::fabs(x.sn_hft - p.sE);
  };
  for (int round = 0; round < 2; ++round) {
    const PathErrorEstimate& e = r.error_estimate;
    if (!r.converged || r.bvp.method != solvers::BvpMethod::Collocation || !e.available ||
        !(e.lambda_R > o.tolerance) || tighter.tolerance <= 1e-13 ||
        rounding_floor(r) > 0.5 * o.tolerance)
      break;
    tighter.tolerance = std::max(1e-13, 0.5 * tighter.tolerance * o.tolerance / e.lambda_R);
    tighter.acceptance_tolerance = o.tolerance;  // the path itself needs no more than asked
    TransitionResult next = solve_transition_direct(p, phi_path, initial, tighter, &r, false);
    if (!next.converged || next.bvp.termination == solvers::BvpTermination::AccuracyNotReached ||
        !(next.error_estimate.lambda_R < e.lambda_R))
      break;
    next.used_continuation = next.used_continuation || r.used_continuation;
    std::ostringstream os;
    os.precision(3);
    os << "solved again at tolerance " << tighter.tolerance << " for lambda_R (its error "
       << "estimate was " << e.lambda_R << ", now " << next.error_estimate.lambda_R << ")";
    next.warnings.insert(next.warnings.begin(), os.str());
    r = std::move(next);
  }
  if (r.converged && r.error_estimate.available && r.error_estimate.lambda_R > o.tolerance) {
    r.lambda_r_ok = false;
    std::ostringstream os;
    os << "lambda_R's error estimate " << r.error_estimate.lambda_R << " is above the tolerance "
       << o.tolerance << " (|sn_HFT - sE| = " << std::fabs(r.sn_hft - p.sE) << " is small";
    if (rounding_floor(r) > 0.5 * o.tolerance)
      os << ": lambda_R is ill-conditioned here, the rounding of sn_inf alone ("
         << sn_inf_rounding(r.sn_inf) << ") limits it to " << rounding_floor(r)
         << ", so it was not solved again";
    os << ")";
    r.warnings.push_back(os.str());
  }
  return r;
}

}  // namespace

TransitionResult solve_transition(const Parameters& p, const TradePath& phi_path,
                                  const InitialStateSpec& initial, const TransitionOptions& o,
                                  const TransitionResult* warm_start) {
  validate(p);
  if (o.threads < 1) throw ParameterError("threads", o.threads, "threads >= 1");
  if (!o.team && o.threads > 1) {  // one team for every solve of this call
    TransitionOptions with_team = o;
    with_team.team = std::make_shared<solvers::WorkerTeam>(o.threads);
    return solve_transition(p, phi_path, initial, with_team, warm_start);
  }
  const auto start = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const auto with_time_left = [&](TransitionOptions x) {
    if (o.time_limit > 0.0) x.time_limit = std::max(o.time_limit - elapsed(), 1e-3);
    return x;
  };
  const auto finish = [&](TransitionResult r) {
    r = tighten_for_lambda_r(p, phi_path, initial, with_time_left(o), std::move(r));
    r.solve_seconds = elapsed();
    r.problem = SolvedProblem{true, p, phi_path, initial};
    r.warm_start_origin.reset();
    if (r.converged && r.bvp.method == solvers::BvpMethod::Collocation && warm_start &&
        warm_start->converged && warm_start->bvp.method == solvers::BvpMethod::Collocation &&
        same_problem_family(warm_start->problem, phi_path, initial)) {
      r.warm_start_origin = std::make_shared<const WarmStartOrigin>(
          WarmStartOrigin{warm_start->problem, warm_start->bvp.solution});
    }
    return r;
  };
  if (o.method == PathMethod::Shooting) {
    return finish(solve_transition_direct(p, phi_path, initial, o, warm_start, true));
  }
  // 1. Collocation on the full shock, cold or from the warm start (its secant prediction first,
  // when there is one). With warm_start_on_coarse_mesh a warm start first moves onto the cold
  // start's coarse mesh: along a chain the neighbour's mesh only grows (306 -> 424 intervals
  // over the λR sweep, where cold meshes shrink to 176), and refining from 80 intervals costs
  // less than Newton on it. Then, if that fails, on the neighbour's mesh.
  TransitionOptions first = o;
  first.method = PathMethod::Collocation;
  const auto time_is_up = [&] { return o.time_limit > 0.0 && elapsed() >= o.time_limit; };
  const bool coarse = warm_start && o.warm_start_on_coarse_mesh;
  TransitionResult r =
      solve_transition_direct(p, phi_path, initial, first, warm_start, false, true, coarse);
  if (!r.converged && coarse && !time_is_up())
    r = solve_transition_direct(p, phi_path, initial, with_time_left(first), warm_start, false,
                                true);
  if (!r.converged && warm_start && secant_step(*warm_start, p, phi_path, initial) > 0.0 &&
      !time_is_up())
    r = solve_transition_direct(p, phi_path, initial, with_time_left(first), warm_start, false);
  if (r.converged || r.bvp.termination == solvers::BvpTermination::BadInput ||
      (o.time_limit > 0.0 && elapsed() >= o.time_limit)) {
    return finish(r);
  }
  const std::string first_failure = r.message;
  // 2. Continuation in γR/γE from 1 (where the long-run guess is calibrated) in steps of up to
  // a decade, each warm-started from the last, then the target itself.
  const double log_ratio = std::log10(p.gamma_R / p.gamma_E);
  if (o.gamma_continuation && std::fabs(log_ratio) >= 0.5) {
    TransitionOptions step_options = with_time_left(first);
    step_options.gamma_continuation = false;
    step_options.verify = false;
    step_options.check_v2 = false;
    Parameters q = p;
    q.gamma_R = p.gamma_E;
    TransitionResult previous =
        solve_transition_direct(q, phi_path, initial, step_options, nullptr, false);
    // λ ∈ [0, 1] ↦ γR = γE·10^{λ log10(γR/γE)}: steps of one decade, halved after a failure,
    // down to 1/20 of a decade.
    solvers::ContinuationOptions decades;
    decades.max_step = decades.first_lambda = 1.0 / std::fabs(log_ratio);
    decades.min_step = 0.05 * decades.max_step;
    decades.growth = 1.0;
    decades.shrink = 0.5;
    int steps = 0;
    const solvers::ContinuationSummary walk = solvers::continue_to_one(
        [&](double lambda) {
          if (!previous.converged || (o.time_limit > 0.0 && elapsed() >= o.time_limit))
            return false;
          q.gamma_R = p.gamma_E * std::pow(10.0, lambda * log_ratio);
          TransitionResult trial = solve_transition_direct(
              q, phi_path, initial, with_time_left(step_options), &previous, false);
          ++steps;
          const bool solved = trial.converged;
          if (solved) previous = std::move(trial);
          return solved;
        },
        decades);
    if (walk.reached) {
      TransitionOptions last = with_time_left(first);
      last.gamma_continuation = false;
      TransitionResult target =
          solve_transition_direct(p, phi_path, initial, last, &previous, false);
      if (target.converged) {
        target.used_continuation = true;
        target.warnings.insert(target.warnings.begin(),
                               "the full problem failed from a cold start (" + first_failure +
                                   "); reached by continuation in gamma_R/gamma_E from 1 in " +
                                   std::to_string(steps) + " steps");
        return finish(target);
      }
    }
  }
  // 3. Continuation in the shock size; with method = auto, multiple shooting after that.
  r = solve_transition_direct(p, phi_path, initial, with_time_left(o), nullptr, true);
  if (!r.converged)
    r.message += " (the cold full-shock collocation failed first: " + first_failure + ")";
  return finish(r);
}

SaddleCheck classify_saddle(const std::vector<double>& eigenvalues, double center_tolerance,
                            int expected_stable, int expected_unstable) {
  SaddleCheck check;
  check.eigenvalues = eigenvalues;
  for (double lambda : eigenvalues) {
    if (std::fabs(lambda) <= center_tolerance)
      ++check.center;
    else if (lambda < 0.0)
      ++check.stable;
    else
      ++check.unstable;
  }
  check.ok =
      check.stable == expected_stable && check.center == 1 && check.unstable == expected_unstable;
  return check;
}

double lambda_r_error(double sn_inf_error, double sn_inf, double sn_hft, double sE) {
  return std::max(sn_inf_error, sn_inf_rounding(sn_inf)) / std::fabs(sn_hft - sE);
}

}  // namespace footloose
