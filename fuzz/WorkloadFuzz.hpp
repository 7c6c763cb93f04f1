#pragma once
// The body of the trace targets (swf_fuzz, batsim_fuzz): the input is a trace
// file, plain or gzip, read through hpc::load_workload as `twin replay` and a
// scenario's background workload read it, then with the selections and size
// scaling a replay applies.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/FuzzSupport.hpp"
#include "hpc/BatsimReader.hpp"
#include "hpc/SwfReader.hpp"
#include "hpc/Workload.hpp"

namespace twin::fuzz {

inline int fuzz_workload(const std::string& suffix, const std::uint8_t* data, std::size_t size) {
  const std::string& path = write_scratch(suffix, data, size);
  try {
    // What load_workload does, with the file read once for both selections.
    const hpc::Workload raw = suffix == ".json" ? hpc::read_batsim(path) : hpc::read_swf(path);
    hpc::Workload w = raw;
    hpc::apply_workload_options(w, {});
    for (const auto& j : w.jobs)
      if (!(j.run_s > 0) || j.nodes < 1 || !(j.requested_s > 0)) __builtin_trap();
    hpc::WorkloadOptions o;
    o.from_s = 0;
    o.first_n = 1000;
    o.arrival_rate_scale = 2;
    o.scale_to_nodes = 128;
    o.source_nodes = raw.info.machine_nodes() > 0 ? 0 : 64;
    hpc::Workload scaled = raw;
    hpc::apply_workload_options(scaled, o);
    for (const auto& j : scaled.jobs)
      if (j.nodes < 1 || j.nodes > 128) __builtin_trap();
  } catch (const core::ScenarioError& e) {
    check_error(e);
  }
  return 0;
}

}  // namespace twin::fuzz
