#pragma once
// The two operating modes a scenario compares: the closed loop (AI agents,
// autonomous labs, 24/7) and today's human-paced baseline on the same
// platform. Scenario files, reports and the command line spell them
// "closed_loop" and "baseline".
#include <array>
#include <optional>
#include <string_view>

namespace twin::core {

enum class Mode { CLOSED_LOOP, BASELINE };

/// Every mode, in report order (closed_loop first).
inline constexpr std::array<Mode, 2> ALL_MODES = {Mode::CLOSED_LOOP, Mode::BASELINE};

constexpr const char* to_string(Mode m) { return m == Mode::BASELINE ? "baseline" : "closed_loop"; }

constexpr std::optional<Mode> mode_from_string(std::string_view s) {
  for (Mode m : ALL_MODES)
    if (s == to_string(m)) return m;
  return std::nullopt;
}

}  // namespace twin::core
