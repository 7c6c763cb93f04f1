#include "models/SnarKernel.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace twin::models;

namespace {
KernelSpec snar_spec(std::map<std::string, double> params = {}) {
  KernelSpec s;
  s.kind = "snar";
  s.params = std::move(params);
  return s;
}
}  // namespace

TEST_CASE("snar: both mass balances hold along the solution") {
  const SnarKernel k(SnarKernel::Settings{});
  const double taus[] = {0.5, 1.2, 2.0};
  const double equivs[] = {1, 2.5, 5};
  const double concs[] = {0.1, 0.5};
  const double temps[] = {30, 90, 120};
  for (double tau : taus) {
    for (double eq : equivs) {
      for (double c0 : concs) {
        for (double temp : temps) {
          for (bool low : {false, true}) {
            const auto r = k.run(tau, eq, c0, temp, low);
            const auto& c = r.conc;
            CHECK(c[0] + c[2] + c[3] + c[4] == doctest::Approx(c0).epsilon(1e-10));
            CHECK(c[1] + c[2] + c[3] + 2 * c[4] == doctest::Approx(eq * c0).epsilon(1e-10));
            for (double ci : c) CHECK(ci > -1e-12);
            CHECK(r.yield == c[2] / c0);
          }
        }
      }
    }
  }
}

TEST_CASE("snar: the fixed-step truth is converged (a much finer step changes < 1e-6)") {
  // No closed form here: compare the truth against a run of the same
  // equations with a much finer step (the simulation path with no Ea shift
  // and a 0.001 min step).
  SnarKernel::Settings fine;
  fine.sim_ea_shift_kj_mol = 0;
  fine.sim_step_min = 0.001;
  const SnarKernel f(fine);
  const SnarKernel k(SnarKernel::Settings{});
  const double conditions[][4] = {{2, 5, 0.5, 120}, {0.5, 1, 0.1, 30}, {1.3, 2.2, 0.3, 75}};
  for (const auto& x : conditions) {
    const double truth = k.run(x[0], x[1], x[2], x[3], false).yield;
    const double finer = f.run(x[0], x[1], x[2], x[3], true).yield;
    CHECK(std::abs(truth - finer) < 1e-6);
  }
}

TEST_CASE("snar: chemistry behaves as expected") {
  const auto k = make_kernel(snar_spec(), 0);
  auto y = [&k](double tau, double eq, double c, double temp) {
    return k->truth(Candidate{{tau, eq, c, temp}, -1});
  };
  // More time, more reagent, more heat make more product at mild conditions...
  CHECK(y(1.0, 2, 0.1, 30) > y(0.5, 2, 0.1, 30));
  CHECK(y(1.0, 2, 0.1, 60) > y(1.0, 2, 0.1, 30));
  // ...but at the harshest conditions the ortho product goes on to the
  // bis-adduct: the yield collapses.
  CHECK(y(2, 5, 0.5, 120) < 0.05);
  // A good interior region: over 0.9 at mild temperature.
  CHECK(y(1.8, 2.25, 0.45, 30) > 0.9);
  CHECK(y(1.8, 2.25, 0.45, 30) < 0.93);
  // Para selectivity: the ortho product dominates the para product.
  const SnarKernel sk(SnarKernel::Settings{});
  const auto r = sk.run(1.0, 2, 0.2, 60, false);
  CHECK(r.conc[2] > 10 * r.conc[3]);
  CHECK(k->goal() == Goal::MAXIMIZE);
}

TEST_CASE("snar: the simulation is close but not equal, and costs in proportion") {
  const auto k = make_kernel(snar_spec(), 0);
  const Candidate mid{{1, 2, 0.2, 60}, -1};
  CHECK(k->simulate(mid) != k->truth(mid));
  CHECK(std::abs(k->simulate(mid) - k->truth(mid)) < 0.05);
  // At 90 °C the shifted activation energies do not matter; only the coarse
  // step does, which is small at mild rates.
  const Candidate at_ref{{1, 1.5, 0.1, 90}, -1};
  CHECK(std::abs(k->simulate(at_ref) - k->truth(at_ref)) < 0.02);
  // Reference: 2 min at 0.25 min steps, 32 evaluations = sim_gflop.
  CHECK(k->simulation_flops(Candidate{{2, 1, 0.1, 30}, -1}) == doctest::Approx(3.6e16));
  // A stiff corner needs more (stability-capped) steps: more flops.
  CHECK(k->simulation_flops(Candidate{{2, 5, 0.5, 120}, -1}) > 10 * 3.6e16);
  CHECK_THROWS_AS(k->truth(Candidate{{3, 2, 0.2, 60}, -1}), std::invalid_argument);
}

namespace {
// The best truth over a coarse grid of the box.
double grid_max(const Kernel& k) {
  double best = 0;
  for (double tau : {0.5, 0.8, 1.1, 1.4, 1.7, 2.0})
    for (double eq : {1.0, 2.0, 3.0, 4.0, 5.0})
      for (double c0 : {0.1, 0.2, 0.3, 0.4, 0.5})
        for (double t = 30; t <= 120; t += 10) best = std::max(best, k.truth(Candidate{{tau, eq, c0, t}, -1}));
  return best;
}
}  // namespace

TEST_CASE("snar: generated problems scale the kinetics together, keyed, and keep the best yield within reach") {
  const auto published = make_kernel(snar_spec(), 0, 9);
  const auto& p0 = dynamic_cast<const SnarKernel&>(*published);
  CHECK(p0.rate_factor() == 1);
  CHECK(p0.ea_offset_kj_mol() == 0);
  const double best0 = grid_max(*published);
  std::set<double> factors;
  for (std::uint64_t key = 1; key <= 10; ++key) {
    const auto inst = make_kernel(snar_spec(), 1 + static_cast<int>(key), key);
    const auto& s = dynamic_cast<const SnarKernel&>(*inst);
    CHECK(s.rate_factor() >= 0.5);
    CHECK(s.rate_factor() <= 2.0);
    CHECK(std::abs(s.ea_offset_kj_mol()) <= 5.0);
    CHECK(dynamic_cast<const SnarKernel&>(*make_kernel(snar_spec(), 1 + static_cast<int>(key), key)).rate_factor() == s.rate_factor());
    factors.insert(s.rate_factor());
    // A different problem: the yield at the published optimum's neighbourhood changes...
    CHECK(inst->truth(Candidate{{1.0, 2.0, 0.2, 60}, -1}) != published->truth(Candidate{{1.0, 2.0, 0.2, 60}, -1}));
    // ... but the best over the box stays near the published best (a common change of the
    // kinetics moves the optimum; the selectivities that bound the yield stay).
    CHECK(grid_max(*inst) == doctest::Approx(best0).epsilon(0.02));
  }
  CHECK(factors.size() == 10);
  // The ranges are parameters; 1 and 0 give the published reaction again.
  const auto same = make_kernel(snar_spec({{"stream_rate_factor", 1}, {"stream_ea_shift", 0}}), 4, 3);
  CHECK(same->truth(Candidate{{1.0, 2.0, 0.2, 60}, -1}) == published->truth(Candidate{{1.0, 2.0, 0.2, 60}, -1}));
}
