#include "agents/MultiFidelity.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace twin::agents {

SimLabBias learn_sim_lab_bias(const std::vector<Observation>& observations) {
  // key -> (sum, count) per side; std::map keeps the order fixed.
  std::map<std::uint64_t, std::pair<double, int>> lab, sim;
  for (const auto& o : observations) {
    if (!o.value.has_value() || !std::isfinite(*o.value)) continue;
    auto& slot = (o.lab ? lab : sim)[o.candidate.key()];
    slot.first += *o.value;
    slot.second += 1;
  }
  SimLabBias out;
  std::vector<double> diffs;
  for (const auto& [key, l] : lab) {
    const auto it = sim.find(key);
    if (it == sim.end()) continue;
    diffs.push_back(l.first / l.second - it->second.first / it->second.second);
  }
  out.pairs = static_cast<int>(diffs.size());
  if (diffs.empty()) return out;
  double sum = 0;
  for (double d : diffs) sum += d;
  out.bias = sum / static_cast<double>(diffs.size());
  if (diffs.size() >= 2) {
    double ss = 0;
    for (double d : diffs) ss += (d - out.bias) * (d - out.bias);
    out.residual_sd = std::sqrt(ss / static_cast<double>(diffs.size() - 1));
  }
  return out;
}

LabScaleData lab_scale_training_data(const std::vector<Observation>& observations) {
  const SimLabBias bias = learn_sim_lab_bias(observations);
  std::set<std::uint64_t> lab_keys;
  for (const auto& o : observations) {
    if (o.lab && o.value.has_value() && std::isfinite(*o.value)) lab_keys.insert(o.candidate.key());
  }
  LabScaleData out;
  for (const auto& o : observations) {
    if (!o.value.has_value() || !std::isfinite(*o.value)) continue;
    if (o.lab) {
      out.rows.push_back(&o);
      out.values.push_back(*o.value);
    } else if (lab_keys.count(o.candidate.key()) == 0) {
      out.rows.push_back(&o);
      out.values.push_back(*o.value + bias.bias);
    }
  }
  return out;
}

std::vector<double> predict_lab_from_sim(const std::vector<double>& sim_values, const SimLabBias& bias) {
  std::vector<double> out(sim_values.size());
  for (std::size_t i = 0; i < sim_values.size(); ++i) out[i] = sim_values[i] + bias.bias;
  return out;
}

std::vector<std::size_t> choose_for_lab(const std::vector<double>& sim_values, const std::vector<double>& predicted_lab,
                                        std::size_t k, models::Goal goal) {
  const bool use_pred = predicted_lab.size() == sim_values.size();
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < sim_values.size(); ++i) {
    const double s = use_pred ? predicted_lab[i] : sim_values[i];
    if (std::isfinite(s) && std::isfinite(sim_values[i])) idx.push_back(i);
  }
  auto score = [&](std::size_t i) {
    const double s = use_pred ? predicted_lab[i] : sim_values[i];
    return goal == models::Goal::MAXIMIZE ? -s : s;  // smaller is better
  };
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score(a) < score(b); });
  if (idx.size() > k) idx.resize(k);
  return idx;
}

}  // namespace twin::agents
