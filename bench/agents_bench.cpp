// Agents: the cost of the Gaussian process and of one Bayesian-optimisation
// decision as the data grow (n = 50, 200, 600, 2000), and the O(n^2)
// one-observation update against a full O(n^3) refactorisation; one decision
// of gp-ard and rf-lcb with their default parameters, averaged over a refit
// cycle (BM_Decision), against a fixed reference computation measured in the
// same run (BM_Reference), so that figures taken on a shared machine, or by
// binaries of two commits, compare as ratios.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
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

/// K^-1 for the likelihood's gradient: solving K X = I with the factor (the
/// reference, 2n^3 flops, as the gradient did before) against the blocked
/// inverse from the factor (cholesky_inverse_lower, 2n^3/3); compare the
/// two rows of the same n as a ratio.
Eigen::MatrixXd spd(int n) {
  const Eigen::MatrixXd x = inputs(n, 4);
  GaussianProcess gp(GpOptions{}, DIM);
  Eigen::MatrixXd k = gp.covariance(x, x);
  k.diagonal().array() += 0.01;
  return k;
}

void BM_InverseBySolve(benchmark::State& state) {
  const Eigen::LLT<Eigen::MatrixXd> llt(spd(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    Eigen::MatrixXd inv = llt.solve(Eigen::MatrixXd::Identity(llt.rows(), llt.cols()));
    benchmark::DoNotOptimize(inv.data());
  }
}

void BM_InverseFromFactor(benchmark::State& state) {
  const Eigen::LLT<Eigen::MatrixXd> llt(spd(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    Eigen::MatrixXd inv = llt.matrixL();
    twin::agents::cholesky_inverse_lower(inv);
    benchmark::DoNotOptimize(inv.data());
  }
}

/// The likelihood and its gradient as the fit computed them before the pair
/// differences were cached (the textbook loops: K over all n^2 entries, then
/// every pair's distance, correlation and slope again for the gradient), for
/// the speed-up figure below. Matern-5/2, ARD, constant term, fixed noise.
double reference_lml_gradient(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& theta,
                              Eigen::VectorXd& grad) {
  const double sqrt5 = std::sqrt(5.0);
  const Eigen::Index n = x.rows(), d = x.cols();
  Eigen::VectorXd inv_l2(d);
  for (Eigen::Index m = 0; m < d; ++m) inv_l2(m) = std::exp(-2.0 * theta(m));
  const double s2 = std::exp(theta(d)), c2 = std::exp(theta(d + 1)), n2 = 0.01;
  auto d2_of = [&](Eigen::Index i, Eigen::Index j) {
    double s = 0;
    for (Eigen::Index m = 0; m < d; ++m) s += (x(i, m) - x(j, m)) * (x(i, m) - x(j, m)) * inv_l2(m);
    return s;
  };
  auto corr = [&](double d2) {
    const double r = std::sqrt(d2);
    return (1.0 + sqrt5 * r + (5.0 / 3.0) * d2) * std::exp(-sqrt5 * r);
  };
  auto slope = [&](double d2) {
    const double r = std::sqrt(d2);
    return (5.0 / 3.0) * (1.0 + sqrt5 * r) * std::exp(-sqrt5 * r);
  };
  Eigen::MatrixXd k(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) k(i, j) = s2 * corr(d2_of(i, j)) + c2;
  }
  k.diagonal().array() += n2;
  Eigen::LLT<Eigen::MatrixXd> llt(k);
  const Eigen::VectorXd alpha = llt.solve(y);
  const double lml = -0.5 * y.dot(alpha) - llt.matrixLLT().diagonal().array().log().sum();
  Eigen::MatrixXd w = alpha * alpha.transpose() - llt.solve(Eigen::MatrixXd::Identity(n, n));
  grad.setZero(d + 2);
  double g_s2 = 0, g_c2 = 0;
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const double d2 = d2_of(i, j);
      g_s2 += w(i, j) * corr(d2);
      g_c2 += w(i, j);
      if (i == j) continue;
      const double gw = w(i, j) * s2 * slope(d2);
      for (Eigen::Index m = 0; m < d; ++m) grad(m) += gw * (x(i, m) - x(j, m)) * (x(i, m) - x(j, m)) * inv_l2(m);
    }
  }
  grad.head(d) *= 0.5;
  grad(d) = 0.5 * s2 * g_s2;
  grad(d + 1) = 0.5 * c2 * g_c2;
  return lml;
}

