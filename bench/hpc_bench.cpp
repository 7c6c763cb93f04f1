// Benchmarks of the batch policies: one scheduling pass at queue lengths of
// 10, 1,000 and 10,000 jobs, and whole-trace replay of SDSC-BLUE (232,536
// jobs on 1,152 nodes) at 25/50/75/100 % of the trace, plus the whole
// `twin replay` work (read the gzip trace, replay, write jobs.csv).
#include <benchmark/benchmark.h>

#include <string>

#include "hpc/Replay.hpp"
#include "hpc/Scheduler.hpp"
#include "hpc/Workload.hpp"
#include "twin/core/Rng.hpp"

namespace {

using namespace twin::hpc;

const std::string SDSC = std::string(TWIN_TEST_DATA_DIR) + "/swf/SDSC-BLUE-2000-4.2-cln.swf.gz";
const char* POLICIES[] = {"fcfs", "easy", "conservative"};

// A 1,024-node machine: a blocker holds 1,023 nodes for a long time, a
// 1-node filler runs on the last one, and `queue` jobs of 2-512 nodes wait.
// Each iteration the filler ends early and is resubmitted: a full pass over
// the whole queue (compression under conservative) that starts only it.
// Under FCFS the filler is queued behind the blocked jobs, so an iteration
// is a bare pass.
void BM_SchedulingPass(benchmark::State& state) {
  const char* policy = POLICIES[state.range(0)];
  const int queue = static_cast<int>(state.range(1));
  auto s = make_scheduler(policy, 1024);
  auto rng = twin::core::Rng::stream(42, "bench.hpc.queue");
  JobRequest blocker;
  blocker.id = 1;
  blocker.nodes = 1023;
  blocker.requested_s = 1e9;
  s->submit(blocker);
  JobRequest filler;
  filler.id = 2;
  filler.nodes = 1;
  filler.requested_s = 1;
  s->submit(filler);
  s->schedule(0);
  for (int i = 0; i < queue; ++i) {
    JobRequest j;
    j.id = 10 + static_cast<std::uint64_t>(i);
    j.nodes = 2 + static_cast<int>(rng.below(511));
    j.requested_s = rng.uniform(60, 86400);
    j.submit_s = 0;
    s->submit(j);
  }
  s->schedule(0);
  double now_s = 0;
  std::uint64_t next_id = 1000000;
  const bool fcfs = state.range(0) == 0;
  for (auto _ : state) {
    now_s += 0.5;
    if (fcfs) {
      // FCFS stops at the blocked head whatever lies behind it.
      auto starts = s->schedule(now_s);
      if (!starts.empty()) state.SkipWithError("unexpected start");
      benchmark::DoNotOptimize(starts);
      continue;
    }
    s->finish(filler.id, now_s);
    filler.id = next_id++;
    filler.submit_s = now_s;
    s->submit(filler);
    auto starts = s->schedule(now_s);
    if (starts.size() != 1) state.SkipWithError("the filler did not start");
    benchmark::DoNotOptimize(starts);
  }
  state.SetLabel(std::string(policy) + " queue " + std::to_string(queue));
}
BENCHMARK(BM_SchedulingPass)
    ->ArgsProduct({{0, 1, 2}, {10, 1000, 10000}})
    ->Unit(benchmark::kMicrosecond);

const Workload& sdsc() {
  static const Workload w = load_workload(SDSC);
  return w;
}

// Replay of the first `percent` % of SDSC-BLUE's jobs, with jobs.csv text.
void BM_ReplaySdscBlue(benchmark::State& state) {
  const char* policy = POLICIES[state.range(0)];
  const std::size_t n = sdsc().jobs.size() * static_cast<std::size_t>(state.range(1)) / 100;
  std::vector<WorkloadJob> jobs(sdsc().jobs.begin(), sdsc().jobs.begin() + static_cast<std::ptrdiff_t>(n));
  for (auto _ : state) {
    ReplayResult r = replay(jobs, 1152, policy);
    std::string csv = jobs_csv(jobs, r);
    benchmark::DoNotOptimize(csv.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.SetLabel(std::string(policy) + " " + std::to_string(state.range(1)) + "% (" + std::to_string(n) + " jobs)");
}
BENCHMARK(BM_ReplaySdscBlue)
    ->ArgsProduct({{0, 1, 2}, {25, 50, 75, 100}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// What `twin replay SDSC-BLUE.swf.gz --policy easy` does: read and gunzip
// the trace, replay, write jobs.csv and summary.json.
void BM_ReplayCommandSdscBlueEasy(benchmark::State& state) {
  for (auto _ : state) {
    Workload w = load_workload(SDSC);
    ReplayResult r = replay(w.jobs, w.info.machine_nodes(), "easy");
    write_file_atomically("/tmp/bench_hpc_jobs.csv", jobs_csv(w.jobs, r));
    write_file_atomically("/tmp/bench_hpc_summary.json", summary_json(r.summary, w.info));
    state.SetItemsProcessed(static_cast<std::int64_t>(w.jobs.size()));
  }
}
BENCHMARK(BM_ReplayCommandSdscBlueEasy)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
