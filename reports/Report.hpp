#pragma once
// RunResult to report.json: the headline (the R&D-productivity multiplier
// with its interval), campaigns, resources, the cycle and its bottlenecks,
// conservation. Keys in a fixed order; numbers rounded to 6 significant
// digits, so the text is the same on any machine and compiler.
#include <string>

#include <nlohmann/json.hpp>

#include "reports/Figures.hpp"
#include "twin/core/RunResult.hpp"

namespace twin::reports {

constexpr int REPORT_SCHEMA_VERSION = 1;

/// report.json of a run: the scenario's facts and its figures, written out
/// one section at a time.
/// `run` (may be null) adds the sections built from the simulations themselves: data, models, lineage.
nlohmann::ordered_json report_json(const core::ScenarioFacts& scenario, const Figures& figures,
                                   const core::RunResult* run = nullptr);
/// Two parts of report.json's headline, also written by the sweeps.
nlohmann::ordered_json multiplier_json(const Multiplier& m);
nlohmann::ordered_json discoveries_per_year_json(const Headline& h);
/// report_json(run.scenario, compute_figures(run)).
nlohmann::ordered_json build_report(const core::RunResult& run);
/// A few lines for the terminal: the verdict and where the time goes.
std::string summary_text(const nlohmann::ordered_json& report);

}  // namespace twin::reports
