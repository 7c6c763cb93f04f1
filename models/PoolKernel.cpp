#include "models/PoolKernel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "models/CsvTable.hpp"
#include "models/StableHash.hpp"

namespace twin::models {
namespace {

double sample_sd(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace

const std::vector<SettingsParam<PoolKernel::Settings>>& PoolKernel::settings_params() {
  using S = Settings;
  static const std::vector<SettingsParam<S>> table = {
      {{"lab_noise", "1", 0.02, 0, 10, false,
        "Standard deviation of a lab measurement's noise, as a fraction of the standard deviation "
        "of the pool's values. A stated default, not a measured fact: replicate spread varies by "
        "dataset."}, &S::lab_noise},
      {{"sim_bias", "1", 0.1, 0, 10, false,
        "Amplitude of the simulation's smooth bias, sim_bias * sd * tanh(s(x)), as a fraction of "
        "the standard deviation sd of the pool's values."}, &S::sim_bias},
      {{"sim_gflop", "GFLOP", 3.6e7, 0, 1e15, false,
        "Cost of one simulation of any row: 3.6e7 GFLOP is 3 node-minutes on a 2e5 GFLOP/s "
        "(Frontier-class) node, a stated default for a small DFT-like calculation."}, &S::sim_gflop},
      {{"sim_noise", "1", 0.2, 0, 10, false,
        "Standard deviation of the simulation's fixed per-row error (a hash of the row, the same "
        "at every call), as a fraction of the standard deviation of the pool's values."}, &S::sim_noise},
      {{"stream_noise", "1", 1, 0, 10, false,
        "With on_discovery next_problem, how far a generated instance moves each value towards its "
        "redraw (the mean of a resample of the entry's replicates; lab_noise x sd of noise in a table "
        "without replicates). 1: the full redraw; 0: the table's values."}, &S::stream_noise},
      {{"stream_subset", "1", 0.9, 0.05, 1, false,
        "With on_discovery next_problem, the share of the table's candidates a generated instance keeps "
        "(a random subset per instance). 1: all of them."}, &S::stream_subset},
  };
  return table;
}

KernelInfo PoolKernel::info() {
  return KernelInfo{
      "pool",
      "A table of real measurements (CSV text, one per problem of the stream; problem p uses "
      "file p mod n; after the last, generated instances: a random stream_subset of the "
      "candidates, values drawn again from resamples of the replicates). Last column is the "
      "objective, the others features; replicate rows averaged. The lab reads the averaged value plus noise; the HPC simulation adds a smooth "
      "bias and a fixed per-row error. Goal required.",
      document_params(param_defs_of(settings_params()))};
}

std::shared_ptr<const PoolTable> read_pool_table(std::string_view csv_text, std::string name) {
  const CsvTable table = parse_csv_table(csv_text, name);
  if (table.column_count < 2) {
    throw std::invalid_argument(name + ": a pool needs at least one feature column and the "
                                "objective column, got " + std::to_string(table.column_count) +
                                " column");
  }
  const std::size_t d = table.column_count - 1;
  auto t = std::make_shared<PoolTable>();
  t->name = std::move(name);
  t->raw_rows = table.rows.size();
  t->header = table.header;
  // Replicates gathered: sums in file order (each mean is divided once, by the kernel).
  std::map<std::vector<double>, std::size_t> entry_of;
  for (const auto& row : table.rows) {
    std::vector<double> features(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(d));
    const auto [it, inserted] = entry_of.emplace(features, t->features.size());
    if (inserted) {
      t->features.push_back(std::move(features));
      t->sums.push_back(row[d]);
      t->values.push_back({row[d]});
    } else {
      t->sums[it->second] += row[d];
      t->values[it->second].push_back(row[d]);
    }
  }
  return t;
}

PoolKernel::PoolKernel(std::string name, std::string_view csv_text, Goal goal, Settings settings,
                       std::uint64_t instance)
    : PoolKernel(*read_pool_table(csv_text, std::move(name)), goal, settings, instance) {}

PoolKernel::PoolKernel(const PoolTable& table, Goal goal, Settings settings, std::uint64_t instance)
    : name_(table.name), goal_(goal), settings_(settings), instance_(instance) {
  const std::size_t d = table.features.empty() ? 0 : table.features[0].size();
  raw_rows_ = table.raw_rows;
  const std::vector<std::vector<double>>& values = table.values;
  // The entries this problem uses: the table's, or (an instance) a subset of them.
  const std::vector<std::vector<double>>* entries = &table.features;
  std::vector<std::vector<double>> kept_features;
  table_entries_ = table.features.size();
  truths_.resize(table_entries_);
  replicates_.resize(table_entries_);
  for (std::size_t i = 0; i < table_entries_; ++i) {
    truths_[i] = table.sums[i] / static_cast<double>(values[i].size());
    replicates_[i] = static_cast<int>(values[i].size());
  }
  value_sd_ = sample_sd(truths_);
  if (instance_ != 0) {
    // Values drawn again: where the table has replicates, each entry's value
    // is the mean of a resample (with replacement) of its own replicates, so
    // an entry measured once keeps its value; without replicates anywhere,
    // the value plus the lab's noise.
    spread_from_replicates_ = std::any_of(values.begin(), values.end(), [](const auto& v) { return v.size() > 1; });
    // A random subset of exactly round(share x entries), at least 2: the
    // entries whose keyed uniform draws are smallest, kept in table order.
    const std::size_t keep = std::min(
        table_entries_, std::max<std::size_t>(2, static_cast<std::size_t>(std::llround(
                                                     settings_.stream_subset * static_cast<double>(table_entries_)))));
    std::vector<std::pair<double, std::size_t>> draws(table_entries_);
    for (std::size_t i = 0; i < table_entries_; ++i)
      draws[i] = {unit_uniform(splitmix64(fnv1a_u64(fnv1a_doubles(table.features[i], instance_), 1))), i};
    std::nth_element(draws.begin(), draws.begin() + static_cast<std::ptrdiff_t>(keep - 1), draws.end());
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < keep; ++i) kept.push_back(draws[i].second);
    std::sort(kept.begin(), kept.end());
    std::vector<double> t2;
    std::vector<int> r2;
    double spread_sum = 0;
    for (std::size_t i : kept) {
      const std::uint64_t key = fnv1a_doubles(table.features[i], instance_);
      const std::vector<double>& v = values[i];
      double value = truths_[i], s = 0;
      if (spread_from_replicates_ && v.size() > 1) {
        double sum = 0;
        for (std::size_t j = 0; j < v.size(); ++j) {
          const double u = unit_uniform(splitmix64(fnv1a_u64(fnv1a_u64(key, 2), j)));
          sum += v[std::min(v.size() - 1, static_cast<std::size_t>(u * static_cast<double>(v.size())))];
        }
        s = settings_.stream_noise * sample_sd(v) / std::sqrt(static_cast<double>(v.size()));
        value = truths_[i] + settings_.stream_noise * (sum / static_cast<double>(v.size()) - truths_[i]);
      } else if (!spread_from_replicates_) {
        s = settings_.stream_noise * settings_.lab_noise * value_sd_;
        value = truths_[i] + s * pseudo_normal(splitmix64(fnv1a_u64(key, 3)));
      }
      t2.push_back(value);
      spread_sum += s;
      r2.push_back(replicates_[i]);
      kept_features.push_back(table.features[i]);
    }
    entries = &kept_features;
    truths_ = std::move(t2);
    replicates_ = std::move(r2);
    instance_spread_ = spread_sum / static_cast<double>(keep);
    value_sd_ = sample_sd(truths_);
  }
  const std::vector<std::vector<double>>& unique_features = *entries;
  for (std::size_t i = 0; i < unique_features.size(); ++i) row_by_features_.emplace(unique_features[i], i);
  const std::size_t n = unique_features.size();
  // Every field is finite, but a sum of them need not be: a mean or spread
  // beyond a double would make truths, noise and the agents' numbers inf/NaN.
  const bool values_finite = std::all_of(truths_.begin(), truths_.end(), [](double v) { return std::isfinite(v); });
  if (!values_finite || !std::isfinite(value_sd_))
    throw std::invalid_argument(name_ + ": the objective's values are too large: their mean or spread overflows a double");

  std::vector<std::string> names;
  if (!table.header.empty()) {
    names.assign(table.header.begin(), table.header.begin() + static_cast<std::ptrdiff_t>(d));
    objective_name_ = table.header[d];
  } else {
    for (std::size_t j = 0; j < d; ++j) names.push_back("x" + std::to_string(j + 1));
  }
  Eigen::MatrixXd features(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      features(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = unique_features[i][j];
    }
  }

  // The simulation's offsets depend only on the row: compute them once.
  std::vector<double> mean(d, 0.0), sd(d, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    std::vector<double> col(n);
    for (std::size_t i = 0; i < n; ++i) col[i] = unique_features[i][j];
    for (double v : col) mean[j] += v;
    mean[j] /= static_cast<double>(n);
    sd[j] = sample_sd(col);
    if (!std::isfinite(mean[j]) || !std::isfinite(sd[j]))
      throw std::invalid_argument(name_ + ": feature column " + std::to_string(j + 1) +
                                  " is too large: its mean or spread overflows a double");
  }
  sim_offsets_.resize(n);
  const double inv_sqrt_d = 1.0 / std::sqrt(static_cast<double>(d));
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < d; ++j) {
      const double z = sd[j] > 0 ? (unique_features[i][j] - mean[j]) / sd[j] : 0.0;
      s += (j % 2 == 0 ? z : -z);
    }
    s *= inv_sqrt_d;
    const std::uint64_t key =
        splitmix64(fnv1a_u64(fnv1a_doubles(unique_features[i]), double_bits(truths_[i])));
    sim_offsets_[i] = settings_.sim_bias * value_sd_ * std::tanh(s) +
                      settings_.sim_noise * value_sd_ * pseudo_normal(key);
  }

