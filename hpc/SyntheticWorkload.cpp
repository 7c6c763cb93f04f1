#include "hpc/SyntheticWorkload.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace twin::hpc {

namespace {

using Kind = core::Distribution::Kind;

double std_normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double std_normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }

/// P(X >= x) of what Distribution::sample() draws (NORMAL: negatives drawn as 0).
double survival(const core::Distribution& d, double x) {
  switch (d.kind()) {
    case Kind::FIXED: return d.a() >= x ? 1.0 : 0.0;
    case Kind::EXPONENTIAL: return x <= 0 ? 1.0 : std::exp(-x / d.a());
    case Kind::LOGNORMAL:
      if (x <= 0) return 1.0;
      if (!(d.b() > 0)) return d.a() >= x ? 1.0 : 0.0;
      return 1.0 - std_normal_cdf(std::log(x / d.a()) / d.b());
    case Kind::UNIFORM:
      if (!(d.b() > d.a())) return d.a() >= x ? 1.0 : 0.0;
      return std::clamp((d.b() - x) / (d.b() - d.a()), 0.0, 1.0);
    case Kind::NORMAL:
      if (x <= 0) return 1.0;
      if (!(d.b() > 0)) return d.a() >= x ? 1.0 : 0.0;
      return 1.0 - std_normal_cdf((x - d.a()) / d.b());
  }
  return 0;
}

/// E[clamp(X, lo, hi)], 0 <= lo <= hi, X as Distribution::sample() draws it.
double clamped_mean(const core::Distribution& d, double lo, double hi) {
  const double a = d.a(), b = d.b();
  switch (d.kind()) {
    case Kind::FIXED: return std::clamp(a, lo, hi);
    case Kind::EXPONENTIAL: {
      // lo P(X<lo) + E[X; lo<X<hi] + hi P(X>hi), E[X; lo<X<hi] = (lo+m)e^{-lo/m} - (hi+m)e^{-hi/m}.
      const double el = std::exp(-lo / a), eh = std::exp(-hi / a);
      return lo * (1 - el) + ((lo + a) * el - (hi + a) * eh) + hi * eh;
    }
    case Kind::LOGNORMAL: {
      if (!(b > 0)) return std::clamp(a, lo, hi);
      const double zl = std::log(lo / a) / b, zh = std::log(hi / a) / b;
      const double partial = a * std::exp(0.5 * b * b) * (std_normal_cdf(zh - b) - std_normal_cdf(zl - b));
      return lo * std_normal_cdf(zl) + partial + hi * (1 - std_normal_cdf(zh));
    }
    case Kind::UNIFORM: {
      if (!(b > a)) return std::clamp(a, lo, hi);
      const double below = std::clamp(lo, a, b) - a, above = b - std::clamp(hi, a, b);
      const double m0 = std::clamp(lo, a, b), m1 = std::clamp(hi, a, b);
      return (lo * below + 0.5 * (m1 * m1 - m0 * m0) + hi * above) / (b - a);
    }
    case Kind::NORMAL: {
      // Negatives are drawn as 0, below lo >= 0 anyway.
      if (!(b > 0)) return std::clamp(std::max(a, 0.0), lo, hi);
      const double al = (lo - a) / b, bh = (hi - a) / b;
      const double partial = a * (std_normal_cdf(bh) - std_normal_cdf(al)) + b * (std_normal_pdf(al) - std_normal_pdf(bh));
      return lo * std_normal_cdf(al) + partial + hi * (1 - std_normal_cdf(bh));
    }
  }
  return a;
}

/// E[clamp(round(X), 1, n)]: 1 + sum over k in [1, n) of P(round(X) > k),
/// where round(X) > k exactly when X >= k + 0.5 (std::round, X >= 0).
double size_mean(const core::Distribution& d, int max_nodes) {
  double sum = 1;
  for (int k = 1; k < max_nodes; ++k) {
    const double p = survival(d, k + 0.5);
    if (p == 0) break;  // survival only decreases
    sum += p;
  }
  return sum;
}

}  // namespace

double offered_node_s_per_job(const SyntheticWorkloadSpec& spec) {
  return size_mean(spec.nodes, spec.max_nodes) * clamped_mean(spec.run_s, spec.min_run_s, spec.max_walltime_s);
}

double interarrival_for_load(const SyntheticWorkloadSpec& spec, double load) {
  if (!(load > 0)) throw std::invalid_argument("synthetic workload: load must be > 0");
  if (spec.max_nodes < 1) throw std::invalid_argument("synthetic workload: max_nodes must be >= 1");
  return offered_node_s_per_job(spec) / (load * spec.max_nodes);
}

SyntheticWorkload::SyntheticWorkload(const SyntheticWorkloadSpec& spec, double start_s) : spec_(spec), clock_s_(start_s) {
  if (spec.max_nodes < 1) throw std::invalid_argument("synthetic workload: max_nodes must be >= 1");
  if (!(spec.mean_interarrival_s > 0)) throw std::invalid_argument("synthetic workload: mean_interarrival_s must be > 0");
}

WorkloadJob SyntheticWorkload::next(core::Rng& rng) {
  clock_s_ += rng.exponential(spec_.mean_interarrival_s);
  const double nodes = std::round(spec_.nodes.sample(rng));
  const double run_s = std::clamp(spec_.run_s.sample(rng), spec_.min_run_s, spec_.max_walltime_s);
  const double factor = std::max(1.0, spec_.request_factor.sample(rng));
  WorkloadJob j;
  j.id = spec_.id_prefix + std::to_string(++count_);
  j.submit_s = clock_s_;
  j.nodes = static_cast<int>(std::clamp(nodes, 1.0, static_cast<double>(spec_.max_nodes)));
  j.run_s = run_s;
  j.requested_s = std::min(run_s * factor, spec_.max_walltime_s);
  return j;
}

std::vector<WorkloadJob> SyntheticWorkload::generate(core::Rng& rng, double until_s) {
  std::vector<WorkloadJob> out;
  for (;;) {
    WorkloadJob j = next(rng);
    if (!(j.submit_s < until_s)) break;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace twin::hpc
