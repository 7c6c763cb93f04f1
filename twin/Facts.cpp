#include "twin/Facts.hpp"

#include <cstdio>

namespace twin {

namespace {
std::string g(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}
std::string staffed_text(const StaffedHours& s) {
  if (s.always) return "24/7";
  static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::string days;
  for (int i = 0; i < 7; ++i)
    if (s.weekdays[static_cast<std::size_t>(i)]) {
      if (!days.empty()) days += ',';
      days += names[i];
    }
  char buf[64];
  std::snprintf(buf, sizeof buf, " %02d:%02d-%02d:%02d", s.start_min / 60, s.start_min % 60, s.end_min / 60, s.end_min % 60);
  return days + buf;
}
std::string policy_text(const ModeAgentSpec& m) {
  std::string s = m.policy + ", batch " + std::to_string(m.batch);
  if (m.screen > 0) s += ", screens " + std::to_string(m.screen) + " by simulation";
  if (m.cadence_s > 0) s += ", decides every " + g(m.cadence_s / 86400.0, 3) + " d";
  if (m.decision_s.mean() > 0) s += ", analysis " + g(m.decision_s.mean() / 3600.0, 3) + " h mean";
  if (m.handoff_s.mean() > 0) s += ", hand-offs " + g(m.handoff_s.mean() / 3600.0, 3) + " h mean";
  if (m.staffed_decisions) s += ", staffed hours only";
  return s;
}
std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}
}  // namespace

core::ScenarioFacts scenario_facts(const Scenario& sc) {
  core::ScenarioFacts f;
  f.name = sc.name;
  f.file = sc.file;
  f.start_date = sc.start_date;
  f.seed = sc.seed;
  f.horizon_s = sc.horizon_s;
  f.replications = sc.replications;
  f.modes = sc.modes;
  for (const auto& c : sc.campaigns) {
    core::CampaignFacts cf;
    cf.name = c.name;
    cf.kernel = c.kernel_label;
    if (c.target.top_percent) cf.target = "top " + g(*c.target.top_percent) + " % of the pool";
    else if (c.target.threshold) cf.target = "value past " + g(*c.target.threshold);
    cf.target += c.on_discovery == "next_problem" ? ", then the next problem" : ", every distinct candidate";
    // The preference lists, in order ("polybot, backup-lab"): every facility a campaign may use counts as used.
    cf.hpc = join(c.hpc_list.empty() ? std::vector<std::string>{c.hpc} : c.hpc_list);
    cf.lab = join(c.lab_list.empty() ? std::vector<std::string>{c.lab} : c.lab_list);
    cf.start_s = c.start_s;
    cf.policy["closed_loop"] = policy_text(c.closed_loop);
    cf.policy["baseline"] = policy_text(c.baseline);
    f.campaigns.push_back(cf);
    f.assumptions.emplace_back("campaign " + c.name + ", closed_loop agent", policy_text(c.closed_loop));
    f.assumptions.emplace_back("campaign " + c.name + ", baseline agent", policy_text(c.baseline));
  }
  for (const auto& l : sc.labs) {
    f.assumptions.emplace_back("lab " + l.name + " staffed hours (baseline steps, repairs)", staffed_text(l.staffed));
    f.assumptions.emplace_back("lab " + l.name + " in closed_loop", "robot steps 24/7; manual steps in staffed hours");
  }
  f.assumptions.emplace_back("HPC scheduling", "campaign jobs in each system's batch queue, priority 0");
  return f;
}

}  // namespace twin