  space_ = DesignSpace::pool(std::move(names), std::move(features));
}

std::size_t PoolKernel::row_of(const Candidate& c) const {
  if (c.pool_index >= 0) {
    if (static_cast<std::size_t>(c.pool_index) >= truths_.size()) {
      throw std::out_of_range(name_ + ": pool index " + std::to_string(c.pool_index) +
                              " out of a pool of " + std::to_string(truths_.size()));
    }
    return static_cast<std::size_t>(c.pool_index);
  }
  const auto it = row_by_features_.find(c.x);
  if (it == row_by_features_.end()) {
    throw std::invalid_argument(name_ + ": candidate is not a row of the pool");
  }
  return it->second;
}

double PoolKernel::truth(const Candidate& c) const { return truths_[row_of(c)]; }

double PoolKernel::simulate(const Candidate& c) const {
  const std::size_t r = row_of(c);
  return truths_[r] + sim_offsets_[r];
}

double PoolKernel::simulation_flops(const Candidate& c) const {
  (void)row_of(c);
  return settings_.sim_gflop * 1e9;
}

double PoolKernel::lab_noise_sd() const { return settings_.lab_noise * value_sd_; }

std::string PoolKernel::describe() const {
  std::string s = "pool " + name_ + ", " + std::to_string(truths_.size()) + " candidates";
  if (instance_ != 0) return s + " (a generated instance: of its " + std::to_string(table_entries_) + ", values drawn again)";
  if (raw_rows_ != truths_.size()) s += " (" + std::to_string(raw_rows_) + " rows)";
  return s;
}

