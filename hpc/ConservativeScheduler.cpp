#include "hpc/ConservativeScheduler.hpp"

#include <algorithm>
#include <limits>

namespace twin::hpc {

void ConservativeScheduler::finish(std::uint64_t id, double now_s) {
  auto it = running_.find(id);
  // A job ending at its planned end frees nothing the profile did not
  // already count; one ending early opens a hole worth compressing into.
  if (it != running_.end() && now_s < it->second.planned_end_s) compress_ = true;
  QueueScheduler::finish(id, now_s);
}

std::vector<Start> ConservativeScheduler::schedule(double now_s) {
  last_now_s_ = now_s;
  // A running job past its planned end (overrun let run) makes the profile
  // stale: rebuild and compress on every pass while one exists.
  if (!planned_ends_.empty() && planned_ends_.begin()->first < now_s) compress_ = true;
  if (!static_order()) compress_ = true;
  // Under a priority or fair-share order a newcomer may rank before jobs
  // that already hold reservations: then plan everyone afresh in order (the
  // no-delay guarantee is for the submit order only).
  // A node going down invalidates reservations on it; one coming up only
  // frees room. Either way plan afresh (failures void the guarantee).
  bool replan = (options_.order == QueueOrder::FAIR_SHARE && compress_) || nodes_changed_;
  nodes_changed_ = false;
  if (options_.order == QueueOrder::PRIORITY && !by_start_.empty()) {
    QueueKey last_planned = queue_keys_.at(by_start_.begin()->second);
    for (const auto& [start_s, id] : by_start_) last_planned = std::max(last_planned, queue_keys_.at(id));
    for (std::uint64_t id : submitted_since_pass_)
      if (queue_keys_.at(id) < last_planned) replan = true;
  }
  if (replan) {
    planned_.clear();
    by_start_.clear();
    compress_ = true;
  }
  if (compress_ || profile_.empty()) {
    rebuild_profile(now_s);
    for (const JobRequest* job : ordered_queue(now_s)) {
      auto it = planned_.find(job->id);
      if (it == planned_.end() || it->second.nodes.empty()) {
        if (it != planned_.end()) unplace(job->id);
        place(*job);
        continue;
      }
      // Its own slot is free once released, so only earlier starts are
      // worth searching; none found: it keeps its slot.
      Planned old = it->second;
      unplace(job->id);
      // An overdue slot (its nodes held past their planned end) is no
      // promise any more: search it afresh from now.
      const double before_s = old.start_s < now_s ? std::numeric_limits<double>::infinity() : old.start_s;
      Planned p = find_fit(job->nodes, job->requested_s, before_s, excluded_for(*job));
      put(job->id, p.nodes.empty() ? std::move(old) : std::move(p));
    }
  } else {
    trim_profile(now_s);
    std::vector<std::uint64_t> fresh = submitted_since_pass_;
    std::sort(fresh.begin(), fresh.end(), [this](std::uint64_t a, std::uint64_t b) { return queue_keys_.at(a) < queue_keys_.at(b); });
    for (std::uint64_t id : fresh) place(queue_.at(queue_keys_.at(id)));
  }
  compress_ = false;
  finished_since_pass_ = false;
  submitted_since_pass_.clear();

  // Start the reservations that are due, in queue order.
  std::vector<QueueKey> due;
  NodeSet claimable = free_;  // two overdue slots may name the same nodes
  for (const auto& [start_s, id] : by_start_) {
    if (start_s > now_s) break;
    const Planned& p = planned_.at(id);
    if (p.nodes.empty() || !claimable.contains_all(p.nodes)) continue;
    claimable.subtract(p.mask);
    due.push_back(queue_keys_.at(id));
  }
  std::sort(due.begin(), due.end());
  std::vector<Start> starts;
  for (const QueueKey& k : due) {
    Planned p = planned_.at(k.id);
    by_start_.erase({p.start_s, k.id});
    planned_.erase(k.id);
    // Started late (behind an overrun): its planned end moves, so replan.
    if (p.start_s < now_s) compress_ = true;
    starts.push_back(start_job(queue_.at(k), p.nodes, now_s));
  }
  return starts;
}

void ConservativeScheduler::place(const JobRequest& job) {
  put(job.id, find_fit(job.nodes, job.requested_s, std::numeric_limits<double>::infinity(), excluded_for(job)));
}

void ConservativeScheduler::put(std::uint64_t id, Planned p) {
  if (!p.nodes.empty()) occupy(p);
  by_start_.insert({p.start_s, id});
  planned_.emplace(id, std::move(p));
}

void ConservativeScheduler::unplace(std::uint64_t id) {
  auto it = planned_.find(id);
  if (!it->second.nodes.empty()) release(it->second);
  by_start_.erase({it->second.start_s, id});
  planned_.erase(it);
}

void ConservativeScheduler::rebuild_profile(double now_s) {
  // Sweep of node releases (running jobs' planned ends, reservation ends)
  // and takes (reservation starts) from now on.
  struct Change {
    double t_s;
    bool take;
    const NodeSet* nodes;
  };
  std::vector<Change> changes;
  NodeSet base = free_;
  for (const auto& [id, r] : running_) {
    if (r.planned_end_s <= now_s) base.insert(r.nodes);  // overrun: counted as ending now
    else changes.push_back({r.planned_end_s, false, &r.mask});
  }
  for (const auto& [id, p] : planned_) {
    if (p.nodes.empty()) continue;  // no slot (too few nodes up)
    changes.push_back({std::max(p.start_s, now_s), true, &p.mask});
    changes.push_back({std::max(p.end_s, now_s), false, &p.mask});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    if (a.t_s != b.t_s) return a.t_s < b.t_s;
    return a.take < b.take;  // releases before takes at the same time
  });
  profile_.clear();
  profile_.push_back({now_s, base});
  for (const Change& c : changes) {
    if (profile_.back().t_s != c.t_s) profile_.push_back({c.t_s, profile_.back().free});
    if (c.take) profile_.back().free.subtract(*c.nodes);
    else profile_.back().free |= *c.nodes;
  }
}

