#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "agents/GridPolicy.hpp"
#include "agents/Policy.hpp"

using twin::agents::make_policy;
using twin::agents::Observation;
using twin::agents::PolicyContext;
using twin::core::Rng;
using twin::models::Candidate;
using twin::models::DesignSpace;
using twin::models::Dimension;

namespace {

DesignSpace small_pool(int n) {
  Eigen::MatrixXd f(n, 2);
  for (int i = 0; i < n; ++i) {
    f(i, 0) = i % 7;
    f(i, 1) = i / 7;
  }
  return DesignSpace::pool({"a", "b"}, f);
}

DesignSpace simplex3() {
  return DesignSpace::box({{"x", Dimension::Kind::CONTINUOUS, 0, 1, 0},
                           {"y", Dimension::Kind::CONTINUOUS, 0, 1, 0},
                           {"z", Dimension::Kind::CONTINUOUS, 0, 1, 0}},
                          true);
}

DesignSpace mixed_box() {
  return DesignSpace::box({{"t", Dimension::Kind::CONTINUOUS, 60, 600, 0},
                           {"cat", Dimension::Kind::CATEGORICAL, 0, 0, 8},
                           {"T", Dimension::Kind::CONTINUOUS, 30, 110, 0}});
}

}  // namespace

TEST_CASE("the catalogue is sorted, complete and every entry can be built") {
  const auto cat = twin::agents::policy_catalog();
  REQUIRE(cat.size() == 20);
  CHECK(std::is_sorted(cat.begin(), cat.end(), [](const auto& a, const auto& b) { return a.name < b.name; }));
  std::set<std::string> names;
  for (const auto& info : cat) names.insert(info.name);
  CHECK(names.count("random") == 1);
  CHECK(names.count("grid") == 1);
  CHECK(names.count("ofat") == 1);
  CHECK(names.count("gp-ard-matern52-lcb") == 1);
  CHECK(names.count("gp-iso-se-ei") == 1);
  CHECK(names.count("rf-lcb") == 1);
  CHECK_THROWS_AS(make_policy("gp-bogus"), std::invalid_argument);
  CHECK_THROWS_AS(make_policy("grid", {{"lvels", "3"}}), std::invalid_argument);
  CHECK_THROWS_AS(make_policy("grid", {{"levels", "1"}}), std::invalid_argument);
  CHECK(make_policy("grid", {{"levels", "3"}})->name() == "grid");
}

TEST_CASE("random on a pool proposes distinct untaken rows and exhausts the pool") {
  const DesignSpace space = small_pool(30);
  auto policy = make_policy("random");
  std::vector<Candidate> exclude = {space.pool_candidate(3), space.pool_candidate(4)};
  std::vector<Observation> obs;
  obs.push_back({space.pool_candidate(5), std::nullopt, "robot jam", true});  // a failure is not re-proposed
  PolicyContext ctx{&space, twin::models::Goal::MINIMIZE, &exclude};
  Rng rng(42);
  std::set<std::int64_t> seen;
  for (int step = 0; step < 10; ++step) {
    const auto picks = policy->propose(ctx, obs, 4, rng);
    for (const auto& c : picks) {
      CHECK(c.pool_index != 3);
      CHECK(c.pool_index != 4);
      CHECK(c.pool_index != 5);
      CHECK(seen.insert(c.pool_index).second);
      obs.push_back({c, 1.0, "", true});
    }
  }
  CHECK(seen.size() == 27);  // 30 rows less the 3 taken, then empty proposals
}

TEST_CASE("random is deterministic for a seed and uniform over the pool") {
  const DesignSpace space = small_pool(10);
  auto a = make_policy("random");
  auto b = make_policy("random");
  PolicyContext ctx{&space, twin::models::Goal::MINIMIZE, nullptr};
  Rng ra(7), rb(7);
  CHECK(a->propose(ctx, {}, 5, ra) == b->propose(ctx, {}, 5, rb));
  std::vector<int> counts(10, 0);
  Rng rng(1);
  for (int i = 0; i < 20000; ++i) ++counts[static_cast<std::size_t>(a->propose(ctx, {}, 1, rng)[0].pool_index)];
  for (int c : counts) CHECK(c == doctest::Approx(2000).epsilon(0.08));
}

