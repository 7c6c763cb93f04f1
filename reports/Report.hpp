#pragma once
// RunResult to report.json: the headline (the R&D-productivity multiplier
// with its interval), campaigns, resources, the cycle and its bottlenecks,
// conservation. Keys in a fixed order; numbers rounded to 6 significant
// digits, so the text is the same on any machine and compiler.
#include <string>

#include <nlohmann/json.hpp>

#include "twin/core/RunResult.hpp"

namespace twin::reports {

constexpr int REPORT_SCHEMA_VERSION = 1;
constexpr double PRODUCTIVITY_GOAL = 2.0;

nlohmann::ordered_json build_report(const core::RunResult& run);
/// A few lines for the terminal: the verdict and where the time goes.
std::string summary_text(const nlohmann::ordered_json& report);
/// x rounded to `digits` significant digits (0 stays 0; non-finite -> 0).
double round_sig(double x, int digits = 6);

}  // namespace twin::reports
