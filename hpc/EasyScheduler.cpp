#include "hpc/EasyScheduler.hpp"

#include <algorithm>
#include <limits>

namespace twin::hpc {

std::vector<Start> EasyScheduler::schedule(double now_s) {
  std::vector<Start> starts;
  // Between finishes, time only closes backfill windows and the reservation
  // stays valid, so with a fixed order only newly submitted jobs behind the
  // head can start: check those alone (the pass is then O(new jobs)).
  bool incremental = blocked_ && !finished_since_pass_ && static_order();
  if (incremental) {
    const QueueKey head_key = queue_keys_.at(head_id_);
    for (std::uint64_t id : submitted_since_pass_)
      if (!(head_key < queue_keys_.at(id))) incremental = false;
  }
  if (incremental) {
    std::vector<std::uint64_t> fresh = submitted_since_pass_;
    std::sort(fresh.begin(), fresh.end(), [this](std::uint64_t a, std::uint64_t b) { return queue_keys_.at(a) < queue_keys_.at(b); });
    for (std::uint64_t id : fresh) {
      if (free_.count() == 0) break;
      try_backfill(queue_.at(queue_keys_.at(id)), now_s, starts);
    }
  } else {
    full_pass(now_s, starts);
  }
  finished_since_pass_ = false;
  nodes_changed_ = false;
  submitted_since_pass_.clear();
  return starts;
}

void EasyScheduler::full_pass(double now_s, std::vector<Start>& starts) {
  blocked_ = false;
  std::vector<const JobRequest*> order = ordered_queue(now_s);
  std::size_t i = 0;
  for (; i < order.size(); ++i) {
    if (order[i]->nodes > usable_free(*order[i])) break;
    starts.push_back(start_job(*order[i], free_.lowest_set_excluding(order[i]->nodes, excluded_for(*order[i])), now_s));
  }
  if (i == order.size()) return;
  const JobRequest& head = *order[i];
  // The head's reserved start (the shadow time): walk planned ends, earliest
  // first, counting nodes until enough are free.
  const NodeSet& head_excluded = excluded_for(head);
  int available = free_.count_excluding(head_excluded);
  shadow_s_ = std::numeric_limits<double>::infinity();  // too few nodes up
  for (const auto& [end_s, id] : planned_ends_) {
    const Running& r = running_.at(id);
    available += head_excluded.empty() ? static_cast<int>(r.nodes.size()) : r.mask.count_excluding(head_excluded);
    if (available >= head.nodes) {
      shadow_s_ = std::max(end_s, now_s);
      break;
    }
  }
  head_id_ = head.id;
  head_nodes_ = head.nodes;
  head_access_ = head.reserved_access;
  reserved_valid_ = false;
  blocked_ = true;
  for (std::size_t k = i + 1; k < order.size(); ++k) {
    if (free_.count() == 0) break;
    try_backfill(*order[k], now_s, starts);
  }
}

bool EasyScheduler::try_backfill(const JobRequest& job, double now_s, std::vector<Start>& starts) {
  if (job.nodes > usable_free(job)) return false;
  const NodeSet& excluded = excluded_for(job);
  // The lowest free nodes allowed, taken a word of the bitset at a time.
  if (now_s + job.requested_s <= shadow_s_) {
    starts.push_back(start_job(job, free_.lowest_set_excluding(job.nodes, excluded), now_s));
    return true;
  }
  // Running past the shadow: only on free nodes outside the reservation.
  ensure_reserved();
  const NodeSet& off_limits = job.reserved_access ? reserved_ : reserved_or_slice_;
  if (job.nodes > free_.count_excluding(off_limits)) return false;
  starts.push_back(start_job(job, free_.lowest_set_excluding(job.nodes, off_limits), now_s));
  return true;
}

void EasyScheduler::ensure_reserved() const {
  if (reserved_valid_) return;
  // The lowest-index nodes among those free at the shadow time: free now,
  // or held by a job planned to end by then.
  NodeSet available = free_;
  for (const auto& [end_s, id] : planned_ends_) {
    if (end_s > shadow_s_) break;
    available |= running_.at(id).mask;
  }
  reserved_ = available.lowest_set_excluding(head_nodes_, head_access_ ? no_nodes_ : slice_);
  reserved_or_slice_ = reserved_;
  reserved_or_slice_ |= slice_;
  reserved_valid_ = true;
}

std::vector<Scheduler::Reservation> EasyScheduler::reservations() const {
  if (!blocked_ || queue_keys_.count(head_id_) == 0) return {};
  ensure_reserved();
  Reservation r;
  r.id = head_id_;
  r.start_s = shadow_s_;
  r.nodes = reserved_.members();
  return {r};
}

}  // namespace twin::hpc
