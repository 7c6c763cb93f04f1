#pragma once
// An HPC system on the simulated clock: campaign jobs enter the batch queue
// of an hpc::Scheduler policy and run, once started, on their named nodes as
// SimGrid executions (work spread evenly over the nodes); a job that reaches
// its requested time is killed.
#include <map>
#include <memory>

#include <simgrid/s4u.hpp>

#include "hpc/Scheduler.hpp"
#include "twin/Scenario.hpp"
#include "twin/core/Gauge.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/sim/Platform.hpp"

namespace twin::sim {

class HpcService : public core::ComputeService {
 public:
  HpcService(const HpcSpec& spec, const HpcHosts& hosts);
  core::ComputeOutcome run_job(const core::ComputeRequest& request) override;
  double node_speed_flops() const override { return spec_.node_speed_flops; }
  const core::Conservation& jobs() const { return jobs_; }
  core::ResourceSim resource(double horizon_s) const;

 private:
  struct Pending {
    bool started = false;
    std::vector<int> nodes;
  };
  void dispatch();

  HpcSpec spec_;
  HpcHosts hosts_;
  std::unique_ptr<hpc::Scheduler> scheduler_;
  std::map<std::uint64_t, Pending> pending_;
  std::uint64_t next_id_ = 1;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr cv_;
  core::Gauge busy_nodes_, queue_;
  core::Conservation jobs_;
  std::int64_t waits_ = 0;
  double wait_sum_s_ = 0, wait_max_s_ = 0;
};

}  // namespace twin::sim
