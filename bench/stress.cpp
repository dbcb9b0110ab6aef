// `footloose stress`: see bench/stress.hpp and docs/stress.md.
#include "bench/stress.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "bench/stress_record.hpp"
#include "models/static_equilibria.hpp"
#include "models/transition.hpp"
#include "solvers/multiple_shooting.hpp"
#include "src/format.hpp"
#include "src/output.hpp"
#include "src/sweep.hpp"

namespace footloose {

const char* to_string(StressClass c) {
  switch (c) {
    case StressClass::Valid:
      return "valid";
    case StressClass::Flagged:
      return "flagged";
    case StressClass::Failed:
      return "failed";
    case StressClass::Crashed:
      return "crashed";
    case StressClass::TimedOut:
      return "timed_out";
  }
  return "?";
}

std::string message_pattern(const std::string& message) {
  std::string out;
  const std::size_t n = message.size();
  for (std::size_t i = 0; i < n;) {
    const char ch = message[i];
    const bool sign = (ch == '-' || ch == '+') && i + 1 < n &&
                      (std::isdigit(static_cast<unsigned char>(message[i + 1])) ||
                       (message[i + 1] == '.' && i + 2 < n &&
                        std::isdigit(static_cast<unsigned char>(message[i + 2])))) &&
                      (i == 0 || !std::isalnum(static_cast<unsigned char>(message[i - 1])));
    const bool digit =
        std::isdigit(static_cast<unsigned char>(ch)) ||
        (ch == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(message[i + 1])));
    const bool inside_word = i > 0 && (std::isalpha(static_cast<unsigned char>(message[i - 1])) ||
                                       message[i - 1] == '_');
    if ((digit && !inside_word) || sign) {
      // A number: [sign] digits [. digits] [e [sign] digits]; also nan/inf spelled out after it.
      std::size_t j = i + (sign ? 1 : 0);
      while (j < n && (std::isdigit(static_cast<unsigned char>(message[j])) || message[j] == '.'))
        ++j;
      if (j < n && (message[j] == 'e' || message[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < n && (message[k] == '-' || message[k] == '+')) ++k;
        if (k < n && std::isdigit(static_cast<unsigned char>(message[k]))) {
          while (k < n && std::isdigit(static_cast<unsigned char>(message[k]))) ++k;
          j = k;
        }
      }
      out += '#';
      i = j;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      ++i;
      continue;
    }
    out += ch;
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string fmt_g(double x, int digits = 3) {
  if (!std::isfinite(x)) return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  char b[48];
  std::snprintf(b, sizeof b, "%.*g", digits, x);
  return b;
}
std::string fmt_seconds(double s) {
  return fmt_g(s, 3) + " s";
}

enum class Fault { None, Crash, Hang, Throw };

struct StressOptions {
  int n = 0;
  std::uint64_t seed = 1;
  std::string json_file;
  double time_limit = 30.0;
  double grace = 10.0;
  int jobs = 2;
  double memory_limit_mib = 4096;
  std::string inject_fault;
  bool no_progress = false;
};

void copy_text(char* target, std::size_t size, const std::string& text) {
  std::string t = text;
  for (char& ch : t)
    if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
  if (t.size() >= size) t = t.substr(0, size - 4) + "...";
  std::memcpy(target, t.c_str(), std::min(t.size() + 1, size));
  target[size - 1] = '\0';
}

// The most specific part of a failure message of solve_transition.
std::string failure_cause(const TransitionResult& r) {
  const std::string& m = r.message;
  const std::string marker = "; last error: ";
  const auto at = m.rfind(marker);
  if (at != std::string::npos) return m.substr(at + marker.size());
  if (!r.shooting.message.empty()) return "shooting: " + r.shooting.message;
  if (!r.shooting.newton.message.empty()) return "KINSOL " + r.shooting.newton.message;
  return m;
}

void write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t w = ::write(fd, p, size);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    p += w;
    size -= std::size_t(w);
  }
}

// The child: solve one point, send the record, _exit (no atexit handlers, no stdio flush of the
// parent's buffers).
[[noreturn]] void run_child(const StressPoint& point, const StressOptions& o, Fault fault,
                            int record_fd, int output_fd) {
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  ::close(output_fd);
  if (o.memory_limit_mib > 0) {
    const rlim_t bytes = rlim_t(o.memory_limit_mib * 1024.0 * 1024.0);
    struct rlimit limit = {bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
  }
  ChildRecord record;
  record.magic = kRecordMagic;
  const auto start = Clock::now();
  try {
    if (fault == Fault::Crash) {
      std::fprintf(stderr, "injected fault: raising SIGSEGV\n");
      std::fflush(stderr);
      ::raise(SIGSEGV);
    }
    if (fault == Fault::Hang)
      for (;;) ::pause();
    if (fault == Fault::Throw)
      throw std::runtime_error("injected fault: exception thrown before the solve (point 0)");
    TradePath phi_path;  // jump φ0 → φ1 at t = 0
    phi_path.kind = TradePathKind::Jump;
    phi_path.phi0 = point.params.phi0;
    phi_path.phi1 = point.params.phi1;
    InitialStateSpec initial;  // autarky
    TransitionOptions options;
    options.time_limit = o.time_limit;
    options.threads = 1;  // --jobs child processes side by side: one thread each
    const TransitionResult r = solve_transition(point.params, phi_path, initial, options);
    record = record_of_result(r);
  } catch (const std::exception& e) {
    record.outcome = kThrew;
    copy_text(record.cause, sizeof record.cause, std::string("exception: ") + e.what());
    copy_text(record.message, sizeof record.message, std::string("exception: ") + e.what());
  } catch (...) {
    record.outcome = kThrew;
    copy_text(record.cause, sizeof record.cause, "unknown exception");
    copy_text(record.message, sizeof record.message, "unknown exception");
  }
  record.solve_seconds = seconds_since(start);
  write_all(record_fd, &record, sizeof record);
  ::close(record_fd);
  ::_exit(0);
}

// ---- the parent ----

struct Child {
  pid_t pid = -1;
  int index = 0;
  Clock::time_point start;
  int record_fd = -1, output_fd = -1;
  std::string record_bytes, output;
  bool killed = false;
};

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return std::string("SIG") + (name ? name : "?") + " (" + std::to_string(sig) + ")";
}

std::string output_tail(const std::string& output) {
  std::string t = output;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  if (t.size() > 240) t = "..." + t.substr(t.size() - 240);
  for (char& ch : t)
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  return t;
}

// Reads what is available on fd (non-blocking); returns false at EOF or error (fd closed).
bool read_some(int& fd, std::string& into, std::size_t keep) {
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got > 0) {
      into.append(buffer, std::size_t(got));
      if (keep > 0 && into.size() > 2 * keep) into.erase(0, into.size() - keep);
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    ::close(fd);
    fd = -1;
    return false;
  }
}

}  // namespace

