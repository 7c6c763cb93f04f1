#pragma once
// A robotic lab as a pure discrete-event engine (no SimGrid): samples are
// submitted at a time, the engine runs its own event heap (time, then
// insertion sequence: a deterministic tie-break) and hands back the samples
// whose life ended. A sample walks the workflow's steps in topological order
// (one place at a time): it queues at the step's station kind, a slot is
// reserved on one station, a robot moves it there (a move may jam until a
// technician clears it), a technician hands it over where the step is manual
// or the request is staffed-only (baseline), a batch station waits to be full
// or for its timeout, a set-up runs if the recipe changed, then the step runs
// and succeeds or fails (retried up to max_retries, then reported failed).
// Stations break down (MTBF) and are repaired by a technician, go down for
// scheduled maintenance, and run out of consumables that a technician
// restocks. Technicians are a counted pool available only on shift.
//
// A sample's recipe is its requesting campaign (request owner): a station
// that switches campaigns pays the set-up time. Every per-sample draw is
// keyed by (lab, sample key, step, attempt), so both modes see the same lab.
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "lab/LabConfig.hpp"
#include "twin/core/Gauge.hpp"
#include "twin/core/Recorder.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"

namespace twin::lab {

struct SampleRequest {
  std::string owner;          ///< campaign; also the sample's recipe
  std::uint64_t key = 0;
  int priority = 0;           ///< lower first
  bool staffed_only = false;  ///< baseline: every step waits for a technician's hand-off
};

struct Completion {
  int sample = 0;                ///< id returned by submit()
  core::ExperimentResult result; ///< value left empty; failure set when failed
};

using LabCounters = core::LabCounters;

class LabEngine {
 public:
  /// `recorder` (may be null) receives sample records and step/robot spans.
  LabEngine(LabConfig config, std::uint64_t seed, core::Recorder* recorder = nullptr);

  /// A sample arrives at time `t` (>= now()); returns its id (0, 1, ...).
  int submit(const SampleRequest& request, double t);
  double now() const { return now_; }
  /// Time of the next event, or core::NEVER.
  double next_event_time() const;
  /// Processes every event at or before `t`; appends the samples that ended.
  void advance_to(double t, std::vector<Completion>& done);

  const LabConfig& config() const { return cfg_; }
  /// Samples created, ended (measured, failed, discarded) and, counted from
  /// the lab's queues, stations, robots and pending arrivals, still in flight.
  core::Conservation samples() const;
  /// Up at t: online, not retired, in no whole-lab window.
  bool up_at(double t) const { return uptime_.up_at(t); }
  /// The earliest time >= t at which the lab is up; core::NEVER if never again.
  double next_up(double t) const { return uptime_.next_up(t); }
  /// Test only: loses one sample waiting in a queue (or on a station), so
  /// that the conservation check must fail. Returns false if none is there.
  bool lose_sample_for_test();
  const LabCounters& counters() const { return counters_; }
  /// The lab's result: the lab as a whole, each station kind, its robots and
  /// technicians, its samples' flow and its counters.
  core::LabSim result(double horizon_s) const;
  /// Records every sample still in the lab as "in_flight" (once, at the horizon).
  void record_in_flight(double horizon_s);

  /// Keeps a text log of every event (for determinism tests).
  void enable_log() { logging_ = true; }
  const std::string& log() const { return log_; }
  /// Empty if the lab's state is consistent, else what is wrong.
  std::string check_invariants() const;
  /// Samples in each station kind's slots now (reserved or running), summed over stations.
  int occupied(int kind) const;

 private:
  enum class Phase { ARRIVING, QUEUED, ROBOT_WAIT, MOVING, JAMMED, PEOPLE_WAIT, HANDOFF, LOADED, RUNNING, DONE };
  enum class Ev { ARRIVE, MOVE_DONE, STEP_DONE, BATCH_TIMEOUT, FAIL, TECH_DONE, WAKE, MAINT_START, MAINT_END, DOWN, UP };
  enum class Task { REPAIR, JAM, RESTOCK, HANDOFF };

