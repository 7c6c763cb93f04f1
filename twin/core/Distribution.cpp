#include "twin/core/Distribution.hpp"

#include <cmath>
#include <cstdio>

namespace twin::core {

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::FIXED: return a_;
    case Kind::EXPONENTIAL: return rng.exponential(a_);
    case Kind::LOGNORMAL: return rng.lognormal(a_, b_);
    case Kind::UNIFORM: return rng.uniform(a_, b_);
    case Kind::NORMAL: {
      double v = rng.normal(a_, b_);
      return v < 0 ? 0 : v;
    }
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::FIXED: return a_;
    case Kind::EXPONENTIAL: return a_;
    case Kind::LOGNORMAL: return a_ * std::exp(0.5 * b_ * b_);
    case Kind::UNIFORM: return 0.5 * (a_ + b_);
    case Kind::NORMAL: return a_;
  }
  return a_;
}

Distribution Distribution::scaled(double f) const {
  switch (kind_) {
    case Kind::LOGNORMAL: return {kind_, a_ * f, b_};
    default: return {kind_, a_ * f, kind_ == Kind::EXPONENTIAL || kind_ == Kind::FIXED ? b_ : b_ * f};
  }
}

std::string Distribution::describe() const {
  char buf[128];
  switch (kind_) {
    case Kind::FIXED: std::snprintf(buf, sizeof buf, "fixed(%g)", a_); break;
    case Kind::EXPONENTIAL: std::snprintf(buf, sizeof buf, "exponential(mean %g)", a_); break;
    case Kind::LOGNORMAL: std::snprintf(buf, sizeof buf, "lognormal(median %g, sigma %g)", a_, b_); break;
    case Kind::UNIFORM: std::snprintf(buf, sizeof buf, "uniform(%g, %g)", a_, b_); break;
    case Kind::NORMAL: std::snprintf(buf, sizeof buf, "normal(mean %g, sd %g)", a_, b_); break;
  }
  return buf;
}

}  // namespace twin::core
