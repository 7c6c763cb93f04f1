// The lab engine's speed: a lab of 20 stations (5 kinds x 4) and 4 robots
// over a simulated year, samples arriving at about 6 an hour (the furnaces
// about 70 % busy), with batches, breakdowns, jams and a shift of
// technicians. Items = sample-steps run (issue 5's target: >= 100 k/s).
#include <benchmark/benchmark.h>

#include "bench/YearLab.hpp"
#include "lab/LabEngine.hpp"

namespace {

using namespace twin;

void BM_LabYear(benchmark::State& state) {
  const double year_s = 365 * 86400.0;
  std::int64_t steps = 0;
  for (auto _ : state) {
    lab::LabEngine e(bench::year_lab(), 42);
    core::Rng arrivals(7);
    std::vector<lab::Completion> done;
    double t = 0;
    std::uint64_t key = 0;
    while ((t += arrivals.exponential(bench::YEAR_LAB_GAP_S)) < year_s) {
      done.clear();
      e.advance_to(t, done);
      e.submit(lab::SampleRequest{key % 3 == 0 ? "a" : "b", key, 0, false}, t);
      ++key;
    }
    done.clear();
    e.advance_to(year_s, done);
    steps += e.counters().step_runs;
    benchmark::DoNotOptimize(e.samples().finished);
    state.counters["samples"] = static_cast<double>(e.samples().created);
    state.counters["measured"] = static_cast<double>(e.samples().finished);
  }
  state.SetItemsProcessed(steps);
}
BENCHMARK(BM_LabYear)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
