#include "hpc/FcfsScheduler.hpp"

namespace twin::hpc {

std::vector<Start> FcfsScheduler::schedule(double now_s) {
  std::vector<Start> starts;
  // Walk the queue in order and stop at the first job that does not fit;
  // with a fixed order the queue map is already in order (no copy).
  if (static_order()) {
    while (!queue_.empty() && queue_.begin()->second.nodes <= usable_free(queue_.begin()->second)) {
      const JobRequest& job = queue_.begin()->second;
      starts.push_back(start_job(job, free_.lowest_set_excluding(job.nodes, excluded_for(job)), now_s));
    }
  } else {
    for (const JobRequest* job : ordered_queue(now_s)) {
      if (job->nodes > usable_free(*job)) break;
      starts.push_back(start_job(*job, free_.lowest_set_excluding(job->nodes, excluded_for(*job)), now_s));
    }
  }
  finished_since_pass_ = false;
  nodes_changed_ = false;
  submitted_since_pass_.clear();
  return starts;
}

}  // namespace twin::hpc