ChildRecord record_of_result(const TransitionResult& r) {
  ChildRecord record;
  record.magic = kRecordMagic;
  record.outcome = r.converged ? kConverged : kNotConverged;
  record.trustworthy = r.trustworthy();
  record.saddle_ok = r.saddle.ok;
  record.stable = r.saddle.stable;
  record.center = r.saddle.center;
  record.unstable = r.saddle.unstable;
  record.v0_ok = r.validity.v0.ok;
  record.v1_ok = r.validity.v1.ok;
  record.v2_ok = r.validity.v2.ok;
  record.v2_evaluated = r.validity.v2.evaluated;
  record.v0_margin = r.validity.v0.margin;
  record.v1_margin = r.validity.v1.margin;
  record.v2_margin = r.validity.v2.margin;
  record.method = static_cast<std::int32_t>(r.bvp.method);
  record.termination = static_cast<std::int32_t>(r.bvp.termination);
  record.newton_converged = r.bvp.termination == solvers::BvpTermination::Converged;
  record.newton_iterations = r.bvp.newton_iterations;
  record.nodes = r.bvp.intervals + 1;
  record.tolerance = r.bvp.tolerance;
  record.error_estimate = r.error_estimate.available ? r.error_estimate.path : NAN;
  record.continuation_attempts = r.continuation.attempts;
  record.continuation_failures = r.continuation.failures;
  record.lambda_reached = r.continuation.last_lambda;
  record.warnings = int(r.warnings.size());
  record.sn_inf = r.sn_inf;
  record.lambda_R = r.lambda_R;
  record.aR_inf = r.aR_inf;
  record.residual = r.bvp.residual_max;
  const bool shooting = r.bvp.method == solvers::BvpMethod::MultipleShooting;
  record.defect = shooting ? r.shooting.max_matching_defect : 0.0;
  record.amplification = shooting ? r.shooting.max_segment_amplification : 0.0;
  record.horizon = r.horizon;
  if (r.converged) {
    copy_text(record.message, sizeof record.message, r.warnings.empty() ? "" : r.warnings.front());
  } else {
    copy_text(record.cause, sizeof record.cause, failure_cause(r));
    copy_text(record.shooting, sizeof record.shooting, r.shooting.message);
    copy_text(record.message, sizeof record.message, r.message);
  }
  return record;
}

