#pragma once
// A sweep's runs on the twin's process pool (twin/ProcessPool.hpp), up to
// `jobs` at a time: each run is the twin program itself started with the
// hidden `__sweep-run` subcommand, the variant's scenario text on its stdin,
// its result (JSON) on stdout, its diagnostics on stderr (kept). The pool
// never touches the sweep database: it only hands back outcomes.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "twin/ProcessPool.hpp"

namespace twin::sweep {

struct RunTask {
  int variant = 0;
  int replication = 0;
  std::string scenario_text;
  std::string scenario_file;  ///< what the scenario's relative paths resolve against
};

/// What one child run gave back. Wall-clock facts are kept apart (`wall_*`,
/// host, pid, rank) and never reach the sweep's results.
struct RunOutcome {
  int variant = 0;
  int replication = 0;
  int exit_status = -1;  ///< -1 when killed by a signal
  int signal = 0;
  std::string out;       ///< the child's stdout (its result as JSON when exit_status is 0)
  std::string err;       ///< the child's stderr (its last 64 KiB)
  double wall_start_unix_s = 0;
  double wall_s = 0;
  std::string host;
  std::int64_t pid = 0;
  int rank = 0;
};

class RunPool {
 public:
  explicit RunPool(int jobs, int rank = 0);

  bool has_room() const { return pool_.has_room(); }
  std::size_t running() const { return pool_.running(); }
  /// Starts a child for `task`; throws std::runtime_error if it cannot.
  void start(const RunTask& task);
  /// Waits up to `timeout_ms` (-1: until one ends) and returns the runs that ended.
  std::vector<RunOutcome> collect(int timeout_ms);

 private:
  ProcessPool pool_;
  int rank_;
  std::string host_;
  std::uint64_t next_tag_ = 0;
  std::map<std::uint64_t, std::pair<int, int>> running_;  ///< tag -> (variant, replication)
};

/// The environment variable that makes the worker of one run abort, for
/// tests of crash handling: "VARIANT:REPLICATION".
constexpr const char* CRASH_HOOK_ENV = "TWIN_SWEEP_TEST_CRASH";

}  // namespace twin::sweep
