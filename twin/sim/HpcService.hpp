#pragma once
// An HPC system on the simulated clock: the thin SimGrid adapter of an
// hpc::BatchEngine (which owns the job lifecycle: background workload,
// queueing, starts, failures, outages, requeues, accounting). One actor per
// system sleeps until the engine's next event and advances the engine to the
// clock. run_job() submits a campaign job and blocks its calling actor; once
// the engine starts it, the actor runs it as one SimGrid execution (on the
// host of its first node, one node's share of the work at one node's speed)
// for at most the requested time, then tells the engine it ended. A kill by
// the engine (node failure, outage) cancels the execution; a requeued job
// waits for its next start.
#include <map>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "hpc/BatchEngine.hpp"
#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/sim/Platform.hpp"

namespace twin::sim {

class HpcService : public core::ComputeService {
 public:
  /// `seed` keys the background workload, node failures and random outages
  /// (the same in both modes); failures are drawn up to `horizon_s`.
  /// `recorder` (may be null) receives a record per job and a trace slice per campaign job.
  HpcService(const HpcSpec& spec, const HpcHosts& hosts, std::uint64_t seed, double horizon_s,
             core::Recorder* recorder = nullptr);
  /// Starts the system's actor on `host` (call once, before the run).
  void start(simgrid::s4u::Host* host);
  core::ComputeOutcome run_job(const core::ComputeRequest& request) override;
  double node_speed_flops() const override { return engine_.config().node_speed_flops; }
  bool up_at(double t) const override { return engine_.up_at(t); }
  double next_up(double t) const override { return engine_.next_up(t); }
  /// The engine's estimate (hpc::BatchEngine::estimated_wait_s), the engine first advanced to the clock.
  double estimated_wait_s(const core::ComputeRequest& request) override;
  /// Campaign jobs submitted per owner (kind "hpc"), as the system counts them.
  std::vector<core::Placement> placements() const;
  /// Campaign jobs, in_flight counted from the engine.
  core::Conservation jobs() const { return engine_.caller_jobs(); }
  core::HpcSim resource(double horizon_s) const { return engine_.resource(horizon_s); }
  /// Records the jobs still queued or running at the horizon (call once, after the run).
  void record_unfinished(double horizon_s) { engine_.record_unfinished(horizon_s); }
  const hpc::BatchEngine& engine() const { return engine_; }

 private:
  struct Waiter {
    bool started = false, killed = false, done = false;
    std::vector<int> nodes;  ///< of the attempt that started
    hpc::JobEnd end;
    simgrid::s4u::ExecPtr exec;  ///< while running
    simgrid::s4u::ConditionVariablePtr cv;
  };
  void serve();
  void deliver(std::vector<hpc::JobEnd>& done);

  static hpc::EngineOptions options(HpcService* self);

  HpcHosts hosts_;
  hpc::BatchEngine engine_;
  std::map<std::uint64_t, Waiter*> waiting_;
  std::vector<hpc::JobEnd> done_;
  std::map<std::string, std::int64_t> per_owner_;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr wake_;
};

}  // namespace twin::sim
