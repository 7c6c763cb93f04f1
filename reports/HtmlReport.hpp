#pragma once
// report.json to report.html: one self-contained file (inline CSS, charts as
// inline SVG drawn by reports/Svg, no script, nothing from the network) that
// a planner reads top-down: the verdict, why, the assumptions, where a
// cycle's time goes, per-campaign progress, resources, cost, conservation.
// Pure and deterministic: the same report gives the same bytes. Every name
// that comes from a scenario is escaped. Keys missing from a partial report
// show as "n/a" rather than failing.
#include <string>

#include <nlohmann/json.hpp>

namespace twin::reports {

/// The whole HTML document for `report` (as built by build_report).
std::string render_html_report(const nlohmann::ordered_json& report);

/// The style sheet shared by the report and the comparison page.
std::string html_style();

}  // namespace twin::reports
