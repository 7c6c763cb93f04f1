#pragma once
// Multi-fidelity screening: cheap, biased HPC simulations choose what the
// costly, noisy lab confirms. The policy (pure functions, called by the
// campaign loop):
//
//   1. the proposal policy proposes a batch; every member is simulated;
//   2. the sim-to-lab bias b is learnt as the mean of (lab - sim) over the
//      candidates measured both ways (b = 0 before any pair; a failed
//      measurement on either side does not count);
//   3. each simulated candidate's lab value is predicted as sim + b;
//   4. the k best predicted (goal direction) go to the lab.
//
// A constant shift is the simplest bias that the data can pin down with a
// handful of pairs; the GP policies use the same b to put simulated
// observations on the lab's scale (see BayesPolicy).
#include <cstddef>
#include <vector>

#include "agents/Policy.hpp"

namespace twin::agents {

struct SimLabBias {
  double bias = 0;         ///< lab - sim, mean over pairs (value units)
  int pairs = 0;           ///< candidates with both a lab and a simulated value
  double residual_sd = 0;  ///< spread of (lab - sim) around the mean (0 with < 2 pairs)
};

/// Learns the bias from observations: pairs are matched by candidate key
/// (Candidate::key()); replicates are averaged per side first.
SimLabBias learn_sim_lab_bias(const std::vector<Observation>& observations);

/// A surrogate's training data on the lab's scale, in observation order:
/// every successful lab observation, and every successful simulated one of a
/// candidate without a lab value, shifted by the learnt bias (a failed
/// observation, value empty or not finite, is skipped).
struct LabScaleData {
  std::vector<const Observation*> rows;  ///< into the observations passed in
  std::vector<double> values;            ///< lab units
};
LabScaleData lab_scale_training_data(const std::vector<Observation>& observations);

/// sim + bias for each value (NaN stays NaN).
std::vector<double> predict_lab_from_sim(const std::vector<double>& sim_values, const SimLabBias& bias);

/// Indices (into sim_values) of the k candidates to send to the lab: ranked
/// by predicted_lab when it has the same size as sim_values, else by
/// sim_values; best first in the goal's direction; NaN entries (failed
/// simulations) never chosen; ties by lower index. Returns min(k, valid)
/// indices.
std::vector<std::size_t> choose_for_lab(const std::vector<double>& sim_values, const std::vector<double>& predicted_lab,
                                        std::size_t k, models::Goal goal);

}  // namespace twin::agents
