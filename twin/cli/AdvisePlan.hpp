#pragma once
// What a planner can buy, as variants of a scenario (`twin advise`): for
// every lab a campaign uses, one more unit of each station kind, one more
// robot, one more technician on shift and one more lab like it (at the same
// site, running a copy of each of its campaigns); for every HPC system a
// campaign uses, 10 % more nodes (the same background work on them: a
// synthetic load scaled down by the old over the new node count); for every
// link, twice the bandwidth (its upgrades too). Each variant is the base
// scenario's JSON with that one change, run in closed_loop mode only.
//
// Options whose change cannot alter a discovery are listed but not run:
// facilities no campaign may use, and, when no link can go down (routes are
// then fixed), links on no route between the sites of any campaign. Their
// difference is exactly zero.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/Scenario.hpp"

namespace twin::cli {

struct AdviceOption {
  std::string resource;  ///< "polybot.dispense station", "polybot robots", "aurora nodes", "link SEAT-SACR", "lab polybot"
  std::string kind;      ///< station, robot, technician, hpc_nodes, link_bandwidth, lab
  std::string change;    ///< in words: "1 -> 2 stations"
  nlohmann::json scenario;  ///< the variant (simulated options only)
  bool simulate = true;
  std::string note;         ///< why it is not simulated
  std::optional<double> cost_usd;  ///< what it costs in its first year, when the scenario prices it
  std::string cost_text;           ///< how cost_usd was made up
};

/// The options, in a fixed order (labs, then HPC systems, then links, each
/// in scenario order). `base` is the scenario's JSON, `sc` its parsed form.
std::vector<AdviceOption> advice_options(const nlohmann::json& base, const Scenario& sc);

/// `base` as advise runs it: closed_loop mode only, and the horizon (days,
/// when > 0) and replications (when > 0) given.
nlohmann::json advise_base(nlohmann::json base, double horizon_days, int replications);

}  // namespace twin::cli
