#pragma once
// A physics kernel plays "nature": a pure, deterministic function from a
// candidate to a value, at two fidelities, with a cost. The lab measures the
// truth (plus noise that the caller draws from a keyed stream, see
// lab_noise_sd); an HPC simulation returns a cheaper, biased value and costs
// simulation_flops. Kernels do no I/O: file contents arrive in KernelSpec.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/DesignSpace.hpp"

namespace twin::models {

struct PoolTable;

/// What the scenario says about a kernel (already read and unit-converted).
struct KernelSpec {
  std::string kind;  ///< registered kind: "pool", "kinetics", "snar", "branin", "michalewicz"
  /// pool: the CSV texts (one per problem of the stream) and their names.
  std::vector<std::string> csv_texts;
  std::vector<std::string> csv_names;
  /// pool: csv_texts as read (prepare_kernel), one each; empty: each problem reads its text.
  std::vector<std::shared_ptr<const PoolTable>> pool_tables;
  std::optional<Goal> goal;               ///< pool: required; others have their own
  std::map<std::string, double> params;   ///< documented per kind (see registry)
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual const DesignSpace& space() const = 0;
  virtual Goal goal() const = 0;
  /// The noiseless value a perfect lab measurement would give.
  virtual double truth(const Candidate& c) const = 0;
  /// The HPC simulation's value: biased, lower fidelity, deterministic.
  virtual double simulate(const Candidate& c) const = 0;
  /// Floating-point operations one simulation of `c` costs.
  virtual double simulation_flops(const Candidate& c) const = 0;
  /// Standard deviation of a lab measurement's noise, in the value's unit.
  virtual double lab_noise_sd() const = 0;
  /// Pool kernels: the truth of every row, in row order (for top-k targets).
  virtual std::vector<double> pool_truths() const { return {}; }
  /// A short description for reports ("pool oer_3496.csv, 2121 candidates").
  virtual std::string describe() const = 0;
};

/// Builds the kernel of problem `problem` (0, 1, ...) of the stream described
/// by `spec`. Throws std::invalid_argument with a clear message on bad input.
/// `instance` keys a generated instance of the problem family where the
/// kind has one (pool: problems after its tables; see PoolKernel.hpp); the
/// caller derives it from (seed, replication, campaign, problem), never from
/// the mode, so both modes meet the same problems. 0: the kind's own default.
std::unique_ptr<Kernel> make_kernel(const KernelSpec& spec, int problem, std::uint64_t instance = 0);

/// One documented parameter of a kernel kind (a key of KernelSpec::params).
struct KernelParam {
  std::string name;
  std::string unit;           ///< "1" for dimensionless, "GFLOP", ...
  std::string default_value;  ///< shortest round-trip text of the default
  std::string description;
};

/// What `twin models` prints about one kernel kind.
struct KernelInfo {
  std::string kind;
  std::string description;
  std::vector<KernelParam> params;  ///< sorted by name
};

/// Reads once what every problem of a stream would read again (a pool's
/// tables into spec.pool_tables), so that make_kernel only builds the
/// problem. The kernels it makes are the same; a bad table throws here as
/// make_kernel would.
void prepare_kernel(KernelSpec& spec);

/// Every kernel kind make_kernel accepts, sorted by kind.
std::vector<KernelInfo> kernel_catalog();

}  // namespace twin::models
