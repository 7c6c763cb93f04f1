#pragma once
// What every batch policy shares: the queue in its order, the running jobs
// with their named nodes and planned ends, the free nodes, and fair-share
// usage. A policy (FcfsScheduler, EasyScheduler, ConservativeScheduler)
// only writes schedule().
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hpc/NodeSet.hpp"
#include "hpc/Scheduler.hpp"

namespace twin::hpc {

class QueueScheduler : public Scheduler {
 public:
  QueueScheduler(int nodes, const SchedulerOptions& options);

  /// Throws std::invalid_argument for a duplicate id, nodes < 1, nodes larger
  /// than the machine (without the reserved slice, for a job with no access
  /// to it), or a negative requested time.
  void submit(const JobRequest& job) override;
  /// Throws std::invalid_argument for an id that is not running.
  void finish(std::uint64_t id, double now_s) override;
  std::size_t queued() const override { return queue_.size(); }
  int total_nodes() const override { return free_.size(); }
  int free_nodes() const override { return free_.count(); }
  std::optional<std::uint64_t> job_on_node(int node) const override;
  void set_node_down(int node, double now_s) override;
  void set_node_up(int node, double now_s) override;
  int down_nodes() const override { return down_.count(); }

 protected:
  struct Running {
    JobRequest job;
    std::vector<int> nodes;
    NodeSet mask;  ///< the same nodes, for word-wide set operations
    double start_s = 0;
    double planned_end_s = 0;  ///< start + requested time
  };
  /// Queue key: (-priority, submit_s, id); priority is 0 under SUBMIT order.
  struct QueueKey {
    long long neg_priority = 0;
    double submit_s = 0;
    std::uint64_t id = 0;
    bool operator<(const QueueKey& o) const {
      if (neg_priority != o.neg_priority) return neg_priority < o.neg_priority;
      if (submit_s != o.submit_s) return submit_s < o.submit_s;
      return id < o.id;
    }
  };

  /// Queued jobs in the policy's order at `now_s`.
  std::vector<const JobRequest*> ordered_queue(double now_s) const;
  /// Moves a queued job to running on `nodes` (which must be free).
  Start start_job(const JobRequest& job, std::vector<int> nodes, double now_s);
  /// The same, the nodes given as a set.
  Start start_job(const JobRequest& job, const NodeSet& nodes, double now_s);
  /// Whether the queue's order is fixed between events (SUBMIT, PRIORITY).
  bool static_order() const { return options_.order != QueueOrder::FAIR_SHARE; }
  QueueKey key_of(const JobRequest& job) const;
  /// The nodes `job` may not use: the reserved slice, or none.
  const NodeSet& excluded_for(const JobRequest& job) const { return job.reserved_access ? no_nodes_ : slice_; }
  /// Free nodes `job` may use.
  int usable_free(const JobRequest& job) const {
    const NodeSet& excluded = excluded_for(job);
    return excluded.empty() ? free_.count() : free_.count_excluding(excluded);
  }

  SchedulerOptions options_;
  NodeSet free_;   ///< free and up
  NodeSet down_;
  NodeSet slice_;     ///< the reserved slice
  NodeSet no_nodes_;  ///< empty
  bool nodes_changed_ = false;  ///< a node went down or up since the last schedule()
  std::map<QueueKey, JobRequest> queue_;
  std::map<std::uint64_t, QueueKey> queue_keys_;
  std::map<std::uint64_t, Running> running_;
  std::set<std::pair<double, std::uint64_t>> planned_ends_;  ///< (planned end, id) of running jobs
  bool finished_since_pass_ = true;        ///< a finish happened since the last schedule()
  std::vector<std::uint64_t> submitted_since_pass_;

 private:
  Start start_running(const JobRequest& job, std::vector<int> nodes, NodeSet mask, double now_s);
  double usage_at(const std::string& account, double now_s) const;
  struct Usage {
    double node_s = 0;
    double at_s = 0;
  };
  std::map<std::string, Usage> usage_;
};

}  // namespace twin::hpc
