#include "models/KineticsKernel.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>

using namespace twin::models;

namespace {

KernelSpec kinetics_spec(std::map<std::string, double> params = {}) {
  KernelSpec s;
  s.kind = "kinetics";
  s.params = std::move(params);
  return s;
}

Candidate point(int catalyst, double c_cat, double t_s, double temperature_c) {
  return Candidate{{static_cast<double>(catalyst), c_cat, t_s, temperature_c}, -1};
}

}  // namespace

TEST_CASE("kinetics case 1: RK4 matches the closed form to 1e-6 across the box") {
  const auto k = make_kernel(kinetics_spec(), 0);
  const double c_cats[] = {0.835e-3, 2.0e-3, 4.175e-3};
  const double times[] = {60, 250, 600};
  const double temps[] = {30, 75, 110};
  for (int cat = 0; cat < 8; ++cat) {
    for (double c : c_cats) {
      for (double t : times) {
        for (double temp : temps) {
          CAPTURE(cat);
          CAPTURE(c);
          CAPTURE(t);
          CAPTURE(temp);
          CHECK(std::abs(k->truth(point(cat, c, t, temp)) -
                         KineticsKernel::case1_exact_yield(cat, c, t, temp)) < 1e-6);
        }
      }
    }
  }
}

TEST_CASE("kinetics case 1: the best yield is 0.9856 at catalyst 0, 110 °C, 600 s, top loading") {
  const auto k = make_kernel(kinetics_spec(), 0);
  const double best = k->truth(point(0, 4.175e-3, 600, 110));
  CHECK(best == doctest::Approx(0.9856).epsilon(1e-4));
  CHECK(KineticsKernel::case1_exact_yield(0, 4.175e-3, 600, 110) ==
        doctest::Approx(0.98559481).epsilon(1e-8));
  // Any step away from the corner lowers the yield.
  CHECK(k->truth(point(1, 4.175e-3, 600, 110)) < best);
  CHECK(k->truth(point(0, 4.0e-3, 600, 110)) < best);
  CHECK(k->truth(point(0, 4.175e-3, 590, 110)) < best);
  CHECK(k->truth(point(0, 4.175e-3, 600, 109)) < best);
  CHECK(k->goal() == Goal::MAXIMIZE);
}

TEST_CASE("kinetics case 4: an interior optimum near 0.858 (B + R -> S2 eats the product)") {
  const auto k = make_kernel(kinetics_spec({{"case", 4}}), 0);
  CHECK(k->describe() == "kinetics MIT case 4 (Jensen et al. 2018)");
  const double near_opt = k->truth(point(0, 2.9e-3, 530, 110));
  CHECK(near_opt == doctest::Approx(0.858).epsilon(0.003));
  // The case-1 optimum corner is worse here: the optimum is interior.
  CHECK(k->truth(point(0, 4.175e-3, 600, 110)) < near_opt - 0.002);
  // Over a coarse grid of loading and time at 110 °C, nothing beats 0.86.
  double best = 0;
  for (int i = 0; i <= 10; ++i) {
    for (int j = 0; j <= 10; ++j) {
      best = std::max(best, k->truth(point(0, 0.835e-3 + 0.334e-3 * i, 60 + 54.0 * j, 110)));
    }
  }
  CHECK(best < 0.86);
  CHECK(best > 0.855);
}

TEST_CASE("kinetics: mass balances hold for every case") {
  for (int cs = 1; cs <= 5; ++cs) {
    KineticsKernel::Settings s;
    s.mit_case = cs;
    const KineticsKernel k(s);
    for (bool low : {false, true}) {
      const auto r = k.run(2, 3e-3, 400, 95, low);
      const auto& c = r.conc;
      CAPTURE(cs);
      CHECK(c[0] + c[2] + c[4] == doctest::Approx(KineticsKernel::C_A0_MOL_L).epsilon(1e-12));
      CHECK(c[1] + c[2] + c[3] + 2 * c[4] ==
            doctest::Approx(KineticsKernel::C_B0_MOL_L).epsilon(1e-12));
      CHECK(r.yield > 0.1);
      CHECK(r.yield < 1.0);
    }
  }
}

TEST_CASE("kinetics: cases differ the way Jensen et al. describe them") {
  auto yield = [](int cs, int cat, double temp) {
    KineticsKernel::Settings s;
    s.mit_case = cs;
    return KineticsKernel(s).run(cat, 4.175e-3, 600, temp, false).yield;
  };
  // Case 2: catalyst 1 is as good as catalyst 0.
  CHECK(yield(2, 1, 110) == yield(2, 0, 110));
  CHECK(yield(1, 1, 110) < yield(1, 0, 110));
  // Case 3: B -> S1 consumes the excess reagent, lowering the best yield.
  CHECK(yield(3, 0, 110) < yield(1, 0, 110) - 0.02);
  // Case 5: catalyst 0 deactivates above 80 °C, so 80 °C beats 110 °C.
  CHECK(yield(5, 0, 80) > yield(5, 0, 110));
  CHECK(yield(1, 0, 80) < yield(1, 0, 110));
}

