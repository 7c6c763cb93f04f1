#include "models/AnalyticKernel.hpp"

#include <cmath>
#include <stdexcept>

#include "models/StableHash.hpp"

namespace twin::models {
namespace {

constexpr double PI = 3.14159265358979323846;
constexpr int SCALE_GRID = 101;

const char* kind_name(AnalyticKernel::Surface s) {
  return s == AnalyticKernel::Surface::BRANIN ? "branin" : "michalewicz";
}

std::vector<std::vector<double>> textbook_minimizers(AnalyticKernel::Surface s) {
  if (s == AnalyticKernel::Surface::BRANIN) {
    return {{-PI, 12.275}, {PI, 2.275}, {3 * PI, 2.475}};
  }
  // Michalewicz (m = 10): x2 = pi / 2 exactly (sin(2 x^2 / pi) = 1 there, at
  // x^2 = pi^2 / 4); x1 is where d/dx [sin x sin(x^2/pi)^20] = 0 near 2.2029.
  return {{2.2029055201726, PI / 2}};
}

std::unique_ptr<Kernel> make_analytic(AnalyticKernel::Surface surface, const KernelSpec& spec,
                                      int problem, std::uint64_t instance) {
  const std::string kind = kind_name(surface);
  const AnalyticKernel::Settings s = resolve_settings(kind, AnalyticKernel::settings_params(), spec.params);
  require_goal(kind, spec.goal, Goal::MINIMIZE, "the surface is minimized");
  return std::make_unique<AnalyticKernel>(surface, problem, s, instance);
}

}  // namespace

double AnalyticKernel::textbook(Surface surface, double x1, double x2) {
  if (surface == Surface::BRANIN) {
    const double b = 5.1 / (4 * PI * PI), c = 5 / PI, t = 1 / (8 * PI);
    const double u = x2 - b * x1 * x1 + c * x1 - 6;
    return u * u + 10 * (1 - t) * std::cos(x1) + 10;
  }
  double f = 0;
  const double xs[2] = {x1, x2};
  for (int i = 0; i < 2; ++i) {
    const double s = std::sin((i + 1) * xs[i] * xs[i] / PI);
    double s20 = s * s;             // ^2
    s20 = s20 * s20;                // ^4
    const double s4 = s20;
    s20 = s20 * s20;                // ^8
    s20 = s20 * s20 * s4;           // ^20
    f -= std::sin(xs[i]) * s20;
  }
  return f;
}

const std::vector<SettingsParam<AnalyticKernel::Settings>>& AnalyticKernel::settings_params() {
  using S = Settings;
  static const std::vector<SettingsParam<S>> table = {
      {{"lab_noise", "1", 0.02, 0, 10, false,
        "Standard deviation of a lab measurement's noise as a fraction of the surface's scale "
        "(its standard deviation over a 101 x 101 grid of the box). A stated default."}, &S::lab_noise},
      {{"shift", "1", 0.05, 0, 0.08, false,
        "Problem p >= 1 shifts the surface by up to this fraction of each dimension's range "
        "(a hash of the instance key: seed, replication, campaign and p; of p alone without a key); "
        "problem 0 is the textbook function."}, &S::shift},
      {{"sim_bias", "1", 0.1, 0, 10, false,
        "Amplitude of the simulation's smooth bias, as a fraction of the surface's scale."}, &S::sim_bias},
      {{"sim_gflop", "GFLOP", 3.6e7, 0, 1e15, false,
        "Cost of one simulation (3 node-minutes on a 2e5 GFLOP/s node)."}, &S::sim_gflop},
      {{"sim_noise", "1", 0.2, 0, 10, false,
        "Standard deviation of the simulation's fixed per-point error (a hash of x), as a "
        "fraction of the surface's scale."}, &S::sim_noise},
  };
  return table;
}

KernelInfo AnalyticKernel::info(Surface surface) {
  const std::string desc =
      surface == Surface::BRANIN
          ? "Branin surface on [-5, 10] x [0, 15], to minimize: 0.397887 at (-pi, 12.275), "
            "(pi, 2.275), (9.42478, 2.475). Problem p >= 1 shifts it."
          : "Michalewicz surface (m = 10, 2-D) on [0, pi]^2, to minimize: -1.8013 at "
            "(2.202906, 1.570796). Problem p >= 1 shifts it.";
  return KernelInfo{kind_name(surface), desc, document_params(param_defs_of(settings_params()))};
}

AnalyticKernel::AnalyticKernel(Surface surface, int problem, Settings settings, std::uint64_t instance)
    : surface_(surface), problem_(problem), settings_(settings) {
  if (surface == Surface::BRANIN) {
    space_ = DesignSpace::box({{"x1", Dimension::Kind::CONTINUOUS, -5, 10, 0},
                               {"x2", Dimension::Kind::CONTINUOUS, 0, 15, 0}});
  } else {
    space_ = DesignSpace::box({{"x1", Dimension::Kind::CONTINUOUS, 0, PI, 0},
                               {"x2", Dimension::Kind::CONTINUOUS, 0, PI, 0}});
  }
  const auto& dims = space_.dimensions();
  shift_.assign(2, 0.0);
  if (problem_ > 0) {
    // Keyed by the caller's instance key (seed, replication, campaign,
    // problem), else by the problem alone.
    const std::uint64_t base =
        instance != 0 ? fnv1a_u64(fnv1a_u64(fnv1a_text(kind_name(surface)), 0x5eed), instance)
                      : fnv1a_u64(fnv1a_text(kind_name(surface)), static_cast<std::uint64_t>(problem_));
    for (std::size_t j = 0; j < 2; ++j) {
      const double u = unit_uniform(splitmix64(fnv1a_u64(base, j)));
      shift_[j] = settings_.shift * (dims[j].high - dims[j].low) * (2 * u - 1);
    }
  }
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < SCALE_GRID; ++i) {
    for (int j = 0; j < SCALE_GRID; ++j) {
      const double x1 = dims[0].low + (dims[0].high - dims[0].low) * i / (SCALE_GRID - 1);
      const double x2 = dims[1].low + (dims[1].high - dims[1].low) * j / (SCALE_GRID - 1);
      const double f = textbook(surface_, x1, x2);
      sum += f;
      sum_sq += f * f;
    }
  }
  const double n = SCALE_GRID * SCALE_GRID;
  scale_ = std::sqrt((sum_sq - sum * sum / n) / (n - 1));
}

