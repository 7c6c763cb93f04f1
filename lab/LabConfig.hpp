#pragma once
// A robotic lab as the scenario describes it (plain data, SI units). Every
// default here is a stated modelling default (lab/README.md says where each
// comes from); none is a measured fact unless the README cites one.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"
#include "twin/core/Uptime.hpp"

namespace twin::lab {

/// How a station kind picks the next waiting sample.
enum class Discipline {
  FIFO,      ///< arrival order only
  PRIORITY,  ///< lower request priority first (urgent -1, normal 0, low 1), then arrival
  RECIPE,    ///< like PRIORITY, but a sample whose recipe matches an idle station's set-up goes first
};

/// Scheduled maintenance of every station of a kind, one station after the
/// other: station i is down over [first + i x duration + n x every, + duration).
struct MaintenanceConfig {
  double every_s = 0;  ///< 0: none
  double duration_s = 0;
  double first_s = 0;
};

struct StationConfig {
  std::string kind;
  int count = 1;
  int slots = 1;  ///< samples one station holds at once
  core::Distribution duration_s = core::Distribution::fixed(3600);
  double success_probability = 1.0;  ///< default workflow only: the step on this kind
  bool manual = false;               ///< default workflow only: the step needs a technician
  /// Set-up/calibration before a run whose recipe differs from the station's last one.
  core::Distribution setup_s = core::Distribution::fixed(0);
  int batch = 1;                 ///< > 1: a station runs when this many samples are loaded...
  double batch_timeout_s = 0;    ///< ...or this long after the first one was loaded (a scenario's default: the lab table)
  Discipline discipline = Discipline::PRIORITY;
  double mtbf_s = 0;             ///< one station's mean time between failures; 0: never fails
  core::Distribution repair_s = core::Distribution::exponential(4 * 3600.0);  ///< technician time
  MaintenanceConfig maintenance;
  int consumable_runs = 0;       ///< steps one restock serves (shared by the kind); 0: none
  core::Distribution restock_s = core::Distribution::fixed(900);  ///< technician time
  std::vector<core::Outage> outages;  ///< windows [from, to) in which every station of the kind is down
  double power_w = -1;           ///< draw per busy slot of this kind; < 0: the lab's station_power_w
  double capital_usd = -1;       ///< price of one more station (the twin's planning only); < 0: none
};

/// What an outage does to the samples on its stations when it starts.
enum class OnOutage {
  HOLD,  ///< their step is aborted; they wait in the lab and redo it when the stations return
  FAIL,  ///< they fail with reason "outage: <reason>"
};

/// One step of the experiment workflow (a node of its DAG).
struct StepConfig {
  std::string name;
  int station = 0;             ///< index into LabConfig::stations
  bool robot_move = true;      ///< a robot brings the sample to the station first
  bool manual = false;         ///< a technician does the step (held for its run)
  double success_probability = 1.0;
  std::optional<core::Distribution> duration_s;  ///< else the station's
  std::vector<int> after;      ///< steps that must be done first (indices)
  int retry_from = -1;         ///< on failure, redo from this step (index; -1: this step only)
};

struct LabConfig {
  std::string name;
  std::vector<StationConfig> stations;
  std::vector<StepConfig> steps;  ///< empty: one step per station kind, in listed order
  int robots = 1;                 ///< 0: no robot moves
  core::Distribution robot_move_s = core::Distribution::fixed(120);
  double robot_jam_probability = 0;  ///< per move; a technician clears the jam
  core::Distribution jam_clear_s = core::Distribution::fixed(600);
  core::Shift people;             ///< technicians' hours (site local time)
  int technicians = 2;            ///< on shift at once
  /// Technician time per staffed step; none unless set (a scenario's default: the lab table).
  core::Distribution handoff_s = core::Distribution::fixed(0);
  int max_retries = 0;            ///< a failed step is redone up to this many times, then reported failed
  double station_power_w = 0;     ///< draw per busy station slot (of a kind that sets no power of its own)
  double online_from_s = 0;
  double offline_from_s = core::NEVER;  ///< retirement: an outage without end
  std::vector<core::Outage> outages;    ///< whole-lab windows [from, to), sorted and disjoint (random ones included)
  OnOutage on_outage = OnOutage::HOLD;
  /// The lab's uptime (online, retirement and windows).
  core::Uptime uptime() const { return core::Uptime{online_from_s, offline_from_s, outages}; }

  /// Draw per busy slot of station kind `kind`.
  double power_w(std::size_t kind) const {
    const double p = stations[kind].power_w;
    return p >= 0 ? p : station_power_w;
  }
};

/// The default workflow: one step per station kind, each after the previous.
std::vector<StepConfig> default_workflow(const std::vector<StationConfig>& stations);

/// The workflow's steps in an order that respects every `after` edge (ties by
/// step index). Returns false and a message naming a step on the cycle, or a
/// bad reference, if there is none.
bool workflow_order(const std::vector<StepConfig>& steps, std::vector<int>& order, std::string& error);

}  // namespace twin::lab
