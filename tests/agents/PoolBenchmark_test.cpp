#include <doctest/doctest.h>

#include <cmath>
#include <tuple>
#include <fstream>
#include <sstream>

#include "agents/PoolBenchmark.hpp"
#include "models/Kernel.hpp"
#include "twin/core/Rng.hpp"

using twin::agents::PoolBenchmarkOptions;
using twin::agents::run_pool_benchmark;

namespace {

std::unique_ptr<twin::models::Kernel> pool_kernel(const std::string& file, twin::models::Goal goal) {
  std::ifstream in(std::string(TWIN_SOURCE_DIR) + "/scenarios/data/" + file);
  std::ostringstream ss;
  ss << in.rdbuf();
  twin::models::KernelSpec spec;
  spec.kind = "pool";
  spec.csv_texts = {ss.str()};
  spec.csv_names = {file};
  spec.goal = goal;
  return twin::models::make_kernel(spec, 0);
}

}  // namespace

TEST_CASE("random search's mean Top%(i) follows i/N on P3HT") {
  const auto k = pool_kernel("P3HT.csv", twin::models::Goal::MAXIMIZE);
  PoolBenchmarkOptions o;
  o.policy = "random";
  o.runs = 2000;
  o.seed = 9;
  o.stop_when_top_found = false;
  const auto r = run_pool_benchmark(k->space(), k->pool_truths(), twin::models::Goal::MAXIMIZE, o);
  REQUIRE(r.pool_size == 178);
  REQUIRE(r.top_count == 9);
  // Top%(i) of one run is hypergeometric / 9: sd <= 0.17, so over 2000 runs the
  // mean's sd is <= 0.0038; 0.02 is more than 5 sd.
  for (std::size_t i = 1; i <= 178; i += 11) {
    CHECK(std::abs(r.top_mean[i - 1] - static_cast<double>(i) / 178.0) < 0.02);
  }
  CHECK(r.top_mean.back() == doctest::Approx(1.0));
  CHECK(std::abs(r.af_at(0.8) - 1.0) < 0.1);
  CHECK(std::abs(r.ef_at(50) - 1.0) < 0.1);
}

TEST_CASE("the ARD GP beats random search by a wide margin on AgNP and P3HT") {
  // Observed (10 runs, seed 1, this commit): AgNP AF(0.8) = 4.7, EF(25) = 4.7;
  // P3HT AF(0.8) = 2.1, EF(25) = 2.6; random search 1.0 by construction.
  // Conservative bounds: AF(0.8) >= 2.5 on AgNP and >= 1.4 on P3HT.
  for (const auto& c :
       {std::tuple{"AgNP.csv", twin::models::Goal::MINIMIZE, 2.5}, std::tuple{"P3HT.csv", twin::models::Goal::MAXIMIZE, 1.4}}) {
    const std::string file = std::get<0>(c);
    const twin::models::Goal goal = std::get<1>(c);
    const double af_bound = std::get<2>(c);
    const auto k = pool_kernel(file, goal);
    PoolBenchmarkOptions o;
    o.policy = "gp-ard";
    o.runs = 6;
    o.seed = 1;
    o.threads = 2;
    const auto r = run_pool_benchmark(k->space(), k->pool_truths(), goal, o);
    INFO(file);
    CHECK(r.af_at(0.8) >= af_bound);
    CHECK(r.ef_at(25) >= 1.5);
    CHECK(r.experiments_spread(0.8).median < 0.8 * static_cast<double>(r.pool_size) / 1.4);
  }
}

TEST_CASE("the random-forest policy beats random search by a wide margin on AgNP") {
  // Observed (6 runs): AF(0.8) = 3.05, 3.55, 2.98 for seeds 1, 2, 3 (10 runs,
  // seed 11: 3.20); random search 1.0 by construction. Bound: AF(0.8) >= 2.
  const auto k = pool_kernel("AgNP.csv", twin::models::Goal::MINIMIZE);
  PoolBenchmarkOptions o;
  o.policy = "rf-lcb";
  o.runs = 6;
  o.seed = 1;
  o.threads = 2;
  const auto r = run_pool_benchmark(k->space(), k->pool_truths(), twin::models::Goal::MINIMIZE, o);
  CHECK(r.af_at(0.8) >= 2.0);
  CHECK(r.ef_at(25) >= 1.3);
  CHECK(r.experiments_spread(0.8).median < 0.5 * 131.2);  // random search's 131.2 (8 of 9 in 164)
}

