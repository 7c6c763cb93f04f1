// bench_core: hot paths of twin::core that every simulated event touches and
// that need no SimGrid engine: keyed and named random streams (one per lab
// sample), duration draws, gauge updates (every queue and busy change), and
// the staffed-hours look-up (every baseline step).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"
#include "twin/core/Gauge.hpp"
#include "twin/core/Rng.hpp"

namespace {

using twin::core::Distribution;
using twin::core::Gauge;
using twin::core::Rng;
using twin::core::Shift;

void rng_stream(benchmark::State& state) {
  std::uint64_t seed = 2025;
  for (auto _ : state) {
    Rng r = Rng::stream(seed++, "agent.oer-catalysts");
    benchmark::DoNotOptimize(r.next_u64());
  }
}
BENCHMARK(rng_stream);

void rng_keyed(benchmark::State& state) {
  std::uint64_t k = 0;
  for (auto _ : state) {
    Rng r = Rng::keyed(2025, {0x6c6162ULL, 1, 3, k++, 0});
    benchmark::DoNotOptimize(r.next_u64());
  }
}
BENCHMARK(rng_keyed);

void rng_normal(benchmark::State& state) {
  Rng r(7);
  for (auto _ : state) benchmark::DoNotOptimize(r.normal());
}
BENCHMARK(rng_normal);

void distribution_lognormal(benchmark::State& state) {
  Rng r(7);
  const Distribution d = Distribution::lognormal(3600.0, 0.3);
  for (auto _ : state) benchmark::DoNotOptimize(d.sample(r));
}
BENCHMARK(distribution_lognormal);

/// state.range(0) changes per simulated day (daily buckets), over a year.
void gauge_set(benchmark::State& state) {
  const double step_s = 86400.0 / static_cast<double>(state.range(0));
  const std::int64_t changes = 365 * state.range(0);
  for (auto _ : state) {
    Gauge g;
    double t = 0;
    for (std::int64_t i = 0; i < changes; ++i, t += step_s) g.set(t, static_cast<double>(i & 7));
    benchmark::DoNotOptimize(g.integral(365 * 86400.0));
  }
  state.SetItemsProcessed(state.iterations() * changes);
}
BENCHMARK(gauge_set)->Arg(10)->Arg(1000);

void shift_next_staffed(benchmark::State& state) {
  std::array<bool, 7> weekdays{true, true, true, true, true, false, false};
  const Shift s(20458, -6.0, weekdays, 8 * 60, 17 * 60, {14, 42, 140, 179, 245});
  double t = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.next_staffed(t));
    t += 3917.0;
    if (t > 365 * 86400.0) t = 0;
  }
}
BENCHMARK(shift_next_staffed);

}  // namespace

BENCHMARK_MAIN();
