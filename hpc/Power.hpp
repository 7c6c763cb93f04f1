#pragma once
// Node power and job energy: every node draws its idle power, and its busy
// power while a job runs on it (no dependence on the job's code: the RAPS
// digital twin's simplest model, at full utilisation of CPUs and GPUs).
// Defaults from ExaDigiT/RAPS `config/<system>.yaml` (per-component idle and
// max watts) and public node counts (see the data README): node power =
// CPUs x CPU power + GPUs x GPU power + memory + NICs x NIC power + NVMe,
// with idle or max CPU/GPU figures. Switches, CDUs and conversion losses are
// left out (facility overheads, not per node).
#include <string>
#include <vector>

namespace twin::hpc {

struct NodePower {
  double idle_w = 0;
  double busy_w = 0;
};

/// RAPS's per-node power components, in watts.
struct NodePowerComponents {
  int cpus = 1;
  int gpus = 0;
  int nics = 0;
  double cpu_idle_w = 0, cpu_max_w = 0;
  double gpu_idle_w = 0, gpu_max_w = 0;
  double mem_w = 0, nic_w = 0, nvme_w = 0;
};

/// Idle and busy node power from components, as RAPS sums them.
NodePower node_power(const NodePowerComponents& c);

struct PowerPreset {
  std::string system;   ///< "aurora", "frontier", "perlmutter"
  int nodes = 0;        ///< public node count (Perlmutter: GPU nodes)
  NodePowerComponents components;
  NodePower node;       ///< node_power(components)
  std::string source;
};

/// The stated defaults, sorted by system name: Frontier 9,408 nodes
/// (626.26 W idle, 2,704.26 W busy), Aurora 10,624 (892.26, 4,484.26),
/// Perlmutter 1,792 GPU nodes (626.26, 1,664.26).
std::vector<PowerPreset> power_presets();
/// The preset named `system`; throws std::invalid_argument if unknown.
const PowerPreset& power_preset(const std::string& system);

/// Energy a job draws on its nodes: nodes x busy power x run time (J).
double job_energy_j(const NodePower& p, int nodes, double run_s);
/// The part of a job's energy above what its nodes draw idle (J).
double job_dynamic_energy_j(const NodePower& p, int nodes, double run_s);
/// Energy of a machine over `span_s`: busy node-seconds at busy power, the
/// rest of total_nodes x span_s at idle power (J).
double system_energy_j(const NodePower& p, int total_nodes, double busy_node_s, double span_s);

}  // namespace twin::hpc
