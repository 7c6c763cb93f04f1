#include "twin/AttributionPlan.hpp"

#include <stdexcept>

#include "twin/OperatingMode.hpp"

namespace twin {

namespace {

struct PartDef {
  const char* name;
  unsigned ingredients;
  const char* what;
};

const PartDef LADDER[] = {
    {"AI choice", bit(AGENT), "the closed loop's agent (policy, batch, screen) in place of the baseline's"},
    {"foundation model", bit(MODEL), "the closed loop's foundation model ranking the candidates before the simulations"},
    {"continuous decisions", bit(CADENCE) | bit(STAFFED_DECISIONS),
     "decisions whenever results are in, at any hour, with no meeting cadence and no human analysis time"},
    {"automated hand-offs", bit(HANDOFFS), "results handed on at once, no manual hand-off after screening and after the lab"},
    {"labs 24/7", bit(STAFFED_LAB), "robot lab steps at any hour instead of only with a technician on shift"},
};

const PartDef PLAYERS[] = {
    {"AI choice", bit(AGENT), "the closed loop's agent (policy, batch, screen) in place of the baseline's"},
    {"foundation model", bit(MODEL), "the closed loop's foundation model ranking the candidates before the simulations"},
    {"no meetings", bit(CADENCE), "decisions whenever results are in, no meeting cadence and no human analysis time"},
    {"decisions at any hour", bit(STAFFED_DECISIONS), "decisions and submissions at any hour, not only in staffed hours"},
    {"automated hand-offs", bit(HANDOFFS), "results handed on at once, no manual hand-off after screening and after the lab"},
    {"labs 24/7", bit(STAFFED_LAB), "robot lab steps at any hour instead of only with a technician on shift"},
};

std::string describe(const Scenario& sc, const PartDef& p, unsigned full) {
  std::string d = p.what;
  if ((p.ingredients & full) == 0) return d + "; the same in both modes of this scenario, so x1 exactly";
  const auto changes = ingredient_changes(sc, p.ingredients);
  if (!changes.empty()) {
    d += " (";
    for (std::size_t i = 0; i < changes.size(); ++i) d += (i ? "; " : "") + changes[i];
    d += ")";
  }
  return d;
}

}  // namespace

core::AttributionRun attribution_plan(const Scenario& sc, const std::string& method) {
  core::AttributionRun plan;
  if (method == "off") return plan;
  if (method != "ladder" && method != "shapley")
    throw std::invalid_argument("attribution method '" + method + "': expected ladder, shapley or off");
  plan.method = method;
  plan.full = differing_ingredients(sc);
  for (int i = 0; i < N_INGREDIENTS; ++i)
    if (!(plan.full & bit(static_cast<Ingredient>(i))) && i != MODEL) plan.same_in_both.push_back(INGREDIENTS[i].name);
  unsigned reached = 0;
  if (method == "ladder") {
    for (const auto& p : LADDER) {
      if (p.ingredients == bit(MODEL) && !(plan.full & bit(MODEL))) continue;  // a step only where a campaign uses a model
      reached |= p.ingredients & plan.full;
      plan.parts.push_back({p.name, describe(sc, p, plan.full), reached == plan.full ? "closed_loop" : mode_name(reached), reached});
    }
  } else {
    for (const auto& p : PLAYERS)
      if (p.ingredients != bit(MODEL) || (plan.full & bit(MODEL))) plan.parts.push_back({p.name, describe(sc, p, plan.full), "", p.ingredients & plan.full});
  }
  return plan;
}

std::set<unsigned> attribution_modes(const core::AttributionRun& plan) {
  std::set<unsigned> out;
  if (plan.method == "ladder") {
    for (const auto& p : plan.parts) out.insert(p.mask & plan.full);
  } else if (plan.method == "shapley") {
    // Every subset of the ingredients in play.
    for (unsigned s = plan.full;; s = (s - 1) & plan.full) {
      out.insert(s);
      if (s == 0) break;
    }
  }
  out.erase(0);
  out.erase(plan.full);
  return out;
}

}  // namespace twin
