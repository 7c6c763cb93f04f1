#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include "agents/ForestPolicy.hpp"
#include "agents/Policy.hpp"
#include "agents/RandomForest.hpp"

using twin::agents::ForestOptions;
using twin::agents::make_policy;
using twin::agents::Observation;
using twin::agents::PolicyContext;
using twin::agents::RandomForest;
using twin::agents::RegressionTree;
using twin::core::Rng;
using twin::models::Candidate;
using twin::models::DesignSpace;
using twin::models::Dimension;

namespace {

std::vector<int> all_rows(int n) {
  std::vector<int> s(static_cast<std::size_t>(n));
  std::iota(s.begin(), s.end(), 0);
  return s;
}

/// n points in [0, 1]^d, distinct, and a smooth function of the first two.
void smooth_data(int n, int d, std::uint64_t seed, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  Rng rng(seed);
  x.resize(n, d);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) x(i, j) = rng.uniform01();
    y(i) = std::sin(4 * x(i, 0)) + x(i, 1) * x(i, 1);
  }
}

}  // namespace

TEST_CASE("a tree fits a step function exactly, with one leaf per step") {
  // 1-D, 30 points, three steps: y = 1 below 0.3, 5 up to 0.7, -2 above.
  Eigen::MatrixXd x(30, 1);
  Eigen::VectorXd y(30);
  for (int i = 0; i < 30; ++i) {
    x(i, 0) = (i + 0.5) / 30.0;
    y(i) = x(i, 0) < 0.3 ? 1.0 : (x(i, 0) < 0.7 ? 5.0 : -2.0);
  }
  RegressionTree tree;
  Rng rng(3);
  tree.fit(x, y, all_rows(30), 1, 1, rng);
  CHECK(tree.leaf_count() == 3);
  CHECK(tree.depth() == 2);
  for (int i = 0; i < 30; ++i) CHECK(tree.predict(x.row(i)) == y(i));
  // Thresholds midway between the neighbouring inputs: 0.2833.. | 0.3166.. -> 0.3.
  Eigen::RowVectorXd p(1);
  p << 0.299;
  CHECK(tree.predict(p) == 1.0);
  p << 0.301;
  CHECK(tree.predict(p) == 5.0);
  p << 0.95;
  CHECK(tree.predict(p) == -2.0);

  // A step along the second of three inputs, the others noise: found whatever the feature order.
  Eigen::MatrixXd x3(40, 3);
  Eigen::VectorXd y3(40);
  Rng data(5);
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 3; ++j) x3(i, j) = data.uniform01();
    y3(i) = x3(i, 1) > 0.5 ? 2.0 : 0.0;
  }
  RegressionTree t3;
  t3.fit(x3, y3, all_rows(40), 1, 3, rng);
  CHECK(t3.leaf_count() == 2);
  for (int i = 0; i < 40; ++i) CHECK(t3.predict(x3.row(i)) == y3(i));
}

TEST_CASE("min_leaf bounds the leaves: a leaf of at least half the data is the mean") {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(20, 2, 1, x, y);
  RegressionTree tree;
  Rng rng(1);
  tree.fit(x, y, all_rows(20), 11, 2, rng);  // no split keeps 11 on both sides
  CHECK(tree.leaf_count() == 1);
  CHECK(tree.predict(x.row(0)) == doctest::Approx(y.mean()).epsilon(1e-12));
  tree.fit(x, y, all_rows(20), 5, 2, rng);
  CHECK(tree.leaf_count() >= 2);
  CHECK(tree.leaf_count() <= 4);  // 20 samples, at least 5 in each leaf
  RegressionTree full;
  full.fit(x, y, all_rows(20), 1, 2, rng);
  CHECK(full.leaf_count() == 20);  // distinct inputs and values: grown to one sample per leaf
}

TEST_CASE("without bootstrap and noise the forest interpolates: zero spread on the training points") {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(60, 3, 2, x, y);
  // Every input per split, or a third of them: the trees differ (the inputs
  // are visited in a random order, and equally good splits go to the first),
  // but each separates every training point.
  for (double max_features : {1.0, 0.34}) {
    ForestOptions o;
    o.trees = 25;
    o.bootstrap = false;
    o.max_features = max_features;
    RandomForest forest(o);
    Rng rng(9);
    forest.fit(x, y, rng);
    Eigen::VectorXd mean, sd;
    forest.predict(x, mean, sd);
    for (int i = 0; i < 60; ++i) {
      CHECK(sd(i) == 0.0);
      CHECK(mean(i) == y(i));
    }
    Eigen::MatrixXd off;
    Eigen::VectorXd unused;
    smooth_data(200, 3, 77, off, unused);
    forest.predict(off, mean, sd);
    INFO("max_features ", max_features);
    CHECK(sd.maxCoeff() > 0.01);  // between the data, trees that split on different inputs disagree
  }
}

