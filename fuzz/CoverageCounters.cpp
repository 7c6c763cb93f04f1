// The bounds of this program's inline 8-bit coverage counters (the section
// the linker brackets with __start_/__stop_ symbols). Compiled without
// coverage instrumentation (fuzz/CMakeLists.txt): in an instrumented file,
// declaring these symbols collides with the instrumentation's own
// declarations, which are then renamed, and the module constructor that the
// link keeps registers an empty range with libFuzzer (no coverage at all).
#include "fuzz/CoverageCounters.hpp"

extern "C" {
extern std::uint8_t __start___sancov_cntrs[] __attribute__((weak, visibility("hidden")));
extern std::uint8_t __stop___sancov_cntrs[] __attribute__((weak, visibility("hidden")));
}

namespace twin::fuzz {

std::uint8_t* coverage_counters() { return __start___sancov_cntrs; }

std::size_t coverage_counter_count() {
  return static_cast<std::size_t>(__stop___sancov_cntrs - __start___sancov_cntrs);
}

}  // namespace twin::fuzz
