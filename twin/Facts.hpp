#pragma once
#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"

namespace twin {
/// The facts of a scenario that reports show (names, targets, policies, assumptions).
core::ScenarioFacts scenario_facts(const Scenario& sc);
}  // namespace twin
