#include "twin/OperatingMode.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace twin {

const IngredientInfo INGREDIENTS[N_INGREDIENTS] = {
    {"agent", "the closed loop's policy, batch and screen", "the baseline's policy, batch and screen"},
    {"cadence", "decides whenever the last results are in, with no human analysis time",
     "decides at planning meetings every cadence_days, each with decision_min of human analysis"},
    {"staffed_decisions", "decides and submits at any hour", "decides and submits only in staffed hours"},
    {"handoffs", "hands results on at once", "a manual hand-off (handoff_min) after screening and after the lab"},
    {"staffed_lab", "robot steps run 24/7 (steps marked manual still wait for people)",
     "every lab step waits for a technician on shift"},
    {"model", "the closed loop's foundation-model surrogate", "the baseline's surrogate (none unless stated)"},
};

std::string mode_name(unsigned mask) {
  mask &= ALL_INGREDIENTS;
  if (mask == ALL_INGREDIENTS) return "closed_loop";
  std::string s = "baseline";
  for (int i = 0; i < N_INGREDIENTS; ++i)
    if (mask & bit(static_cast<Ingredient>(i))) s += std::string("+") + INGREDIENTS[i].name;
  return s;
}

unsigned mode_ingredients(const std::string& name) {
  if (name == "closed_loop") return ALL_INGREDIENTS;
  const std::string base = "baseline";
  if (name.compare(0, base.size(), base) != 0) throw std::invalid_argument("not a mode: '" + name + "'");
  unsigned mask = 0;
  std::size_t at = base.size();
  while (at < name.size()) {
    if (name[at] != '+') throw std::invalid_argument("not a mode: '" + name + "'");
    std::size_t end = name.find('+', at + 1);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(at + 1, end - at - 1);
    int found = -1;
    for (int i = 0; i < N_INGREDIENTS; ++i)
      if (part == INGREDIENTS[i].name) found = i;
    if (found < 0) throw std::invalid_argument("not a mode: '" + name + "' (unknown ingredient '" + part + "')");
    mask |= bit(static_cast<Ingredient>(found));
    at = end;
  }
  return mask;
}

ModeAgentSpec mode_agent(const CampaignSpec& cp, unsigned mask) {
  const ModeAgentSpec& cl = cp.closed_loop;
  const ModeAgentSpec& bl = cp.baseline;
  auto from = [mask](Ingredient i) -> bool { return (mask & bit(i)) != 0; };
  ModeAgentSpec m;
  const ModeAgentSpec& agent = from(AGENT) ? cl : bl;
  m.policy = agent.policy;
  m.policy_params = agent.policy_params;
  m.batch = agent.batch;
  m.screen = agent.screen;
  const ModeAgentSpec& cadence = from(CADENCE) ? cl : bl;
  m.cadence_s = cadence.cadence_s;
  m.decision_s = cadence.decision_s;
  m.staffed_decisions = (from(STAFFED_DECISIONS) ? cl : bl).staffed_decisions;
  m.handoff_s = (from(HANDOFFS) ? cl : bl).handoff_s;
  const ModeAgentSpec& model = from(MODEL) ? cl : bl;
  m.surrogate_model = model.surrogate_model;
  m.surrogate_candidates = model.surrogate_candidates;
  m.surrogate_simulate = model.surrogate_simulate;
  return m;
}

namespace {

bool same(const core::Distribution& a, const core::Distribution& b) {
  return a.kind() == b.kind() && a.a() == b.a() && a.b() == b.b();
}

bool differs(const CampaignSpec& cp, Ingredient i) {
  const ModeAgentSpec& a = cp.closed_loop;
  const ModeAgentSpec& b = cp.baseline;
  switch (i) {
    case AGENT:
      return a.policy != b.policy || a.policy_params != b.policy_params || a.batch != b.batch || a.screen != b.screen;
    case CADENCE: return a.cadence_s != b.cadence_s || !same(a.decision_s, b.decision_s);
    case STAFFED_DECISIONS: return a.staffed_decisions != b.staffed_decisions;
    case HANDOFFS: return !same(a.handoff_s, b.handoff_s);
    case STAFFED_LAB: return true;
    case MODEL:
      return a.surrogate_model != b.surrogate_model || a.surrogate_candidates != b.surrogate_candidates ||
             a.surrogate_simulate != b.surrogate_simulate;
    case N_INGREDIENTS: break;
  }
  return false;
}

std::string g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string side_text(const ModeAgentSpec& m, Ingredient i) {
  switch (i) {
    case AGENT: {
      std::string s = m.policy + " batch " + std::to_string(m.batch);
      s += m.screen > 0 ? " screen " + std::to_string(m.screen) : " no screen";
      return s;
    }
    case CADENCE: {
      std::string s = m.cadence_s > 0 ? "meetings every " + g(m.cadence_s / 86400.0) + " d" : "no meetings";
      if (m.decision_s.mean() > 0) s += " with " + g(m.decision_s.mean() / 3600.0) + " h analysis";
      return s;
    }
    case STAFFED_DECISIONS: return m.staffed_decisions ? "decisions in staffed hours" : "at any hour";
    case HANDOFFS: return m.handoff_s.mean() > 0 ? "hand-offs of " + g(m.handoff_s.mean() / 3600.0) + " h mean" : "no hand-offs";
    case MODEL:
      return m.surrogate_model.empty() ? "no model"
                                       : "model " + m.surrogate_model + " ranks " + std::to_string(m.surrogate_candidates) +
                                             (m.surrogate_simulate > 0 ? ", " + std::to_string(m.surrogate_simulate) + " simulated"
                                                                       : ", none simulated");
    default: return "";
  }
}

}  // namespace

unsigned differing_ingredients(const Scenario& sc) {
  unsigned mask = bit(STAFFED_LAB);
  for (const auto& cp : sc.campaigns)
    for (int i = 0; i < N_INGREDIENTS; ++i)
      if (differs(cp, static_cast<Ingredient>(i))) mask |= bit(static_cast<Ingredient>(i));
  return mask;
}

std::vector<std::string> ingredient_changes(const Scenario& sc, unsigned ingredients) {
  // (change, campaigns), campaigns with the same change grouped, in scenario order.
  std::vector<std::pair<std::string, std::string>> groups;
  for (const auto& cp : sc.campaigns) {
    std::string text;
    for (int k = 0; k < N_INGREDIENTS; ++k) {
      const auto i = static_cast<Ingredient>(k);
      if (i == STAFFED_LAB || !(ingredients & bit(i)) || !differs(cp, i)) continue;
      text += (text.empty() ? "" : ", ") + side_text(cp.baseline, i) + " -> " + side_text(cp.closed_loop, i);
    }
    if (text.empty()) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == text; });
    if (it == groups.end()) groups.emplace_back(text, cp.name);
    else it->second += ", " + cp.name;
  }
  std::vector<std::string> out;
  for (const auto& [text, names] : groups) out.push_back(names + ": " + text);
  return out;
}

}  // namespace twin
