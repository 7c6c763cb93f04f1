#pragma once
// What the platform of a scenario holds on one day: the HPC systems, data
// stores, network links, robotic labs and campaigns that are there and up at
// the start of day D (simulated time D x 86,400 s), with their totals, and
// the facilities that are not (not yet online, retired, or in a planned
// outage, of their own or of their site) and why. Planned windows only: the
// random outages of mtbf_h are drawn per simulation and are not in it.
//
// Built from the scenario alone (no simulation), so `twin inventory` is
// instant and changes no report.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/Scenario.hpp"

namespace twin::cli {

struct InventoryHpc {
  std::string name, site, scheduler;
  int nodes = 0;
  int gpus = 0;                ///< nodes x gpus_per_node (0: none stated)
  double speed_flops = 0;      ///< nodes x node_speed_gflops: the stated Rmax or peak
  double busy_power_w = 0;     ///< nodes x node_busy_power_w
  double idle_power_w = 0;     ///< nodes x node_idle_power_w
  std::string clearance;
};

/// A cloud: what its quota allows at once (elastic: nothing is held until a job asks).
struct InventoryCloud {
  std::string name, site, clearance;
  int quota_instances = 0;
  int gpus = 0;            ///< quota x GPUs per instance
  double speed_flops = 0;  ///< quota x instance speed
  double price_per_gpu_hour_usd = 0;
};

struct InventoryDataset {
  std::string name, classification;
  double size_bytes = 0;  ///< on the day: stated size and growth (lab results appended in a run come on top)
};

struct InventoryStore {
  std::string name, site, classification;
  std::vector<InventoryDataset> datasets;
};

struct InventoryLink {
  std::string name, from, to, clearance;
  double bandwidth_bps = 0;  ///< in force on the day (upgrades counted)
  double latency_s = 0;
  int upgrades_in_force = 0;   ///< upgrades whose from_day is on or before the day
  double upgraded_from_s = -1;  ///< the last of them; < 0: none
};

struct InventoryLab {
  std::string name, site, clearance;
  int stations = 0;        ///< stations of the kinds that are up on the day
  int station_kinds = 0;   ///< kinds up
  int robots = 0;
  int technicians = 0;
  int steps = 0;           ///< workflow steps
  int steps_unattended = 0;  ///< steps that need no technician (not manual)
  /// AI-directed readiness: the share of the workflow's steps that run
  /// without people (steps_unattended / steps).
  double readiness() const { return steps > 0 ? static_cast<double>(steps_unattended) / steps : 0.0; }
};

struct InventoryCampaign {
  std::string name, kernel, hpc, lab;  ///< hpc, lab: the first of its preferences up on the day ("" if none)
  std::string classification;
  double start_s = 0;
};

/// A facility that is not on the platform on the day, and why.
struct InventoryAbsent {
  std::string kind;  ///< "hpc", "store", "link", "lab", "campaign"
  std::string name;
  std::string reason;  ///< "online from day 200", "retired on day 30", "outage: upgrade (days 80-100)", ...
};

struct Inventory {
  std::string scenario;
  int day = 0;
  std::string date;  ///< the day's calendar date
  std::vector<InventoryHpc> hpc;
  std::vector<InventoryStore> stores;
  std::vector<InventoryCloud> clouds;
  std::vector<InventoryLink> links;
  std::vector<InventoryLab> labs;
  std::vector<InventoryCampaign> campaigns;
  std::vector<InventoryAbsent> absent;
};

/// The inventory of `sc` at the start of day `day` (>= 0).
Inventory inventory_of(const Scenario& sc, int day);

nlohmann::ordered_json inventory_json(const Inventory& inv);
/// One row per item: kind, name, site and the figures of its kind (blank where they do not apply).
std::string inventory_csv(const Inventory& inv);
/// The terminal tables.
std::string inventory_text(const Inventory& inv);

}  // namespace twin::cli
