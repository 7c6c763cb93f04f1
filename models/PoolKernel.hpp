#pragma once
// Kind "pool": nature is a table of real measurements (a CSV of a
// self-driving-lab study). The last column is the objective, the others are
// the features; replicate rows (identical features) are averaged into one
// pool entry; entries keep the order in which their features first appear.
//
// truth(c)     = the averaged value of row c.pool_index.
// simulate(c)  = truth + sim_bias * sd * tanh(s(x)) + sim_noise * sd * n(x, truth)
//   where sd is the sample standard deviation of the pool's averaged values,
//   s(x) = sum_j (-1)^j z_j / sqrt(d) is a smooth tilt over the features
//   standardised over the pool (z_j = (x_j - mean_j) / sd_j, 0 for a constant
//   column), and n(x, truth) is a fixed pseudo-normal number (mean 0,
//   variance 1, |n| <= 2 sqrt 3) drawn from a hash of the row's feature bits
//   and its truth, so the same composition on two plates gets independent
//   noise. It stands for a cheaper model (e.g. DFT) that is correlated with
//   the measurement, systematically off in one direction of composition
//   space, and wrong row by row.
// simulation_flops = sim_gflop * 1e9 for every row.
// lab_noise_sd = lab_noise * sd.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/Kernel.hpp"
#include "models/KernelParams.hpp"

namespace twin::models {

class PoolKernel final : public Kernel {
 public:
  struct Settings {
    double sim_bias = 0.1;
    double sim_noise = 0.2;
    double sim_gflop = 3.6e7;
    double lab_noise = 0.02;
  };
  /// The parameters, each with the member of Settings it sets; the defaults
  /// of Settings{} are the table's (a test holds them equal).
  static const std::vector<SettingsParam<Settings>>& settings_params();
  static KernelInfo info();

  /// Parses `csv_text` (see CsvTable.hpp); `name` labels errors and reports.
  PoolKernel(std::string name, std::string_view csv_text, Goal goal, Settings settings);

  const DesignSpace& space() const override { return space_; }
  Goal goal() const override { return goal_; }
  double truth(const Candidate& c) const override;
  double simulate(const Candidate& c) const override;
  double simulation_flops(const Candidate& c) const override;
  double lab_noise_sd() const override;
  std::vector<double> pool_truths() const override { return truths_; }
  std::string describe() const override;

  /// Data rows of the CSV before replicates were averaged.
  std::size_t raw_row_count() const { return raw_rows_; }
  /// How many CSV rows were averaged into each pool entry, in row order.
  const std::vector<int>& replicate_counts() const { return replicates_; }
  /// Sample standard deviation of the averaged values (0 for one row).
  double value_sd() const { return value_sd_; }
  /// The objective's column name ("" when the CSV has no header).
  const std::string& objective_name() const { return objective_name_; }

 private:
  std::size_t row_of(const Candidate& c) const;

  std::string name_;
  Goal goal_;
  Settings settings_;
  DesignSpace space_;
  std::vector<double> truths_;
  std::vector<double> sim_offsets_;  ///< simulate(row) - truth(row), precomputed
  std::vector<int> replicates_;
  std::map<std::vector<double>, std::size_t> row_by_features_;
  std::string objective_name_;
  std::size_t raw_rows_ = 0;
  double value_sd_ = 0;
};

/// The pool kernel of `problem`: csv_texts[problem % csv_texts.size()].
std::unique_ptr<Kernel> make_pool_kernel(const KernelSpec& spec, int problem);

}  // namespace twin::models
