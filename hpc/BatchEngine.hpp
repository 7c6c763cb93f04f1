#pragma once
// An HPC system's whole job lifecycle as a pure discrete-event engine (no
// SimGrid), on the caller's clock as the schedulers are: background arrivals
// (synthetic or a trace), queueing through an hpc::Scheduler policy, starts,
// walltime kills, node failures and repairs, planned outage windows and
// random whole-system outages, a retirement, and the accounting (waits,
// node-hours, energy through hpc/Power). The caller submits its own jobs
// (campaign jobs) with submit(), asks next_event_time(), and calls
// advance_to(t), which hands back every job that ended (lab/LabEngine is
// built the same way; twin/sim/HpcService and hpc/Replay drive this one).
//
// Order at one instant t (ties are broken deliberately, never by container
// order): (1) jobs ending at t, in (end, id) order: each caller job's end is
// followed by a scheduling pass; (2) background arrivals at or before t, in
// workload order; one pass if (1) or (2) changed anything, or if a
// reservation falls due and wake_on_reservations is set; (3) node repairs
// then failures at t (repairs first, then in failure-list order), each
// followed by a pass; a caller job a failure killed is requeued after that
// pass; (4) outage ends, then starts; (5) caller jobs held until the system
// comes online, in submission order, each followed by a pass.
// Job ids are given in submission order (1, 2, ...), background and caller
// jobs alike, so the schedulers' (submit, id) tie-breaks follow arrivals.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <string>
#include <utility>
#include <vector>

#include "hpc/Scheduler.hpp"
#include "hpc/SystemConfig.hpp"
#include "twin/core/Gauge.hpp"
#include "twin/core/Recorder.hpp"
#include "twin/core/Rng.hpp"
#include "twin/core/RunResult.hpp"

namespace twin::hpc {

/// A caller's job (a campaign's simulation).
struct JobSpec {
  std::string owner;        ///< accounting, records
  int nodes = 1;
  double run_s = 0;         ///< how long it runs once started
  double requested_s = 0;   ///< requested wall time: killed past it (overrun KILL)
  int priority = 0;
  bool reserved_access = true;  ///< may use the reserved slice
  /// The caller runs the job once started (EngineOptions::on_start) and ends
  /// it with finish(); run_s is then unused. The twin does this so that a
  /// campaign job runs as a SimGrid execution and ends in SimGrid's order.
  bool caller_timed = false;
};

enum class JobState {
  DONE,          ///< ran to its end
  WALLTIME,      ///< killed at its requested time
  NODE_FAILURE,  ///< killed by a node failure and lost (on_failure LOSE, or a background job)
  OUTAGE,        ///< killed by an outage and lost (as NODE_FAILURE)
  DISCARDED,     ///< caller job submitted when the system is retired
  SKIPPED,       ///< background job larger than the usable machine (Oversize::SKIP)
};
const char* to_string(JobState s);

/// A job whose life ended, handed back by advance_to() (or by submit() for a discarded one).
struct JobEnd {
  std::uint64_t ticket = 0;  ///< caller jobs: what submit() returned; background: 0
  std::uint64_t id = 0;      ///< the last attempt's job id (its record's); 0: never queued (discarded)
  bool background = false;
  std::size_t trace_index = 0;  ///< background trace jobs: index in the trace
  JobState state = JobState::DONE;
  double submit_s = 0;       ///< first submission (after any hold)
  double hold_s = 0;         ///< held before submission (system not yet online)
  double start_s = 0;        ///< last attempt's start (= end for a job that never started)
  double end_s = 0;
  std::vector<int> nodes;    ///< last attempt's nodes, ascending
  int attempts = 0;          ///< starts (requeues add one each)
  double node_hours = 0;     ///< every attempt
  double energy_j = 0;       ///< every attempt, at busy power (hpc::job_energy_j)
};

struct EngineOptions {
  /// Also run a scheduling pass when a reservation falls due with no other
  /// event (Scheduler::next_wakeup_s): the replay's loop. The twin schedules
  /// on events only.
  bool wake_on_reservations = false;
  /// Background trace jobs take their index in the trace as scheduler id
  /// (the replay's: on_pass sees the trace's numbering); submit() is then
  /// refused. Otherwise ids are 1, 2, ... in submission order.
  bool trace_index_ids = false;
  /// Called after every scheduling pass (checks, traces); may be empty.
  std::function<void(double now_s, const Scheduler& scheduler)> on_pass;
  /// Called when a caller job starts (each attempt), and when a running
  /// caller job is killed by a node failure or an outage (before it is
  /// requeued or ended); may be empty.
  std::function<void(std::uint64_t ticket, double start_s, const std::vector<int>& nodes)> on_start;
  std::function<void(std::uint64_t ticket)> on_kill;
};

/// Counts of a run, each from its own source.
struct EngineCounters {
  std::int64_t background_submitted = 0, background_finished = 0, background_killed = 0, background_skipped = 0;
  std::int64_t node_failures = 0, failure_kills = 0, requeued = 0;  ///< requeued: caller jobs
  std::int64_t outages = 0, outage_kills = 0;  ///< outages begun (planned and random), jobs they killed
  std::int64_t waits = 0;                      ///< caller-job starts
  double wait_sum_s = 0, wait_max_s = 0;       ///< caller-job waits in the queue
  double down_s = 0;                           ///< outage seconds within [online, retirement), up to now
  /// Background node-seconds submitted: nodes x the time each would run
  /// (run time, or requested time where that kills it).
  double background_offered_node_s = 0;
};

class BatchEngine {
 public:
  /// `seed` keys the synthetic background, the node failures and the random
  /// outages (streams named after the system); node failures are drawn up to
  /// `horizon_s`. `recorder` (may be null) receives job records and spans.
  /// Throws std::invalid_argument for a bad scheduler name or size.
  BatchEngine(SystemConfig config, std::uint64_t seed, double horizon_s, EngineOptions options = {},
              core::Recorder* recorder = nullptr);

