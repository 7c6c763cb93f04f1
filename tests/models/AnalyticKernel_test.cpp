#include "models/AnalyticKernel.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <set>

using namespace twin::models;

namespace {
KernelSpec spec_of(const std::string& kind, std::map<std::string, double> params = {}) {
  KernelSpec s;
  s.kind = kind;
  s.params = std::move(params);
  return s;
}

double grid_min(const Kernel& k, int n) {
  const auto& d = k.space().dimensions();
  double best = 1e300;
  for (int i = 0; i <= n; ++i) {
    for (int j = 0; j <= n; ++j) {
      const double x1 = d[0].low + (d[0].high - d[0].low) * i / n;
      const double x2 = d[1].low + (d[1].high - d[1].low) * j / n;
      best = std::min(best, k.truth(Candidate{{x1, x2}, -1}));
    }
  }
  return best;
}
}  // namespace

TEST_CASE("branin: 0.397887 at its three minimisers") {
  const auto k = make_kernel(spec_of("branin"), 0);
  const double pi = 3.14159265358979323846;
  CHECK(k->truth(Candidate{{-pi, 12.275}, -1}) == doctest::Approx(0.397887).epsilon(1e-6));
  CHECK(k->truth(Candidate{{pi, 2.275}, -1}) == doctest::Approx(0.397887).epsilon(1e-6));
  CHECK(k->truth(Candidate{{9.42478, 2.475}, -1}) == doctest::Approx(0.397887).epsilon(1e-6));
  CHECK(k->goal() == Goal::MINIMIZE);
  CHECK(k->describe() == "branin");
  // Nothing on a fine grid goes below the minimum.
  CHECK(grid_min(*k, 300) >= 0.397887 - 1e-6);
  CHECK(k->truth(Candidate{{0, 0}, -1}) == doctest::Approx(55.6021).epsilon(1e-5));
}

TEST_CASE("michalewicz: -1.8013 at (2.202906, 1.570796)") {
  const auto k = make_kernel(spec_of("michalewicz"), 0);
  const double at = k->truth(Candidate{{2.202906, 1.570796}, -1});
  CHECK(at == doctest::Approx(-1.8013).epsilon(1e-4));
  CHECK(grid_min(*k, 400) >= at - 1e-9);
  const auto& ak = dynamic_cast<const AnalyticKernel&>(*k);
  CHECK(ak.known_minimum() == doctest::Approx(-1.8013034101).epsilon(1e-9));
  REQUIRE(ak.known_minimizers().size() == 1);
  CHECK(ak.known_minimizers()[0][0] == doctest::Approx(2.202906).epsilon(1e-6));
}

TEST_CASE("analytic: problem p >= 1 shifts the surface, the minimum value stays") {
  for (const char* kind : {"branin", "michalewicz"}) {
    CAPTURE(kind);
    std::set<double> shifts;
    for (int p = 0; p < 6; ++p) {
      const auto k = make_kernel(spec_of(kind), p);
      const auto& ak = dynamic_cast<const AnalyticKernel&>(*k);
      const auto minimizers = ak.known_minimizers();
      REQUIRE_FALSE(minimizers.empty());
      for (const auto& m : minimizers) {
        CHECK(k->truth(Candidate{m, -1}) == doctest::Approx(ak.known_minimum()).epsilon(1e-9));
      }
      CHECK(grid_min(*k, 200) >= ak.known_minimum() - 1e-9);
      shifts.insert(ak.shift_vector()[0]);
      if (p == 0) CHECK(ak.shift_vector() == std::vector<double>{0, 0});
    }
    CHECK(shifts.size() == 6);  // every problem is a different surface
  }
}

TEST_CASE("analytic: the simulation is deterministic, biased, bounded") {
  const auto k = make_kernel(spec_of("branin"), 0);
  const auto& ak = dynamic_cast<const AnalyticKernel&>(*k);
  CHECK(ak.scale() > 10);
  double max_err = 0;
  for (int i = 0; i <= 20; ++i) {
    const Candidate c{{-5 + 0.75 * i, 7.5}, -1};
    CHECK(k->simulate(c) == k->simulate(c));
    max_err = std::max(max_err, std::abs(k->simulate(c) - k->truth(c)));
  }
  CHECK(max_err > 0.05 * ak.scale());
  CHECK(max_err <= (0.1 + 0.2 * 2 * std::sqrt(3.0)) * ak.scale());
  const auto exact = make_kernel(spec_of("branin", {{"sim_bias", 0}, {"sim_noise", 0}}), 0);
  const Candidate c{{1, 2}, -1};
  CHECK(exact->simulate(c) == exact->truth(c));
  CHECK(k->simulation_flops(c) == 3.6e16);
  CHECK(k->lab_noise_sd() == doctest::Approx(0.02 * ak.scale()));
  CHECK_THROWS_AS(make_kernel(spec_of("branin", {{"shift", 0.2}}), 1), std::invalid_argument);
}

TEST_CASE("analytic: with an instance key the shift is the key's, the same in both modes, the minimum value stays") {
  for (const std::string kind : {"branin", "michalewicz"}) {
    CAPTURE(kind);
    std::set<std::vector<double>> shifts;
    for (std::uint64_t key = 1; key <= 8; ++key) {
      const auto a = make_kernel(spec_of(kind), 3, key), b = make_kernel(spec_of(kind), 3, key);
      const auto& ak = dynamic_cast<const AnalyticKernel&>(*a);
      CHECK(ak.shift_vector() == dynamic_cast<const AnalyticKernel&>(*b).shift_vector());
      const auto& d = ak.space().dimensions();
      for (std::size_t j = 0; j < 2; ++j) CHECK(std::abs(ak.shift_vector()[j]) <= 0.05 * (d[j].high - d[j].low));
      CHECK(grid_min(*a, 200) >= ak.known_minimum() - 1e-9);
      shifts.insert(ak.shift_vector());
    }
    CHECK(shifts.size() == 8);
    // Problem 0 stays the textbook surface whatever the key; no key: the problem's own shift.
    CHECK(dynamic_cast<const AnalyticKernel&>(*make_kernel(spec_of(kind), 0, 5)).shift_vector() == std::vector<double>{0, 0});
    CHECK(dynamic_cast<const AnalyticKernel&>(*make_kernel(spec_of(kind), 3, 0)).shift_vector() !=
          dynamic_cast<const AnalyticKernel&>(*make_kernel(spec_of(kind), 3, 1)).shift_vector());
  }
}