double AnalyticKernel::truth(const Candidate& c) const {
  const std::vector<double> x = space_.checked_point(c);
  return textbook(surface_, x[0] - shift_[0], x[1] - shift_[1]);
}

double AnalyticKernel::simulate(const Candidate& c) const {
  const std::vector<double> x = space_.checked_point(c);
  const auto& dims = space_.dimensions();
  const double u1 = (x[0] - dims[0].low) / (dims[0].high - dims[0].low);
  const double u2 = (x[1] - dims[1].low) / (dims[1].high - dims[1].low);
  const std::uint64_t key =
      splitmix64(fnv1a_u64(fnv1a_doubles(x), static_cast<std::uint64_t>(problem_)));
  return textbook(surface_, x[0] - shift_[0], x[1] - shift_[1]) +
         settings_.sim_bias * scale_ * std::sin(2 * PI * (u1 + 0.5 * u2)) +
         settings_.sim_noise * scale_ * pseudo_normal(key);
}

double AnalyticKernel::simulation_flops(const Candidate& c) const {
  (void)space_.checked_point(c);
  return settings_.sim_gflop * 1e9;
}

std::string AnalyticKernel::describe() const {
  std::string s = kind_name(surface_);
  if (problem_ > 0) {
    s += " shifted by (" + format_number(shift_[0]) + ", " + format_number(shift_[1]) + ")";
  }
  return s;
}

double AnalyticKernel::known_minimum() const {
  if (surface_ == Surface::BRANIN) return textbook(surface_, PI, 2.275);
  const auto m = textbook_minimizers(surface_)[0];
  return textbook(surface_, m[0], m[1]);
}

std::vector<std::vector<double>> AnalyticKernel::known_minimizers() const {
  std::vector<std::vector<double>> out;
  for (auto m : textbook_minimizers(surface_)) {
    m[0] += shift_[0];
    m[1] += shift_[1];
    if (space_.contains(Candidate{m, -1})) out.push_back(m);
  }
  return out;
}

std::unique_ptr<Kernel> make_branin_kernel(const KernelSpec& spec, int problem, std::uint64_t instance) {
  return make_analytic(AnalyticKernel::Surface::BRANIN, spec, problem, instance);
}

std::unique_ptr<Kernel> make_michalewicz_kernel(const KernelSpec& spec, int problem, std::uint64_t instance) {
  return make_analytic(AnalyticKernel::Surface::MICHALEWICZ, spec, problem, instance);
}

}  // namespace twin::models
