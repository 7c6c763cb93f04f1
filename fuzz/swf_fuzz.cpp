// SWF traces (the Parallel Workloads Archive's format), plain or gzip
// (hpc/SwfReader, hpc/Workload): see WorkloadFuzz.hpp.
#include "fuzz/WorkloadFuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return twin::fuzz::fuzz_workload(".swf", data, size);
}
