#pragma once
// Batsim's JSON workload format: {"nb_res": N, "jobs": [{"id", "subtime",
// "res", "walltime", "profile"}], "profiles": {name: {"type": "delay",
// "delay": seconds}}}. The run time is the profile's delay; jobs whose
// profile is of another type are skipped and counted; a missing or negative
// walltime means the run time; ids may be strings or integers.
#include <string>
#include <string_view>

#include "hpc/Workload.hpp"

namespace twin::hpc {

Workload parse_batsim(std::string_view text, const std::string& source);
Workload read_batsim(const std::string& path);

}  // namespace twin::hpc
