#pragma once
// This program's inline 8-bit coverage counters, as libFuzzer reads them.
#include <cstddef>
#include <cstdint>

namespace twin::fuzz {

/// The first counter (null when the program has none).
std::uint8_t* coverage_counters();
/// How many counters there are.
std::size_t coverage_counter_count();

}  // namespace twin::fuzz
