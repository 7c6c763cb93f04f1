#pragma once
// The sweep report, built from the database alone (so 1 worker, N workers
// and MPI give the same bytes): DIR/sweep-summary.json (per variant: the
// multiplier over its replications with its 95 % interval, discoveries per
// year per mode; failed runs; invalid variants; the sensitivity ranking),
// DIR/sweep.html (small multiples of the multiplier against each parameter,
// with intervals, and the ranking), DIR/variants.csv and DIR/runs.csv.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/core/RunResult.hpp"
#include "twin/sweep/SweepSpec.hpp"
#include "twin/sweep/SweepStore.hpp"

namespace twin::sweep {

struct SweepReportFiles {
  std::string html, summary_json, variants_csv, runs_csv;
  std::string summary_text;  ///< a few lines for the terminal
};

/// The summary from the database. `facts[v]` are variant v's scenario facts
/// (empty for an invalid variant); they feed the per-variant report.
nlohmann::ordered_json build_sweep_summary(SweepStore& store, const SweepSpec& spec,
                                           const std::vector<std::optional<core::ScenarioFacts>>& facts);
std::string render_sweep_html(const nlohmann::ordered_json& summary);
std::string sweep_summary_text(const nlohmann::ordered_json& summary);

/// Builds everything and writes it atomically under `out`.
SweepReportFiles write_sweep_report(SweepStore& store, const SweepSpec& spec,
                                    const std::vector<std::optional<core::ScenarioFacts>>& facts,
                                    const std::string& out);

}  // namespace twin::sweep
