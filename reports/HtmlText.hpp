#pragma once
// Text helpers shared by the HTML report, the SVG charts and `twin compare`:
// escaping of user-supplied names, and one fixed number format, so the same
// report gives the same bytes on any machine and compiler.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace twin::reports {

/// Escapes & < > " ' for HTML text, attribute values and SVG text.
std::string escape_html(std::string_view text);

/// `x` with `sig` significant digits, trailing zeros dropped ("28.3", "4",
/// "0.000139"); integers of 10^sig and more in full with thin-space
/// thousands ("60 480"); |x| < 1e-4 in exponent form ("1.39e-06");
/// non-finite -> "n/a".
std::string format_number(double x, int sig = 3);
/// A share in [0, 1] as a percentage with `sig` significant digits ("76.1 %").
std::string format_percent(double share, int sig = 3);
/// SVG coordinates: one decimal, no negative zero.
std::string format_coord(double x);

/// The value at `path` below `j`, or a null value if any step is missing or
/// of the wrong type: renderers tolerate partial reports.
const nlohmann::ordered_json& json_at(const nlohmann::ordered_json& j, std::initializer_list<std::string_view> path);
/// The number `j` holds, or NaN.
double json_number(const nlohmann::ordered_json& j);
/// The string `j` holds, or `fallback`.
std::string json_string(const nlohmann::ordered_json& j, std::string_view fallback = "");

/// "closed loop" for "closed_loop": the words a reader sees for a key.
std::string human_name(std::string_view key);
/// The colour of a cycle stage (agent, people, hpc_queue, hpc_run, transfer,
/// lab_queue, lab_run); another gets a spare colour by its index.
const char* stage_color(const std::string& stage, std::size_t index);

/// The modes a report covers (scenario.modes), closed_loop first and
/// baseline second, then any other in the report's order.
std::vector<std::string> report_modes(const nlohmann::ordered_json& report);

}  // namespace twin::reports