/// Speed-up of the likelihood-and-gradient evaluation a fit makes (on the
/// pair differences computed once per fit) over the reference loops above:
/// counter `speedup` = reference time / our time, same data and point (the
/// two gradients agree to 1e-8, or the benchmark reports an error).
void BM_GpLmlGradientSpeedup(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd x = inputs(n, 2);
  const Eigen::VectorXd y = targets(x);
  GpOptions o;
  o.fit_noise = false;
  GaussianProcess gp(o, DIM);
  gp.set_data(x, y);
  Eigen::VectorXd theta = gp.default_theta();
  for (int m = 0; m < DIM; ++m) theta(m) = 0.2 * m - 0.3;
  const Eigen::MatrixXd pairs = gp.pair_differences();
  Eigen::VectorXd g, g_ref;
  double ours = 0, reference = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(gp.log_marginal_likelihood(theta, &g, pairs));
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(reference_lml_gradient(x, y, theta, g_ref));
    const auto t2 = std::chrono::steady_clock::now();
    ours += std::chrono::duration<double>(t1 - t0).count();
    reference += std::chrono::duration<double>(t2 - t1).count();
  }
  if ((g - g_ref).cwiseAbs().maxCoeff() > 1e-8 * std::max(1.0, g_ref.cwiseAbs().maxCoeff())) {
    state.SkipWithError("the gradients differ");
  }
  state.counters["speedup"] = benchmark::Counter(reference / ours);
}

/// One ML-II fit as the dense phase of the refit schedule runs it: no warm
/// start, 3 starts (the best of the default and 32 screened points), at most
/// 60 L-BFGS-B iterations each.
void BM_GpFitDense(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXd x = inputs(n, 3);
  GaussianProcess gp(GpOptions{}, DIM);
  gp.set_data(x, targets(x));
  const Eigen::VectorXd start = gp.default_theta();
  const double before = gp.flops();
  int evaluations = 0;
  for (auto _ : state) {
    gp.set_theta(start);
    twin::core::Rng rng(1);
    evaluations += gp.fit(3, rng).evaluations;
  }
  set_flops(state, gp.flops() - before);
  state.counters["lml_evals"] = benchmark::Counter(evaluations / static_cast<double>(state.iterations()));
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

/// The same fixed work in every binary: one Cholesky factorisation of a
/// 400 x 400 SPD matrix (Eigen LLT), the yardstick of BM_Decision.
void BM_Reference(benchmark::State& state) {
  const Eigen::MatrixXd a = inputs(400, 9).leftCols(DIM);
  Eigen::MatrixXd k(400, 400);
  for (Eigen::Index i = 0; i < 400; ++i) {
    for (Eigen::Index j = 0; j < 400; ++j) k(i, j) = std::exp(-0.5 * (a.row(i) - a.row(j)).squaredNorm());
  }
  k.diagonal().array() += 0.01;
  for (auto _ : state) {
    Eigen::LLT<Eigen::MatrixXd> llt(k);
    benchmark::DoNotOptimize(llt.matrixLLT().data());
  }
}

/// One decision of a policy with its default parameters on a pool of
/// n + 1000 rows, starting with n observations (the first decision, a cold
/// fit, is not timed); every iteration observes the next row and decides
/// again, so the mean over a refit cycle includes its refits: gp-ard refits
/// at every decision while n <= 100 and then once max(5, 0.1 n) new
/// observations have arrived, so the cycle is run for that many iterations;
/// rf-lcb fits its forest at every decision. range(1): 0 gp-ard, 1 rf-lcb.
void BM_Decision(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool forest = state.range(1) != 0;
  const Eigen::MatrixXd x = inputs(n + 1000, 4);
  std::vector<std::string> names;
  for (int j = 0; j < DIM; ++j) names.push_back("x" + std::to_string(j));
  const auto space = twin::models::DesignSpace::pool(names, x);
  auto policy = twin::agents::make_policy(forest ? "rf-lcb" : "gp-ard");
  twin::agents::PolicyContext ctx{&space, twin::models::Goal::MAXIMIZE, nullptr};
  std::vector<twin::agents::Observation> obs;
  for (int i = 0; i < n; ++i) {
    obs.push_back({space.pool_candidate(static_cast<std::size_t>(i)), objective(x.row(i).transpose()), "", true});
  }
  twin::core::Rng rng(5);
  policy->propose(ctx, obs, 1, rng);
  double flops = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::size_t row = obs.size();
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
BENCHMARK(BM_InverseBySolve)->Arg(100)->Arg(200)->Arg(400)->Arg(800)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InverseFromFactor)->Arg(100)->Arg(200)->Arg(400)->Arg(800)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpLmlGradientSpeedup)->Arg(50)->Arg(100)->Arg(200)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpFitDense)->Arg(50)->Arg(100)->Arg(200)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpFitWarm)->Arg(50)->Arg(200)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpFitWarm)->Arg(2000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoStep)->Args({50, 0})->Args({200, 0})->Args({600, 0})->Args({2000, 0})->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoStep)->Args({50, 1})->Args({200, 1})->Args({600, 1})->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoStep)->Args({2000, 1})->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reference)->Unit(benchmark::kMillisecond);
// gp-ard: a refit cycle of the default schedule (5 decisions at n = 50, all refits; 20, 60, 200 beyond).
BENCHMARK(BM_Decision)->Args({50, 0})->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decision)->Args({200, 0})->Iterations(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decision)->Args({600, 0})->Iterations(60)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decision)->Args({2000, 0})->Iterations(200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decision)->Args({50, 1})->Args({200, 1})->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decision)->Args({600, 1})->Args({2000, 1})->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
