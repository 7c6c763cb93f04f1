// CSV pools: the table reader (models/CsvTable) and the pool kernel built on
// it (models/PoolKernel), both goals, then every row's truth and simulated
// value. The documented error is std::invalid_argument with a message; the
// kernel's outputs must be finite numbers (the lab and the agents compute
// with them).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz/FuzzSupport.hpp"
#include "models/CsvTable.hpp"
#include "models/PoolKernel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace twin::models;
  const std::string_view text = twin::fuzz::as_text(data, size);
  try {
    const CsvTable t = parse_csv_table(text, "fuzz.csv");
    if (t.rows.empty() || t.rows.size() != t.line_numbers.size()) __builtin_trap();
    for (const auto& r : t.rows)
      for (double v : r)
        if (!std::isfinite(v) || r.size() != t.column_count) __builtin_trap();
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).empty()) __builtin_trap();
  }
  for (Goal goal : {Goal::MINIMIZE, Goal::MAXIMIZE}) {
    try {
      const PoolKernel k("fuzz.csv", text, goal, PoolKernel::Settings{});
      const std::size_t n = k.space().pool_size();
      if (n == 0 || n > k.raw_row_count()) __builtin_trap();
      if (!std::isfinite(k.value_sd()) || !std::isfinite(k.lab_noise_sd())) __builtin_trap();
      for (std::size_t i = 0; i < n; ++i) {
        const Candidate c = k.space().pool_candidate(i);
        if (!std::isfinite(k.truth(c)) || !std::isfinite(k.simulate(c))) __builtin_trap();
        Candidate by_features;
        by_features.x = c.x;  // looked up by its features, as a box agent would
        if (k.truth(by_features) != k.truth(c)) __builtin_trap();
      }
      (void)k.describe();
    } catch (const std::invalid_argument& e) {
      if (std::string(e.what()).empty()) __builtin_trap();
    }
  }
  return 0;
}
