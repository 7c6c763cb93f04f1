#include "hpc/Power.hpp"

#include <stdexcept>

namespace twin::hpc {

NodePower node_power(const NodePowerComponents& c) {
  const double rest_w = c.mem_w + c.nics * c.nic_w + c.nvme_w;
  NodePower p;
  p.idle_w = c.cpus * c.cpu_idle_w + c.gpus * c.gpu_idle_w + rest_w;
  p.busy_w = c.cpus * c.cpu_max_w + c.gpus * c.gpu_max_w + rest_w;
  return p;
}

namespace {

PowerPreset preset(const std::string& system, int nodes, int cpus, int gpus, double cpu_max_w, double gpu_max_w,
                   const std::string& source) {
  PowerPreset p;
  p.system = system;
  p.nodes = nodes;
  NodePowerComponents& c = p.components;
  c.cpus = cpus;
  c.gpus = gpus;
  c.nics = 4;
  c.cpu_idle_w = 90;
  c.cpu_max_w = cpu_max_w;
  c.gpu_idle_w = 88;
  c.gpu_max_w = gpu_max_w;
  c.mem_w = 74.26;
  c.nic_w = 20;
  c.nvme_w = 30;
  p.node = node_power(c);
  p.source = source;
  return p;
}

}  // namespace

std::vector<PowerPreset> power_presets() {
  return {
      preset("aurora", 10624, 2, 6, 350, 600,
             "ExaDigiT/RAPS config/aurora.yaml (power); 10,624 nodes of 2 Xeon Max + 6 GPU Max 1550 (ANL)"),
      preset("frontier", 9408, 1, 4, 280, 560,
             "ExaDigiT/RAPS config/frontier.yaml (power); 9,408 nodes of 1 CPU + 4 MI250X (ORNL, TOP500)"),
      preset("perlmutter", 1792, 1, 4, 280, 300,
             "ExaDigiT/RAPS config/perlmutter.yaml (power); 1,792 GPU nodes of 4 A100 (NERSC)"),
  };
}

const PowerPreset& power_preset(const std::string& system) {
  static const std::vector<PowerPreset> presets = power_presets();
  for (const PowerPreset& p : presets)
    if (p.system == system) return p;
  throw std::invalid_argument("no power preset for '" + system + "' (known: aurora, frontier, perlmutter)");
}

double job_energy_j(const NodePower& p, int nodes, double run_s) { return p.busy_w * nodes * run_s; }

double job_dynamic_energy_j(const NodePower& p, int nodes, double run_s) {
  return (p.busy_w - p.idle_w) * nodes * run_s;
}

double system_energy_j(const NodePower& p, int total_nodes, double busy_node_s, double span_s) {
  const double idle_node_s = total_nodes * span_s - busy_node_s;
  return p.busy_w * busy_node_s + p.idle_w * idle_node_s;
}

}  // namespace twin::hpc
