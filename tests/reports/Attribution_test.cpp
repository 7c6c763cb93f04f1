// The attribution's figures from hand-made discovery counts: the ladder's
// factors are ratios of paired totals and multiply to the multiplier; Shapley
// values recover known multiplicative effects and sum to ln(multiplier).
#include <doctest/doctest.h>

#include <cmath>

#include "reports/Figures.hpp"
#include "reports/Report.hpp"

using namespace twin;

namespace {

constexpr double DAY = 86400.0;

/// A run whose baseline makes `base[r]` discoveries and closed_loop `closed[r]` in replication r.
core::RunResult run_of(const std::vector<double>& base, const std::vector<double>& closed) {
  core::RunResult rr;
  rr.scenario.name = "t";
  rr.scenario.seed = 7;
  rr.scenario.horizon_s = 365.25 * DAY;
  rr.scenario.replications = static_cast<int>(base.size());
  rr.scenario.modes = {"closed_loop", "baseline"};
  rr.scenario.campaigns.push_back({"c", "k", "t", "h", "l", 0, {}});
  for (std::size_t r = 0; r < base.size(); ++r)
    for (const char* mode : {"closed_loop", "baseline"}) {
      core::SimResult s;
      s.mode = mode;
      s.replication = static_cast<int>(r);
      s.horizon_s = rr.scenario.horizon_s;
      core::CampaignSim c;
      c.name = "c";
      c.discoveries = static_cast<std::int64_t>(s.mode == "closed_loop" ? closed[r] : base[r]);
      c.experiments = 10 * (c.discoveries + 1);
      c.cycles = 5;
      s.campaigns.push_back(c);
      rr.sims.push_back(s);
    }
  return rr;
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

TEST_CASE("ladder: each factor is the ratio of paired totals, and they multiply to the multiplier") {
  const std::vector<double> b = {3, 4, 2, 5, 3}, a1 = {2, 3, 2, 3, 2}, a2 = {9, 11, 8, 12, 10}, c = {30, 41, 28, 39, 33};
  core::RunResult rr = run_of(b, c);
  auto& at = rr.attribution;
  at.method = "ladder";
  at.full = 0b111;
  at.parts = {{"one", "", "m1", 0b001}, {"same", "", "m1", 0b001}, {"two", "", "m2", 0b011}, {"three", "", "closed_loop", 0b111}};
  at.discoveries = {{0, b}, {0b001, a1}, {0b011, a2}, {0b111, c}};
  const auto f = reports::compute_figures(rr);
  REQUIRE(f.attribution.steps.size() == 4);
  const auto& s = f.attribution.steps;
  for (const auto& x : s) REQUIRE(x.factor);
  CHECK(*s[0].factor == doctest::Approx(sum(a1) / sum(b)).epsilon(1e-12));
  CHECK(*s[1].factor == 1.0);  // the same mode as the step before: x1 exactly
  CHECK(*s[2].factor == doctest::Approx(sum(a2) / sum(a1)).epsilon(1e-12));
  CHECK(*s[3].factor == doctest::Approx(sum(c) / sum(a2)).epsilon(1e-12));
  CHECK(*s[0].factor < 1);  // a step may cost discoveries; it says so
  const double product = *s[0].factor * *s[1].factor * *s[2].factor * *s[3].factor;
  CHECK(product == doctest::Approx(*f.headline.multiplier.value).epsilon(1e-12));
  CHECK(*f.attribution.product == doctest::Approx(*f.headline.multiplier.value).epsilon(1e-12));
  CHECK(*s[2].discoveries_per_year == doctest::Approx(sum(a2) / 5).epsilon(1e-12));
  for (const auto& x : s) {
    REQUIRE(x.ci95_low);
    CHECK(*x.ci95_low <= *x.factor);
    CHECK(*x.factor <= *x.ci95_high);
  }
  CHECK(*s[1].ci95_low == 1.0);
  CHECK(*s[1].ci95_high == 1.0);
  // report.json: the steps in order with their keys; the multiplier's own bootstrap is untouched.
  const auto j = reports::build_report(rr);
  CHECK(j["attribution"]["method"] == "ladder");
  CHECK(j["attribution"]["steps"][2]["name"] == "two");
  CHECK(j["attribution"]["steps"][2]["mode"] == "m2");
  core::RunResult plain = run_of(b, c);
  const auto k = reports::build_report(plain);
  CHECK(k["headline"] == j["headline"]);
  CHECK(k["attribution"]["method"] == "off");
}

TEST_CASE("ladder: a mode in between with no discovery leaves the factors after it unknown, said so") {
  const std::vector<double> b = {3, 4, 2}, zero = {0, 0, 0}, c = {30, 41, 28};
  core::RunResult rr = run_of(b, c);
  auto& at = rr.attribution;
  at.method = "ladder";
  at.full = 0b11;
  at.parts = {{"one", "", "m1", 0b01}, {"two", "", "closed_loop", 0b11}};
  at.discoveries = {{0, b}, {0b01, zero}, {0b11, c}};
  const auto f = reports::compute_figures(rr);
  // ln 0 has no value: neither the step down to the zero nor the one up from it has a factor.
  CHECK_FALSE(f.attribution.steps[0].factor);
  CHECK_FALSE(f.attribution.steps[1].factor);
  CHECK_FALSE(f.attribution.product);
  CHECK(f.attribution.note.find("made no discovery") != std::string::npos);
}

TEST_CASE("shapley: independent multiplicative effects come back exactly, and the values sum to ln(multiplier)") {
  // v(S) = 2 x (x3 if agent) x (x5 if cadence) x (x1 if lab), per replication scaled.
  const std::vector<double> scale = {1, 2, 3, 2, 1};
  auto counts = [&](unsigned mask) {
    std::vector<double> v;
    for (double s : scale) v.push_back(2 * s * ((mask & 1u) ? 3 : 1) * ((mask & 2u) ? 5 : 1));
    return v;
  };
  core::RunResult rr = run_of(counts(0), counts(0b111));
  auto& at = rr.attribution;
  at.method = "shapley";
  at.full = 0b111;
  at.parts = {{"agent", "", "", 0b001}, {"cadence", "", "", 0b010}, {"lab", "", "", 0b100}, {"absent", "", "", 0}};
  for (unsigned m = 0; m < 8; ++m) at.discoveries[m] = counts(m);
  const auto f = reports::compute_figures(rr);
  const auto& s = f.attribution.steps;
  for (const auto& x : s) REQUIRE(x.factor);
  CHECK(*s[0].factor == doctest::Approx(3).epsilon(1e-12));
  CHECK(*s[1].factor == doctest::Approx(5).epsilon(1e-12));
  CHECK(*s[2].factor == doctest::Approx(1).epsilon(1e-12));
  CHECK(*s[3].factor == 1.0);  // not in play
  CHECK(*s[0].log_factor + *s[1].log_factor + *s[2].log_factor + *s[3].log_factor ==
        doctest::Approx(std::log(*f.headline.multiplier.value)).epsilon(1e-12));
  CHECK_FALSE(s[0].discoveries_per_year);
}

TEST_CASE("shapley: with an interaction the order-free values split it evenly and still sum to ln(multiplier)") {
  // Only both together help: v(0)=v(a)=v(b)=4, v(ab)=36 per replication.
  const std::vector<double> four = {4, 4, 4}, many = {36, 36, 36};
  core::RunResult rr = run_of(four, many);
  auto& at = rr.attribution;
  at.method = "shapley";
  at.full = 0b11;
  at.parts = {{"a", "", "", 0b01}, {"b", "", "", 0b10}};
  at.discoveries = {{0, four}, {0b01, four}, {0b10, four}, {0b11, many}};
  const auto f = reports::compute_figures(rr);
  // A ladder would give a x1 and b x9 (or the reverse); Shapley gives each x3.
  CHECK(*f.attribution.steps[0].factor == doctest::Approx(3).epsilon(1e-12));
  CHECK(*f.attribution.steps[1].factor == doctest::Approx(3).epsilon(1e-12));
  CHECK(*f.attribution.product == doctest::Approx(9).epsilon(1e-12));
}
