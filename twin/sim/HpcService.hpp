#pragma once
// An HPC system on the simulated clock: campaign jobs enter the batch queue
// of an hpc::Scheduler policy and run, once started, on their named nodes as
// SimGrid executions (work spread evenly over the nodes); a job that reaches
// its requested time is killed.
#include <map>
#include <memory>

#include <simgrid/s4u.hpp>

#include "hpc/NodeFailures.hpp"
#include "hpc/Scheduler.hpp"
#include "hpc/SyntheticWorkload.hpp"
#include "twin/Scenario.hpp"
#include "twin/core/Gauge.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/sim/Platform.hpp"

namespace twin::sim {

class HpcService : public core::ComputeService {
 public:
  /// `seed` keys the synthetic background workload (the same in both modes).
  /// `recorder` (may be null) receives a record per job and a trace slice per campaign job.
  HpcService(const HpcSpec& spec, const HpcHosts& hosts, std::uint64_t seed, core::Recorder* recorder = nullptr);
  /// Starts the background workload's actor on `host` (if the system has one).
  void start_background(simgrid::s4u::Host* host);
  /// Starts the node-failure actor on `host` (if the system has failures).
  void start_failures(simgrid::s4u::Host* host, double horizon_s);
  core::ComputeOutcome run_job(const core::ComputeRequest& request) override;
  double node_speed_flops() const override { return spec_.node_speed_flops; }
  const core::Conservation& jobs() const { return jobs_; }
  core::HpcSim resource(double horizon_s) const;
  /// Records the jobs still queued or running at the end of the simulation.
  void record_unfinished();

 private:
  struct Pending {
    bool started = false;
    bool background = false;
    double run_s = 0, requested_s = 0;
    std::vector<int> nodes;
    simgrid::s4u::ExecPtr exec;  ///< campaign jobs, while running
    bool node_failed = false;    ///< killed by a node failure
    std::string owner;           ///< for records
    int nodes_requested = 0;
    double submit_s = 0, start_s = -1;
  };
  void record(std::uint64_t id, const Pending& p, double end_s, const char* state);
  void dispatch();
  void background_loop();
  void failure_loop(std::vector<hpc::NodeFailure> failures);
  bool next_background(hpc::WorkloadJob& job);

  HpcSpec spec_;
  core::Recorder* recorder_;
  HpcHosts hosts_;
  std::unique_ptr<hpc::Scheduler> scheduler_;
  std::map<std::uint64_t, Pending> pending_;
  std::uint64_t next_id_ = 1;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr cv_;
  core::Gauge busy_nodes_, queue_;
  core::Conservation jobs_;
  // Background workload: one actor runs every background job (no actor per
  // job): it sleeps until the next arrival or the next end, whichever first.
  std::uint64_t seed_;
  std::unique_ptr<hpc::SyntheticWorkload> synthetic_;
  std::unique_ptr<core::Rng> bg_rng_;
  std::size_t trace_next_ = 0;
  std::multimap<std::pair<double, std::uint64_t>, std::uint64_t> bg_ends_;  // (end, id) -> id
  simgrid::s4u::ConditionVariablePtr bg_cv_;
  std::int64_t bg_submitted_ = 0, bg_finished_ = 0, bg_killed_ = 0;
  std::int64_t node_failures_ = 0, failure_kills_ = 0, requeued_ = 0;
  std::int64_t waits_ = 0;
  double wait_sum_s_ = 0, wait_max_s_ = 0;
};

}  // namespace twin::sim
