#pragma once
// The figures of a report, computed once from a RunResult into plain structs:
// the multiplier and its bootstrap, the three factors, per-campaign,
// per-resource and per-lab aggregates, the cycle and its bottlenecks,
// conservation, the warnings. report.json (reports/Report), the terminal
// summary and the sweeps only write or read these; nothing else computes a
// statistic. Values are unrounded (report.json rounds them to 6 significant
// digits when it writes them); an empty optional is a figure that does not
// exist (written as null).
#include <array>
#include <type_traits>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "twin/core/RunResult.hpp"

namespace twin::reports {



constexpr double PRODUCTIVITY_GOAL = 2.0;
constexpr int BOOTSTRAP_RESAMPLES = 2000;

/// x rounded to `digits` significant digits (0 stays 0; non-finite -> 0).
double round_sig(double x, int digits = 6);

using Opt = std::optional<double>;
/// x as report.json prints it: rounded to 6 significant digits, none where not finite.
Opt rounded(const Opt& x);
/// Figures by mode, in the modes' name order (the order report.json lists them).
template <class T>
using ByMode = std::map<std::string, T>;

/// A mean over replications with its 95 % t-interval (none with one replication).
struct MeanCi {
  double mean = 0;
  Opt low, high;
};

/// Student's t quantile 0.975 for `dof` degrees of freedom.
double t975(int dof);
/// The mean of `v` with its 95 % t-interval (none with fewer than two
/// values); the lower end clipped at 0 unless `clip_at_zero` is false (a difference).
MeanCi mean_ci(const std::vector<double>& v, bool clip_at_zero = true);

/// closed_loop / baseline discovery rates.
struct Multiplier {
  Opt value, ci95_low, ci95_high;
  std::string method;
  int n_replications = 0;
  bool censored = false;
  std::string display;  ///< "27.4", ">= 4.1", "n/a"
  std::string note;
};

struct FirstDiscovery {
  double median_s = 0;
  bool censored = false;     ///< half the replications or more found nothing
  int without_discovery = 0;
};

/// The three factors whose product is the multiplier, and the numbers behind them.
struct Why {
  Opt fewer_experiments_per_discovery, more_experiments_per_cycle, more_cycles_shorter_cycles;
  struct Numbers {
    Opt experiments_per_discovery, experiments_per_cycle, cycles_per_year;
  };
  Numbers closed_loop, baseline;
  std::string carried_by;  ///< the factor furthest from 1 (empty: no factors)
};

struct CostPerDiscovery {
  Opt node_hours, lab_hours, energy_kwh;
  /// Where the scenario has prices: node-hours and lab-hours at their
  /// prices, plus the technicians of the labs used over the horizon; a
  /// quantity without a price counts nothing; none without any price.
  Opt dollars;
};

/// When the platform first doubles the first year's productivity.
struct GoalYear {
  std::optional<int> year;         ///< first year whose vs_first_year_baseline reaches the goal; none: never
  std::optional<int> year_at_95;   ///< ...whose lower 95 % bound reaches it
  std::string definition;
};

/// One part of the attribution: a ladder step (the factor its ingredients add
/// with the steps before it taken) or a Shapley player (exp of its Shapley
/// value of ln discoveries).
struct AttributionStep {
  std::string name, description, mode;  ///< mode: the ladder's mode reached; empty for Shapley
  Opt discoveries_per_year;             ///< of the mode reached (ladder); none for Shapley
  Opt factor, ci95_low, ci95_high;
  Opt log_factor;                       ///< ln(factor): the steps' values add up to ln(multiplier)
};

/// What each ingredient adds to the multiplier (none run: method "off").
struct Attribution {
  std::string method = "off";  ///< "ladder", "shapley", "off"
  std::string explanation;     ///< how the factors are computed, the interval's method
  Opt baseline_discoveries_per_year;
  std::vector<AttributionStep> steps;
  Opt product;  ///< the factors' product: the multiplier
  int simulations = 0;  ///< intermediate-mode simulations run for it
  std::vector<std::string> same_in_both;
  std::string note;  ///< why a factor is missing, or the interval is rough
};

/// What to buy next, read off this run's bottleneck (an estimate with no run
/// of its own; `twin advise` measures every option with paired runs).
struct BuyNext {
  std::string mode, stage;  ///< the cycle it would shorten and the stage that leads it
  std::string resource;     ///< "nanoparticle-lab.flow-synthesis", "frontier", a link; empty: no facility
  std::string kind;         ///< station, robot, technicians, hpc, link; empty with no resource
  std::string change;       ///< "one more flow-synthesis station at nanoparticle-lab"
  std::string why;          ///< the resource's figures ("... 84 % busy, samples wait 1.3 h there on average"); may be empty
  std::string text() const { return change + (why.empty() ? "" : " (" + why + ")"); }
};
extern const char* const BUY_NEXT_BASIS;

struct Headline {
  Multiplier multiplier;
  std::string discovery_definition;  ///< what one discovery is, in plain words
  double goal = PRODUCTIVITY_GOAL;
  bool goal_met = false, goal_met_at_95 = false;
  ByMode<MeanCi> discoveries_per_year;
  ByMode<FirstDiscovery> first_discovery;
  Opt first_discovery_ratio;  ///< baseline / closed_loop median
  bool first_discovery_ratio_censored = false;
  Why why;
  ByMode<CostPerDiscovery> cost_per_discovery;
  GoalYear goal_year;
  BuyNext buy_next;  ///< none (empty mode) when no cycle finished
};

/// One year of the run (a period of 365.25 days from the start date; the last
/// may be shorter): its rates, the same-year multiplier and the closed loop
/// against the first year's baseline.
struct YearFigures {
  int year = 0;             ///< calendar year of the period's first day
  std::string start_date;   ///< its first day
  double days = 0;          ///< its length within the horizon
  ByMode<double> discoveries_per_year;  ///< mean over replications, per year of length
  Multiplier multiplier;               ///< closed_loop / baseline in this year
  Multiplier vs_first_year_baseline;   ///< this year's closed_loop / the first year's baseline
  /// What the platform holds in the year: the mean, over the days whose start
  /// falls in the year, of `twin inventory --day D`'s totals (CAPACITY_BASIS).
  struct Capacity {
    double hpc_systems = 0, nodes = 0, gpus = 0, rmax_pflops = 0;
    double labs = 0, stations = 0, robots = 0;
    double links = 0, link_capacity_gbps = 0;
  } capacity;
};
extern const char* const CAPACITY_BASIS;

/// The order's milestones: each campaign's first closed-loop discovery, and
/// whether one reached it within the initial operating capability's days.
struct CampaignMilestone {
  std::string campaign;
  std::optional<int> day;  ///< median over replications of the day of its first closed-loop discovery; none: not reached in half of them
  std::string date;        ///< that day's date ("" when none)
  int replications_reached = 0;  ///< replications with such a discovery
};
struct Milestones {
  std::string definition;
  std::vector<CampaignMilestone> campaigns;  ///< scenario order
  int ioc_day_limit = 270;
  bool ioc_reached = false;
  std::optional<std::string> ioc_by;  ///< the campaign with the earliest day within the limit
  std::optional<int> ioc_day;
  std::string ioc_definition;
};
constexpr int IOC_DAY_LIMIT = 270;

struct CampaignMode {
  std::string policy;
  MeanCi discoveries, discoveries_per_year;
  double experiments = 0, failed_experiments = 0, simulations = 0, cycles = 0;
  double first_median_s = 0, first_p90_s = 0;
  int without_discovery = 0;
  bool first_censored = false;
  double node_hours = 0, lab_hours = 0, energy_kwh = 0;
  std::vector<std::array<double, 3>> best_over_time;  ///< (day, experiments, best value), replication 0
  std::vector<core::CycleStage> first_cycles;         ///< replication 0
};

struct CampaignFigures {
  std::string name, kernel, target, hpc, lab;
  ByMode<CampaignMode> modes;
};

struct ResourceMode {
  double utilisation = 0;
  std::vector<double> weekly_utilisation;
  std::optional<std::vector<double>> weekly_queue;  ///< only where the daily queue is tracked
  double queue_mean = 0, queue_max = 0, wait_mean_s = 0, wait_max_s = 0;
  double bytes = 0;  ///< links
  double energy_kwh = 0;
  double background_jobs = 0, node_failures = 0, failure_kills = 0, requeued = 0;  ///< hpc
  /// hpc: the background load stated (0: none, e.g. a trace), offered (its
  /// node-seconds submitted) and achieved (run), both over nodes x online time.
  double background_stated_load = 0, background_offered_load = 0, background_achieved_load = 0;
};

struct ResourceFigures {
  std::string name, kind, lab;  ///< lab: the lab a pool belongs to
  double capacity = 0;          ///< nodes, slots, robots; bytes/s for a link
  ByMode<ResourceMode> modes;
};

struct LabResources {
  ResourceFigures lab;
  std::vector<ResourceFigures> pools;  ///< station kinds, robots, technicians
};

struct Resources {
  std::vector<ResourceFigures> hpc;
  std::vector<LabResources> labs;
  std::vector<ResourceFigures> links;
};

constexpr std::size_t N_STAGES = 7;
extern const char* const STAGES[N_STAGES];  ///< agent, people, hpc_queue, hpc_run, transfer, lab_queue, lab_run
std::array<double, N_STAGES> stage_values(const core::CycleTimes& c);

struct CycleMode {
  double cycles = 0;  ///< per replication
  Opt mean_cycle_h;
  std::array<Opt, N_STAGES> hours_per_cycle;
  std::array<double, N_STAGES> share{};
};

/// The facility behind a cycle stage, and what its items went through there.
struct BottleneckResource {
  std::string name;  ///< "polybot.characterisation", "frontier", a link; "agents", "people" (no facility)
  std::string kind;  ///< station, robot, technicians, hpc, link, agent, people
  Opt utilisation;   ///< busy share of its online capacity
  Opt wait_mean_s;   ///< mean wait of the items that queued there
  std::string text;  ///< "polybot.characterisation: 83 % busy, samples wait 5.1 h there on average"
};

struct Bottleneck {
  int rank = 0;
  std::string mode, stage;
  double share = 0;
  std::optional<BottleneckResource> resource;  ///< none where no facility of the stage was used
};

struct Cycle {
  ByMode<CycleMode> modes;
  std::vector<Bottleneck> bottlenecks;  ///< the lead mode's stages, largest share first
};

struct ConservationFigures {
  core::Conservation jobs, samples, transfers;
  ByMode<std::array<core::Conservation, 3>> by_mode;  ///< jobs, samples, transfers
};

struct LabPool {
  std::string name;  ///< a station kind, "robots", "technicians"
  double utilisation = 0, queue_mean = 0, wait_mean_s = 0;
};

struct LabMode {
  core::Conservation samples;
  double throughput_per_day = 0;
  Opt turnaround_mean_h;
  Opt queue_h, people_h, hold_h, run_h, move_h;  ///< per ended sample
  double people_share = 0;
  std::vector<LabPool> pools;
  std::string bottleneck;  ///< the busiest pool (empty: an idle lab)
  double bottleneck_utilisation = 0;
  std::string bottleneck_text;  ///< "polybot.characterisation: 83 % busy, samples wait 5.1 h there on average"
  // means per replication
  double failed_samples = 0, step_failures = 0, retries = 0, station_breakdowns = 0, interrupted_steps = 0,
         robot_jams = 0, discarded_offline = 0;
  double restocks = 0, maintenance_windows = 0, repair_downtime_h = 0, setups = 0, batches = 0, robot_moves = 0,
         step_runs = 0;
  double cycle_share = 0, cycle_people_share = 0;
};

struct LabFigures {
  std::string name;
  std::vector<std::string> campaigns;
  std::string bottleneck;  ///< the lead mode's busiest pool
  ByMode<LabMode> modes;
};

/// What makes a figure weak or a run degenerate. `code` is stable (README.md
/// lists them); `where` names the report part it concerns.
struct Warning {
  std::string code, message, where;
};

/// The warning codes.
namespace warn {
constexpr const char* ONE_MODE = "one_mode";                        ///< no baseline, so no multiplier
constexpr const char* FEW_REPLICATIONS = "few_replications";        ///< fewer than 5: the interval is not reliable
constexpr const char* NO_INTERVAL = "no_interval";                  ///< fewer than 3: no interval at all
constexpr const char* MULTIPLIER_CENSORED = "multiplier_censored";  ///< a lower bound only
constexpr const char* CAMPAIGN_STOPPED = "campaign_stopped";        ///< stopped before the horizon
constexpr const char* CAMPAIGN_IDLE = "campaign_idle";              ///< ran no experiment and no simulation
constexpr const char* FACILITY_UNUSED = "facility_unused";          ///< no campaign and no workload
constexpr const char* HORIZON_SHORT = "horizon_short";              ///< no decision cycle fits in the horizon
constexpr const char* START_AFTER_HORIZON = "start_after_horizon";  ///< a campaign or facility starts too late
}  // namespace warn

/// Replications needed for an interval at all, and for one to rely on (and so
/// for "goal met at 95 %").
constexpr int MIN_REPLICATIONS_INTERVAL = 3;
constexpr int MIN_REPLICATIONS_RELIABLE = 5;

// ---- access rules, clouds and money (computed in reports/Access.cpp)

/// One placement the independent check found above the facility's clearance.
struct Violation {
  std::string mode;
  int replication = 0;
  std::string kind, facility, owner, label, clearance;
  std::int64_t items = 0;
  double bytes = 0;
};

/// What facilities of one kind held for campaigns of one label (mean per replication).
struct PlacedByLabel {
  std::string label, kind, facility;
  double items = 0, bytes = 0;
};

/// The refusals of the access rules (means per replication; times in hours).
struct Refusals {
  double placements = 0, placement_wait_h = 0;
  double transfers_refused = 0, reroutes = 0, reroute_h = 0;
  double bursts = 0, burst_wait_h = 0;
  double total_h() const { return placement_wait_h + reroute_h + burst_wait_h; }
};

struct Security {
  bool rules = false;  ///< some campaign is labelled above public
  std::vector<std::pair<std::string, std::string>> campaigns;  ///< (name, label)
  std::vector<core::FacilityClearance> clearances;
  ByMode<std::vector<PlacedByLabel>> placed;
  ByMode<Refusals> refusals;
  ByMode<std::vector<std::pair<std::string, Refusals>>> by_campaign;  ///< campaigns with any refusal
  std::vector<std::pair<std::string, std::string>> stopped;  ///< (campaign, reason) stopped by the rules (first simulation of each)
  /// What the rules cost, from the closed loop run again with every facility
  /// and link cleared for everything (paired): discoveries per year with and
  /// without them, the loss and, per labelled campaign, the loss and how much
  /// longer its cycles are (hours, mean cycle with the rules less without).
  Opt with_rules_per_year, without_rules_per_year;
  MeanCi lost_per_year;
  struct CampaignCost {
    std::string name;
    MeanCi lost_per_year, longer_cycle_h;
  };
  std::vector<CampaignCost> cost_by_campaign;
  int unrestricted_simulations = 0;
  std::int64_t checked = 0;     ///< placements checked, every simulation
  std::int64_t violations = 0;  ///< placements above the facility's clearance, every simulation
  std::vector<Violation> violation_list;  ///< the first VIOLATIONS_LISTED
};
constexpr std::size_t VIOLATIONS_LISTED = 20;

/// A cloud's or a campaign's cloud use in one mode (means per replication; hours).
struct CloudUse {
  double jobs = 0, instance_hours = 0, gpu_hours = 0, usd = 0, energy_kwh = 0;
  double wait_h = 0;         ///< waiting for the quota and provisioning
  double queue_saved_h = 0;  ///< campaigns: estimated HPC queue waits avoided, less the cloud's waits
};

struct Bursting {
  bool any = false;  ///< some campaign bursts
  std::vector<std::pair<std::string, ByMode<CloudUse>>> clouds;
  std::vector<std::pair<std::string, ByMode<CloudUse>>> campaigns;  ///< bursting campaigns
  /// The closed loop's discoveries per year with and without bursting
  /// (paired), the difference with its 95 % t-interval, and per campaign.
  Opt with_per_year, without_per_year;
  MeanCi gained_per_year;
  std::vector<std::pair<std::string, MeanCi>> gained_by_campaign;
  /// Per bursting campaign: the hours its cycles waited on the HPC queue
  /// without bursting less with it (paired), the measured counterpart of
  /// CloudUse::queue_saved_h.
  std::vector<std::pair<std::string, MeanCi>> queue_h_saved_by_campaign;
  int simulations = 0;  ///< the closed loop runs without bursting
};

struct MoneyMode {
  double hpc_usd = 0, lab_usd = 0, people_usd = 0, cloud_usd = 0;
  double total_usd() const { return hpc_usd + lab_usd + people_usd + cloud_usd; }
  Opt per_discovery_usd;
};

struct Money {
  bool priced = false;  ///< the scenario states some price
  ByMode<MoneyMode> modes;
  std::vector<std::pair<std::string, ByMode<MoneyMode>>> campaigns;  ///< people_usd: none per campaign
};

struct Figures {
  Headline headline;
  Attribution attribution;
  std::vector<CampaignFigures> campaigns;
  Resources resources;
  Cycle cycle;
  ConservationFigures conservation;
  std::vector<LabFigures> labs;
  std::vector<YearFigures> years;
  Milestones milestones;
  Security security;
  Bursting bursting;
  Money money;
  std::vector<Warning> warnings;
};

/// The milestones of a run (Figures::milestones).
Milestones milestones(const core::RunResult& run);

/// The run year by year (Figures::years), and when the goal is first reached.
std::vector<YearFigures> year_figures(const core::RunResult& run, GoalYear* goal = nullptr);

/// The resource behind `stage` of a `mode` cycle, from the other figures: the
/// busiest pool of the lab the cycles spent most lab time in (so the run's and
/// the lab's bottleneck agree), the HPC system they spent most HPC time on, the
/// busiest link.
std::optional<BottleneckResource> bottleneck_resource(const core::RunResult& run, const Figures& f,
                                                      const std::string& mode, const std::string& stage);

/// What to buy next from the other figures (the cycle's bottlenecks with
/// their resources, the labs): see BUY_NEXT_BASIS.
BuyNext buy_next(const Figures& f);

/// The warnings of a run whose other figures are `f` (as compute_figures fills them).
std::vector<Warning> warnings(const core::RunResult& run, const Figures& f);

/// Every figure of a report, from a run's results.
Figures compute_figures(const core::RunResult& run);

}  // namespace twin::reports
