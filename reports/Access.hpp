#pragma once
// The access rules and the money of a run as figures (report.json
// `security`, `bursting` and `money`):
//
//   security  what was placed where, by label; every refusal the rules made
//             (placements, transfers, bursts) with its count and the time
//             it cost; and an independent check: every job, sample and byte
//             that each facility counted for a campaign (core::Placement,
//             counted by the facility, not by the rules that chose it)
//             against that facility's clearance. `violations` counts what
//             the check found; it is 0 unless the rules failed.
//   bursting  each cloud's jobs, instance- and GPU-hours, spend, waits; each
//             bursting campaign's jobs, spend and queue time saved; and,
//             from the closed loop run again without bursting (the same
//             seeds), the discoveries bursting bought.
//   money     dollars per mode: HPC node-hours, lab-hours, technicians and
//             cloud spend at the scenario's prices, per replication and per
//             discovery, and per campaign.
// Counts and dollars are means over replications.
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/Figures.hpp"

namespace twin::reports {

/// The closed loop's simulations against a paired run (replication r with r).
struct PairedDiff {
  Opt with_per_year, without_per_year;
  MeanCi total;                       ///< discoveries per year, with less without
  std::vector<MeanCi> per_campaign;   ///< the same, per campaign
  std::vector<MeanCi> queue_h;        ///< per campaign: HPC queue hours of its cycles, without less with
  std::vector<MeanCi> cycle_h;        ///< per campaign: its mean cycle, with less without
  bool ok = false;
};
PairedDiff paired_diff(const core::ScenarioFacts& sc, const std::vector<const core::SimResult*>& cl,
                       const core::PairedRun& p);

Security security(const core::RunResult& run);
Bursting bursting(const core::RunResult& run);
Money money(const core::RunResult& run);

/// The independent check alone: every placement of `sim` above the clearance
/// of its facility (unknown facilities count as cleared for nothing).
std::vector<Violation> check_placements(const core::ScenarioFacts& sc, const core::SimResult& sim);

nlohmann::ordered_json security_json(const Security& s);
nlohmann::ordered_json bursting_json(const Bursting& b);
nlohmann::ordered_json money_json(const Money& m);

}  // namespace twin::reports
