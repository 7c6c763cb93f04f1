#pragma once
// The interfaces the parts offer each other. An agent reaches HPC systems,
// the network and labs only through these; twin/ implements them on SimGrid.
// Every call blocks the calling simulated actor until the work is done in
// simulated time. Modelled failures are values (ok = false, a reason), never
// exceptions.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "twin/core/Label.hpp"

namespace twin::core {

/// Simulated time and concurrency for the code that runs inside the simulation.
class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual double now() const = 0;
  virtual double horizon() const = 0;
  virtual void sleep_until(double t_s) = 0;
  /// Computes `flops` on the calling actor's host (an agent's thinking time).
  virtual void compute(double flops) = 0;
  /// Runs each task in its own simulated actor; returns when all are done.
  virtual void run_parallel(std::vector<std::function<void()>> tasks) = 0;
};

struct ComputeRequest {
  std::string owner;        ///< campaign name (accounting)
  double flops = 0;         ///< total work, spread evenly over the nodes
  int nodes = 1;
  double requested_s = 0;   ///< requested wall time; the job is killed past it
  int priority = 0;
};

struct ComputeOutcome {
  bool ok = false;
  std::string failure;  ///< why, when !ok ("walltime exceeded", "system offline")
  double submit_s = 0, start_s = 0, end_s = 0;
  double hold_s = 0;     ///< time held before submission (system not yet online)
  double node_hours = 0;
  double energy_j = 0;
  double usd = 0;        ///< a cloud's bill for the job (instances x GPUs x price x hours held)
  double gpu_hours = 0;  ///< a cloud's GPU-hours billed
  std::int64_t job_id = -1;  ///< the facility's job id (jobs.csv)
};

class ComputeService {
 public:
  virtual ~ComputeService() = default;
  virtual ComputeOutcome run_job(const ComputeRequest& request) = 0;
  virtual double node_speed_flops() const = 0;
  /// Whether the system takes jobs at t (online, not retired, in no outage).
  virtual bool up_at(double t) const = 0;
  /// The earliest time >= t at which the system is up; core::NEVER if never again.
  virtual double next_up(double t) const = 0;
  /// How long a job like `request` submitted now would wait before it
  /// starts, as the system's queue stands (an estimate from the requested
  /// times of the running and queued jobs); 0 where there is no queue.
  virtual double estimated_wait_s(const ComputeRequest& request) {
    (void)request;
    return 0;
  }
};

/// Who moves data, and under which label: routes cross only links cleared for it.
struct TransferTag {
  std::string owner;  ///< campaign name (accounting, the independent access check)
  Label label = Label::PUBLIC;
};

struct TransferOutcome {
  bool ok = false;
  std::string failure;
  double start_s = 0, end_s = 0;
  double hold_s = 0;  ///< time waiting for an offline link on the route
  bool refused = false;   ///< no route cleared for the label, ever: nothing moved
  bool rerouted = false;  ///< the shortest route crosses a link not cleared for the label: it went around
  double reroute_extra_s = 0;  ///< the detour's nominal cost: latency and bytes/bandwidth over it, less over the shortest route
  std::int64_t id = -1;        ///< per simulation, in the order transfers were asked for (lineage)
  std::vector<std::string> links;  ///< the links it crossed, in the order first crossed
};

class TransferService {
 public:
  virtual ~TransferService() = default;
  /// Moves `bytes` from site `from` to site `to` over the route between them.
  /// Moves `bytes` from site `from` to site `to` over the shortest route
  /// whose links are up and cleared for `tag.label`.
  virtual TransferOutcome transfer(const std::string& from_site, const std::string& to_site, double bytes,
                                   const TransferTag& tag) = 0;
  /// Whether data labelled `label` can move from `from_site` to `to_site` at
  /// t (some route with every link up and cleared for it).
  virtual bool route_up_at(const std::string& from_site, const std::string& to_site, double t, Label label) const = 0;
  /// The earliest time >= t at which route_up_at holds; core::NEVER if never again.
  virtual double route_next_up(const std::string& from_site, const std::string& to_site, double t,
                               Label label) const = 0;
};

/// What staging a dataset to an HPC system took (DataService::stage).
struct StageOutcome {
  bool hit = false;       ///< a copy was in the system's cache (or the data are stored at its site): at most its growth moved
  double bytes = 0;       ///< bytes moved: the whole dataset, or its growth since the cached copy
  double start_s = 0, end_s = 0;
  double wait_s = 0;      ///< waiting for a staging of the same dataset to the same cache already under way
  bool refused = false;   ///< no route cleared for the dataset's label: nothing moved
  std::vector<std::int64_t> transfers;  ///< TransferOutcome::id of what moved
  std::vector<std::string> links;       ///< the links it crossed
};

/// Datasets in data stores, staged over the network to where work needs
/// them and cached there (twin/sim/DataService).
class DataService {
 public:
  virtual ~DataService() = default;
  /// Makes `dataset` as it stands now present at HPC system `system`:
  /// blocks while it is staged (or found in the cache).
  virtual StageOutcome stage(const std::string& dataset, const std::string& system) = 0;
  /// Lab results landed in `dataset`: it grows by `bytes` (`results` of them).
  virtual void append(const std::string& dataset, double bytes, std::int64_t results) = 0;
};

/// A trained version of a foundation model (twin/sim/ModelTrainer).
struct ModelVersion {
  int version = 0;        ///< 1 for the first training
  double error_sd = 0;    ///< its prediction error, in sd units of the problem's truth
  double trained_s = 0;   ///< when its training ended
  double inference_flops_per_candidate = 0;  ///< work of one prediction
};

class ModelService {
 public:
  virtual ~ModelService() = default;
  /// The newest version of `model` trained by now; version 0: none yet.
  virtual ModelVersion current(const std::string& model) const = 0;
  /// Counts an inference job over `candidates` (for the model's report).
  virtual void inferred(const std::string& model, const std::string& campaign, std::int64_t candidates,
                        double node_hours, double energy_j) = 0;
};

struct ExperimentRequest {
  std::string owner;        ///< campaign name
  std::uint64_t key = 0;    ///< keys the lab's draws for this sample (durations, failures)
  bool staffed_only = false;  ///< every step waits for people on shift (baseline)
  int priority = 0;
  /// Called when the measurement is made; returns the measured value.
  std::function<double()> measure;
};

struct ExperimentResult {
  std::optional<double> value;  ///< empty: failed
  std::string failure;          ///< why, when failed
  double submit_s = 0, end_s = 0;
  double queue_s = 0;   ///< waiting for stations and robots
  double people_s = 0;  ///< waiting for a technician on shift
  double hold_s = 0;    ///< waiting for the lab to come online
  double run_s = 0;     ///< in stations and robot moves
  double lab_hours = 0; ///< station-hours used
  double energy_j = 0;
  std::int64_t sample_id = -1;      ///< the lab's sample id (samples.csv)
  std::vector<std::string> units;   ///< station units it ran on, in step order ("furnace#1")
  int robot_moves = 0;
};

class ExperimentService {
 public:
  virtual ~ExperimentService() = default;
  virtual ExperimentResult run_experiment(const ExperimentRequest& request) = 0;
  /// Whether the lab takes samples at t (online, not retired, in no whole-lab outage).
  virtual bool up_at(double t) const = 0;
  /// The earliest time >= t at which the lab is up; core::NEVER if never again (retired).
  virtual double next_up(double t) const = 0;
};

}  // namespace twin::core
