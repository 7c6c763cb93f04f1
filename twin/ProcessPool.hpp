#pragma once
// Child processes, up to `jobs` at a time, and what each hands back: the one
// fork-and-poll pool of the twin. `twin run` forks one child per simulation
// (SimGrid allows one engine per process) that writes its result to a pipe;
// `twin sweep` starts the twin program itself again (/proc/self/exe) per run,
// with the run's scenario on its stdin and its result on its stdout. A child
// dies with its parent (PR_SET_PDEATHSIG), and the pool kills what is left
// when destroyed. The pool only hands back what ended; it keeps no order, so
// callers store results by their own tag.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace twin {

struct ChildLaunch {
  std::uint64_t tag = 0;  ///< the caller's name for the child, handed back when it ends
  /// A forked child (no exec) runs `body(out_fd)` and exits with what it
  /// returns; what it writes to `out_fd` is its output. It must not return
  /// into the caller's code: the pool ends it with _exit.
  std::function<int(int out_fd)> body;
  /// Otherwise (no body): /proc/self/exe started with `argv` (argv[0]
  /// included), `stdin_text` on its stdin; its stdout is its output.
  std::vector<std::string> argv;
  std::string stdin_text;
  /// Keep the child's stderr (its last 64 KiB) in ChildEnd::err; otherwise it
  /// goes straight to ours (diagnostics, --log).
  bool capture_stderr = false;
};

/// How one child ended. Wall-clock facts (wall_*, pid) are for run logs only.
struct ChildEnd {
  std::uint64_t tag = 0;
  int exit_status = -1;  ///< -1 when killed by a signal
  int signal = 0;
  std::string out;       ///< everything the child wrote on its output
  std::string err;       ///< its stderr's last 64 KiB, when captured
  double wall_start_unix_s = 0;
  double wall_s = 0;
  std::int64_t pid = 0;
  bool ok() const { return exit_status == 0 && signal == 0; }
  /// "killed by signal 9" or "exit status 4"; empty when ok().
  std::string why() const;
};

class ProcessPool {
 public:
  explicit ProcessPool(int jobs);
  ~ProcessPool();
  ProcessPool(const ProcessPool&) = delete;
  ProcessPool& operator=(const ProcessPool&) = delete;

  bool has_room() const { return static_cast<int>(children_.size()) < jobs_; }
  std::size_t running() const { return children_.size(); }
  /// Starts a child; throws std::runtime_error (naming the call that failed) if it cannot.
  void start(const ChildLaunch& launch);
  /// Waits up to `timeout_ms` (-1: until one ends) and returns the children that ended.
  std::vector<ChildEnd> collect(int timeout_ms);
  /// Kills every running child (SIGKILL) and reaps it.
  void kill_all();

 private:
  struct Child {
    pid_t pid = -1;
    int out_fd = -1, err_fd = -1;
    ChildEnd end;
    double t0 = 0;  ///< steady clock, s
  };
  int jobs_;
  std::map<pid_t, Child> children_;
};

}  // namespace twin