void ConservativeScheduler::trim_profile(double now_s) {
  std::size_t first = 0;
  while (first + 1 < profile_.size() && profile_[first + 1].t_s <= now_s) ++first;
  if (first > 0) profile_.erase(profile_.begin(), profile_.begin() + static_cast<std::ptrdiff_t>(first));
  profile_.front().t_s = now_s;
}

std::size_t ConservativeScheduler::split_at(double t_s) {
  auto it = std::upper_bound(profile_.begin(), profile_.end(), t_s, [](double t, const Segment& s) { return t < s.t_s; });
  std::size_t i = static_cast<std::size_t>(it - profile_.begin()) - 1;  // segment containing t_s
  if (profile_[i].t_s == t_s) return i;
  profile_.insert(profile_.begin() + static_cast<std::ptrdiff_t>(i + 1), Segment{t_s, profile_[i].free});
  return i + 1;
}

void ConservativeScheduler::occupy(const Planned& p) {
  // An overdue slot (behind an overrun) counts from the profile's start.
  const double start_s = std::max(p.start_s, profile_.front().t_s);
  if (!(p.end_s > start_s)) return;
  std::size_t a = split_at(start_s);
  std::size_t b = split_at(p.end_s);
  for (std::size_t i = a; i < b; ++i) profile_[i].free.subtract(p.mask);
}

void ConservativeScheduler::release(const Planned& p) {
  if (!(p.end_s > p.start_s)) return;
  double start_s = std::max(p.start_s, profile_.front().t_s);
  if (!(p.end_s > start_s)) return;
  std::size_t a = split_at(start_s);
  std::size_t b = split_at(p.end_s);
  for (std::size_t i = a; i < b; ++i) profile_[i].free |= p.mask;
}

ConservativeScheduler::Planned ConservativeScheduler::find_fit(int nodes, double duration_s, double before_s,
                                                               const NodeSet& excluded) {
  const bool all = excluded.empty();
  for (std::size_t i = 0; i < profile_.size() && profile_[i].t_s < before_s; ++i) {
    if ((all ? profile_[i].free.count() : profile_[i].free.count_excluding(excluded)) < nodes) continue;
    const double start_s = profile_[i].t_s;
    const double end_s = start_s + duration_s;
    scratch_ = profile_[i].free;
    if (!all) scratch_.subtract(excluded);
    std::size_t j = i + 1;
    for (; j < profile_.size() && profile_[j].t_s < end_s; ++j) {
      scratch_ &= profile_[j].free;
      if (scratch_.count() < nodes) break;
    }
    if (scratch_.count() >= nodes) {
      Planned p{start_s, end_s, scratch_.lowest(nodes), NodeSet()};
      p.mask = NodeSet::of(scratch_.size(), p.nodes);
      return p;
    }
    // Segment j alone is too full: every start up to j has it in its window.
    if (j < profile_.size() && profile_[j].free.count() < nodes) i = j;
  }
  // Too few nodes up (or nothing before `before_s`): no slot.
  const double never = std::numeric_limits<double>::infinity();
  return Planned{never, never, {}, NodeSet()};
}

std::vector<Scheduler::Reservation> ConservativeScheduler::reservations() const {
  std::vector<Reservation> out;
  for (const auto& [start_s, id] : by_start_) {
    Reservation r;
    r.id = id;
    r.start_s = start_s;
    r.nodes = planned_.at(id).nodes;
    out.push_back(std::move(r));
  }
  return out;
}

double ConservativeScheduler::next_wakeup_s() const {
  for (const auto& [start_s, id] : by_start_)
    if (start_s > last_now_s_) return start_s;
  return std::numeric_limits<double>::infinity();
}

}  // namespace twin::hpc
