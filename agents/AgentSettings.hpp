#pragma once
// What an agent does in one mode: plain data, SI units. The scenario's
// per-mode agent spec is this type (twin::ModeAgentSpec), so a campaign's
// configuration takes it as it is.
#include <map>
#include <string>

#include "twin/core/Distribution.hpp"

namespace twin::agents {

/// What the agent does in a mode: how it proposes and at what human pace.
struct AgentSettings {
  std::string policy = "random";
  std::map<std::string, std::string> policy_params;  ///< documented by `twin models`
  int batch = 1;                   ///< lab experiments per decision
  int screen = 0;                  ///< simulations per decision (0 = none; >= batch to screen)
  double cadence_s = 0;            ///< decisions only every cadence (0 = whenever ready)
  core::Distribution decision_s;   ///< human analysis time per decision
  bool staffed_decisions = false;  ///< decisions and submissions only in staffed hours
  core::Distribution handoff_s;    ///< manual hand-off at each stage
  /// A foundation model as the screening surrogate (`surrogate`): once a
  /// version of it is trained, the policy proposes `surrogate_candidates`,
  /// one inference job ranks them, and the best `surrogate_simulate` go on
  /// to the per-candidate simulations (0: straight to the lab). Empty: none.
  std::string surrogate_model;
  int surrogate_candidates = 0;
  int surrogate_simulate = 0;
};

}  // namespace twin::agents
