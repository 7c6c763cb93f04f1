#pragma once
// The advice of `twin advise`: every option's change in discoveries per year
// against the base, paired by replication, with a percentile bootstrap
// interval, ranked; as advice.json, advice.html and a terminal summary.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/cli/AdvisePlan.hpp"

namespace twin::cli {

struct AdviceRun {
  std::string scenario_name, scenario_file;
  std::uint64_t seed = 0;
  double horizon_s = 0;
  int replications = 0;
  std::vector<double> base;                       ///< closed_loop discoveries per replication
  std::vector<AdviceOption> options;              ///< in plan order
  std::vector<std::vector<double>> discoveries;   ///< per option, per replication (empty: not simulated)
};

/// advice.json: {scenario, ..., method, base_discoveries_per_year, options:
/// [{rank, resource, kind, change, delta_discoveries_per_year, ci95_low,
/// ci95_high, significant, per_dollar, cost_usd, ...}]}, options ranked by
/// the change (largest first; equal changes in plan order). No wall-clock
/// time: the same scenario and options give the same bytes.
nlohmann::ordered_json advice_json(const AdviceRun& run);

/// advice.html: one self-contained page of the ranking.
std::string advice_html(const nlohmann::ordered_json& advice);

/// The terminal summary: the base and the `top` first options.
std::string advice_text(const nlohmann::ordered_json& advice, int top);

}  // namespace twin::cli