void classify_record(PointResult& out) {
  const ChildRecord& r = out.record;
  out.message = r.message;
  out.cause = r.cause;
  if (r.outcome == kThrew || r.outcome == kNotConverged) {
    out.cls = StressClass::Failed;
    return;
  }
  out.cls = r.trustworthy ? StressClass::Valid : StressClass::Flagged;
  if (!r.saddle_ok) out.flags.push_back("saddle");
  if (!r.v0_ok) out.flags.push_back("V0");
  if (!r.v1_ok) out.flags.push_back("V1");
  if (r.v2_evaluated && !r.v2_ok) out.flags.push_back("V2");
  if (out.cls == StressClass::Flagged && out.flags.empty())
    out.flags.push_back("untrustworthy(other)");
  // The contract: never an unconverged answer unflagged. Accepted by the solver: residual ≤
  // its tolerance, or (Newton stopped at its noise floor) residual ≤ stall_factor × tolerance;
  // and, for collocation, an error estimate within the requested tolerance unless flagged.
  const TransitionOptions defaults;
  const double tol = r.tolerance;
  const double stall = defaults.stall_factor * tol;
  const auto termination = static_cast<solvers::BvpTermination>(r.termination);
  // A Newton stalled at its floor is accepted up to stall_factor × tolerance; the summary says
  // so by ConvergedAtStall, or by AccuracyNotReached (flagged) when the error estimate failed.
  const bool stalled = termination == solvers::BvpTermination::ConvergedAtStall ||
                       termination == solvers::BvpTermination::AccuracyNotReached;
  const bool accepted = r.residual <= tol || (stalled && r.residual <= stall);
  const bool collocation =
      static_cast<solvers::BvpMethod>(r.method) == solvers::BvpMethod::Collocation;
  std::ostringstream why;
  if (!std::isfinite(r.residual) || !std::isfinite(tol)) {
    why << "residual or tolerance not finite";
  } else if (!accepted) {
    why << "scaled residual " << r.residual << " > tolerance " << tol
        << (stalled ? " and > stall tolerance " + shortest_text(stall) : "");
  } else if (collocation && r.trustworthy &&
             !(r.error_estimate <= (stalled ? defaults.stall_factor : 1.0) * defaults.tolerance)) {
    why << "error estimate " << r.error_estimate << " > tolerance " << defaults.tolerance
        << (stalled ? " x stall factor" : "") << " but not flagged";
  } else if (!collocation && !(r.defect <= 1e3 * stall)) {
    why << "matching defect " << r.defect << " > " << 1e3 * stall << " (path discontinuous)";
  } else if (!std::isfinite(r.sn_inf) || !std::isfinite(r.lambda_R) || !std::isfinite(r.aR_inf)) {
    why << "non-finite long-run result (sn_inf " << r.sn_inf << ", lambda_R " << r.lambda_R << ")";
  }
  out.silent_reason = why.str();
  out.silent = !out.silent_reason.empty();
}

