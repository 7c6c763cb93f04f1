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
//
// The stream of problems: problem p < n (n tables) is table p as it is;
// every later problem is a generated instance of table p mod n, keyed by
// the caller's instance key: a random stream_subset share of its
// candidates (exactly round(share x entries), at least 2), each value drawn
// again: where the table has replicates, the mean of a resample with
// replacement of the entry's own replicates (an entry measured once keeps
// its value: the data says nothing of its spread); in a table without
// replicates, value + lab_noise * sd * N(0, 1). stream_noise scales the
// move (0: the table's values). So each instance has its own top set, and
// the same key gives the same instance (both modes use the same keys).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/Kernel.hpp"
#include "models/KernelParams.hpp"

namespace twin::models {

/// A pool's table as read: replicate rows (identical features) gathered into
/// one entry each, entries in the order their features first appear. Every
/// problem of a campaign's stream starts from it, so it is read once.
struct PoolTable {
  std::string name;                            ///< labels errors and reports
  std::size_t raw_rows = 0;                    ///< data rows of the file
  std::vector<std::string> header;             ///< empty when the file has none
  std::vector<std::vector<double>> features;   ///< one per entry
  std::vector<std::vector<double>> values;     ///< each entry's replicate values, in file order
  std::vector<double> sums;                    ///< their sums, in file order
};
/// Parses `csv_text` (see CsvTable.hpp) into a pool table; throws
/// std::invalid_argument (naming `name`) on a bad table or fewer than two columns.
std::shared_ptr<const PoolTable> read_pool_table(std::string_view csv_text, std::string name);

class PoolKernel final : public Kernel {
 public:
  struct Settings {
    double sim_bias = 0.1;
    double sim_noise = 0.2;
    double sim_gflop = 3.6e7;
    double lab_noise = 0.02;
    double stream_subset = 0.9;  ///< share of candidates in a generated instance
    double stream_noise = 1;     ///< redraw of values in an instance, in units of each mean's spread
  };
  /// The parameters, each with the member of Settings it sets; the defaults
  /// of Settings{} are the table's (a test holds them equal).
  static const std::vector<SettingsParam<Settings>>& settings_params();
  static KernelInfo info();

  /// Parses `csv_text` (see CsvTable.hpp); `name` labels errors and reports.
  /// `instance` != 0: the generated instance of the table with that key.
  PoolKernel(std::string name, std::string_view csv_text, Goal goal, Settings settings, std::uint64_t instance = 0);
  /// The same from a table already read (read_pool_table), named as the table.
  PoolKernel(const PoolTable& table, Goal goal, Settings settings, std::uint64_t instance = 0);

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
  /// Entries of the table before an instance's subset (= candidates for the table itself).
  std::size_t table_entries() const { return table_entries_; }
  /// The standard error each value was drawn again with (replicates' sd over
  /// sqrt(replicates), 0 for an entry measured once; lab_noise x sd without
  /// replicates), averaged over the instance's entries (0: the table itself).
  double instance_spread() const { return instance_spread_; }
  /// Whether that spread came from the table's replicates (else from lab_noise).
  bool spread_from_replicates() const { return spread_from_replicates_; }
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
  std::uint64_t instance_ = 0;
  std::size_t table_entries_ = 0;
  double instance_spread_ = 0;
  bool spread_from_replicates_ = false;
};

/// The pool kernel of `problem`: csv_texts[problem % csv_texts.size()], as it
/// is for the first pass over the tables, a generated instance keyed by
/// `instance` after (a key of 0 is replaced by one of the problem alone).
std::unique_ptr<Kernel> make_pool_kernel(const KernelSpec& spec, int problem, std::uint64_t instance);
/// The name of the spec's table i: its csv_names entry, or "csv #i".
std::string pool_table_name(const KernelSpec& spec, std::size_t i);

}  // namespace twin::models