  struct Sample {
    SampleRequest req;
    std::uint64_t recipe = 0;
    double created_s = 0, phase_s = 0;
    Phase phase = Phase::ARRIVING;
    std::size_t pos = 0;  // index into order_
    int retries = 0, steps_done = 0;  // retries key the draws of each new attempt
    int unit = -1;
    std::uint64_t gen = 0;  // invalidates scheduled step ends when a run is aborted
    std::uint64_t queue_seq = 0;
    bool holds_technician = false;
    double step_s = 0, move_draw_s = 0, handoff_draw_s = 0, jam_clear_draw_s = 0, setup_draw_s = 0;  // this attempt's draws
    bool ok = true, jam = false;
    double queue_s = 0, people_s = 0, hold_s = 0, run_s = 0, move_s = 0, energy_j = 0;
    std::vector<int> units_used;  // the units reserved, in order (lineage)
    int moves = 0;                // robot moves
  };
  struct Unit {
    int kind = 0, index = 0;
    std::vector<int> members;  // samples with a reserved slot
    int running = 0;
    bool down = false, maintenance = false, batch_running = false;
    std::uint64_t recipe = 0;
    bool has_recipe = false;
    std::vector<int> loaded;  // batch being filled
    std::uint64_t batch_seq = 0;
    double down_since_s = 0;
    core::Rng failures{0};
  };
  struct Kind {
    std::vector<int> units;
    std::set<std::tuple<int, std::uint64_t, int>> queue;  // (priority, seq, sample)
    int stock = 0;
    bool restock_pending = false;
    core::Gauge busy, waiting;
    std::int64_t waits = 0;
    double wait_sum_s = 0, wait_max_s = 0;
  };
  struct Event {
    double t;
    std::uint64_t seq;
    Ev ev;
    int a;
    std::uint64_t b;
  };
  struct Later {
    bool operator()(const Event& x, const Event& y) const { return x.t > y.t || (x.t == y.t && x.seq > y.seq); }
  };
  struct TaskItem {
    Task task;
    int target;
    double queued_s;
  };

  void push(double t, Ev ev, int a, std::uint64_t b = 0);
  void handle(const Event& e, std::vector<Completion>& done);
  void start_step(int s);
  /// Queues the sample for its step; `keep_place`: at the place it had
  /// (a step an outage stopped resumes first), else at the back.
  void enqueue(int s, bool keep_place = false);
  void after_batch(int unit);
  void draw_attempt(Sample& x);
  void dispatch(int kind);
  bool unit_accepts(const Unit& u, const Sample& x) const;
  void reserve(int s, int unit);
  void start_robot(int s);
  void try_robots();
  void after_move(int s);
  void ready(int s);
  void start_run(int unit, const std::vector<int>& batch);
  void step_done(int s, std::vector<Completion>& done);
  void release_slot(int s);
  void finish(int s, bool ok, const std::string& failure, std::vector<Completion>& done);
  void add_task(Task t, int target);
  void try_technicians();
  void task_done(Task t, int target);
  void break_down(int unit);
  /// Takes the samples running or loaded on `u` off it (their time and
  /// energy so far counted, its technician freed, their slot released) and
  /// returns them; the caller requeues or fails them.
  std::vector<int> take_off(Unit& u);
  /// A whole-lab (kind < 0) or station-kind window starts: the samples on
  /// the stations it closes are held (step aborted) or fail, per on_outage.
  void go_down(int kind, std::vector<Completion>& done);
  /// Stations open: the units of a kind take samples (lab up, kind up, not broken or in maintenance).
  bool kind_open(int kind) const;
  /// "outage: <reason>" for the window (whole lab: kind < 0) holding now.
  std::string outage_failure(int kind) const;
  bool unit_open(const Unit& u) const { return !u.down && !u.maintenance && kind_open(u.kind); }
  void set_phase(Sample& x, Phase p);
  void note(const char* what, int a, long b = -1);
  const StepConfig& step_of(const Sample& x) const { return cfg_.steps[static_cast<std::size_t>(order_[x.pos])]; }

  LabConfig cfg_;
  std::uint64_t seed_, name_hash_;
  core::Recorder* recorder_;
  std::vector<int> order_;
  std::vector<std::size_t> retry_pos_;  // step index -> position in order_
  double now_ = 0;
  std::uint64_t next_seq_ = 0, next_queue_seq_ = 0;
  std::vector<Event> heap_;
  std::vector<Sample> samples_list_;
  std::vector<Unit> units_;
  core::Rng upkeep_{0};
  std::vector<Kind> kinds_;
  core::Uptime uptime_;                  // the whole lab
  std::vector<core::Uptime> kind_uptime_;  // each station kind's own windows
  // robots
  int robots_free_ = 0;
  std::set<std::tuple<int, std::uint64_t, int>> robot_queue_;
  core::Gauge robot_busy_, robot_waiting_;
  std::int64_t robot_waits_ = 0;
  double robot_wait_sum_s_ = 0, robot_wait_max_s_ = 0;
  // technicians
  int techs_free_ = 0;
  std::vector<TaskItem> tasks_;  // FIFO by kind class (see try_technicians)
  double wake_at_ = -1;
  core::Gauge tech_busy_, tech_waiting_;
  std::int64_t tech_waits_ = 0;
  double tech_wait_sum_s_ = 0, tech_wait_max_s_ = 0;
  core::Conservation samples_;
  LabCounters counters_;
  bool logging_ = false;
  std::string log_;
  std::vector<Completion>* sink_ = nullptr;  // advance_to's output while it runs
};

}  // namespace twin::lab
