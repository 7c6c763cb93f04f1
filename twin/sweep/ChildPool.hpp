#pragma once
// Runs sweep runs as child processes, up to `jobs` at a time: each is the
// twin program itself (/proc/self/exe) started with the hidden `__sweep-run`
// subcommand, the variant's scenario text on its stdin, its result (JSON) on
// stdout, its diagnostics on stderr. A child dies with its parent
// (PR_SET_PDEATHSIG), and the pool kills what is left when destroyed. The
// pool never touches the sweep database: it only hands back outcomes.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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

class ChildPool {
 public:
  explicit ChildPool(int jobs, int rank = 0);
  ~ChildPool();
  ChildPool(const ChildPool&) = delete;
  ChildPool& operator=(const ChildPool&) = delete;

  bool has_room() const { return static_cast<int>(children_.size()) < jobs_; }
  std::size_t running() const { return children_.size(); }
  /// Starts a child for `task`; throws std::runtime_error if it cannot.
  void start(const RunTask& task);
  /// Waits up to `timeout_ms` (-1: until one ends) and returns the runs that ended.
  std::vector<RunOutcome> collect(int timeout_ms);
  /// Kills every running child (SIGKILL) and reaps it.
  void kill_all();

 private:
  struct Child {
    pid_t pid = -1;
    int out_fd = -1, err_fd = -1;
    RunOutcome outcome;
    double t0 = 0;  ///< steady clock, s
  };
  int jobs_;
  int rank_;
  std::string host_;
  std::map<pid_t, Child> children_;
};

/// The environment variable that makes the worker of one run abort, for
/// tests of crash handling: "VARIANT:REPLICATION".
constexpr const char* CRASH_HOOK_ENV = "TWIN_SWEEP_TEST_CRASH";

}  // namespace twin::sweep
