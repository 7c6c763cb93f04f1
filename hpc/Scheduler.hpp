#pragma once
// A batch scheduling policy: pure code that decides which queued jobs start
// now and on which named nodes. The caller owns time: it calls submit() when
// a job arrives, finish() when one ends (or is killed), and schedule() after
// any of these; each returned Start must be started at once. Plans use the
// requested time (the user's estimate).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace twin::hpc {

struct JobRequest {
  std::uint64_t id = 0;      ///< unique per scheduler; ties broken by submit order then id
  int nodes = 1;             ///< whole nodes requested
  double requested_s = 0;    ///< requested wall time (the estimate plans use)
  double submit_s = 0;
  int priority = 0;          ///< larger first, where the policy honours priorities
};

struct Start {
  std::uint64_t id = 0;
  std::vector<int> nodes;  ///< node indices, ascending
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void submit(const JobRequest& job) = 0;
  /// The job ended (normally or killed) at `now_s`; its nodes are free.
  virtual void finish(std::uint64_t id, double now_s) = 0;
  /// Jobs to start now (and their nodes), in start order.
  virtual std::vector<Start> schedule(double now_s) = 0;
  virtual std::size_t queued() const = 0;
  virtual int total_nodes() const = 0;
  virtual int free_nodes() const = 0;
};

/// Builds the policy named `name` ("fcfs", ...) for a machine of `nodes`
/// nodes; throws std::invalid_argument for an unknown name.
std::unique_ptr<Scheduler> make_scheduler(const std::string& name, int nodes);

}  // namespace twin::hpc
