// The sensitivity ranking recovers known effects from a design.
#include <doctest/doctest.h>

#include <cmath>

#include "twin/sweep/Sensitivity.hpp"

using nlohmann::json;
using twin::sweep::regress_sensitivity;

TEST_CASE("elasticities of a power law are recovered and ranked by swing") {
  // y = 3 * a^0.5 * b^-0.1 * (c == "fast" ? 2 : 1): over a in [1, 16], b in [1, 16],
  // a's swing is 16^0.5 = 4, b's 16^0.1 ~ 1.32 (down), c's 2.
  std::vector<std::vector<json>> x;
  std::vector<double> y;
  for (double a : {1.0, 4.0, 16.0})
    for (double b : {1.0, 16.0})
      for (const char* c : {"slow", "fast"}) {
        x.push_back({a, b, c});
        y.push_back(3 * std::sqrt(a) * std::pow(b, -0.1) * (std::string(c) == "fast" ? 2 : 1));
      }
  const auto r = regress_sensitivity({"a", "b", "c"}, x, y);
  REQUIRE(r.effects.size() == 3);
  CHECK(r.n_variants == 12);
  CHECK(r.r_squared == doctest::Approx(1.0));
  CHECK(r.effects[0].name == "a");
  CHECK(r.effects[0].kind == "elasticity");
  CHECK(r.effects[0].coefficient == doctest::Approx(0.5));
  CHECK(r.effects[0].swing_factor == doctest::Approx(4.0));
  CHECK(r.effects[0].best_level == "16.0");
  CHECK(r.effects[1].name == "c");
  CHECK(r.effects[1].kind == "levels");
  CHECK(r.effects[1].swing_factor == doctest::Approx(2.0));
  CHECK(r.effects[1].best_level == "fast");
  CHECK(r.effects[2].name == "b");
  CHECK(r.effects[2].coefficient == doctest::Approx(-0.1));
  CHECK(r.effects[2].swing_factor == doctest::Approx(std::pow(16.0, -0.1)));
  CHECK(r.effects[2].rank == 3);
}

TEST_CASE("variants without a usable figure are left out, a constant parameter moves nothing") {
  std::vector<std::vector<json>> x = {{1, 5}, {2, 5}, {4, 5}, {8, 5}};
  std::vector<double> y = {1, 2, NAN, 8};
  const auto r = regress_sensitivity({"a", "k"}, x, y);
  CHECK(r.n_variants == 3);
  CHECK(r.effects[0].name == "a");
  CHECK(r.effects[0].coefficient == doctest::Approx(1.0));
  CHECK(r.effects[1].kind == "constant");
  CHECK(r.effects[1].swing_factor == 1.0);
}

TEST_CASE("a parameter that moves nothing has no effect, not rounding noise, and no best value") {
  // y depends on a only; b is crossed with a (not constant), so the solver fits it to ~0.
  std::vector<std::vector<json>> x;
  std::vector<double> y;
  for (double a : {1.0, 2.0, 3.0, 7.0})
    for (double b : {2.0, 4.0})
      for (const char* c : {"x", "y"}) {
        x.push_back({a, b, c});
        y.push_back(0.1 * a * a * a + 0.7);
      }
  const auto r = regress_sensitivity({"a", "b", "c"}, x, y);
  REQUIRE(r.effects.size() == 3);
  CHECK(r.effects[0].name == "a");
  for (std::size_t i = 1; i < 3; ++i) {
    CHECK(r.effects[i].coefficient == 0.0);
    CHECK(r.effects[i].swing_factor == 1.0);
    CHECK(r.effects[i].best_level.empty());
  }
  CHECK(r.effects[1].name == "b");  // ties ranked by name
  CHECK(r.effects[2].name == "c");
}
