// Hot parts of the physics kernels: one kinetics evaluation (the truth's
// fine RK4 and the simulation's coarse one), one SnAr evaluation, and the
// construction of the largest pool (parsing and averaging oer_3496.csv).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "models/Kernel.hpp"

namespace {

using twin::models::Candidate;
using twin::models::KernelSpec;

// The shipped data, found from this file's own path (bench/ is beside
// scenarios/), so the benchmark runs from any folder.
std::string shipped_csv(const std::string& file) {
  std::string here = __FILE__;
  const auto slash = here.rfind('/');
  const std::string root = slash == std::string::npos ? "." : here.substr(0, slash) + "/..";
  std::ifstream in(root + "/scenarios/data/" + file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open scenarios/data/" + file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_KineticsTruth(benchmark::State& state) {
  KernelSpec spec;
  spec.kind = "kinetics";
  spec.params = {{"case", static_cast<double>(state.range(0))}};
  const auto k = twin::models::make_kernel(spec, 0);
  const Candidate c{{0, 2.9e-3, 530, 110}, -1};
  for (auto _ : state) benchmark::DoNotOptimize(k->truth(c));
}
BENCHMARK(BM_KineticsTruth)->Arg(1)->Arg(4);

void BM_KineticsSimulate(benchmark::State& state) {
  KernelSpec spec;
  spec.kind = "kinetics";
  const auto k = twin::models::make_kernel(spec, 0);
  const Candidate c{{0, 2.9e-3, 530, 110}, -1};
  for (auto _ : state) benchmark::DoNotOptimize(k->simulate(c));
}
BENCHMARK(BM_KineticsSimulate);

void BM_SnarTruthStiffCorner(benchmark::State& state) {
  KernelSpec spec;
  spec.kind = "snar";
  const auto k = twin::models::make_kernel(spec, 0);
  const Candidate c{{2, 5, 0.5, 120}, -1};
  for (auto _ : state) benchmark::DoNotOptimize(k->truth(c));
}
BENCHMARK(BM_SnarTruthStiffCorner);

void BM_PoolBuildOer3496(benchmark::State& state) {
  KernelSpec spec;
  spec.kind = "pool";
  spec.csv_texts = {shipped_csv("oer_3496.csv")};
  spec.csv_names = {"oer_3496.csv"};
  spec.goal = twin::models::Goal::MINIMIZE;
  for (auto _ : state) {
    const auto k = twin::models::make_kernel(spec, 0);
    benchmark::DoNotOptimize(k->space().pool_size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(spec.csv_texts[0].size()));
}
BENCHMARK(BM_PoolBuildOer3496)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
