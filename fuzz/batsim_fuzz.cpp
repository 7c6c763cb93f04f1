// Batsim JSON workloads, plain or gzip (hpc/BatsimReader, hpc/Workload): see
// WorkloadFuzz.hpp.
#include "fuzz/WorkloadFuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return twin::fuzz::fuzz_workload(".json", data, size);
}
