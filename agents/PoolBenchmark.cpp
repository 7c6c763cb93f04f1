#include "agents/PoolBenchmark.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "agents/Policy.hpp"
#include "twin/core/Rng.hpp"

namespace twin::agents {

double quantile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

namespace {

PoolRun one_run(const models::DesignSpace& space, const std::vector<double>& truths, models::Goal goal,
                const PoolBenchmarkOptions& options, const std::vector<char>& is_top, std::size_t top_count, int r) {
  const std::size_t n = space.pool_size();
  auto policy = make_policy(options.policy, options.params);
  core::Rng init = core::Rng::keyed(options.seed, {static_cast<std::uint64_t>(r), 0});
  core::Rng rng = core::Rng::keyed(options.seed, {static_cast<std::uint64_t>(r), 1});
  PoolRun run;
  std::vector<Observation> obs;
  std::size_t found = 0;
  auto record = [&](std::size_t row) {
    run.rows.push_back(row);
    run.values.push_back(truths[row]);
    obs.push_back({space.pool_candidate(row), truths[row], "", true});
    if (is_top[row] != 0) ++found;
  };
  // Initial points: a partial Fisher-Yates over all rows.
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  const std::size_t k0 = std::min(n, static_cast<std::size_t>(std::max(0, options.initial_points)));
  for (std::size_t i = 0; i < k0; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(init.below(n - i));
    std::swap(all[i], all[j]);
    record(all[i]);
  }
  PolicyContext ctx{&space, goal, nullptr};
  while (run.rows.size() < n && !(options.stop_when_top_found && found >= top_count)) {
    const auto picks = policy->propose(ctx, obs, 1, rng);
    run.agent_flops += policy->last_flops();
    if (picks.empty()) break;
    const auto row = static_cast<std::size_t>(picks.front().pool_index);
    if (picks.front().pool_index < 0 || row >= n) throw std::logic_error("policy proposed a row outside the pool");
    record(row);
  }
  return run;
}

}  // namespace

PoolBenchmarkResult run_pool_benchmark(const models::DesignSpace& space, const std::vector<double>& truths,
                                       models::Goal goal, const PoolBenchmarkOptions& options) {
  if (!space.is_pool() || space.pool_size() == 0) throw std::invalid_argument("run_pool_benchmark: an empty or non-pool space");
  if (truths.size() != space.pool_size()) throw std::invalid_argument("run_pool_benchmark: one value per pool row expected");
  if (options.runs < 1) throw std::invalid_argument("run_pool_benchmark: runs must be >= 1");
  make_policy(options.policy, options.params);  // validate before any work

  const std::size_t n = space.pool_size();
  PoolBenchmarkResult res;
  res.pool_size = n;
  res.top_count = static_cast<std::size_t>(std::ceil(options.top_fraction * static_cast<double>(n) - 1e-9));
  res.top_count = std::clamp<std::size_t>(res.top_count, 1, n);
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return goal == models::Goal::MAXIMIZE ? truths[a] > truths[b] : truths[a] < truths[b];
  });
  res.top_rows.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(res.top_count));
  std::sort(res.top_rows.begin(), res.top_rows.end());
  std::vector<char> is_top(n, 0);
  for (auto r : res.top_rows) is_top[r] = 1;

  res.runs.resize(static_cast<std::size_t>(options.runs));
  const int threads = std::clamp(options.threads, 1, options.runs);
  if (threads == 1) {
    for (int r = 0; r < options.runs; ++r) res.runs[static_cast<std::size_t>(r)] = one_run(space, truths, goal, options, is_top, res.top_count, r);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (int r = t; r < options.runs; r += threads) {
          res.runs[static_cast<std::size_t>(r)] = one_run(space, truths, goal, options, is_top, res.top_count, r);
        }
      });
    }
    for (auto& th : pool) th.join();
  }

  res.top_mean.assign(n, 0.0);
  for (const auto& run : res.runs) {
    std::size_t found = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i < run.rows.size() && is_top[run.rows[i]] != 0) ++found;
      const double frac = i < run.rows.size() ? static_cast<double>(found) / static_cast<double>(res.top_count)
                                              : (found >= res.top_count ? 1.0 : static_cast<double>(found) / res.top_count);
      res.top_mean[i] += frac / static_cast<double>(res.runs.size());
    }
  }
  res.enhancement.resize(n);
  for (std::size_t i = 0; i < n; ++i) res.enhancement[i] = res.top_mean[i] / (static_cast<double>(i + 1) / static_cast<double>(n));
  return res;
}

