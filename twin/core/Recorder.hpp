#pragma once
// Per-item records of one simulation, kept only when a run asks for them
// (`--outputs csv` or `trace`): each experiment, HPC job and lab sample as a
// row, and timed slices for the trace. Recording never changes what is
// simulated; a disabled recorder costs a branch per call.
#include <cstdint>
#include <string>
#include <vector>

namespace twin::core {

/// One lab experiment a campaign asked for, as the campaign saw it.
struct ExperimentRecord {
  std::string campaign;
  std::int64_t index = 0;   ///< 0-based, per campaign, in the order results came back
  std::int64_t cycle = 0;   ///< decision cycle that asked for it
  std::int64_t problem = 0; ///< problem of the stream
  double submit_s = 0, end_s = 0;
  bool ok = false;
  double value = 0;         ///< measured value (0 when failed)
  bool discovery = false;
  double best_so_far = 0;   ///< best measured value of the problem after this result
  std::string failure;
  std::string candidate;    ///< the candidate's id: its pool row, or a hash of its parameters
};

/// A transfer one lab experiment needed (lineage).
struct TransferRef {
  std::int64_t id = -1;
  std::string what;    ///< "dataset <name>", "simulation outputs", "recipes", "lab data", "store copy"
  double bytes = 0;    ///< of the whole transfer (shared by the experiments of its cycle)
  std::vector<std::string> links;
};

/// One stage of the cycle that produced a lab experiment (lineage).
struct LineageStep {
  std::string stage;  ///< a CycleTimes stage: agent, people, hpc_queue, hpc_run, transfer, lab_queue, lab_run
  std::string what;
  double start_s = 0, end_s = 0;
};

/// Where one lab experiment came from (`--outputs lineage`): what chose it,
/// what ranked it, what it moved, where it ran, what it found.
struct LineageRecord {
  std::string campaign;
  std::int64_t problem = 0, experiment = 0, cycle = 0;
  std::string candidate;
  std::string policy;
  std::string model;           ///< "" = none
  int model_version = 0;
  double decided_s = 0;        ///< when the decision was made
  std::string screening_system;
  std::vector<std::int64_t> screening_jobs;  ///< ids in jobs.csv (system screening_system)
  std::string inference_system;
  std::int64_t inference_job = -1;           ///< id in jobs.csv (system inference_system); -1: none
  std::vector<TransferRef> transfers;
  std::string lab;
  std::int64_t sample = -1;    ///< id in samples.csv (lab `lab`)
  std::vector<std::string> units;
  int robot_moves = 0;
  bool ok = false;
  double value = 0;
  bool discovery = false;
  double end_s = 0;
  std::vector<LineageStep> timeline;  ///< its cycle's stages, in order
};

/// One HPC job (campaign or background).
struct JobRecord {
  std::string system;
  std::int64_t id = 0;      ///< per system, in submission order
  std::string owner;        ///< campaign name, or "background"
  int nodes = 0;
  double submit_s = 0, start_s = -1, end_s = -1;  ///< -1: not reached within the horizon
  double requested_s = 0;
  std::string state;        ///< "done", "killed", "failed", "requeued", "queued", "running", "lost"
};

/// One lab sample's life.
struct SampleRecord {
  std::string lab;
  std::int64_t id = 0;      ///< per lab, in creation order
  std::string owner;        ///< campaign name
  double created_s = 0, end_s = -1;  ///< -1: still in the lab at the horizon
  std::string state;        ///< "measured", "failed", "discarded", "in_flight"
  int steps = 0;            ///< steps completed
  int retries = 0;
  double queue_s = 0, run_s = 0, move_s = 0, people_s = 0, hold_s = 0;
  std::string failure;      ///< the step that failed, or why discarded
};

/// A timed slice on one track of the trace (a resource or a campaign).
struct Span {
  std::string track;  ///< e.g. "hpc/frontier", "lab/polybot/furnace", "link/a-b", "agent/p3ht"
  std::string name;   ///< what ran
  std::string cat;    ///< "job", "transfer", "lab_step", "robot", "decision", ...
  double start_s = 0, end_s = 0;
};

struct RecordOptions {
  bool items = false;             ///< experiments, jobs, samples (CSV)
  bool background_jobs = false;   ///< also the facilities' own jobs (large)
  bool trace = false;             ///< spans (trace.json)
  bool lineage = false;           ///< one lineage record per lab experiment (lineage.jsonl)
  double trace_from_s = 0;        ///< only spans that overlap [from, to)
  double trace_to_s = 1e300;
  std::int64_t trace_max_spans = 200000;  ///< per simulation; later spans are counted, not kept
  int trace_replication = 0;      ///< the replication traced (both modes); -1: every one
};

struct SimLog {
  std::vector<ExperimentRecord> experiments;
  std::vector<JobRecord> jobs;
  std::vector<SampleRecord> samples;
  std::vector<Span> spans;
  std::vector<LineageRecord> lineage;
  std::int64_t spans_dropped = 0;  ///< outside the window or past the cap
  bool traced = false;             ///< this simulation was traced
};

/// What simulation code records into. Owned by the simulation; services get a pointer.
class Recorder {
 public:
  Recorder() = default;
  explicit Recorder(RecordOptions o) : opt_(o) {}
  bool items() const { return opt_.items; }
  bool background_jobs() const { return opt_.items && opt_.background_jobs; }
  bool tracing() const { return opt_.trace; }
  bool lineage() const { return opt_.lineage; }
  void experiment(ExperimentRecord r) {
    if (opt_.items) log_.experiments.push_back(std::move(r));
  }
  void job(JobRecord r) {
    if (opt_.items) log_.jobs.push_back(std::move(r));
  }
  void sample(SampleRecord r) {
    if (opt_.items) log_.samples.push_back(std::move(r));
  }
  void lineage_record(LineageRecord r) {
    if (opt_.lineage) log_.lineage.push_back(std::move(r));
  }
  void span(std::string track, std::string name, std::string cat, double start_s, double end_s) {
    if (!opt_.trace) return;
    if (end_s < opt_.trace_from_s || start_s >= opt_.trace_to_s ||
        static_cast<std::int64_t>(log_.spans.size()) >= opt_.trace_max_spans) {
      ++log_.spans_dropped;
      return;
    }
    log_.spans.push_back(Span{std::move(track), std::move(name), std::move(cat), start_s, end_s});
  }
  SimLog take() {
    log_.traced = opt_.trace;
    return std::move(log_);
  }

 private:
  RecordOptions opt_;
  SimLog log_;
};

}  // namespace twin::core