std::string pool_table_name(const KernelSpec& spec, std::size_t i) {
  return i < spec.csv_names.size() && !spec.csv_names[i].empty() ? spec.csv_names[i] : "csv #" + std::to_string(i);
}

std::unique_ptr<Kernel> make_pool_kernel(const KernelSpec& spec, int problem, std::uint64_t instance) {
  if (spec.csv_texts.empty()) {
    throw std::invalid_argument("kernel 'pool': no CSV text given (csv_texts is empty)");
  }
  if (!spec.goal) {
    throw std::invalid_argument("kernel 'pool': a goal is required (minimize or maximize)");
  }
  const PoolKernel::Settings s = resolve_settings("pool", PoolKernel::settings_params(), spec.params);
  const std::size_t which = static_cast<std::size_t>(problem) % spec.csv_texts.size();
  std::string name = pool_table_name(spec, which);
  // The first pass over the tables uses them as they are; later problems are instances.
  std::uint64_t key = 0;
  if (static_cast<std::size_t>(problem) >= spec.csv_texts.size())
    key = instance != 0 ? instance : splitmix64(static_cast<std::uint64_t>(problem) + 1);
  if (which < spec.pool_tables.size() && spec.pool_tables[which]) {
    // Read once (prepare_kernel); the name given to the table when it was read.
    return std::make_unique<PoolKernel>(*spec.pool_tables[which], *spec.goal, s, key);
  }
  return std::make_unique<PoolKernel>(std::move(name), spec.csv_texts[which], *spec.goal, s, key);
}

}  // namespace twin::models
