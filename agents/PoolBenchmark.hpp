#pragma once
// The field's offline benchmark of a closed loop on a pool of real
// measurements (Liang et al., npj Comput. Mater. 7, 188, 2021, from the
// authors' code):
//
// - each run starts from `initial_points` (2) rows drawn uniformly at random
//   (the same rows for every policy under the same seed), then the policy
//   picks one untested row per step, told every value so far;
// - "top" = the best ceil(top_fraction x N) rows (goal direction; ties by
//   lower row); Top%(i) = fraction of them found after i experiments,
//   initial points included; a run may stop once it found the whole top
//   (its curve is then flat at 1);
// - random search finds them at E[Top%(i)] = i / N, so EF(i) = mean
//   Top%(i) / (i / N), and AF(t) = n_random(t) / n_agent(t) with
//   n_random(t) = t N and n_agent(t) the first i at which the mean Top%
//   curve reaches t.
//
// Run r draws its initial rows from Rng::keyed(seed, {r, 0}) and gives the
// policy Rng::keyed(seed, {r, 1}): the picks are a function of (policy,
// params, seed, pool) only.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/DesignSpace.hpp"

namespace twin::agents {

struct PoolBenchmarkOptions {
  std::string policy = "gp-ard";
  std::map<std::string, std::string> params;
  int runs = 50;
  std::uint64_t seed = 1;
  int initial_points = 2;
  double top_fraction = 0.05;
  bool stop_when_top_found = true;
  int threads = 1;  ///< runs in parallel (each run is independent; results do not depend on it)
};

struct PoolRun {
  std::vector<std::size_t> rows;  ///< picks in order, the initial points first
  std::vector<double> values;     ///< their values (the pool's truths)
  double agent_flops = 0;         ///< summed last_flops() over the run
};

struct Spread {
  double median = 0, p5 = 0, p95 = 0;
};

struct PoolBenchmarkResult {
  std::size_t pool_size = 0;
  std::size_t top_count = 0;
  std::vector<std::size_t> top_rows;  ///< sorted by row
  std::vector<PoolRun> runs;
  /// Mean Top%(i) over runs, i = 1..N (index i-1), as a fraction in [0, 1].
  std::vector<double> top_mean;
  /// EF(i) = top_mean(i) / (i / N), i = 1..N.
  std::vector<double> enhancement;
  /// Experiments each run needed to find ceil(p top) of the top (N + 1 when never).
  std::vector<int> experiments_to_reach(double p) const;
  Spread experiments_spread(double p) const;
  /// EF at i (1-based); i beyond N gives the value at N.
  double ef_at(std::size_t i) const;
  /// AF(t) = t N / (first i with top_mean(i) >= t); 0 if never reached.
  double af_at(double t) const;
  /// First i (1-based) with top_mean(i) >= t, or N + 1.
  std::size_t agent_experiments(double t) const;
};

/// Runs the protocol for policy `options.policy` on the pool of `space`
/// (rows = space.pool_size(), values = `truths` in row order). Throws
/// std::invalid_argument for a bad policy, an empty pool or mismatched sizes.
PoolBenchmarkResult run_pool_benchmark(const models::DesignSpace& space, const std::vector<double>& truths,
                                       models::Goal goal, const PoolBenchmarkOptions& options);

/// The outputs of `twin bench-agent`, as text (fixed formatting, so a file
/// is a function of the result only):
/// picks.csv: run,step,row,value (run and step 1-based, the initial points
///   are steps 1..initial_points; row 0-based among the unique inputs in
///   file order; value with 17 significant digits);
/// top_percent.csv: i,top_agent,top_random (mean fraction of the top found
///   after i experiments; random = i/N), i = 1..N;
/// ef.csv: i,ef (EF(i) = top_agent / top_random);
/// af.csv: t,n_random,n_agent,af for t = 0.05, 0.10, ..., 1.00 (n_agent
///   empty and af 0 when the mean curve never reaches t).
std::string picks_csv(const PoolBenchmarkResult& result);
std::string top_percent_csv(const PoolBenchmarkResult& result);
std::string ef_csv(const PoolBenchmarkResult& result);
std::string af_csv(const PoolBenchmarkResult& result);
/// The printed summary: experiments to reach 50/80/100 % of the top
/// (median and 5-95 % over runs), EF at 10/25/50, AF at 0.8, agent work.
std::string benchmark_summary(const PoolBenchmarkResult& result);

/// Linear-interpolation quantile (type 7) of `v` at p in [0, 1].
double quantile(std::vector<double> v, double p);

}  // namespace twin::agents