TEST_CASE("kinetics: problem p of the stream cycles through the cases") {
  CHECK(dynamic_cast<const KineticsKernel&>(*make_kernel(kinetics_spec(), 0)).mit_case() == 1);
  CHECK(dynamic_cast<const KineticsKernel&>(*make_kernel(kinetics_spec(), 3)).mit_case() == 4);
  CHECK(dynamic_cast<const KineticsKernel&>(*make_kernel(kinetics_spec(), 5)).mit_case() == 1);
  CHECK(dynamic_cast<const KineticsKernel&>(*make_kernel(kinetics_spec({{"case", 4}}), 2))
            .mit_case() == 1);
}

TEST_CASE("kinetics: the simulation is biased low, cheaper, and costs in proportion to its work") {
  const auto k = make_kernel(kinetics_spec(), 0);
  const Candidate c = point(3, 2e-3, 300, 70);
  const double truth = k->truth(c), sim = k->simulate(c);
  CHECK(sim < truth);           // higher activation energies, slower reaction
  CHECK(sim > truth - 0.1);     // but still informative
  CHECK(sim == k->simulate(c)); // deterministic
  // 600 s at 60 s steps is the reference: sim_gflop exactly.
  CHECK(k->simulation_flops(point(0, 4.175e-3, 600, 110)) == doctest::Approx(3.6e16));
  CHECK(k->simulation_flops(point(0, 4.175e-3, 60, 110)) == doctest::Approx(3.6e15));
  const auto exact = make_kernel(kinetics_spec({{"sim_ea_shift", 0}, {"sim_step_s", 0.5}}), 0);
  CHECK(exact->simulate(c) == doctest::Approx(exact->truth(c)).epsilon(1e-9));
  CHECK(k->lab_noise_sd() == 0.01);
}

TEST_CASE("kinetics: bad candidates and parameters are refused") {
  const auto k = make_kernel(kinetics_spec(), 0);
  CHECK_THROWS_AS(k->truth(point(8, 2e-3, 300, 70)), std::invalid_argument);
  CHECK_THROWS_AS(k->truth(Candidate{{0.5, 2e-3, 300, 70}, -1}), std::invalid_argument);
  CHECK_THROWS_AS(k->truth(point(0, 2e-3, 700, 70)), std::invalid_argument);
  CHECK_THROWS_AS(k->truth(Candidate{{0, 2e-3, 300}, -1}), std::invalid_argument);
  // Inside the rounding slack: clamped, not refused.
  CHECK(k->truth(point(0, 4.175e-3 * (1 + 1e-13), 600, 110)) ==
        k->truth(point(0, 4.175e-3, 600, 110)));
  CHECK_THROWS_WITH_AS(make_kernel(kinetics_spec({{"case", 6}}), 0),
                       "kernel 'kinetics': parameter 'case' must lie in [1, 5], got 6",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_kernel(kinetics_spec({{"case", 1.5}}), 0),
                       "kernel 'kinetics': parameter 'case' must be a whole number, got 1.5",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_kernel(kinetics_spec({{"noise", 1}}), 0),
                       "kernel 'kinetics': unknown parameter 'noise' (accepted: case, lab_noise, "
                       "sim_ea_shift, sim_gflop, sim_step_s)",
                       std::invalid_argument);
  KernelSpec s = kinetics_spec();
  s.goal = Goal::MINIMIZE;
  CHECK_THROWS_AS(make_kernel(s, 0), std::invalid_argument);
}

TEST_CASE("kinetics: after the five published cases, generated ones permute the catalysts' roles") {
  for (int p = 0; p < 5; ++p) {
    const auto inst = make_kernel(kinetics_spec(), p, 77);  // kept alive: k refers into it
    const auto& k = dynamic_cast<const KineticsKernel&>(*inst);
    for (int c = 0; c < KineticsKernel::CATALYSTS; ++c) CHECK(k.catalyst_roles()[static_cast<std::size_t>(c)] == c);
  }
  std::set<std::array<int, KineticsKernel::CATALYSTS>> seen;
  for (std::uint64_t key = 1; key <= 12; ++key) {
    const int p = 5 + static_cast<int>(key % 5);
    const auto inst = make_kernel(kinetics_spec(), p, key);
    const auto& k = dynamic_cast<const KineticsKernel&>(*inst);
    CHECK(k.mit_case() == (p % 5) + 1);
    // A permutation, the same for the same key (both modes meet the same problem).
    auto sorted = k.catalyst_roles();
    std::sort(sorted.begin(), sorted.end());
    for (int c = 0; c < KineticsKernel::CATALYSTS; ++c) CHECK(sorted[static_cast<std::size_t>(c)] == c);
    CHECK(dynamic_cast<const KineticsKernel&>(*make_kernel(kinetics_spec(), p, key)).catalyst_roles() == k.catalyst_roles());
    seen.insert(k.catalyst_roles());
    // Catalyst c of the instance reacts exactly as catalyst role[c] of the published case.
    const auto published = make_kernel(kinetics_spec(), p % 5, key);
    for (int c = 0; c < KineticsKernel::CATALYSTS; ++c) {
      const int role = k.catalyst_roles()[static_cast<std::size_t>(c)];
      CHECK(inst->truth(point(c, 2e-3, 300, 95)) == published->truth(point(role, 2e-3, 300, 95)));
    }
  }
  CHECK(seen.size() >= 11);  // 8! permutations: twelve keys give (almost surely) distinct ones
}
