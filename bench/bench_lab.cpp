// The lab engine's speed: a lab of 20 stations (5 kinds x 4) and 4 robots
// over a simulated year, samples arriving at about 6 an hour (the furnaces
// about 70 % busy), with batches, breakdowns, jams and a shift of
// technicians. Items = sample-steps run (issue 5's target: >= 100 k/s).
#include <benchmark/benchmark.h>

#include "lab/LabEngine.hpp"

namespace {

using namespace twin;

lab::LabConfig year_lab() {
  lab::LabConfig c;
  c.name = "bench";
  c.robots = 4;
  c.robot_move_s = core::Distribution::uniform(60, 180);
  c.robot_jam_probability = 0.002;
  c.technicians = 2;
  c.people = core::Shift(core::days_from_civil(2026, 1, 5), -6, {true, true, true, true, true, false, false}, 8 * 60,
                         17 * 60, {});
  auto st = [](const char* kind, int slots, double median_min) {
    lab::StationConfig s;
    s.kind = kind;
    s.count = 4;
    s.slots = slots;
    s.duration_s = core::Distribution::lognormal(median_min * 60, 0.2);
    s.mtbf_s = 30 * 86400.0;
    return s;
  };
  c.stations = {st("dispense", 2, 10), st("furnace", 8, 180), st("mill", 1, 15), st("xrd", 1, 20),
                st("spectro", 1, 10)};
  c.stations[1].batch = 8;
  c.stations[1].batch_timeout_s = 3600;
  c.stations[3].success_probability = 0.9;
  c.max_retries = 1;
  return c;
}

void BM_LabYear(benchmark::State& state) {
  const double year_s = 365 * 86400.0;
  std::int64_t steps = 0;
  for (auto _ : state) {
    lab::LabEngine e(year_lab(), 42);
    core::Rng arrivals(7);
    std::vector<lab::Completion> done;
    double t = 0;
    std::uint64_t key = 0;
    while ((t += arrivals.exponential(600.0)) < year_s) {
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
