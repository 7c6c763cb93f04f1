#include "hpc/QueueScheduler.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace twin::hpc {

QueueScheduler::QueueScheduler(int nodes, const SchedulerOptions& options) : options_(options) {
  if (nodes < 1) throw std::invalid_argument("scheduler: a machine needs at least 1 node, got " + std::to_string(nodes));
  free_ = NodeSet(nodes, true);
  down_ = NodeSet(nodes);
  no_nodes_ = NodeSet(nodes);
  slice_ = NodeSet(nodes);
  if (options.reserved_nodes < 0 || options.reserved_nodes >= nodes)
    throw std::invalid_argument("scheduler: reserved_nodes must be in [0, " + std::to_string(nodes) + "), got " +
                                std::to_string(options.reserved_nodes));
  for (int n = nodes - options.reserved_nodes; n < nodes; ++n) slice_.insert(n);
}

std::optional<std::uint64_t> QueueScheduler::job_on_node(int node) const {
  for (const auto& [id, r] : running_)
    if (r.mask.contains(node)) return id;
  return std::nullopt;
}

void QueueScheduler::set_node_down(int node, double) {
  if (node < 0 || node >= free_.size()) throw std::invalid_argument("scheduler: no node " + std::to_string(node));
  if (down_.contains(node)) return;
  if (job_on_node(node)) throw std::invalid_argument("scheduler: node " + std::to_string(node) + " is busy; finish its job first");
  free_.erase(node);
  down_.insert(node);
  nodes_changed_ = true;
  finished_since_pass_ = true;
}

void QueueScheduler::set_node_up(int node, double) {
  if (node < 0 || node >= free_.size()) throw std::invalid_argument("scheduler: no node " + std::to_string(node));
  if (!down_.contains(node)) return;
  down_.erase(node);
  free_.insert(node);
  nodes_changed_ = true;
  finished_since_pass_ = true;
}

QueueScheduler::QueueKey QueueScheduler::key_of(const JobRequest& job) const {
  QueueKey k;
  k.neg_priority = options_.order == QueueOrder::SUBMIT ? 0 : -static_cast<long long>(job.priority);
  k.submit_s = job.submit_s;
  k.id = job.id;
  return k;
}

void QueueScheduler::submit(const JobRequest& job) {
  const int usable = free_.size() - excluded_for(job).count();
  if (job.nodes < 1 || job.nodes > usable)
    throw std::invalid_argument("scheduler: job " + std::to_string(job.id) + " asks for " + std::to_string(job.nodes) +
                                " nodes, of which it may use " + std::to_string(usable));
  if (!(job.requested_s >= 0))
    throw std::invalid_argument("scheduler: job " + std::to_string(job.id) + " has a negative requested time");
  if (queue_keys_.count(job.id) != 0 || running_.count(job.id) != 0)
    throw std::invalid_argument("scheduler: job id " + std::to_string(job.id) + " submitted twice");
  QueueKey k = key_of(job);
  queue_.emplace(k, job);
  queue_keys_.emplace(job.id, k);
  submitted_since_pass_.push_back(job.id);
}

void QueueScheduler::finish(std::uint64_t id, double now_s) {
  auto it = running_.find(id);
  if (it == running_.end()) throw std::invalid_argument("scheduler: finish of job " + std::to_string(id) + ", which is not running");
  free_ |= it->second.mask;
  planned_ends_.erase({it->second.planned_end_s, id});
  if (options_.order == QueueOrder::FAIR_SHARE) {
    Usage& u = usage_[it->second.job.account];
    u.node_s = usage_at(it->second.job.account, now_s) +
               static_cast<double>(it->second.nodes.size()) * std::max(0.0, now_s - it->second.start_s);
    u.at_s = now_s;
  }
  running_.erase(it);
  finished_since_pass_ = true;
}

double QueueScheduler::usage_at(const std::string& account, double now_s) const {
  auto it = usage_.find(account);
  if (it == usage_.end()) return 0;
  double dt = std::max(0.0, now_s - it->second.at_s);
  return it->second.node_s * std::exp2(-dt / options_.fair_share_half_life_s);
}

std::vector<const JobRequest*> QueueScheduler::ordered_queue(double now_s) const {
  std::vector<const JobRequest*> out;
  out.reserve(queue_.size());
  for (const auto& [k, job] : queue_) out.push_back(&job);
  if (options_.order == QueueOrder::FAIR_SHARE) {
    // Usage per account once per pass; ties by priority, then (submit_s, id)
    // which is the queue_ order, kept by the stable sort.
    std::map<std::string, double> usage;
    for (const JobRequest* j : out)
      if (usage.count(j->account) == 0) usage.emplace(j->account, usage_at(j->account, now_s));
    std::stable_sort(out.begin(), out.end(), [&usage](const JobRequest* a, const JobRequest* b) {
      double ua = usage.at(a->account);
      double ub = usage.at(b->account);
      return ua < ub;
    });
  }
  return out;
}

Start QueueScheduler::start_job(const JobRequest& job, std::vector<int> nodes, double now_s) {
  NodeSet mask = NodeSet::of(free_.size(), nodes);
  return start_running(job, std::move(nodes), std::move(mask), now_s);
}

Start QueueScheduler::start_job(const JobRequest& job, const NodeSet& nodes, double now_s) {
  return start_running(job, nodes.members(), nodes, now_s);
}

Start QueueScheduler::start_running(const JobRequest& job, std::vector<int> nodes, NodeSet mask, double now_s) {
  const std::uint64_t id = job.id;
  auto kit = queue_keys_.find(id);
  Running r;
  r.job = job;
  r.nodes = nodes;
  r.mask = std::move(mask);
  r.start_s = now_s;
  r.planned_end_s = now_s + job.requested_s;
  free_.subtract(r.mask);
  planned_ends_.insert({r.planned_end_s, id});
  running_.emplace(id, std::move(r));
  queue_.erase(kit->second);  // `job` dangles from here on
  queue_keys_.erase(kit);
  Start s;
  s.id = id;
  s.nodes = std::move(nodes);
  return s;
}

}  // namespace twin::hpc