TEST_CASE("same seed, same picks, bit for bit, threads do not change them") {
  const auto k = pool_kernel("AgNP.csv", twin::models::Goal::MINIMIZE);
  PoolBenchmarkOptions o;
  o.policy = "gp-ard-matern52-ei";
  o.runs = 2;
  o.seed = 77;
  const auto a = run_pool_benchmark(k->space(), k->pool_truths(), twin::models::Goal::MINIMIZE, o);
  o.threads = 2;
  const auto b = run_pool_benchmark(k->space(), k->pool_truths(), twin::models::Goal::MINIMIZE, o);
  CHECK(twin::agents::picks_csv(a) == twin::agents::picks_csv(b));
  CHECK(a.runs[0].agent_flops == b.runs[0].agent_flops);
  CHECK(a.runs[0].agent_flops > 1e6);
  o.seed = 78;
  const auto c = run_pool_benchmark(k->space(), k->pool_truths(), twin::models::Goal::MINIMIZE, o);
  CHECK(twin::agents::picks_csv(a) != twin::agents::picks_csv(c));
}

TEST_CASE("metrics on a hand-made pool") {
  // 20 rows, value = row: top 1 (5 % of 20) is row 19 for max.
  Eigen::MatrixXd f(20, 1);
  std::vector<double> v(20);
  for (int i = 0; i < 20; ++i) {
    f(i, 0) = i;
    v[static_cast<std::size_t>(i)] = i;
  }
  const auto space = twin::models::DesignSpace::pool({"x"}, f);
  PoolBenchmarkOptions o;
  o.policy = "grid";
  o.runs = 3;
  const auto r = run_pool_benchmark(space, v, twin::models::Goal::MAXIMIZE, o);
  CHECK(r.top_count == 1);
  CHECK(r.top_rows == std::vector<std::size_t>{19});
  const auto e = r.experiments_to_reach(1.0);
  for (std::size_t i = 0; i < e.size(); ++i) {
    // runs stop once the top is found (the 2 initial points always run)
    CHECK(r.runs[i].rows[static_cast<std::size_t>(e[i]) - 1] == 19);
    CHECK(r.runs[i].rows.size() == std::max<std::size_t>(2, static_cast<std::size_t>(e[i])));
  }
  CHECK(twin::agents::quantile({1, 2, 3, 4}, 0.5) == doctest::Approx(2.5));
  CHECK(twin::agents::af_csv(r).rfind("t,n_random,n_agent,af\n0.05,1.00,", 0) == 0);
}

namespace {

/// A pool of 200 points in [0, 1]^4 whose value depends on inputs 0 and 1
/// only (two bumps and a ridge); inputs 2 and 3 do nothing.
void idle_inputs_pool(twin::models::DesignSpace& space, std::vector<double>& truths) {
  twin::core::Rng rng(17);
  Eigen::MatrixXd x(200, 4);
  truths.resize(200);
  for (int i = 0; i < 200; ++i) {
    for (int j = 0; j < 4; ++j) x(i, j) = rng.uniform01();
    const double a = x(i, 0), b = x(i, 1);
    truths[static_cast<std::size_t>(i)] = std::exp(-((a - 0.7) * (a - 0.7) + (b - 0.3) * (b - 0.3)) / 0.02) +
                                          0.6 * std::exp(-((a - 0.2) * (a - 0.2) + (b - 0.8) * (b - 0.8)) / 0.05) +
                                          0.3 * std::sin(3 * a) * std::cos(2 * b);
  }
  space = twin::models::DesignSpace::pool({"a", "b", "idle1", "idle2"}, x);
}

}  // namespace

TEST_CASE("where inputs differ in relevance the ARD GP needs clearly fewer experiments than the isotropic one") {
  // Median experiments to find 80 % of the top (8 of 10), 6 runs: ARD 21.5,
  // 25.0, 24.5 against isotropic 44.5, 64.5, 53.0 for seeds 11, 12, 13 (ratio
  // 0.48, 0.39, 0.46; random search 160). Bound: ARD below 0.75 x isotropic.
  // (A 300-point pool gave 32 against 72 and took twice as long; the
  // isotropic policy's fits are most of the time.)
  twin::models::DesignSpace space;
  std::vector<double> truths;
  idle_inputs_pool(space, truths);
  double median[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    PoolBenchmarkOptions o;
    o.policy = k == 0 ? "gp-ard" : "gp-iso";
    o.runs = 6;
    o.seed = 11;
    o.threads = 2;
    const auto r = run_pool_benchmark(space, truths, twin::models::Goal::MAXIMIZE, o);
    median[k] = r.experiments_spread(0.8).median;
  }
  INFO("ARD ", median[0], ", isotropic ", median[1]);
  CHECK(median[0] < 0.75 * median[1]);
}
