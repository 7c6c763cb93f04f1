#pragma once
// trace.json: the traced simulations as a Chrome/Perfetto trace-event file.
// One process per simulation (mode, replication); one track per resource or
// campaign ("hpc/<system>", "link/<link>", "lab/<lab>/<station kind>",
// "agent/<campaign>"), split into numbered lanes where slices overlap (a
// track holds nested slices only); a counter per resource with its daily
// utilisation. Times are simulated microseconds since the scenario's start.
// Pure: same RunResult, same bytes.
#include <string>

#include "twin/core/RunResult.hpp"

namespace twin::reports {

std::string build_trace(const core::RunResult& run);

}  // namespace twin::reports
