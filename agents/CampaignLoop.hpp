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
#include <utility>
#include <vector>

#include "agents/AgentSettings.hpp"
#include "agents/Policy.hpp"
#include "models/Kernel.hpp"
#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"

namespace twin::agents {

/// A campaign as one mode sees it (plain data, SI units). The agent's
/// settings are the ones it starts with; `adoption` replaces them from a day on.
struct CampaignConfig : AgentSettings {
  std::string name;
  int index = 0;                      ///< position in the scenario (keys nature's noise)
  models::KernelSpec kernel;
  std::optional<double> top_percent;  ///< pool target: a candidate among the best p %
  std::optional<double> threshold;    ///< or a value at least/at most this (by the goal)
  bool next_problem = false;          ///< on a discovery, start the next problem of the stream
  int budget_experiments = 0;         ///< 0: unlimited
  int initial_experiments = 2;        ///< random picks before the policy takes over
  core::Shift people;                 ///< when the campaign's people are at work
  bool staffed_lab = false;           ///< lab steps wait for people on shift
  /// Adoption (`closed_loop_from_day`): from `first` on, the agent works with
  /// these settings (the first cycle that starts then, or the planning
  /// meeting it was waiting for); none: the same settings throughout.
  std::optional<std::pair<double, AgentSettings>> adoption;
  /// Per lab of `lab_names`: before this time its steps wait for people on
  /// shift whatever `staffed_lab` says (the lab's `autonomous_from_day`).
  std::vector<double> lab_autonomous_from_s;
  double end_s = core::NEVER;         ///< no cycle starts from then on (`end_day`)
  double data_growth_per_year = 0;    ///< transfer sizes grow by this fraction per year of simulated time
  int job_nodes = 1;
  int job_priority = 0;
  double job_padding = 2.0;
  double sim_output_bytes = 0, lab_output_bytes = 0, recipe_bytes = 0;
  /// The HPC systems and labs the campaign may use, in order of preference
  /// (parallel to CampaignServices::compute and ::labs): names and sites.
  std::vector<std::string> hpc_names, hpc_sites, lab_names, lab_sites;
  std::string home_site, store_site;  ///< store_site "" = none
  double start_s = 0;
  /// Access rules: the label of the campaign's data, jobs and samples, and
  /// per option of hpc_names / lab_names whether it is cleared for it (the
  /// facility's clearance, and a route home cleared for the label). The loop
  /// places nothing on an option that is not; empty: all are.
  core::Label label = core::Label::PUBLIC;
  std::vector<bool> hpc_cleared, lab_cleared;
  bool store_cleared = true;  ///< else no copy goes to the store (counted as a refused transfer)
  std::string not_cleared;    ///< why the options are not cleared, in words (for a stop)
  /// Bursting (`burst`): a screening job the HPC system's queue would hold
  /// longer than `when_queue_wait_s` runs on CampaignServices::cloud.
  struct Burst {
    double when_queue_wait_s = 0;
    int max_instances = 1;
    bool cleared = true;            ///< the cloud (and the route home) may hold the label
    std::string name;               ///< the cloud
    std::string site;               ///< the cloud's network location
    double provisioning_mean_s = 0; ///< what a burst would have cost (for a refusal's time)
  };
  std::optional<Burst> burst;
  /// Data: the datasets staged to the HPC system before each screening,
  /// and the dataset lab results are appended to ("" = none).
  std::vector<std::string> datasets;
  std::string results_dataset;
};

struct CampaignServices {
  core::Runtime* runtime = nullptr;
  std::vector<core::ComputeService*> compute;  ///< in order of preference
  core::TransferService* network = nullptr;
  std::vector<core::ExperimentService*> labs;  ///< in order of preference
  core::ComputeService* cloud = nullptr;       ///< where the campaign bursts (CampaignConfig::burst)
  core::DataService* data = nullptr;           ///< datasets (CampaignConfig::datasets, ::results_dataset)
  core::ModelService* models = nullptr;        ///< foundation models (AgentSettings::surrogate_model)
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
  /// One decision cycle as it goes through the phases.
  struct Cycle {
    core::CycleTimes times;
    int n_lab = 0;                             ///< samples the lab gets this cycle
    std::vector<models::Candidate> proposals;  ///< what the policy proposed
    std::vector<models::Candidate> chosen;     ///< what goes to the lab
    std::vector<core::ExperimentResult> results;
    core::ModelVersion model;                  ///< the surrogate's version used this cycle (0: none)
    double decided_s = 0;                      ///< when the decision was made
    std::string policy;                        ///< what decided
    /// Lineage (only when recorded): per chosen candidate, the system and
    /// job that simulated it; the inference job; what the cycle moved.
    std::vector<std::pair<std::string, std::int64_t>> chosen_jobs;
    std::string inference_system;
    std::int64_t inference_job = -1;
    std::vector<core::TransferRef> transfers;
    std::vector<core::LineageStep> steps;      ///< its stages (only when its lineage is kept)
  };
  /// What a phase tells the loop: go on to the next phase, start the next
  /// cycle (this one counted), or end the campaign.
  enum class Next { PHASE, CYCLE, END };
  /// One consecutive part of a phase's time on the critical item.
  struct Part {
    const char* stage;
    const char* what;
    double* bucket;
    double want_s;  ///< the critical item's time in this part (clipped to the phase)
  };

