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

}  // namespace

ParameterError::ParameterError(const std::string& field, double value, const std::string& allowed)
    : std::invalid_argument(describe(field, value, allowed)), field_(field) {}

const std::vector<ParameterDomain>& parameter_domains() {
  static const std::vector<ParameterDomain> domains = {
      {"sigma", &Parameters::sigma, "sigma > 1", [](const Parameters& p) { return p.sigma > 1.0; }},
      {"rho", &Parameters::rho, "rho > sigma - 1 (beta = rho/(sigma-1) > 1)",
       [](const Parameters& p) { return p.rho > p.sigma - 1.0; }},
      {"sE", &Parameters::sE, "0.5 < sE < 1",
       [](const Parameters& p) { return p.sE > 0.5 && p.sE < 1.0; }},
      {"F", &Parameters::F, "F > 0", [](const Parameters& p) { return p.F > 0.0; }},
      {"FI", &Parameters::FI, "FI > 0", [](const Parameters& p) { return p.FI > 0.0; }},
      {"delta", &Parameters::delta, "delta > 0", [](const Parameters& p) { return p.delta > 0.0; }},
      {"r", &Parameters::r, "r >= 0", [](const Parameters& p) { return p.r >= 0.0; }},
      {"phi0", &Parameters::phi0, "0 <= phi0 < 1",
       [](const Parameters& p) { return p.phi0 >= 0.0 && p.phi0 < 1.0; }},
      {"phi1", &Parameters::phi1, "0 <= phi1 < 1",
       [](const Parameters& p) { return p.phi1 >= 0.0 && p.phi1 < 1.0; }},
      {"gamma_E", &Parameters::gamma_E, "gamma_E >= 0",
       [](const Parameters& p) { return p.gamma_E >= 0.0; }},
      {"gamma_R", &Parameters::gamma_R, "gamma_R >= 0",
       [](const Parameters& p) { return p.gamma_R >= 0.0; }},
  };
  return domains;
}

void validate(const Parameters& p) {
  for (const ParameterDomain& d : parameter_domains()) {
    const double value = p.*d.field;
    if (!std::isfinite(value) || !d.holds(p)) throw ParameterError(d.name, value, d.allowed);
  }
}

}  // namespace footloose
