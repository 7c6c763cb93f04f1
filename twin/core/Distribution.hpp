#pragma once
// A random duration or quantity, given in a scenario as an object with named
// parameters: {"fixed": 5}, {"exponential": {"mean": 30}},
// {"lognormal": {"median": 90, "sigma": 0.3}}, {"uniform": {"min": 1, "max": 2}},
// {"normal": {"mean": 10, "sd": 2}} (truncated at zero). Values are in the
// unit of the key that holds them; the parser scales them to SI once.
#include <string>

#include "twin/core/Rng.hpp"

namespace twin::core {

class Distribution {
 public:
  enum class Kind { FIXED, EXPONENTIAL, LOGNORMAL, UNIFORM, NORMAL };

  static Distribution fixed(double v) { return {Kind::FIXED, v, 0}; }
  static Distribution exponential(double mean) { return {Kind::EXPONENTIAL, mean, 0}; }
  static Distribution lognormal(double median, double sigma) { return {Kind::LOGNORMAL, median, sigma}; }
  static Distribution uniform(double low, double high) { return {Kind::UNIFORM, low, high}; }
  static Distribution normal(double mean, double sd) { return {Kind::NORMAL, mean, sd}; }

  Distribution() = default;
  double sample(Rng& rng) const;
  /// Expected value (for reports and plans).
  double mean() const;
  /// The same distribution with every value multiplied by `factor` (unit change).
  Distribution scaled(double factor) const;
  Kind kind() const { return kind_; }
  double a() const { return a_; }
  double b() const { return b_; }
  /// Human-readable form, e.g. "lognormal(median 5400, sigma 0.3)".
  std::string describe() const;

 private:
  Distribution(Kind k, double a, double b) : kind_(k), a_(a), b_(b) {}
  Kind kind_ = Kind::FIXED;
  double a_ = 0;
  double b_ = 0;
};

}  // namespace twin::core