  void start_problem();
  /// Switches to the adoption's settings; a new policy learns from the same observations.
  void adopt();
  /// `bytes` of a transfer now, grown by data_growth_per_year since time 0.
  double grown(double bytes) const;
  Next meet(Cycle& cy);
  /// Picks the first HPC system (if `need_hpc`) and the first lab (if
  /// `need_lab`) that are up, with a route to the lab up; while there is none, sleeps
  /// until the next time there may be one. Ends the campaign when nothing
  /// it needs will ever be up again (stopped_s, stop_reason) or at the horizon.
  Next choose(bool need_hpc, bool need_lab);
  bool hpc_cleared(std::size_t i) const { return i >= cfg_.hpc_cleared.size() || cfg_.hpc_cleared[i]; }
  bool lab_cleared(std::size_t i) const { return i >= cfg_.lab_cleared.size() || cfg_.lab_cleared[i]; }
  /// A transfer under the campaign's label, its refusals and detours
  /// counted; kept in the cycle's lineage as `what`.
  void move(Cycle& cy, const char* what, const std::string& from, const std::string& to, double bytes);
  /// Stages the campaign's datasets to this cycle's HPC system (all at once).
  void stage_data(Cycle& cy);
  /// Ranks the proposals by the model's predictions (one inference job);
  /// leaves the best `surrogate_simulate` in `to_simulate`, or with 0 the
  /// lab's batch in cy.chosen. END at the horizon.
  Next rank_by_model(Cycle& cy, std::vector<models::Candidate>& to_simulate);
  /// The sd of the problem's truth over its design space (the model error's unit).
  double truth_scale();
  bool lineage() const { return svc_.recorder && svc_.recorder->lineage(); }
  /// Whether this cycle's lineage is kept: when recorded, and always until
  /// the first discoveries' lineage is in the result (for the report).
  bool tracking() const {
    return lineage() || result_.discovery_lineage.size() < static_cast<std::size_t>(core::DISCOVERY_LINEAGE);
  }
  Next decide(Cycle& cy, Policy& random_policy);
  Next screen(Cycle& cy);
  Next run_lab(Cycle& cy);
  void learn(Cycle& cy);
  void end_cycle(Cycle& cy);
  void wait_for_people(double& people_s);
  /// A timed stage: runs `body`, adds its simulated time to `bucket` and
  /// records the stage.
  template <class F>
  void timed(const char* stage, const std::string& what, double& bucket, F&& body);
  /// A manual hand-off (drawn from handoff_s), then, if `staffed`, the wait for people on shift.
  void handoff(Cycle& cy, bool staffed);
  /// Splits [t0, now) of a phase along its critical item: each wait in turn
  /// takes at most its own time, `run` the rest.
  void attribute(double t0, std::initializer_list<Part> waits, const char* run_stage, const char* run_what,
                 double* run_bucket);
  std::uint64_t lab_measurements(const models::Candidate& c) const;
  bool is_discovery(const models::Candidate& c, double measured) const;
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
  std::vector<Observation> lab_observations_;  ///< what the policy learns from
  std::int64_t lab_values_ = 0;                ///< lab observations with a value
  /// Lab measurements so far per candidate (keys the k of nature's noise).
  std::map<std::pair<std::int64_t, std::vector<double>>, std::uint64_t> measured_;
  std::vector<models::Candidate> tried_;
  std::set<std::int64_t> top_rows_;
  std::set<std::uint64_t> discovered_;  ///< keys of distinct confirmed discoveries in this problem
  int problem_ = -1;
  std::size_t hpc_ = 0, lab_ = 0;  ///< this cycle's HPC system and lab (indices into the preference lists)
  int cloud_instances_ = 0;        ///< instances the campaign holds in its burst cloud now
  Cycle* cycle_ = nullptr;         ///< the cycle under way (its stages go to its lineage)
  double truth_scale_ = -1;        ///< truth_scale() of the current problem; < 0: not yet computed
  bool idle_ = false;
  core::CampaignSim result_;
  double best_ = 0;
  bool has_best_ = false;
};

}  // namespace twin::agents
