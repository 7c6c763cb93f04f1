#pragma once
// First come, first served with no backfilling: jobs start in queue order
// while the first one fits; a job that does not fit blocks all behind it.
#include "hpc/QueueScheduler.hpp"

namespace twin::hpc {

class FcfsScheduler : public QueueScheduler {
 public:
  FcfsScheduler(int nodes, const SchedulerOptions& options) : QueueScheduler(nodes, options) {}
  std::vector<Start> schedule(double now_s) override;
};

}  // namespace twin::hpc