namespace {

void finish_child(Child& c, int status, const StressOptions& o, PointResult& out) {
  // The child is gone: its pipe write ends are closed, so draining to EOF does not block.
  for (int* fd : {&c.record_fd, &c.output_fd}) {
    if (*fd < 0) continue;
    ::fcntl(*fd, F_SETFL, ::fcntl(*fd, F_GETFL) & ~O_NONBLOCK);
    std::string& into = fd == &c.record_fd ? c.record_bytes : c.output;
    while (read_some(*fd, into, fd == &c.record_fd ? 0 : 4096)) {
    }
  }
  out.seconds = seconds_since(c.start);
  const std::string tail = output_tail(c.output);
  if (c.killed) {
    out.cls = StressClass::TimedOut;
    std::ostringstream m;
    m << "no answer after " << fmt_seconds(out.seconds) << " (time limit "
      << shortest_text(o.time_limit) << " s + grace " << shortest_text(o.grace)
      << " s): SIGKILLed by the watchdog";
    out.message = m.str();
    out.cause = "no answer by the time limit + grace: SIGKILLed";
    return;
  }
  if (WIFSIGNALED(status)) {
    out.cls = StressClass::Crashed;
    out.cause = "killed by signal " + signal_text(WTERMSIG(status));
    out.message = out.cause + (tail.empty() ? "" : "; output: " + tail);
    return;
  }
  if (c.record_bytes.size() == sizeof(ChildRecord)) {
    std::memcpy(&out.record, c.record_bytes.data(), sizeof(ChildRecord));
    if (out.record.magic == kRecordMagic) {
      out.record.cause[sizeof out.record.cause - 1] = '\0';
      out.record.message[sizeof out.record.message - 1] = '\0';
      out.record.shooting[sizeof out.record.shooting - 1] = '\0';
      out.has_record = true;
      classify_record(out);
      return;
    }
  }
  out.cls = StressClass::Crashed;
  out.cause = "exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
              " without a complete record";
  out.message = out.cause + (tail.empty() ? "" : "; output: " + tail);
}

// Kills and reaps the children still running if the parent gives up (an exception).
struct ChildGuard {
  std::vector<Child>& running;
  ~ChildGuard() {
    for (Child& c : running) {
      ::kill(c.pid, SIGKILL);
      int status = 0;
      ::waitpid(c.pid, &status, 0);
      if (c.record_fd >= 0) ::close(c.record_fd);
      if (c.output_fd >= 0) ::close(c.output_fd);
    }
  }
};

std::vector<PointResult> run_points(const std::vector<StressPoint>& points, const StressOptions& o,
                                    Fault fault) {
  std::vector<PointResult> results(points.size());
  std::vector<Child> running;
  const ChildGuard guard{running};
  std::size_t next = 0, done = 0, bad = 0;
  ProgressBar progress("stress", points.size(), !o.no_progress);
  const double watchdog = o.time_limit + o.grace;
  while (next < points.size() || !running.empty()) {
    while (running.size() < std::size_t(o.jobs) && next < points.size()) {
      int record_pipe[2], output_pipe[2];
      if (::pipe(record_pipe) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
      if (::pipe(output_pipe) != 0) {
        ::close(record_pipe[0]);
        ::close(record_pipe[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
      }
      std::fflush(stdout);
      std::fflush(stderr);
      std::cout.flush();
      const pid_t pid = ::fork();
      if (pid < 0) {
        const int error = errno;
        for (int fd : {record_pipe[0], record_pipe[1], output_pipe[0], output_pipe[1]}) ::close(fd);
        if (error == EAGAIN && !running.empty()) break;  // retry when a child has finished
        throw std::runtime_error(std::string("fork: ") + std::strerror(error));
      }
      if (pid == 0) {
        ::close(record_pipe[0]);
        ::close(output_pipe[0]);
        for (const Child& c : running) {
          if (c.record_fd >= 0) ::close(c.record_fd);
          if (c.output_fd >= 0) ::close(c.output_fd);
        }
        const int index = int(next);
        run_child(points[next], o, index == 0 ? fault : Fault::None, record_pipe[1],
                  output_pipe[1]);
      }
      ::close(record_pipe[1]);
      ::close(output_pipe[1]);
      Child c;
      c.pid = pid;
      c.index = int(next++);
      c.start = Clock::now();
      c.record_fd = record_pipe[0];
      c.output_fd = output_pipe[0];
      for (int fd : {c.record_fd, c.output_fd})
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
      running.push_back(std::move(c));
    }
    // Wait for output (or 100 ms), then read what came.
    std::vector<pollfd> fds;
    for (const Child& c : running) {
      if (c.record_fd >= 0) fds.push_back({c.record_fd, POLLIN, 0});
      if (c.output_fd >= 0) fds.push_back({c.output_fd, POLLIN, 0});
    }
    ::poll(fds.empty() ? nullptr : fds.data(), fds.size(), 100);
    for (Child& c : running) {
      if (c.record_fd >= 0) read_some(c.record_fd, c.record_bytes, 0);
      if (c.output_fd >= 0) read_some(c.output_fd, c.output, 4096);
    }
    // Reap finished children; kill those past the watchdog.
    for (std::size_t k = 0; k < running.size();) {
      Child& c = running[k];
      int status = 0;
      const pid_t w = ::waitpid(c.pid, &status, WNOHANG);
      if (w == c.pid) {
        PointResult& r = results[std::size_t(c.index)];
        finish_child(c, status, o, r);
        ++done;
        if (r.cls != StressClass::Valid && r.cls != StressClass::Flagged) ++bad;
        if (r.silent || r.cls == StressClass::Crashed || r.cls == StressClass::TimedOut) {
          std::fprintf(stderr, "\nstress: point %d %s%s: %s\n", c.index, to_string(r.cls),
                       r.silent ? " and SILENT (converged, residual above tolerance)" : "",
                       (r.silent ? r.silent_reason : r.message).c_str());
        }
        progress.update(done, bad);
        running.erase(running.begin() + std::ptrdiff_t(k));
        continue;
      }
      if (!c.killed && seconds_since(c.start) > watchdog) {
        ::kill(c.pid, SIGKILL);
        c.killed = true;
      }
      ++k;
    }
  }
  progress.finish(bad);
  return results;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double at = q * double(v.size() - 1);
  const std::size_t lo = std::size_t(std::floor(at));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (at - double(lo)) * (v[hi] - v[lo]);
}

std::string percent(std::size_t k, std::size_t n) {
  if (n == 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", 100.0 * double(k) / double(n));
  return b;
}

bool is_failure(StressClass c) {
  return c == StressClass::Failed || c == StressClass::Crashed || c == StressClass::TimedOut;
}

struct Binning {
  std::string name;
  std::vector<double> edges;  // bins [e_k, e_{k+1}); the last one closed
  std::function<double(const StressPoint&)> value;
  bool log_labels = false;
};

struct BinCounts {
  std::size_t n = 0, valid = 0, flagged = 0, failed = 0;
};

std::vector<Binning> binnings() {
  std::vector<Binning> b;
  b.push_back({"gamma_R/gamma_E",
               {1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7},
               [](const StressPoint& p) { return p.gamma_ratio; },
               true});
  b.push_back({"beta", {1.1, 1.5, 2, 2.5, 3, 3.5, 4}, [](const StressPoint& p) { return p.beta; }});
  b.push_back(
      {"sigma", {2, 3, 4, 5, 6, 7, 8}, [](const StressPoint& p) { return p.params.sigma; }});
  b.push_back({"sE", {0.51, 0.6, 0.7, 0.8}, [](const StressPoint& p) { return p.params.sE; }});
  b.push_back(
      {"phi1/phi_P", {0, 0.25, 0.5, 0.75, 1}, [](const StressPoint& p) { return p.phi_share; }});
  b.push_back({"q=FI(beta-1)/F", {0.05, 0.35, 0.65, 0.95}, [](const StressPoint& p) {
                 return p.cutoff_q;
               }});
  b.push_back(
      {"delta", {0.02, 0.1, 0.2, 0.3}, [](const StressPoint& p) { return p.params.delta; }});
  b.push_back({"r", {0, 0.05, 0.1}, [](const StressPoint& p) { return p.params.r; }});
  return b;
}

std::vector<BinCounts> bin_counts(const Binning& b, const std::vector<StressPoint>& points,
                                  const std::vector<PointResult>& results) {
  std::vector<BinCounts> counts(b.edges.size() - 1);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double x = b.value(points[i]);
    std::size_t k = 0;
    while (k + 1 < counts.size() && x >= b.edges[k + 1]) ++k;
    BinCounts& c = counts[k];
    ++c.n;
    if (results[i].cls == StressClass::Valid)
      ++c.valid;
    else if (results[i].cls == StressClass::Flagged)
      ++c.flagged;
    else
      ++c.failed;
  }
  return counts;
}

std::string bin_label(const Binning& b, std::size_t k) {
  const auto edge = [&](double x) {
    return b.log_labels ? "1e" + fmt_g(std::log10(x), 2) : fmt_g(x, 3);
  };
  return "[" + edge(b.edges[k]) + ", " + edge(b.edges[k + 1]) +
         (k + 2 == b.edges.size() ? "]" : ")");
}

struct Summary {
  std::map<StressClass, std::size_t> counts;
  std::size_t silent = 0;
  std::map<std::string, std::size_t> flags;
  struct Cause {
    std::size_t count = 0;
    StressClass cls = StressClass::Failed;
    int first = -1;
    std::string example;
  };
  std::map<std::string, Cause> causes;  // keyed by class + pattern
  std::vector<double> seconds;
  double median = NAN, p90 = NAN, max = NAN;
  int max_index = -1;
};

Summary summarise(const std::vector<PointResult>& results) {
  Summary s;
  for (StressClass c : {StressClass::Valid, StressClass::Flagged, StressClass::Failed,
                        StressClass::Crashed, StressClass::TimedOut})
    s.counts[c] = 0;
  for (const char* f : {"saddle", "V0", "V1", "V2"}) s.flags[f] = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const PointResult& r = results[i];
    ++s.counts[r.cls];
    if (r.silent) ++s.silent;
    for (const std::string& f : r.flags) ++s.flags[f];
    if (is_failure(r.cls)) {
      const std::string key = std::string(to_string(r.cls)) + ": " + message_pattern(r.cause);
      Summary::Cause& c = s.causes[key];
      if (c.count++ == 0) {
        c.cls = r.cls;
        c.first = int(i);
        c.example = r.cause;
      }
    }
    s.seconds.push_back(r.seconds);
    if (!(r.seconds <= s.max)) {
      s.max = r.seconds;
      s.max_index = int(i);
    }
  }
  s.median = quantile(s.seconds, 0.5);
  s.p90 = quantile(s.seconds, 0.9);
  return s;
}

std::string params_brief(const StressPoint& p) {
  std::ostringstream os;
  os << "sigma " << fmt_g(p.params.sigma) << " beta " << fmt_g(p.beta) << " sE "
     << fmt_g(p.params.sE) << " phi1 " << fmt_g(p.params.phi1) << " (" << fmt_g(p.phi_share, 2)
     << " phiP) gR/gE " << fmt_g(p.gamma_ratio, 2) << " q " << fmt_g(p.cutoff_q, 2) << " delta "
     << fmt_g(p.params.delta, 2) << " r " << fmt_g(p.params.r, 2);
  return os.str();
}

void print_report(std::ostream& out, const StressOptions& o, const StressDomain& domain,
                  const std::vector<StressPoint>& points, const std::vector<PointResult>& results,
                  const Summary& s, double wall) {
  const std::size_t n = points.size();
  char line[512];
  out << "footloose stress: " << n << " points, seed " << o.seed << ", time limit "
      << shortest_text(o.time_limit) << " s per point (watchdog +" << shortest_text(o.grace)
      << " s), " << o.jobs << " jobs, " << fmt_g(wall, 4) << " s wall\n";
  out << "domain: " << domain.description() << "\n\n";
  out << "class        count       %\n";
  for (StressClass c : {StressClass::Valid, StressClass::Flagged, StressClass::Failed,
                        StressClass::Crashed, StressClass::TimedOut}) {
    std::snprintf(line, sizeof line, "%-10s %7zu  %6s\n", to_string(c), s.counts.at(c),
                  percent(s.counts.at(c), n).c_str());
    out << line;
  }
  std::snprintf(
      line, sizeof line,
      "%-10s %7zu  %6s   (converged but residual above tolerance; counted in valid/flagged too)\n",
      "silent", s.silent, percent(s.silent, n).c_str());
  out << line;
  const std::size_t solved = s.counts.at(StressClass::Valid) + s.counts.at(StressClass::Flagged);
  out << "success rate (valid + flagged: converged, honestly checked): " << percent(solved, n)
      << "; valid: " << percent(s.counts.at(StressClass::Valid), n) << "\n";
  if (s.silent > 0)
    out << "!!! " << s.silent
        << " SILENT point(s): converged with a residual above the solver's own "
           "acceptance (see the points with \"silent\": true) !!!\n";
  out << "\nflags of the flagged points (a point may have several): saddle " << s.flags.at("saddle")
      << ", V0 " << s.flags.at("V0") << ", V1 " << s.flags.at("V1") << ", V2 " << s.flags.at("V2");
  for (const auto& [name, count] : s.flags)
    if (name != "saddle" && name != "V0" && name != "V1" && name != "V2")
      out << ", " << name << " " << count;
  out << "\n";

  out << "\nfailure causes (failed, crashed, timed_out; numbers replaced by #):\n";
  if (s.causes.empty()) out << "  none\n";
  std::vector<std::pair<std::string, Summary::Cause>> causes(s.causes.begin(), s.causes.end());
  std::stable_sort(causes.begin(), causes.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  for (const auto& [key, c] : causes) {
    std::snprintf(line, sizeof line, "  %5zu  %s\n", c.count, key.substr(0, 200).c_str());
    out << line << "         e.g. point " << c.first << ": " << c.example.substr(0, 160) << "\n";
  }

  out << "\ntime per point (wall, child process): median " << fmt_seconds(s.median) << ", 90% "
      << fmt_seconds(s.p90) << ", max " << fmt_seconds(s.max) << " (point " << s.max_index << ")\n";

  out << "\nwhere failures cluster: per bin, n / valid / flagged / failed (failed + crashed + "
         "timed_out)\n";
  for (const Binning& b : binnings()) {
    out << "  " << b.name << "\n";
    const auto counts = bin_counts(b, points, results);
    for (std::size_t k = 0; k < counts.size(); ++k) {
      const BinCounts& c = counts[k];
      std::snprintf(line, sizeof line, "    %-16s n %4zu  valid %6s  flagged %6s  failed %6s\n",
                    bin_label(b, k).c_str(), c.n, percent(c.valid, c.n).c_str(),
                    percent(c.flagged, c.n).c_str(), percent(c.failed, c.n).c_str());
      out << line;
    }
  }

  std::vector<std::size_t> worst;
  for (std::size_t i = 0; i < n; ++i)
    if (is_failure(results[i].cls) || results[i].silent) worst.push_back(i);
  std::stable_sort(worst.begin(), worst.end(), [&](std::size_t a, std::size_t b) {
    const auto rank = [&](std::size_t i) {
      const StressClass c = results[i].cls;
      return results[i].silent            ? 0
             : c == StressClass::Crashed  ? 1
             : c == StressClass::TimedOut ? 2
                                          : 3;
    };
    return rank(a) < rank(b);
  });
  if (!worst.empty()) {
    out << "\nfirst failing points (silent, crashed, timed out, then failed; up to 12 shown; "
           "reproduce with the point's config_toml from --json and 'footloose path --config'):\n";
    for (std::size_t k = 0; k < worst.size() && k < 12; ++k) {
      const std::size_t i = worst[k];
      out << "  #" << i << " " << (results[i].silent ? "silent" : to_string(results[i].cls)) << " ("
          << fmt_seconds(results[i].seconds) << "): " << params_brief(points[i]) << "\n";
    }
  }
}

nlohmann::ordered_json stress_json(const StressOptions& o, const StressDomain& domain,
                                   const std::vector<StressPoint>& points,
                                   const std::vector<PointResult>& results, const Summary& s,
                                   double wall) {
  using json = nlohmann::ordered_json;
  json doc;
  for (StressClass c : {StressClass::Valid, StressClass::Flagged, StressClass::Failed,
                        StressClass::Crashed, StressClass::TimedOut})
    doc[to_string(c)] = s.counts.at(c);
  doc["silent"] = s.silent;
  doc["n"] = points.size();
  doc["seed"] = o.seed;
  doc["time_limit"] = o.time_limit;
  doc["grace"] = o.grace;
  doc["jobs"] = o.jobs;
  const std::size_t solved = s.counts.at(StressClass::Valid) + s.counts.at(StressClass::Flagged);
  doc["success_rate"] = points.empty() ? 0.0 : double(solved) / double(points.size());
  doc["valid_rate"] =
      points.empty() ? 0.0 : double(s.counts.at(StressClass::Valid)) / double(points.size());
  doc["seconds_median"] = s.median;
  doc["seconds_p90"] = s.p90;
  doc["seconds_max"] = s.max;
  doc["wall_seconds"] = wall;
  doc["inject_fault"] = o.inject_fault.empty() ? "none" : o.inject_fault;
  doc["domain"] = domain.description();
  json flags = json::object();
  for (const auto& [name, count] : s.flags) flags[name] = count;
  doc["flags"] = flags;
  json causes = json::array();
  for (const auto& [key, c] : s.causes)
    causes.push_back({{"class", to_string(c.cls)},
                      {"pattern", key.substr(key.find(": ") + 2)},
                      {"count", c.count},
                      {"first_point", c.first},
                      {"example", c.example}});
  doc["failure_causes"] = causes;
  json clusters = json::object();
  for (const Binning& b : binnings()) {
    json bins = json::array();
    const auto counts = bin_counts(b, points, results);
    for (std::size_t k = 0; k < counts.size(); ++k)
      bins.push_back({{"from", b.edges[k]},
                      {"to", b.edges[k + 1]},
                      {"n", counts[k].n},
                      {"valid", counts[k].valid},
                      {"flagged", counts[k].flagged},
                      {"failed", counts[k].failed}});
    clusters[b.name] = bins;
  }
  doc["clusters"] = clusters;
  json list = json::array();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const StressPoint& pt = points[i];
    const PointResult& r = results[i];
    const Parameters& p = pt.params;
    json j;
    j["index"] = pt.index;
    j["class"] = to_string(r.cls);
    j["silent"] = r.silent;
    if (r.silent) j["silent_reason"] = r.silent_reason;
    j["flags"] = r.flags;
    j["message"] = r.message;
    j["cause"] = r.cause;
    j["seconds"] = r.seconds;
    json params;
    for (const ParameterDomain& d : parameter_domains()) params[d.name] = p.*d.field;
    params["beta"] = pt.beta;
    params["phi_P"] = phi_partition(p);
    params["phi1_over_phi_P"] = pt.phi_share;
    params["gamma_ratio"] = pt.gamma_ratio;
    params["q"] = pt.cutoff_q;
    j["params"] = params;
    if (r.has_record) {
      const ChildRecord& c = r.record;
      j["converged"] = c.outcome == kConverged;
      j["last_shooting_message"] = std::string(c.shooting);
      j["solve_seconds"] = c.solve_seconds;
      j["sn_inf"] = c.sn_inf;
      j["lambda_R"] = c.lambda_R;
      j["aR_inf"] = c.aR_inf;
      j["residual"] = c.residual;
      j["newton_converged"] = bool(c.newton_converged);
      j["method"] = solvers::to_string(static_cast<solvers::BvpMethod>(c.method));
      j["termination"] = solvers::to_string(static_cast<solvers::BvpTermination>(c.termination));
      j["tolerance"] = c.tolerance;
      j["error_estimate"] = c.error_estimate;
      j["matching_defect"] = c.defect;
      j["segment_amplification"] = c.amplification;
      j["horizon"] = c.horizon;
      j["nodes"] = c.nodes;
      j["newton_iterations"] = c.newton_iterations;
      j["continuation_attempts"] = c.continuation_attempts;
      j["continuation_failures"] = c.continuation_failures;
      j["lambda_reached"] = c.lambda_reached;
      j["saddle"] = {c.stable, c.center, c.unstable};
      j["V0_margin"] = c.v0_margin;
      j["V1_margin"] = c.v1_margin;
      j["V2_margin"] = c.v2_evaluated ? c.v2_margin : NAN;
    }
    if (r.cls != StressClass::Valid || r.silent) j["config_toml"] = stress_point_toml(pt);
    list.push_back(j);
  }
  doc["points"] = list;
  return doc;
}

// The --json target must be writable before hours of solving: probe with a temporary file.
void check_json_target(const std::string& file) {
  if (file.empty()) return;
  const std::filesystem::path target(file);
  std::error_code error;
  if (std::filesystem::is_directory(target, error))
    throw UsageError("--json: '" + file + "' is a directory, not a file");
  const std::filesystem::path dir =
      target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  std::string pattern = (dir / ".footloose-stress-probe-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    throw UsageError("--json: cannot write in directory '" + dir.string() +
                     "': " + std::strerror(errno));
  ::close(fd);
  ::unlink(name.data());
}

void run_stress(const StressOptions& o, std::ostream& out) {
  Fault fault = Fault::None;
  if (o.inject_fault == "crash")
    fault = Fault::Crash;
  else if (o.inject_fault == "hang")
    fault = Fault::Hang;
  else if (o.inject_fault == "throw")
    fault = Fault::Throw;
  check_json_target(o.json_file);
  const StressDomain domain;
  const auto start = Clock::now();
  const std::vector<StressPoint> points = draw_stress_points(o.n, o.seed, domain);
  const std::vector<PointResult> results = run_points(points, o, fault);
  const double wall = seconds_since(start);
  const Summary s = summarise(results);
  print_report(out, o, domain, points, results, s, wall);
  out.flush();
  if (!o.json_file.empty())
    write_json(o.json_file, stress_json(o, domain, points, results, s, wall));
  const std::size_t broken =
      s.counts.at(StressClass::Crashed) + s.counts.at(StressClass::TimedOut) + s.silent;
  if (broken > 0) {
    std::ostringstream m;
    m << "stress: the solver broke its contract on " << broken
      << " point(s): " << s.counts.at(StressClass::Crashed) << " crashed, "
      << s.counts.at(StressClass::TimedOut) << " timed out, " << s.silent
      << " silent (report and --json written)";
    throw std::runtime_error(m.str());
  }
}

}  // namespace

Command add_stress_command(CLI::App& parent, std::ostream& out) {
  auto o = std::make_shared<StressOptions>();
  CLI::App* command = parent.add_subcommand(
      "stress",
      "Robustness over the whole valid parameter domain: draw N random points, solve each "
      "path in its own process, classify valid / flagged / failed / crashed / timed_out");
  const CLI::Validator positive_seconds(
      [](std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          const double x = std::stod(text, &used);
          if (used != text.size() || !std::isfinite(x) || x <= 0)
            return "must be a number of seconds > 0";
          return "";
        } catch (const std::exception&) {
          return "must be a number of seconds > 0";
        }
      },
      "", "PositiveSeconds");
  command->add_option("--n", o->n, "Number of parameter points (>= 1)")
      ->required()
      ->check(CLI::Range(1, 100000000).description(""))
      ->type_name("N");
  command
      ->add_option("--seed", o->seed, "Seed of std::mt19937_64 (default 1): same seed, same points")
      ->type_name("S");
  add_output_option(
      *command, "--json", o->json_file,
      "Also write counts, failure causes, clusters and every point (parameters, class, "
      "message, seconds, config_toml for non-valid points) as JSON");
  command
      ->add_option(
          "--time-limit", o->time_limit,
          "Per-point solver time limit in seconds (TransitionOptions::time_limit; default 30)")
      ->check(positive_seconds)
      ->type_name("SEC");
  command
      ->add_option("--grace", o->grace,
                   "Watchdog: a child still running at time limit + this is SIGKILLed and counted "
                   "timed_out (default 10)")
      ->check(positive_seconds)
      ->type_name("SEC");
  command->add_option("--jobs", o->jobs, "Child processes at a time (default 2)")
      ->check(CLI::Range(1, 1024).description(""))
      ->type_name("J");
  command
      ->add_option("--memory-limit", o->memory_limit_mib,
                   "Address-space limit per child in MiB (RLIMIT_AS; default 4096, 0 = none)")
      ->check(CLI::Range(0.0, 1e9).description(""))
      ->type_name("MIB");
  command
      ->add_option("--inject-fault", o->inject_fault,
                   "FOR TESTING the classifier only: make the child of point 0 crash (SIGSEGV), "
                   "hang (until the watchdog), or throw")
      ->check(CLI::IsMember({"crash", "hang", "throw"}))
      ->type_name("KIND");
  command->add_flag("--no-progress", o->no_progress, "No progress bar on stderr");
  command->footer(
      "Each point: sigma in [2, 8], beta in [1.1, 4] (rho = beta (sigma - 1)), sE in [0.51, 0.8],\n"
      "phi1 in (0, phi_P), gamma_R/gamma_E log-uniform in [1e-3, 1e7] (gamma_E = 1), delta in\n"
      "[0.02, 0.3], r in [0, 0.1], F log-uniform in [0.5, 5], FI = q F/(beta - 1) with q in [0.05, "
      "0.95]\n"
      "(interior cut-offs); phi0 = 0 from autarky, jump shock. See docs/stress.md.\n"
      "Classes: valid (converged, saddle ok, V0/V1/V2 ok), flagged (converged, a check fails),\n"
      "failed (not converged or threw), crashed (signal, or no record), timed_out (killed by the\n"
      "watchdog). 'silent' (also counted in its class): converged with a scaled residual above\n"
      "newton_tol and the stall tolerance, a large matching defect or a non-finite result.\n"
      "Exit codes: 0 done; 1 done but some point crashed, timed out or was silent (report and\n"
      "JSON still written); 2 bad input (nothing run, no file written).");
  return {command, [o, &out] { run_stress(*o, out); }};
}

}  // namespace footloose
