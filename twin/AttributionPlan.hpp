#pragma once
// Which modes a run adds to attribute the multiplier to the ingredients
// (twin/OperatingMode.hpp), and what each part of the attribution is.
//
//   ladder   baseline -> + AI choice (the agent) -> + continuous decisions
//            (cadence and staffed decisions) -> + automated hand-offs ->
//            + labs 24/7 = closed_loop; each step's factor is the ratio of its
//            mode's discoveries to the previous one's, so the factors multiply
//            to the multiplier. The order matters: a step is measured with
//            the steps before it already taken.
//   shapley  every subset of the ingredients in play (2^k modes); each
//            ingredient's Shapley value of ln(discoveries), whose sum is
//            ln(multiplier); no order.
//
// Ingredients the scenario's two modes share cost nothing: a mode depends
// only on the ingredients in play, so such a step's factor is exactly 1.
#include <set>
#include <string>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"

namespace twin {

/// "ladder", "shapley" or "off" (an empty plan).
core::AttributionRun attribution_plan(const Scenario& sc, const std::string& method);

/// The modes (ingredient masks, within plan.full) the plan needs beyond
/// baseline (0) and closed_loop (plan.full), in increasing order.
std::set<unsigned> attribution_modes(const core::AttributionRun& plan);

}  // namespace twin
