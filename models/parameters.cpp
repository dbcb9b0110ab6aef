#include "models/parameters.hpp"

#include <cmath>
#include <sstream>

namespace footloose {

namespace {
std::string describe(const std::string& field, double value, const std::string& allowed) {
  std::ostringstream os;
  os.precision(17);
  os << "parameter '" << field << "' = " << value << " is out of range: allowed " << allowed;
  return os.str();
}

void require(bool ok, const char* field, double value, const char* allowed) {
  if (!ok || !std::isfinite(value)) throw ParameterError(field, value, allowed);
}
}  // namespace

ParameterError::ParameterError(const std::string& field, double value, const std::string& allowed)
    : std::invalid_argument(describe(field, value, allowed)), field_(field) {}

void validate(const Parameters& p) {
  require(p.sigma > 1.0, "sigma", p.sigma, "sigma > 1");
  require(p.rho > p.sigma - 1.0, "rho", p.rho, "rho > sigma - 1 (beta = rho/(sigma-1) > 1)");
  require(p.sE > 0.5 && p.sE < 1.0, "sE", p.sE, "0.5 < sE < 1");
  require(p.F > 0.0, "F", p.F, "F > 0");
  require(p.FI > 0.0, "FI", p.FI, "FI > 0");
  require(p.delta > 0.0, "delta", p.delta, "delta > 0");
  require(p.r >= 0.0, "r", p.r, "r >= 0");
  require(p.phi0 >= 0.0 && p.phi0 < 1.0, "phi0", p.phi0, "0 <= phi0 < 1");
  require(p.phi1 >= 0.0 && p.phi1 < 1.0, "phi1", p.phi1, "0 <= phi1 < 1");
  require(p.gamma_E >= 0.0, "gamma_E", p.gamma_E, "gamma_E >= 0");
  require(p.gamma_R >= 0.0, "gamma_R", p.gamma_R, "gamma_R >= 0");
}

}  // namespace footloose
