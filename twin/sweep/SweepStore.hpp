#pragma once
// The sweep's results in SQLite (DIR/sweep.sqlite). Only the coordinating
// process opens it (never across a fork); each write is one transaction in
// WAL mode, so a sweep killed at any moment (even SIGKILL) leaves whole rows
// only, and a resumed sweep sees exactly the runs that finished.
//
// Tables (results are a pure function of the sweep file; wall-clock facts
// live only in run_wallclock):
//   sweep_meta(key, value)                        the sweep's definition, for --resume
//   parameters(position, name, pointer, spec_json)
//   variants(variant, label, values_json, status, error)        status: valid | invalid
//   variant_values(variant, parameter, value_json, value_num)
//   runs(variant, replication, status, exit_status, signal, error, stderr,
//        multiplier, multiplier_censored, discoveries_per_year_closed_loop,
//        discoveries_per_year_baseline, discoveries_closed_loop, discoveries_baseline,
//        ttfd_ratio, result_json)                                status: ok | failed
//   run_campaigns(variant, replication, mode, campaign, discoveries, experiments,
//        failed_experiments, simulations, cycles, first_discovery_days,
//        node_hours, lab_hours, energy_kwh)
//   run_outputs(variant, replication, output, value_json)
//   run_wallclock(variant, replication, wall_start_utc, wall_s, host, pid, rank)
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace twin::sweep {

struct CampaignRow {
  std::string mode, campaign;
  std::int64_t discoveries = 0, experiments = 0, failed_experiments = 0, simulations = 0, cycles = 0;
  std::optional<double> first_discovery_days;
  double node_hours = 0, lab_hours = 0, energy_kwh = 0;
};

struct RunRecord {
  int variant = 0, replication = 0;
  std::string status;  ///< "ok" or "failed"
  int exit_status = 0, signal = 0;
  std::string error, stderr_text;
  std::optional<double> multiplier;
  bool multiplier_censored = false;
  std::optional<double> dpy_closed_loop, dpy_baseline;
  std::optional<double> discoveries_closed_loop, discoveries_baseline;
  std::optional<double> ttfd_ratio;
  std::string result_json;  ///< the run's simulations (SimResult JSON), "" when failed
  std::vector<CampaignRow> campaigns;
  std::vector<std::pair<std::string, std::string>> outputs;  ///< (name, value as JSON text)
  // Wall clock: run_wallclock only.
  double wall_start_unix_s = 0, wall_s = 0;
  std::string host;
  std::int64_t pid = 0;
  int rank = 0;
};

struct VariantRow {
  int variant = 0;
  std::string label, values_json, status, error;
};

struct ParameterRow {
  std::string name, pointer, spec_json;
};

class SweepStore {
 public:
  /// Opens (creating if needed) the database at `path`; throws std::runtime_error.
  explicit SweepStore(const std::string& path);
  ~SweepStore();
  SweepStore(const SweepStore&) = delete;
  SweepStore& operator=(const SweepStore&) = delete;

  /// The stored definition ("" for a new database).
  std::string definition();
  /// Writes definition, parameters and variants, in one transaction.
  void initialise(const std::string& definition, const std::vector<ParameterRow>& parameters,
                  const std::vector<VariantRow>& variants, const std::vector<std::vector<std::string>>& values_json,
                  const std::vector<std::vector<std::optional<double>>>& values_num);
  /// (variant, replication) of every recorded run; failed ones only if asked.
  std::set<std::pair<int, int>> recorded_runs(bool include_failed);
  /// Drops failed runs (for --retry-failed), in one transaction.
  void forget_failed_runs();
  /// Writes one run (all its rows) in one transaction; replaces an earlier row.
  void record_run(const RunRecord& r);

  std::vector<ParameterRow> parameters();
  std::vector<VariantRow> variants();
  /// Runs in (variant, replication) order; `with_wallclock` fills the wall fields.
  std::vector<RunRecord> runs(bool with_result_json, bool with_wallclock);

 private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace twin::sweep