TEST_CASE("with bootstrap the trees disagree, and the mean stays within the range of the data") {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(80, 2, 4, x, y);
  RandomForest forest;  // defaults: 100 trees, bootstrap, min_leaf 1
  Rng rng(13);
  forest.fit(x, y, rng);
  CHECK(forest.trees().size() == 100);
  Eigen::VectorXd mean, sd;
  forest.predict(x, mean, sd);
  CHECK(sd.maxCoeff() > 0.0);
  CHECK(mean.minCoeff() >= y.minCoeff());
  CHECK(mean.maxCoeff() <= y.maxCoeff());
  // Mean absolute error on the training points well below the data's spread.
  const double sd_y = std::sqrt((y.array() - y.mean()).square().mean());
  CHECK((mean - y).cwiseAbs().mean() < 0.2 * sd_y);
  CHECK_THROWS_AS(RandomForest(ForestOptions{0, 1, 1.0, true}), std::invalid_argument);
  CHECK_THROWS_AS(RandomForest(ForestOptions{10, 1, 0.0, true}), std::invalid_argument);
}

TEST_CASE("the forest is deterministic for a seed and differs for another") {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(50, 4, 6, x, y);
  ForestOptions o;
  o.max_features = 0.5;
  Eigen::VectorXd m1, s1, m2, s2, m3, s3;
  Rng a(21), b(21), c(22);
  RandomForest f1(o), f2(o), f3(o);
  f1.fit(x, y, a);
  f2.fit(x, y, b);
  f3.fit(x, y, c);
  f1.predict(x, m1, s1);
  f2.predict(x, m2, s2);
  f3.predict(x, m3, s3);
  CHECK(m1 == m2);
  CHECK(s1 == s2);
  CHECK(a.next_u64() == b.next_u64());  // the same draws were taken
  CHECK(m1 != m3);
}

namespace {

DesignSpace grid_pool() {
  Eigen::MatrixXd f(64, 2);
  for (int i = 0; i < 64; ++i) {
    f(i, 0) = i % 8;
    f(i, 1) = i / 8;
  }
  return DesignSpace::pool({"a", "b"}, f);
}

double bowl(const std::vector<double>& x) { return (x[0] - 5) * (x[0] - 5) + (x[1] - 2) * (x[1] - 2); }

}  // namespace

TEST_CASE("rf-lcb on a pool: distinct untaken rows, batches, same seed same picks, and it finds a bowl's minimum") {
  const DesignSpace space = grid_pool();
  CHECK(make_policy("rf-lcb")->name() == "rf-lcb");
  CHECK_THROWS_AS(make_policy("rf-lcb", {{"trees", "0"}}), std::invalid_argument);
  CHECK_THROWS_AS(make_policy("rf-lcb", {{"max_features", "1.5"}}), std::invalid_argument);
  CHECK_THROWS_AS(make_policy("rf-lcb", {{"leaf", "2"}}), std::invalid_argument);
  std::vector<Candidate> picks_of_run[2];
  for (int run = 0; run < 2; ++run) {
    auto policy = make_policy("rf-lcb", {{"trees", "30"}});
    std::vector<Candidate> exclude = {space.pool_candidate(10)};
    std::vector<Observation> obs;
    obs.push_back({space.pool_candidate(11), std::nullopt, "robot jam", true});
    PolicyContext ctx{&space, twin::models::Goal::MINIMIZE, &exclude};
    Rng rng(5);
    std::set<std::int64_t> seen;
    for (int step = 0; step < 8; ++step) {
      const auto picks = policy->propose(ctx, obs, step < 2 ? 1 : 3, rng);
      CHECK(picks.size() == (step < 2 ? 1u : 3u));
      for (const auto& c : picks) {
        CHECK(c.pool_index != 10);
        CHECK(c.pool_index != 11);
        CHECK(seen.insert(c.pool_index).second);
        obs.push_back({c, bowl(c.x), "", true});
        picks_of_run[run].push_back(c);
      }
      if (step >= 2) CHECK(policy->last_flops() > 0);
    }
    // 20 of 64 rows; the minimum (5, 2) is row 21, and random search finds a given row with p = 20/62.
    CHECK(seen.count(21) == 1);
  }
  CHECK(picks_of_run[0] == picks_of_run[1]);
}

TEST_CASE("rf-lcb on a box stays within the bounds, proposes new points and repeats itself for a seed") {
  // On a box the policy scores uniform points (a forest is flat between its
  // data, so it does not refine them): on this bowl its best of 30 was 0.0077
  // to 3.5 over seeds 1-5 (median 0.17; random search's median 0.44). Only
  // the contract is tested here; the pool benchmark tests carry performance.
  const DesignSpace space = DesignSpace::box(
      {{"u", Dimension::Kind::CONTINUOUS, 0, 10, 0}, {"v", Dimension::Kind::CONTINUOUS, -3, 3, 0}});
  std::vector<Candidate> runs[2];
  for (int run = 0; run < 2; ++run) {
    auto policy = make_policy("rf-lcb", {{"trees", "30"}, {"box_samples", "200"}});
    PolicyContext ctx{&space, twin::models::Goal::MINIMIZE, nullptr};
    Rng rng(4);
    std::vector<Observation> obs;
    std::set<std::vector<double>> seen;
    for (int step = 0; step < 12; ++step) {
      for (const auto& c : policy->propose(ctx, obs, 2, rng)) {
        CHECK(c.x[0] >= 0);
        CHECK(c.x[0] <= 10);
        CHECK(c.x[1] >= -3);
        CHECK(c.x[1] <= 3);
        CHECK(seen.insert(c.x).second);
        obs.push_back({c, bowl(c.x), "", true});
        runs[run].push_back(c);
      }
    }
    CHECK(obs.size() == 24);
  }
  CHECK(runs[0] == runs[1]);
}
