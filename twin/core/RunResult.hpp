#pragma once
// Plain result data. A SimResult is what one simulation (one mode x one
// replication, one process) measured; a RunResult holds every SimResult of a
// run in a fixed order (replication, then mode), so reports never depend on
// how many processes ran them. Times in seconds, energy in joules.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "twin/core/Recorder.hpp"

namespace twin::core {

/// Flow accounting of one kind of item: created = finished + failed +
/// discarded + in_flight at the end of a simulation; holds counts the items
/// that waited for a facility to come online.
struct Conservation {
  std::int64_t created = 0, finished = 0, failed = 0, discarded = 0, in_flight = 0, holds = 0;
  bool balanced() const { return created == finished + failed + discarded + in_flight; }
  Conservation& operator+=(const Conservation& o);
};

/// Where a decision cycle's time went (sums over cycles, seconds).
struct CycleTimes {
  double agent_s = 0;      ///< the agent's thinking (simulated compute) and analysis
  double people_s = 0;     ///< waiting for people: meetings, shifts, manual hand-offs
  double hpc_queue_s = 0;
  double hpc_run_s = 0;
  double transfer_s = 0;
  double lab_queue_s = 0;
  double lab_run_s = 0;
  double total() const;
  CycleTimes& operator+=(const CycleTimes& o);
};

/// The stages of CycleTimes in their order: agent, people, hpc_queue,
/// hpc_run, transfer, lab_queue, lab_run.
inline constexpr std::array<double CycleTimes::*, 7> CYCLE_STAGES = {
    &CycleTimes::agent_s,     &CycleTimes::people_s,    &CycleTimes::hpc_queue_s, &CycleTimes::hpc_run_s,
    &CycleTimes::transfer_s, &CycleTimes::lab_queue_s, &CycleTimes::lab_run_s};

/// One stage of one of a campaign's first decision cycles (for the Gantt chart).
struct CycleStage {
  std::int64_t cycle = 0;
  std::string stage;  ///< a CycleTimes stage: agent, people, hpc_queue, hpc_run, transfer, lab_queue, lab_run
  double start_s = 0, end_s = 0;
};
constexpr int GANTT_CYCLES = 6;  ///< cycles kept per campaign and simulation
constexpr int DISCOVERY_LINEAGE = 3;  ///< first discoveries whose lineage a campaign keeps per simulation

/// What the access rules refused a campaign, each counted where it happened,
/// and the time it cost (seconds).
struct AccessSim {
  std::int64_t placement_refusals = 0;  ///< choices that skipped an HPC system or lab not cleared for the label
  double placement_wait_s = 0;          ///< waits while only facilities not cleared were up, and the run lost to a stop
  std::int64_t transfer_refusals = 0;   ///< transfers with no route cleared for the label (nothing moved)
  std::int64_t reroutes = 0;            ///< transfers that went around a link not cleared for the label
  double reroute_s = 0;                 ///< the detours' nominal extra time
  std::int64_t burst_refusals = 0;      ///< jobs that would have burst to a cloud not cleared for the label
  double burst_refusal_s = 0;           ///< their queue waits beyond the cloud's mean provisioning time
  bool stopped = false;                 ///< the campaign stopped for want of a cleared HPC system or lab
  AccessSim& operator+=(const AccessSim& o);
};

/// A campaign's screening jobs sent to a cloud (`burst`).
struct BurstSim {
  std::int64_t jobs = 0;
  double usd = 0, gpu_hours = 0;
  double queue_saved_s = 0;     ///< sum of (estimated queue wait - wait for instances and provisioning)
  double provisioning_s = 0;    ///< waits for instances and provisioning
  double energy_j = 0;
};

/// A campaign's use of data and models (twin/sim/DataService, ModelTrainer).
struct DataUseSim {
  std::int64_t stagings = 0;      ///< datasets it asked for before a screening (each dataset each time)
  std::int64_t hits = 0;          ///< of which found whole in the cache (or stored at the system's site)
  double staged_bytes = 0;        ///< bytes moved for it
  double staging_s = 0;           ///< its cycles' time staging (the longest dataset each time; part of transfer_s)
  std::int64_t inference_jobs = 0;  ///< model inference jobs it ran
  std::int64_t ranked = 0;        ///< candidates a model ranked for it
  double inference_node_hours = 0;
  std::int64_t model_cycles = 0;  ///< cycles that screened with a model
};

struct CampaignSim {
  std::string name;
  std::int64_t discoveries = 0;
  std::int64_t experiments = 0;         ///< lab experiments finished (including failed)
  std::int64_t failed_experiments = 0;
  std::int64_t simulations = 0;         ///< HPC jobs finished (including killed)
  std::int64_t failed_simulations = 0;
  std::int64_t problems = 0;            ///< problems of the stream started
  std::int64_t cycles = 0;              ///< decision cycles completed
  std::vector<double> discovery_times_s;
  double first_discovery_s = -1;        ///< -1: none in the horizon
  /// Best lab value so far, each time it improved: (time, experiments so far, value).
  std::vector<double> best_t_s, best_experiments, best_value;
  double node_hours = 0, lab_hours = 0, energy_j = 0;
  CycleTimes cycle;
  std::vector<CycleStage> first_cycles;  ///< stages of the first GANTT_CYCLES cycles
  /// When the campaign stopped for good, before the horizon, because nothing it
  /// may use will ever be up again; -1: it did not stop.
  double stopped_s = -1;
  std::string stop_reason;  ///< why it stopped, e.g. "lab polybot retired on day 10"
  AccessSim access;
  BurstSim burst;
  DataUseSim data;
  std::vector<LineageRecord> discovery_lineage;  ///< the first DISCOVERY_LINEAGE discoveries' lineage
};

/// One dataset over a simulation (twin/sim/DataService).
struct DatasetSim {
  std::string name;
  std::int64_t requests = 0;   ///< stagings asked for (campaigns and trainings)
  std::int64_t hits = 0;       ///< found whole in the cache
  std::int64_t local = 0;      ///< asked for at the site that stores it: nothing to move
  std::int64_t full = 0;       ///< moved whole (not cached, or evicted)
  std::int64_t deltas = 0;     ///< cached copy topped up with the growth since
  std::int64_t refused = 0;    ///< no route cleared for its label
  double bytes = 0;            ///< bytes moved
  double transfer_s = 0;       ///< summed over the transfers
  double hold_s = 0;           ///< of which waiting for an offline link
  double wait_s = 0;           ///< waits for a staging of it already under way to the same cache
  std::int64_t results = 0;    ///< lab results appended to it
  double appended_bytes = 0;
  double final_bytes = 0;      ///< its size at the horizon
  std::map<std::string, double> link_bytes;  ///< bytes moved per link
};

/// One dataset cache (of a site, or of an HPC system with its own).
struct CacheSim {
  std::string name;            ///< "site:<name>" or "hpc:<name>"
  double capacity = 0;
  double peak_bytes = 0;
  double held_bytes = 0;       ///< at the horizon
  std::int64_t evictions = 0;
  std::vector<std::string> held;  ///< datasets held at the horizon, least recently used first
  std::vector<std::string> evicted;  ///< the first EVICTIONS_LISTED evictions, in order
};
constexpr std::size_t EVICTIONS_LISTED = 20;

/// One training of a foundation model (twin/sim/ModelTrainer).
struct TrainingSim {
  int version = 0;
  double requested_s = 0;      ///< when the training was started (staging its data first)
  double staged_s = 0;         ///< when its data were in place and the job submitted
  double submit_s = 0, start_s = 0, end_s = 0;
  bool ok = false;
  std::string failure;
  double node_hours = 0, gpu_hours = 0, energy_j = 0;
  double data_bytes = 0;       ///< training data (its datasets' sizes when staged)
  double error_sd = 0;         ///< the version's error (ok only)
  std::int64_t job_id = -1;
};

struct ModelSim {
  std::string name;
  std::vector<TrainingSim> trainings;  ///< in order, including one still queued or running at the horizon (ok false)
  std::int64_t inference_jobs = 0, ranked = 0;
  double inference_node_hours = 0, inference_energy_j = 0;
};

/// What a facility actually held or carried for one owner (a campaign), as
/// counted by the facility itself: the independent access check compares it
/// with the owner's label after the run.
struct Placement {
  std::string kind;      ///< "hpc", "cloud", "lab", "link"
  std::string facility;  ///< its name
  std::string owner;     ///< campaign
  std::int64_t items = 0;  ///< jobs, samples or transfers
  double bytes = 0;        ///< links: bytes carried
};
/// One Placement per owner of `items` (owner -> count), for facility `facility` of kind `kind`.
std::vector<Placement> owner_placements(const std::string& kind, const std::string& facility,
                                        const std::map<std::string, std::int64_t>& items);

/// What a facility (or a pool inside one) did over the horizon.
struct ResourceSim {
  std::string name;
  std::string kind;      ///< "hpc", "lab", "station", "robot", "technicians", "link"
  std::string parent;    ///< for a station or robot pool: its lab
  double capacity = 0;   ///< nodes, slots, robots; bytes/s for a link
  double busy_integral = 0;   ///< capacity-seconds used (bytes for a link)
  double queue_integral = 0;  ///< queue length x seconds
  double queue_max = 0;
  std::int64_t waits = 0;     ///< items that went through the queue
  double wait_sum_s = 0, wait_max_s = 0;
  double energy_j = 0;
  double online_s = 0;        ///< seconds the facility was online within the horizon
  std::vector<double> daily_utilisation;  ///< mean utilisation per day
  std::vector<double> daily_queue;        ///< mean queue length per day (empty: not tracked)
};

/// An HPC system's result: its usage plus what happened to its nodes and jobs.
struct HpcSim : ResourceSim {
  std::int64_t node_failures = 0, failure_kills = 0, requeued = 0;  ///< failures, jobs they killed, campaign jobs requeued
  std::int64_t background_jobs = 0;  ///< background jobs submitted (the facility's own workload)
  double background_stated_load = 0;     ///< the synthetic load asked for; 0: none stated (a trace, or none)
  double background_offered_node_s = 0;  ///< background node-seconds submitted within the horizon (each job's nodes x run time)
  double background_busy_node_s = 0;     ///< background node-seconds run within the horizon
};

/// Counts of a lab's run (failures by cause, sample-time sums over ended samples).
struct LabCounters {
  std::int64_t step_runs = 0;          ///< steps started (sample-steps)
  std::int64_t step_failures = 0;      ///< failed syntheses/steps (each attempt)
  std::int64_t retries = 0;
  std::int64_t failed_after_retries = 0;
  std::int64_t breakdowns = 0;
  std::int64_t interrupted_steps = 0;  ///< steps aborted by a breakdown and redone
  std::int64_t robot_moves = 0;
  std::int64_t robot_jams = 0;
  std::int64_t restocks = 0;
  std::int64_t maintenance_windows = 0;
  std::int64_t setups = 0;
  std::int64_t batches = 0;
  std::int64_t discarded_offline = 0;
  double turnaround_sum_s = 0;  ///< ended samples (measured or failed)
  double queue_sum_s = 0, people_sum_s = 0, hold_sum_s = 0, run_sum_s = 0, move_sum_s = 0;
  double downtime_s = 0;        ///< station-seconds down for repair
};

/// A robotic lab's result: the lab as a whole (the ResourceSim part, summed over
/// its stations), each of its pools, its samples' flow and its counters.
struct LabSim : ResourceSim {
  std::vector<ResourceSim> pools;  ///< station kinds ("station", named lab.kind), then "robot", "technicians"
  Conservation samples;            ///< in_flight: samples still in the lab at the horizon
  LabCounters counters;
};

/// What a cloud did over the run (twin/sim/CloudService).
struct CloudSim {
  std::string name;
  int quota_instances = 0;
  Conservation jobs;
  double instance_hours = 0, gpu_hours = 0, usd = 0, energy_j = 0;
  double quota_wait_s = 0;    ///< summed over jobs: waiting for the quota to have room
  double provisioning_s = 0;  ///< summed over jobs
};

struct SimResult {
  std::string mode;
  int replication = 0;
  std::uint64_t seed = 0;
  double horizon_s = 0;
  std::vector<CampaignSim> campaigns;  ///< scenario order
  std::vector<HpcSim> hpc;             ///< scenario order
  std::vector<LabSim> labs;            ///< scenario order
  std::vector<ResourceSim> links;      ///< scenario order
  std::vector<CloudSim> clouds;        ///< scenario order
  std::vector<DatasetSim> datasets;    ///< stores' order, then each store's datasets
  std::vector<CacheSim> caches;        ///< those that exist, in the order HPC systems name them
  std::vector<ModelSim> models;        ///< scenario order
  Conservation jobs, samples, transfers;
  std::int64_t actors_started = 0;
  std::vector<Placement> placements;  ///< by (kind, facility, owner)
  SimLog log;  ///< per-item records; empty unless the run asked for them
  /// Every facility and pool, in a fixed order: HPC systems, each lab then its
  /// pools, links (for per-resource outputs such as utilisation.csv).
  std::vector<const ResourceSim*> facilities() const;
};

/// What a report needs to know of the scenario (plain data).
struct CampaignFacts {
  std::string name, kernel, target, hpc, lab;
  double start_s = 0;  ///< when the campaign starts
  std::map<std::string, std::string> policy;  ///< by mode: "gp-ard, batch 4, screen 8, cadence 7 d"
  double node_hour_usd = -1;  ///< price of a node-hour on its (first) HPC system; < 0: none
  double lab_hour_usd = -1;   ///< price of a lab-hour in its (first) lab; < 0: none
  double closed_loop_from_s = 0;  ///< adoption: in closed_loop, the baseline's agent until then
  std::string classification = "public";  ///< the label of its data, jobs and samples
  std::string burst_to{};                 ///< the cloud it bursts to; empty: none
};
/// A facility's clearance (what the independent access check compares labels with).
struct FacilityClearance {
  std::string kind;  ///< as core::Placement::kind: "hpc", "cloud", "lab", "link", and "store", "site"
  std::string name;
  std::string clearance;
};
/// What the platform holds from day `from_day` on, until the next step: the
/// totals of `twin inventory --day D` (planned windows only; random outages
/// are drawn per simulation and are not in it).
struct CapacityStep {
  int from_day = 0;
  double hpc_systems = 0, nodes = 0, gpus = 0;
  double speed_flops = 0;  ///< nodes x node_speed: the stated Rmax or peak
  double labs = 0, stations = 0, robots = 0;
  double links = 0;
  double link_bps = 0;  ///< bandwidth in force, bytes/s, summed over the links up (one direction each)
};
/// A dataset as the report names it.
struct DatasetFacts {
  std::string name, store, site, classification;
  double size_bytes = 0, growth_bytes_per_year = 0;
  std::vector<std::string> used_by;  ///< campaigns that stage it, campaigns that append to it ("<c> (results)"), models
};
/// A foundation model as the report names it.
struct ModelFacts {
  std::string name, domain, system, classification;
  std::vector<std::string> datasets;
  double gpu_hours = 0;         ///< one training (0: stated in flops)
  double flops = 0;
  int nodes = 0;
  std::string retrain;          ///< in words: "every 14 days", "after 200 results", "once"
  double error_sd = 0, alpha = 0;
  std::vector<std::string> used_by;  ///< "campaign (mode)"
};
struct ScenarioFacts {
  std::string name, file, start_date;
  std::uint64_t seed = 0;
  double horizon_s = 0;
  int replications = 0;
  std::vector<std::string> modes;
  std::string discovery_definition;  ///< what one discovery is, in plain words
  std::vector<CampaignFacts> campaigns;
  /// Dollars a year of the technicians of the labs campaigns use, where
  /// priced (technician_year_usd); < 0: no lab prices its technicians.
  double people_usd_per_year = -1;
  std::vector<CapacityStep> capacity;  ///< from day 0, in day order, each step differing from the one before
  std::vector<std::pair<std::string, std::string>> assumptions;  ///< (what, value), for readers to argue with
  std::vector<FacilityClearance> clearances;  ///< every site, HPC system, cloud, lab, data store and link
  std::vector<std::string> clouds;            ///< the clouds' names, scenario order (SimResult::clouds)
  /// Owners that are not campaigns and their labels: "dataset:<name>" (its
  /// stagings) and "model:<name>" (its trainings), for the access check.
  std::vector<std::pair<std::string, std::string>> owner_labels;
  std::vector<DatasetFacts> datasets;  ///< stores' order (SimResult::datasets)
  std::vector<ModelFacts> models;      ///< scenario order (SimResult::models)
  /// Whether the scenario states any price a cost in dollars counts (a
  /// campaign's node-hour or lab-hour, technicians, a cloud it bursts to).
  bool priced() const {
    bool any = people_usd_per_year >= 0;
    for (const auto& c : campaigns) any = any || c.node_hour_usd >= 0 || c.lab_hour_usd >= 0 || !c.burst_to.empty();
    return any;
  }
};

/// The attribution of the multiplier to the ingredients in which the modes
/// differ (twin/OperatingMode.hpp): the modes in between baseline and
/// closed_loop, each a bit mask of the ingredients it takes from the closed
/// loop (0 = baseline, `full` = closed_loop), run with the same seeds.
struct AttributionPart {
  std::string name;         ///< "agent", "continuous decisions", ...
  std::string description;  ///< what changes, in words
  std::string mode;         ///< ladder: the mode reached ("baseline+agent"); shapley: empty
  unsigned mask = 0;        ///< ladder: the mode this step reaches; shapley: the player's ingredients
};
struct AttributionRun {
  std::string method;                  ///< "ladder", "shapley"; empty: not run
  std::vector<AttributionPart> parts;  ///< ladder steps in order, or Shapley players
  unsigned full = 0;                   ///< the ingredients in play (the closed loop's mask)
  std::vector<std::string> same_in_both;  ///< ingredients the two modes share (no mode needed for them)
  /// Discoveries (summed over campaigns) per replication, by mode mask,
  /// including 0 (baseline) and `full` (closed_loop).
  std::map<unsigned, std::vector<double>> discoveries;
  int simulations = 0;  ///< the intermediate modes' simulations run for it
};

/// The closed loop run again with one thing changed (paired: the same
/// seeds), to say what that thing does; empty when not run.
struct PairedRun {
  std::vector<std::vector<double>> discoveries;  ///< per replication, per campaign (scenario order)
  std::vector<std::vector<double>> hpc_queue_s;  ///< per replication, per campaign: its cycles' HPC queue time
  std::vector<std::vector<double>> cycle_s;      ///< per replication, per campaign: its cycles' whole time
  std::vector<std::vector<double>> cycles;       ///< per replication, per campaign: cycles completed
  std::vector<std::vector<double>> experiments;  ///< per replication, per campaign: lab experiments
  std::vector<double> model_gpu_hours;           ///< per replication: GPU-hours of the models' trainings
  int simulations = 0;
};

struct RunResult {
  ScenarioFacts scenario;
  std::vector<SimResult> sims;  ///< replication-major, modes in scenario order
  AttributionRun attribution;
  PairedRun no_burst;  ///< no campaign bursts to a cloud (when some does)
  PairedRun no_rules;  ///< every facility and link cleared for everything (when some campaign is labelled above public)
  PairedRun no_models;  ///< no campaign's closed loop uses a foundation model (when some does)
  PairedRun no_retraining;  ///< every model trained once (when some campaign's closed loop uses one that retrains)
};

}  // namespace twin::core
