#pragma once
// `twin compare`'s logic: two report.json documents (two scenarios, or two
// runs of a what-if) side by side. Pure functions from JSON to JSON and text,
// except load_report, which reads a file. Rows pair a metric of A with the
// same metric of B: campaigns are matched by name, resources by kind and
// name; one present on one side only is listed with nulls on the other.
#include <string>

#include <nlohmann/json.hpp>

namespace twin::reports {

/// Reads `path` (a report.json, or a folder holding one), parses it and
/// checks it with check_report. Throws core::ScenarioError naming the file
/// and, where it applies, the JSON pointer: a missing file, text that is not
/// JSON, a document that is not a twin report.
nlohmann::ordered_json load_report(const std::string& path);

/// Checks the keys that compare and the HTML report rely on (schema_version,
/// scenario.name, headline.multiplier, campaigns[].name/modes, resources.hpc/
/// labs/links[].name/modes, cycle). Throws core::ScenarioError with `file`,
/// the JSON pointer of the first key missing or of the wrong type, and what
/// was expected.
void check_report(const nlohmann::ordered_json& report, const std::string& file);

/// The differences of B against A:
///   {"a": {label, name, seed, horizon_days, replications}, "b": {...},
/// (label: where the report came from, e.g. its path; shown beside A and B)
///    "headline": [row...],
///    "campaigns": [{"name", "present": "both"|"a"|"b", "rows": [row...]}],
///    "resources": [{"kind": "hpc"|"lab"|"station"|"link", "name", "present", "rows": [row...]}],
///    "changed": {"headline": n, "campaigns": n, "resources": n}}
/// where row = {"metric": words, "key": JSON pointer in the report (for
/// campaigns and resources: below the matched element), "a", "b" (number,
/// boolean, string or null), "delta": b - a, "ratio": b / a (null unless
/// both are numbers, and a != 0 for the ratio), "changed": a != b,
/// "significant": the change is beyond the replications' spread (both
/// reports give a 95 % interval for the figure and the intervals do not
/// overlap; false for figures without an interval)}, and "warnings": [text]
/// when the horizons, seeds or numbers of replications differ.
/// Numbers keep the report's 6 significant digits.
nlohmann::ordered_json compare_reports(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b,
                                       const std::string& label_a = "", const std::string& label_b = "");

/// The comparison for a terminal: the headline in full, then the campaign
/// and resource rows that changed (all of them with `all_rows`), aligned.
std::string compare_text(const nlohmann::ordered_json& cmp, bool all_rows = false);

/// The comparison as one self-contained HTML page with inline SVG charts.
std::string render_html_compare(const nlohmann::ordered_json& cmp, bool all_rows = false);

}  // namespace twin::reports
