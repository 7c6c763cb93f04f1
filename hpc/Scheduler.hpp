#pragma once
// A batch scheduling policy: pure code that decides which queued jobs start
// now and on which named nodes. The caller owns time: it calls submit() when
// a job arrives, finish() when one ends (or is killed), and schedule() after
// any of these; each returned Start must be started at once. Plans use the
// requested time (the user's estimate).
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace twin::hpc {

struct JobRequest {
  std::uint64_t id = 0;      ///< unique per scheduler; ties broken by submit order then id
  int nodes = 1;             ///< whole nodes requested
  double requested_s = 0;    ///< requested wall time (the estimate plans use)
  double submit_s = 0;
  int priority = 0;          ///< larger first, where the policy honours priorities
  std::string account;       ///< who is charged, for fair-share ordering ("" is one account)
  bool reserved_access = false;  ///< may use the reserved slice (SchedulerOptions::reserved_nodes)
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

  /// A queued job's planned start on named nodes (backfilling policies).
  struct Reservation {
    std::uint64_t id = 0;
    double start_s = 0;
    std::vector<int> nodes;  ///< ascending
  };
  /// The reservations held after the last schedule(): the head job's under
  /// EASY, every queued job's under conservative, none under FCFS.
  virtual std::vector<Reservation> reservations() const { return {}; }
  /// The earliest future time at which schedule() could start a job with no
  /// submit or finish in between (a reservation falling due); infinity if
  /// none. A caller that only calls schedule() on events may ignore it when
  /// jobs are killed at their requested time.
  virtual double next_wakeup_s() const { return std::numeric_limits<double>::infinity(); }

  /// Node failures (see NodeFailures.hpp). The job holding `node`, if any:
  /// the caller ends it (finish) before set_node_down.
  virtual std::optional<std::uint64_t> job_on_node(int node) const;
  /// Takes a free node out of scheduling until set_node_up; plans are
  /// remade. Throws std::invalid_argument if a job holds the node.
  virtual void set_node_down(int node, double now_s);
  virtual void set_node_up(int node, double now_s);
  virtual int down_nodes() const { return 0; }
};

/// Builds the policy named `name` ("fcfs", ...) for a machine of `nodes`
/// nodes; throws std::invalid_argument for an unknown name.
std::unique_ptr<Scheduler> make_scheduler(const std::string& name, int nodes);

/// The order in which a policy considers queued jobs. Ties are always broken
/// by (submit_s, id), so the order never depends on the order of submit calls.
enum class QueueOrder {
  SUBMIT,      ///< first come, first served: (submit_s, id)
  PRIORITY,    ///< larger JobRequest::priority first, then (submit_s, id)
  FAIR_SHARE,  ///< smaller decayed usage (node-seconds) of the job's account first, then as PRIORITY
};

/// What happens to a job that reaches its requested time. The scheduler only
/// records the choice: the caller (replay loop or SimGrid actor) ends the job.
enum class OverrunPolicy {
  KILL,     ///< ended at start + requested_s (Slurm's default, and the replay's)
  LET_RUN,  ///< runs to its real end; backfill plans may then be broken
};

/// Conservative backfilling: where a compression puts back a job that
/// cannot start earlier than its reservation.
enum class RefitNodes {
  LOWEST,  ///< on the lowest nodes free throughout its slot, as batsched's conservative_bf re-inserts it
  KEEP,    ///< on its own nodes: a reservation only changes to start earlier
};

struct SchedulerOptions {
  QueueOrder order = QueueOrder::SUBMIT;
  /// Half-life of the usage that fair-share ordering charges (Slurm's
  /// PriorityDecayHalfLife defaults to 7 days).
  double fair_share_half_life_s = 7.0 * 86400.0;
  OverrunPolicy overrun = OverrunPolicy::KILL;
  /// A reserved slice: the highest-index `reserved_nodes` nodes run only
  /// jobs with JobRequest::reserved_access (which may also use every other
  /// node). A planner's lever: "AI campaigns get a reserved slice of
  /// Frontier". 0 = none; must be < the machine's nodes.
  int reserved_nodes = 0;
  /// Conservative only: see RefitNodes.
  RefitNodes conservative_refit = RefitNodes::LOWEST;
  /// Conservative only: re-fit at a compression only the jobs whose slot
  /// can change (the default); false re-fits every queued job, the
  /// reference the tests compare the fast path against.
  bool conservative_incremental = true;
};

/// As make_scheduler(name, nodes) with options. Names: "fcfs" (no
/// backfilling), "easy" (EASY backfilling: the first queued job that does
/// not fit holds a reservation on named nodes; a later job may start now if
/// it ends by that reservation's start or uses none of its nodes),
/// "conservative" (every queued job holds a reservation on named nodes,
/// made in queue order at the earliest time it fits; a job starts when its
/// reservation falls due; reservations move earlier when jobs end early,
/// never later). Any name may carry a queue-order suffix that overrides
/// options.order: "easy-priority", "conservative-fairshare", "fcfs-submit".
/// Nodes are chosen lowest free index first (ties in the queue: see
/// QueueOrder; ties in planned ends: job id). Throws std::invalid_argument
/// for an unknown name, nodes < 1, or reserved_nodes outside [0, nodes).
std::unique_ptr<Scheduler> make_scheduler(const std::string& name, int nodes, const SchedulerOptions& options);

/// A documented parameter of a scheduler kind (for `twin models`).
struct SchedulerParam {
  std::string name, unit, default_value, description;
};
struct SchedulerInfo {
  std::string kind, description;
  std::vector<SchedulerParam> params;
};
/// Every scheduler kind with its parameters, sorted by kind.
std::vector<SchedulerInfo> scheduler_catalog();

}  // namespace twin::hpc
