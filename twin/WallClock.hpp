#pragma once
// The program's only reads of the wall clock. They time the run for
// run-info.json, drive progress on stderr and fill the sweep's
// run_wallclock table; nothing read here reaches a simulation, report.json
// or any other deterministic output.
#include <chrono>

namespace twin::wallclock {

/// Seconds on a monotonic clock (differences only).
inline double monotonic_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Seconds since the Unix epoch, for a human-readable start time.
inline double unix_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace twin::wallclock
