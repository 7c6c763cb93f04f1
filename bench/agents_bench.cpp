// Agents: the cost of the Gaussian process and of one Bayesian-optimisation
// decision as the data grow (n = 50, 200, 600, 2000), and the O(n^2)
// one-observation update against a full O(n^3) refactorisation.
#include <benchmark/benchmark.h>

#include <cmath>

#include "agents/GaussianProcess.hpp"
#include "agents/Policy.hpp"
#include "models/DesignSpace.hpp"
#include "twin/core/Rng.hpp"

namespace {

using twin::agents::GaussianProcess;
using twin::agents::GpOptions;

constexpr int DIM = 5;

Eigen::MatrixXd inputs(int n, std::uint64_t seed) {
  twin::core::Rng rng(seed);
  Eigen::MatrixXd x(n, DIM);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < DIM; ++j) x(i, j) = rng.uniform(-2, 2);
  }
  return x;
}

double objective(const Eigen::VectorXd& x) {
  return std::sin(1.5 * x(0)) + 0.5 * std::cos(x(1) * x(2)) + 0.1 * x(3) * x(3);
}

Eigen::VectorXd targets(const Eigen::MatrixXd& x) {
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) y(i) = objective(x.row(i).transpose());
  return y;
}

void set_flops(benchmark::State& state, double flops) {
  state.counters["flop"] = benchmark::Counter(flops / static_cast<double>(state.iterations()));
}

void BM_GpFactorise(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd x = inputs(n, 1);
  const Eigen::VectorXd y = targets(x);
  GaussianProcess gp(GpOptions{}, DIM);
  for (auto _ : state) {
    gp.set_data(x, y);
    benchmark::DoNotOptimize(gp.alpha().data());
  }
  set_flops(state, gp.flops());
}

void BM_GpRankOneUpdate(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd x = inputs(n + 1, 1);
  const Eigen::VectorXd y = targets(x);
  GaussianProcess base(GpOptions{}, DIM);
  base.set_data(x.topRows(n), y.head(n));
  double flops = 0;
  for (auto _ : state) {
    state.PauseTiming();
    GaussianProcess gp = base;
    const double before = gp.flops();
    state.ResumeTiming();
    gp.add_observation(x.row(n).transpose(), y(n));
    benchmark::DoNotOptimize(gp.alpha().data());
    flops += gp.flops() - before;
  }
  set_flops(state, flops);
}

void BM_GpLmlGradient(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd x = inputs(n, 2);
  GaussianProcess gp(GpOptions{}, DIM);
  gp.set_data(x, targets(x));
  const double before = gp.flops();
  Eigen::VectorXd g;
  for (auto _ : state) benchmark::DoNotOptimize(gp.log_marginal_likelihood(gp.theta(), &g));
  set_flops(state, gp.flops() - before);
}

/// One ML-II fit: a warm start (the refit schedule's late fits) with at most
/// 20 L-BFGS-B iterations.
void BM_GpFitWarm(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd x = inputs(n, 3);
  GaussianProcess gp(GpOptions{}, DIM);
  gp.set_data(x, targets(x));
  const Eigen::VectorXd start = gp.default_theta();
  const double before = gp.flops();
  int evaluations = 0;
  for (auto _ : state) {
    twin::core::Rng rng(1);
    evaluations += gp.fit(1, rng, &start, twin::agents::GpBounds{}, 20).evaluations;
  }
  set_flops(state, gp.flops() - before);
  state.counters["lml_evals"] = benchmark::Counter(evaluations / static_cast<double>(state.iterations()));
}

/// One decision of gp-ard on a pool of n + 1000 rows with n observations,
/// between refits (the GP and the pool posterior grow by one row) and, with
/// range(1) = 1, a decision that refits the hyper-parameters (one warm start,
/// at most 10 L-BFGS-B iterations).
void BM_BoStep(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool refit = state.range(1) != 0;
  const int pool_rows = n + 1000;
  const Eigen::MatrixXd x = inputs(pool_rows, 4);
  std::vector<std::string> names;
  for (int j = 0; j < DIM; ++j) names.push_back("x" + std::to_string(j));
  const auto space = twin::models::DesignSpace::pool(names, x);
  const std::map<std::string, std::string> params = {{"refit_dense_until", "0"},
                                                      {"refit_every", refit ? "1" : "1000000"},
                                                      {"refit_growth", "0"},
                                                      {"restarts", "1"},
                                                      {"fit_iterations", "10"}};
  auto policy = twin::agents::make_policy("gp-ard", params);
  twin::agents::PolicyContext ctx{&space, twin::models::Goal::MAXIMIZE, nullptr};
  std::vector<twin::agents::Observation> obs;
  for (int i = 0; i < n; ++i) {
    obs.push_back({space.pool_candidate(static_cast<std::size_t>(i)), objective(x.row(i).transpose()), "", true});
  }
  twin::core::Rng rng(5);
  policy->propose(ctx, obs, 1, rng);  // the first fit (3 restarts), not timed
  double flops = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::size_t row = obs.size();  // the next unobserved row
    obs.push_back({space.pool_candidate(row), objective(x.row(static_cast<Eigen::Index>(row)).transpose()), "", true});
    state.ResumeTiming();
    benchmark::DoNotOptimize(policy->propose(ctx, obs, 1, rng));
    flops += policy->last_flops();
  }
  set_flops(state, flops);
}

}  // namespace

BENCHMARK(BM_GpFactorise)->Arg(50)->Arg(200)->Arg(600)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpRankOneUpdate)->Arg(50)->Arg(200)->Arg(600)->Arg(2000)->Iterations(50)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpLmlGradient)->Arg(50)->Arg(200)->Arg(600)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpFitWarm)->Arg(50)->Arg(200)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpFitWarm)->Arg(2000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoStep)->Args({50, 0})->Args({200, 0})->Args({600, 0})->Args({2000, 0})->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoStep)->Args({50, 1})->Args({200, 1})->Args({600, 1})->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoStep)->Args({2000, 1})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
