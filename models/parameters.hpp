// Model parameters and their domains (docs/model.md Section 1).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace footloose {

// Thrown when a parameter lies outside its domain; names the field, its value and the range.
class ParameterError : public std::invalid_argument {
 public:
  ParameterError(const std::string& field, double value, const std::string& allowed);
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Primitive parameters; defaults are the baseline calibration of docs/model.md Section 4.
struct Parameters {
  double sigma = 4.0;    // elasticity of substitution σ > 1
  double rho = 6.0;      // Pareto shape ρ > σ − 1
  double sE = 0.6;       // North share of world expenditure, (1/2, 1)
  double F = 2.0;        // beachhead cost per market
  double FI = 1.0;       // capital (variety) creation cost
  double delta = 0.1;    // death rate δ > 0
  double r = 0.0;        // discount rate r ≥ 0
  double phi0 = 0.0;     // freeness of trade before the shock, [0, 1)
  double phi1 = 0.4;     // freeness of trade after the shock, [0, 1)
  double gamma_E = 1.0;  // entry adjustment cost γE ≥ 0 (time units)
  double gamma_R = 1.0;  // relocation adjustment cost γR ≥ 0 (time units)

  double beta() const { return rho / (sigma - 1.0); }     // β ≡ ρ/(σ−1)
  double theta() const { return rho - (sigma - 1.0); }    // θ ≡ ρ − (σ−1)
  double c() const { return rho / theta(); }              // c ≡ ρ/θ = β/(β−1)
  double f() const { return sigma * (r + delta) * F; }    // f ≡ σ(r+δ)F
  double fI() const { return sigma * (r + delta) * FI; }  // fI ≡ σ(r+δ)FI
  double discount() const { return r + delta; }           // r + δ
};

// The domain of each parameter, written once (docs/model.md Section 1): validate() checks it,
// the config schema and --help print `allowed`.
struct ParameterDomain {
  const char* name;
  double Parameters::*field;
  const char* allowed;
  bool (*holds)(const Parameters&);  // the field (with the ones it depends on) is in its domain
};
const std::vector<ParameterDomain>& parameter_domains();

// Throws ParameterError for the first field outside its domain (docs/model.md Section 1).
void validate(const Parameters& p);

}  // namespace footloose