TEST_CASE("random on a simplex stays on it and on a mixed box within bounds") {
  const DesignSpace s = simplex3();
  auto policy = make_policy("random");
  PolicyContext ctx{&s, twin::models::Goal::MAXIMIZE, nullptr};
  Rng rng(3);
  double mean_x = 0;
  const auto picks = policy->propose(ctx, {}, 3000, rng);
  REQUIRE(picks.size() == 3000);
  for (const auto& c : picks) {
    CHECK(c.x[0] + c.x[1] + c.x[2] == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(std::min({c.x[0], c.x[1], c.x[2]}) >= 0.0);
    mean_x += c.x[0] / 3000.0;
  }
  CHECK(mean_x == doctest::Approx(1.0 / 3.0).epsilon(0.05));  // uniform on the simplex: E[x] = 1/3
  const DesignSpace m = mixed_box();
  PolicyContext mctx{&m, twin::models::Goal::MAXIMIZE, nullptr};
  std::set<int> levels;
  for (const auto& c : policy->propose(mctx, {}, 500, rng)) {
    CHECK(c.x[0] >= 60.0);
    CHECK(c.x[0] <= 600.0);
    CHECK(c.x[2] >= 30.0);
    CHECK(c.x[2] <= 110.0);
    levels.insert(static_cast<int>(c.x[1]));
  }
  CHECK(levels.size() == 8);
}

TEST_CASE("grid visits a pool in a fixed space-filling order, then runs out") {
  const DesignSpace space = small_pool(49);  // a 7 x 7 lattice
  auto policy = make_policy("grid");
  PolicyContext ctx{&space, twin::models::Goal::MINIMIZE, nullptr};
  Rng rng(1);
  const auto first = policy->propose(ctx, {}, 5, rng);
  REQUIRE(first.size() == 5);
  CHECK(first[0].x == std::vector<double>{3, 3});  // the centre first
  // then the farthest corner, and the next picks spread out
  CHECK((first[1].x[0] == 0 || first[1].x[0] == 6));
  CHECK((first[1].x[1] == 0 || first[1].x[1] == 6));
  std::vector<Observation> obs;
  for (const auto& c : first) obs.push_back({c, 0.0, "", true});
  std::set<std::int64_t> seen;
  for (const auto& c : first) seen.insert(c.pool_index);
  while (true) {
    const auto picks = policy->propose(ctx, obs, 10, rng);
    if (picks.empty()) break;
    for (const auto& c : picks) {
      CHECK(seen.insert(c.pool_index).second);
      obs.push_back({c, 0.0, "", true});
    }
  }
  CHECK(seen.size() == 49);
}

TEST_CASE("grid over a box and a simplex: the lattice, then a refinement") {
  const DesignSpace s = simplex3();
  CHECK(twin::agents::box_grid_points(s, 5).size() == 15);  // compositions of 4 into 3 parts
  const DesignSpace m = mixed_box();
  CHECK(twin::agents::box_grid_points(m, 3).size() == 3 * 3 * 8);
  auto policy = make_policy("grid", {{"levels", "3"}});
  PolicyContext ctx{&m, twin::models::Goal::MAXIMIZE, nullptr};
  Rng rng(1);
  std::vector<Observation> obs;
  std::set<std::vector<double>> seen;
  for (int i = 0; i < 10; ++i) {
    for (const auto& c : policy->propose(ctx, obs, 10, rng)) {
      CHECK(seen.insert(c.x).second);
      obs.push_back({c, 0.0, "", true});
    }
  }
  CHECK(seen.size() == 100);  // 72 grid points, then the refined 5-level grid
}

TEST_CASE("ofat sweeps one factor around the best point") {
  const DesignSpace box = DesignSpace::box({{"a", Dimension::Kind::CONTINUOUS, 0, 4, 0},
                                            {"b", Dimension::Kind::CONTINUOUS, 0, 4, 0}});
  auto policy = make_policy("ofat");
  PolicyContext ctx{&box, twin::models::Goal::MAXIMIZE, nullptr};
  Rng rng(1);
  auto picks = policy->propose(ctx, {}, 5, rng);
  REQUIRE(picks.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(picks[static_cast<std::size_t>(i)].x[0] == doctest::Approx(i));
    CHECK(picks[static_cast<std::size_t>(i)].x[1] == doctest::Approx(2));
  }
  std::vector<Observation> obs;
  for (const auto& c : picks) obs.push_back({c, c.x[0] == 1 ? 9.0 : 0.0, "", true});  // a = 1 is best
  picks = policy->propose(ctx, obs, 4, rng);
  REQUIRE(picks.size() == 4);  // (1, 2) is taken: b sweeps 0, 1, 3, 4
  for (const auto& c : picks) {
    CHECK(c.x[0] == doctest::Approx(1));
    CHECK(c.x[1] != doctest::Approx(2));
  }
}

TEST_CASE("ofat on a pool moves along one feature from the best row, skipping failed and pending rows") {
  const DesignSpace space = small_pool(49);  // a = i % 7, b = i / 7
  auto policy = make_policy("ofat");
  std::vector<Candidate> pending = {space.pool_candidate(3 * 7 + 0)};  // (0, 3)
  PolicyContext ctx{&space, twin::models::Goal::MAXIMIZE, &pending};
  Rng rng(1);
  std::vector<Observation> obs;
  obs.push_back({space.pool_candidate(3 * 7 + 3), 1.0, "", true});            // the centre (3, 3), the best so far
  obs.push_back({space.pool_candidate(3 * 7 + 6), std::nullopt, "jam", true});  // (6, 3) failed
  const auto picks = policy->propose(ctx, obs, 3, rng);
  REQUIRE(picks.size() == 3);
  std::set<std::int64_t> seen;
  for (const auto& c : picks) {
    // the sweep of factor a holds b near the anchor's value (the nearest
    // untaken row to a taken target may sit one step off)
    CHECK(std::abs(c.x[1] - 3.0) <= 1.0);
    CHECK(c.pool_index != 3 * 7 + 0);
    CHECK(c.pool_index != 3 * 7 + 3);
    CHECK(c.pool_index != 3 * 7 + 6);
    CHECK(seen.insert(c.pool_index).second);
  }
}

TEST_CASE("grid skips failed rows and does not propose them again") {
  const DesignSpace space = small_pool(20);
  auto policy = make_policy("grid");
  PolicyContext ctx{&space, twin::models::Goal::MINIMIZE, nullptr};
  Rng rng(1);
  const auto first = policy->propose(ctx, {}, 1, rng);
  std::vector<Observation> obs = {{first[0], std::nullopt, "sample lost", true}};
  for (int i = 0; i < 30; ++i) {
    for (const auto& c : policy->propose(ctx, obs, 1, rng)) {
      CHECK(c.pool_index != first[0].pool_index);
      obs.push_back({c, 0.0, "", true});
    }
  }
  CHECK(obs.size() == 20);
}
