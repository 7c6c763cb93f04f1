#pragma once
// A mode as a set of operating ingredients. The two modes of a scenario,
// closed_loop and baseline, differ in six ingredients; any other mode takes
// each ingredient from one of the two (a bit set = as the closed loop has it):
//
//   agent              the policy, its parameters, the batch and the screen
//   cadence            decisions at planning meetings every cadence_days, each
//                      with decision_min of human analysis
//   staffed_decisions  decisions and submissions only in staffed hours
//   handoffs           a manual hand-off (handoff_min) after screening and after the lab
//   staffed_lab        lab steps wait for people on shift (the baseline), or
//                      robot steps run 24/7 (the closed loop; manual steps still wait)
//   model              a foundation model as the screening surrogate (`surrogate`)
//
// A mode is named by its ingredients: "closed_loop" (all six), "baseline"
// (none), or "baseline+agent+cadence" (the baseline with those of the closed
// loop). Both modes' specs come from the scenario; nothing else is invented.
#include <string>
#include <vector>

#include "twin/Scenario.hpp"

namespace twin {

enum Ingredient : int { AGENT = 0, CADENCE, STAFFED_DECISIONS, HANDOFFS, STAFFED_LAB, MODEL, N_INGREDIENTS };

struct IngredientInfo {
  const char* name;         ///< "agent", "cadence", ...
  const char* closed_loop;  ///< what the closed loop does, in words
  const char* baseline;     ///< what the baseline does
};
extern const IngredientInfo INGREDIENTS[N_INGREDIENTS];

constexpr unsigned bit(Ingredient i) { return 1u << static_cast<unsigned>(i); }
constexpr unsigned ALL_INGREDIENTS = (1u << N_INGREDIENTS) - 1;

/// "closed_loop" for ALL_INGREDIENTS, "baseline" for 0, else "baseline+agent+...".
std::string mode_name(unsigned closed_loop_ingredients);
/// The ingredients a mode name takes from the closed loop; throws
/// std::invalid_argument for a name that is not a mode.
unsigned mode_ingredients(const std::string& name);

/// A campaign's agent in the mode whose closed-loop ingredients are `mask`.
ModeAgentSpec mode_agent(const CampaignSpec& cp, unsigned mask);
/// Whether lab steps wait for people on shift in that mode.
inline bool staffed_lab(unsigned mask) { return (mask & bit(STAFFED_LAB)) == 0; }

/// The ingredients in which the scenario's two modes differ for at least one
/// campaign (staffed_lab always). An ingredient outside this set is the same
/// in every mode, so a mode depends only on `mask & differing_ingredients(sc)`.
unsigned differing_ingredients(const Scenario& sc);

/// For each campaign whose `ingredients` differ, what changes, e.g.
/// "oer-catalysts: random batch 24 screen 48 -> gp-ard batch 8 screen 16".
std::vector<std::string> ingredient_changes(const Scenario& sc, unsigned ingredients);

}  // namespace twin