std::vector<int> PoolBenchmarkResult::experiments_to_reach(double p) const {
  const auto need = static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(top_count) - 1e-9)));
  std::vector<char> is_top(pool_size, 0);
  for (auto r : top_rows) is_top[r] = 1;
  std::vector<int> out;
  for (const auto& run : runs) {
    std::size_t found = 0;
    int at = static_cast<int>(pool_size) + 1;
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
      if (is_top[run.rows[i]] != 0 && ++found >= need) {
        at = static_cast<int>(i + 1);
        break;
      }
    }
    out.push_back(at);
  }
  return out;
}

Spread PoolBenchmarkResult::experiments_spread(double p) const {
  const auto e = experiments_to_reach(p);
  std::vector<double> v(e.begin(), e.end());
  return {quantile(v, 0.5), quantile(v, 0.05), quantile(v, 0.95)};
}

double PoolBenchmarkResult::ef_at(std::size_t i) const {
  if (enhancement.empty() || i == 0) return 0;
  return enhancement[std::min(i, enhancement.size()) - 1];
}

std::size_t PoolBenchmarkResult::agent_experiments(double t) const {
  for (std::size_t i = 0; i < top_mean.size(); ++i) {
    if (top_mean[i] >= t - 1e-12) return i + 1;
  }
  return pool_size + 1;
}

double PoolBenchmarkResult::af_at(double t) const {
  const std::size_t n_agent = agent_experiments(t);
  if (n_agent > pool_size) return 0;
  return t * static_cast<double>(pool_size) / static_cast<double>(n_agent);
}

namespace {

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string picks_csv(const PoolBenchmarkResult& result) {
  std::string out = "run,step,row,value\n";
  for (std::size_t r = 0; r < result.runs.size(); ++r) {
    const auto& run = result.runs[r];
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
      out += std::to_string(r + 1) + "," + std::to_string(i + 1) + "," + std::to_string(run.rows[i]) + "," +
             fmt("%.17g", run.values[i]) + "\n";
    }
  }
  return out;
}

std::string top_percent_csv(const PoolBenchmarkResult& result) {
  std::string out = "i,top_agent,top_random\n";
  const double n = static_cast<double>(result.pool_size);
  for (std::size_t i = 0; i < result.top_mean.size(); ++i) {
    out += std::to_string(i + 1) + "," + fmt("%.6f", result.top_mean[i]) + "," +
           fmt("%.6f", static_cast<double>(i + 1) / n) + "\n";
  }
  return out;
}

std::string ef_csv(const PoolBenchmarkResult& result) {
  std::string out = "i,ef\n";
  for (std::size_t i = 0; i < result.enhancement.size(); ++i) {
    out += std::to_string(i + 1) + "," + fmt("%.6f", result.enhancement[i]) + "\n";
  }
  return out;
}

std::string af_csv(const PoolBenchmarkResult& result) {
  std::string out = "t,n_random,n_agent,af\n";
  for (int k = 1; k <= 20; ++k) {
    const double t = 0.05 * k;
    const std::size_t n_agent = result.agent_experiments(t);
    out += fmt("%.2f", t) + "," + fmt("%.2f", t * static_cast<double>(result.pool_size)) + "," +
           (n_agent > result.pool_size ? std::string() : std::to_string(n_agent)) + "," + fmt("%.4f", result.af_at(t)) +
           "\n";
  }
  return out;
}

std::string benchmark_summary(const PoolBenchmarkResult& result) {
  std::string out;
  for (const double p : {0.5, 0.8, 1.0}) {
    const Spread s = result.experiments_spread(p);
    const auto need = static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(result.top_count) - 1e-9)));
    out += "experiments to find " + fmt("%.0f", p * 100) + "% of the top (" + std::to_string(need) + " of " +
           std::to_string(result.top_count) + "): median " + fmt("%.1f", s.median) + " (5-95%: " + fmt("%.1f", s.p5) +
           " - " + fmt("%.1f", s.p95) + "); random search: " +
           fmt("%.1f", p * static_cast<double>(result.pool_size)) + "\n";
  }
  out += "EF(10) = " + fmt("%.3f", result.ef_at(10)) + "  EF(25) = " + fmt("%.3f", result.ef_at(25)) +
         "  EF(50) = " + fmt("%.3f", result.ef_at(50)) + "\n";
  out += "AF(0.8) = " + fmt("%.3f", result.af_at(0.8)) + "\n";
  double flops = 0;
  for (const auto& run : result.runs) flops += run.agent_flops;
  out += "agent work: " + fmt("%.3g", result.runs.empty() ? 0.0 : flops / static_cast<double>(result.runs.size())) +
         " flop per run (counted)\n";
  return out;
}

}  // namespace twin::agents