  /// A caller job arrives at `t` (>= now()). Before online_from_s it is
  /// held until then; from offline_from_s on it is discarded (appended to
  /// `done` at once). Returns its ticket (1, 2, ...).
  std::uint64_t submit(const JobSpec& job, double t, std::vector<JobEnd>& done);
  /// The ticket the next submit() returns.
  std::uint64_t next_ticket() const { return next_ticket_; }
  /// A running caller-timed job ended at `t` (>= now()): at its requested
  /// time (`walltime`) or by itself. Appends its end to `done`.
  void finish(std::uint64_t ticket, double t, bool walltime, std::vector<JobEnd>& done);
  double now() const { return now_; }
  /// Time of the next event, or core::NEVER.
  double next_event_time() const;
  /// Processes every event at or before `t`; appends the jobs that ended.
  void advance_to(double t, std::vector<JobEnd>& done);

  /// Up at `t`: online, not retired, not in an outage window (planned, or
  /// the random outage under way). A query about now or later.
  bool up_at(double t_s) const;
  /// The earliest time >= t_s at which the system is up (core::NEVER if
  /// retired by then). Random outages not begun by now() are not foreseen.
  double next_up(double t_s) const;

  const SystemConfig& config() const { return cfg_; }
  /// How long a job of `nodes` nodes asking `requested_s`, submitted at
  /// now(), would wait before it starts, planned as conservative
  /// backfilling plans from the requested times: every running job ends at
  /// its start plus its requested time; every queued job, in (submit, id)
  /// order, takes the earliest slot where enough nodes are free for its
  /// requested time; then this job takes its own (which may lie before the
  /// others' slots: a backfill). Counts of nodes only, not named nodes; no
  /// start before the system is next up. core::NEVER when it never is, or
  /// the job is larger than the machine.
  double estimated_wait_s(int nodes, double requested_s) const;
  const Scheduler& scheduler() const { return *sched_; }
  const EngineCounters& counters() const { return counters_; }
  /// Caller jobs: created, finished, failed (walltime, lost), discarded,
  /// holds, and in_flight counted from the jobs still held, queued or
  /// running in the engine: the balance is a check that can fail.
  core::Conservation caller_jobs() const;
  /// The system as a report resource over [0, horizon_s] (call at the horizon).
  core::HpcSim resource(double horizon_s) const;
  /// Records every job still queued or running (once, at the horizon).
  void record_unfinished(double horizon_s);

