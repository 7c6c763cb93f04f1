#include "hpc/FcfsScheduler.hpp"

namespace twin::hpc {

std::vector<Start> FcfsScheduler::schedule(double now_s) {
  std::vector<Start> starts;
  // With a fixed order and no finish since the last pass, the jobs that were
  // blocked still are: only a pass that found the queue empty can start more.
  for (const JobRequest* job : ordered_queue(now_s)) {
    if (job->nodes > free_.count()) break;
    starts.push_back(start_job(*job, free_.lowest(job->nodes), now_s));
  }
  finished_since_pass_ = false;
  nodes_changed_ = false;
  submitted_since_pass_.clear();
  return starts;
}

}  // namespace twin::hpc
