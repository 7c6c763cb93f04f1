#pragma once
// The typed scenario: every quantity in SI units (seconds, bytes, bytes/s,
// flop/s, watts), defaults filled, references checked. The defaults live
// only in the parameter tables; the values below are what a field holds
// before the parser fills it (zero, or "never" for a facility's retirement). Built only by
// parse_scenario() from the parameter tables (twin/ScenarioTables.cpp), which
// also document every key (`twin models`) and generate the JSON Schema
// (`twin schema`, shipped as scenarios/scenario.schema.json).
#include <array>
#include <map>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/AgentSettings.hpp"
#include "hpc/SystemConfig.hpp"
#include "hpc/Workload.hpp"
#include "lab/LabConfig.hpp"
#include "models/Kernel.hpp"
#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"
#include "twin/core/Label.hpp"
#include "twin/core/Uptime.hpp"
#include "twin/core/Mode.hpp"

namespace twin {

struct Availability {
  double online_from_s = 0;                    ///< from `online_from_day`
  double offline_from_s = core::NEVER;         ///< from `offline_from_day` (a retirement)
  std::vector<core::Outage> outages;           ///< from `outages`: windows [from_day, to_day), sorted, disjoint
  double mtbf_s = 0, repair_s = 0;             ///< from `mtbf_h`, `repair_h` (labs, links): random outages; 0: none
  bool online_at(double t) const { return t >= online_from_s && t < offline_from_s; }
  /// The planned uptime (random outages are drawn per simulation, see sim/).
  core::Uptime uptime() const { return core::Uptime{online_from_s, offline_from_s, outages}; }
};

struct StaffedHours {
  bool always = false;  ///< 24/7
  std::array<bool, 7> weekdays{};
  int start_min = 0;
  int end_min = 0;
};

struct SiteSpec {
  std::string name;
  double utc_offset_h = 0;
  double lan_bandwidth_bps = 0;
  double lan_latency_s = 0;
  std::vector<core::Outage> outages;  ///< from `outages`: every facility at the site is down
  core::Label clearance = core::Label::PUBLIC;  ///< the default of the facilities standing there
  double cache_bytes = 0;  ///< `cache_tb`: datasets staged to the site are kept up to this (LRU); 0: none kept
};

/// A link's capacity from a day on (`upgrades`).
struct LinkUpgrade {
  double from_s = 0;
  double bandwidth_bps = 0;
};

struct LinkSpec {
  std::string name;  ///< "<from>-<to>" unless given
  std::string from, to;
  double bandwidth_bps = 0;  ///< bytes per second, until the first upgrade
  double latency_s = 0;
  Availability availability;
  std::vector<LinkUpgrade> upgrades;  ///< in order of from_s
  core::Label clearance = core::Label::PUBLIC;  ///< the highest label of data it may carry
  /// Bytes per second at time t.
  double bandwidth_at(double t) const {
    double b = bandwidth_bps;
    for (const auto& u : upgrades)
      if (u.from_s <= t) b = u.bandwidth_bps;
    return b;
  }
  /// Capacity-seconds (bytes) the link offers in [from, to), per direction.
  double capacity_between(double from, double to) const {
    double total = 0, t = from, b = bandwidth_at(from);
    for (const auto& u : upgrades) {
      if (u.from_s <= t) continue;
      if (u.from_s >= to) break;
      total += b * (u.from_s - t);
      t = u.from_s;
      b = u.bandwidth_bps;
    }
    return total + b * (to - t);
  }
};

struct NetworkSpec {
  std::vector<std::string> routers;  ///< backbone points of presence that are not sites
  std::vector<LinkSpec> links;
};

/// An HPC system: the HPC part's own configuration (parsed straight into
/// it: size, scheduler, background, node failures, power, uptime), and what
/// only the twin needs: where it stands and how its nodes map onto
/// simulated hosts.
struct HpcSpec : hpc::SystemConfig {
  std::string site;
  int node_group = 0;          ///< nodes per simulated host; 0 = chosen so there are <= 64 hosts
  int gpus_per_node = 0;       ///< stated GPUs per node (0: none stated); counted by `twin inventory`, not simulated
  double background_load = 0;  ///< synthetic background: the stated offered load (the arrival rate follows from it)
  double price_per_node_hour_usd = -1;  ///< prices (< 0: none): a node-hour of campaign jobs
  double capital_per_node_usd = -1;     ///< one more node
  core::Label clearance = core::Label::PUBLIC;  ///< `clearance`, default its site's
  double cache_bytes = -1;  ///< `cache_tb`: the system's own dataset cache; < 0: its site's
};

/// A lab: the lab part's own configuration (parsed straight into it), and
/// what only the twin needs: where it is and its people's hours as written
/// (LabConfig::people is the same hours as a shift at the lab's site).
struct LabSpec : lab::LabConfig {
  std::string site;
  StaffedHours staffed;
  double mtbf_s = 0, repair_s = 0;  ///< `mtbf_h`, `repair_h`: random whole-lab outages; 0: none
  double autonomous_from_s = 0;     ///< `autonomous_from_day`: before it, staffed hours in every mode
  double price_per_lab_hour_usd = -1;  ///< prices (< 0: none): a station-hour of campaigns' samples
  double technician_year_usd = -1;     ///< a technician on shift for a year
  double capital_per_robot_usd = -1;   ///< one more robot
  core::Label clearance = core::Label::PUBLIC;  ///< `clearance`, default its site's
};

/// A dataset held in a data store: staged over the network to the HPC
/// systems whose work needs it (twin/sim/DataService).
struct DatasetSpec {
  std::string name;
  std::string store, site;  ///< the store holding it and its site (filled by the parser)
  double size_bytes = 0;    ///< `size_tb` on day 0
  double growth_bytes_per_year = 0;  ///< `growth_tb_per_year`: grows linearly (lab results appended come on top)
  core::Label classification = core::Label::PUBLIC;  ///< default the store's
  int streams = 8;          ///< its store's transfer_streams (filled by the parser)
};

struct StoreSpec {
  std::string name, site;
  core::Label classification = core::Label::PUBLIC;  ///< the highest label of data it may hold (its clearance)
  std::vector<DatasetSpec> datasets;
  int transfer_streams = 8;  ///< parallel streams of one staging
};

/// A foundation model: trained (and retrained) as jobs in an HPC system's
/// queue on named datasets, used by agents as a screening surrogate whose
/// error shrinks with the data it was trained on (twin/sim/ModelTrainer).
struct ModelSpec {
  std::string name, domain;
  std::string train_system;         ///< `train.system`
  double train_gpu_hours = 0;       ///< `train.gpu_hours` (or train_flops)
  double train_flops = 0;           ///< `train.flops`; the job's work (from gpu_hours: hours x nodes x node speed / GPUs per node)
  int train_nodes = 1;              ///< `train.nodes`
  std::vector<std::string> train_datasets;  ///< `train.datasets`, staged to the system before each training
  double train_from_s = 0;          ///< `train.from_day`: the first training is submitted then
  double retrain_every_s = 0;       ///< `retrain_every_days`: from the end of one training to the next; 0: not on a schedule
  int retrain_after_results = 0;    ///< `retrain_after_results`: new lab results in its datasets that start a retraining; 0: not
  double inference_flops_per_candidate = 0;
  double error_sd = 0.5;            ///< `quality.error_sd`: the first version's error, in sd units of the problem's truth
  double alpha = 0.3;               ///< `quality.alpha`: error ~ (training data)^-alpha
  double job_padding = 2.0;         ///< requested time = padding x expected run time
  core::Label label = core::Label::PUBLIC;  ///< the highest label of its training data (filled by the parser)
};

/// A commercial or secure cloud: instances provisioned on demand (no batch
/// queue, a quota), paid per GPU-hour while held.
struct CloudSpec {
  std::string name, site;
  int gpus = 0;                      ///< per instance
  double node_speed_flops = 0;       ///< per instance
  double power_w = 0;                ///< per instance while held
  core::Distribution provisioning;   ///< seconds from request to a running instance
  double price_per_gpu_hour_usd = 0;
  int quota_instances = 0;           ///< instances held at once, all campaigns together
  core::Label clearance = core::Label::PUBLIC;  ///< `clearance`, default its site's
};

/// A campaign's bursting: a screening job its HPC system's queue would hold
/// longer than `when_queue_wait_s` runs in the cloud `to` instead.
struct BurstSpec {
  std::string to;
  double when_queue_wait_s = 0;
  int max_instances = 0;  ///< instances the campaign holds at once in that cloud
};

struct TargetSpec {
  std::optional<double> top_percent;
  std::optional<double> threshold;  ///< value_at_most (minimise) or value_at_least (maximise)
};

/// A campaign's agent in one mode, parsed straight into the agents' own settings.
struct ModeAgentSpec : agents::AgentSettings {};

struct CampaignSpec {
  std::string name;
  models::KernelSpec kernel;
  std::string kernel_label;  ///< file names or kind, for reports
  TargetSpec target;
  std::string on_discovery;  ///< "continue" or "next_problem"
  int budget_experiments = 0;  ///< lab experiments; 0 = unlimited
  std::string hpc, lab, home_site, store;  ///< hpc, lab: the first of the preference lists
  std::vector<std::string> hpc_list, lab_list;  ///< `hpc`, `lab` as a string or a list, in order of preference
  int job_nodes = 0;
  int job_priority = 0;  ///< larger first, under a priority queue order
  double job_padding = 0;  ///< requested time = padding x expected run time
  double sim_output_bytes = 0;
  double lab_output_bytes = 0;
  double recipe_bytes = 0;
  int initial_experiments = 0;
  double start_s = 0;
  double end_s = core::NEVER;         ///< `end_day`: no cycle starts from then on
  double closed_loop_from_s = 0;      ///< `closed_loop_from_day`: in closed_loop, the baseline's agent until then
  double data_growth_percent = 0;     ///< `data_growth_percent_per_year`: transfer sizes grow by it per year
  core::Label classification = core::Label::PUBLIC;  ///< the label of its data, jobs and samples
  std::optional<BurstSpec> burst;     ///< `burst`: none = never
  std::vector<std::string> datasets;  ///< `datasets`: staged to the HPC system before each screening
  std::string results_dataset;        ///< `results_dataset`: lab results are appended to it (in its data store); "" = none
  ModeAgentSpec closed_loop, baseline;
  const ModeAgentSpec& agent(core::Mode mode) const { return mode == core::Mode::BASELINE ? baseline : closed_loop; }
  ModeAgentSpec& agent(core::Mode mode) { return mode == core::Mode::BASELINE ? baseline : closed_loop; }
};

/// Bounds on the work one simulation may do, so that a scenario asking for
/// absurd amounts (millisecond steps over decades) stops with a clear error
/// instead of running for days or exhausting memory.
struct LimitsSpec {
  std::int64_t max_events = 0;  ///< simulated time steps (instants at which something happens) per simulation
};

struct Scenario {
  std::string file;  ///< where it was read from ("<embedded>" for the default)
  int schema_version = 0;
  std::string name, description;
  std::uint64_t seed = 0;
  double horizon_s = 0;
  int replications = 0;
  std::string start_date;
  long start_day_epoch = 0;
  std::vector<long> holidays;  ///< days since start
  std::vector<std::string> modes;  ///< spelled as core::to_string(core::Mode), closed_loop first
  double agent_speed_flops = 0;
  std::vector<SiteSpec> sites;
  NetworkSpec network;
  std::vector<HpcSpec> hpc;
  std::vector<LabSpec> labs;
  std::vector<StoreSpec> stores;
  std::vector<CloudSpec> clouds;
  std::vector<ModelSpec> models;
  std::vector<CampaignSpec> campaigns;
  LimitsSpec limits;

  const SiteSpec* site(const std::string& n) const;
  const HpcSpec* hpc_system(const std::string& n) const;
  const LabSpec* lab(const std::string& n) const;
  const CloudSpec* cloud(const std::string& n) const;
  const DatasetSpec* dataset(const std::string& n) const;
  const ModelSpec* model(const std::string& n) const;
  /// A shift object for a lab's staffed hours at its site.
  core::Shift shift_of(const StaffedHours& h, const std::string& site) const;
};

/// Parses and validates scenario text; `file` names it in errors and
/// relative paths resolve against its folder. Throws core::ScenarioError
/// carrying every problem found.
Scenario parse_scenario(const std::string& text, const std::string& file);
/// Reads and parses a scenario file.
Scenario load_scenario(const std::string& path);
/// The embedded national default scenario.
Scenario default_scenario();
const std::string& default_scenario_text();
const std::string& scenario_schema_text();

}  // namespace twin