  /// Test only: forgets a caller job (held or running) without
  /// counting it anywhere, so the conservation balance must fail.
  void lose_job_for_test(std::uint64_t ticket);

 private:
  struct Job {
    bool background = false;
    bool started = false;
    std::uint64_t ticket = 0;
    std::size_t trace_index = 0;
    JobSpec spec;  // owner ("background" for the background), nodes (requested), run_s, requested_s, priority
    std::vector<int> nodes;
    double first_submit_s = 0, hold_s = 0, submit_s = 0, start_s = -1, end_s = 0;
    int attempts = 0;
    double node_hours = 0, energy_j = 0;
  };
  struct NodeEvent {
    double t;
    bool failure;
    int node;
  };

  void pass();
  void submit_job(std::uint64_t id, Job job, const std::string* account);  // account null: the owner
  void end_job(std::uint64_t id, JobState state, std::vector<JobEnd>& done);
  void kill(std::uint64_t id, JobState lost_state, std::vector<JobEnd>& done);
  void requeue(Job job);
  bool next_background();
  void record(std::uint64_t id, const Job& j, double end_s, const char* state, double span_end_s);
  void go_down(std::vector<JobEnd>& done);
  void go_up();
  double next_system_event() const;
  bool in_planned_outage(double t) const;

  SystemConfig cfg_;
  EngineOptions opt_;
  core::Recorder* recorder_;
  std::unique_ptr<Scheduler> sched_;
  double now_ = 0;
  std::uint64_t next_id_ = 1, next_ticket_ = 1;
  std::unordered_map<std::uint64_t, Job> jobs_;       // id -> queued or running job (never iterated unsorted)
  std::map<std::uint64_t, std::uint64_t> caller_ids_; // ticket -> id, caller jobs in jobs_
  std::set<std::pair<double, std::uint64_t>> ends_;   // (end, id) of running jobs
  std::vector<std::pair<std::uint64_t, Job>> held_;   // (ticket order) until online_from_s
  std::vector<Job> requeue_;                          // killed caller jobs to resubmit after the pass
  // background
  std::unique_ptr<SyntheticWorkload> synthetic_;
  std::unique_ptr<core::Rng> bg_rng_;
  std::size_t trace_next_ = 0;
  WorkloadJob synthetic_next_;
  const WorkloadJob* next_bg_ = nullptr;  // the next arrival (in the trace, or synthetic_next_)
  double next_bg_submit_s_ = 0;           // its submit time on the system's clock
  bool has_next_bg_ = false;
  // node failures
  std::vector<NodeEvent> node_events_;
  std::size_t node_next_ = 0;
  // outages: planned windows (next index) and the random process
  std::size_t outage_next_ = 0;  // next planned window not yet begun
  bool planned_down_ = false;
  double planned_up_s_ = 0;      // end of the planned window under way
  std::unique_ptr<core::Rng> outage_rng_;
  double random_down_s_ = core::NEVER, random_up_s_ = core::NEVER;  // next or current random outage
  bool random_down_ = false;
  double down_since_s_ = 0;
  // accounting
  core::Gauge busy_nodes_, queue_;
  core::Gauge background_busy_;  ///< nodes held by background jobs
  core::Conservation caller_;
  EngineCounters counters_;
};

}  // namespace twin::hpc
