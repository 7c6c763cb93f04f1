#pragma once
// One campaign's closed loop, in either mode: decide (policy), screen the
// candidates with HPC simulations, send the most promising to the lab,
// learn from the results, repeat until the horizon or the budget ends.
// It reaches HPC, network and lab only through twin::core's service
// interfaces, so it runs unchanged on any implementation of them.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "agents/Policy.hpp"
#include "models/Kernel.hpp"
#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"

namespace twin::agents {

/// A campaign as one mode sees it (plain data, SI units).
struct CampaignConfig {
  std::string name;
  int index = 0;                      ///< position in the scenario (keys nature's noise)
  models::KernelSpec kernel;
  std::optional<double> top_percent;  ///< pool target: a candidate among the best p %
  std::optional<double> threshold;    ///< or a value at least/at most this (by the goal)
  bool next_problem = false;          ///< on a discovery, start the next problem of the stream
  int budget_experiments = 0;         ///< 0: unlimited
  std::string policy = "random";
  std::map<std::string, std::string> policy_params;
  int batch = 1;
  int screen = 0;                     ///< simulations per decision; 0: no screening
  int initial_experiments = 2;        ///< random picks before the policy takes over
  double cadence_s = 0;
  core::Distribution decision_s;
  bool staffed_decisions = false;
  core::Distribution handoff_s;
  core::Shift people;                 ///< when the campaign's people are at work
  bool staffed_lab = false;           ///< lab steps wait for people on shift
  int job_nodes = 1;
  int job_priority = 0;
  double job_padding = 2.0;
  double sim_output_bytes = 0, lab_output_bytes = 0, recipe_bytes = 0;
  std::string hpc_site, lab_site, home_site, store_site;  ///< store_site "" = none
  double start_s = 0;
};

struct CampaignServices {
  core::Runtime* runtime = nullptr;
  core::ComputeService* compute = nullptr;
  core::TransferService* network = nullptr;
  core::ExperimentService* lab = nullptr;
  core::Recorder* recorder = nullptr;  ///< per-item records and trace slices; null: none
};

class CampaignLoop {
 public:
  /// `seed` is the replication's seed; both modes get the same one.
  CampaignLoop(CampaignConfig config, CampaignServices services, std::uint64_t seed);
  /// The campaign's actor body: returns at the horizon or when it has no more to do.
  void run();
  const core::CampaignSim& result() const { return result_; }
  /// In-flight counts (for conservation checks): decisions started, not finished.
  bool idle() const { return idle_; }

 private:
  void start_problem();
  void wait_for_people(double& people_s);
  bool is_discovery(const models::Candidate& c, double measured) const;
  void record_lab(const models::Candidate& c, const core::ExperimentResult& r, double t);
  double better(double a, double b) const;
  /// One stage of the current cycle from t0 to t1: kept for the Gantt chart
  /// in the first cycles, and a trace slice on this campaign's track.
  void stage(const char* stage, const std::string& what, double t0, double t1);

  CampaignConfig cfg_;
  CampaignServices svc_;
  std::uint64_t seed_;
  core::Rng rng_;        ///< the agent's own stream (policy draws, decision times)
  std::unique_ptr<models::Kernel> kernel_;
  std::unique_ptr<Policy> policy_;
  std::vector<Observation> observations_;
  std::vector<models::Candidate> tried_;
  std::set<std::int64_t> top_rows_;
  std::set<std::uint64_t> discovered_;  ///< keys of distinct confirmed discoveries in this problem
  std::uint64_t measurement_count_ = 0;
  int problem_ = -1;
  bool idle_ = false;
  core::CampaignSim result_;
  double best_ = 0;
  bool has_best_ = false;
};

}  // namespace twin::agents
