#include "hpc/ConservativeScheduler.hpp"

#include <algorithm>
#include <limits>

namespace twin::hpc {

namespace {
constexpr double NEVER_S = std::numeric_limits<double>::infinity();
}

void ConservativeScheduler::finish(std::uint64_t id, double now_s) {
  auto it = running_.find(id);
  // A job ending before its planned end gives the rest of its slot back.
  if (it != running_.end() && !rebuild_ && !profile_.empty() && now_s < it->second.planned_end_s) {
    profile_.release(now_s, it->second.planned_end_s, it->second.mask);
    log_freed(now_s, it->second.planned_end_s, it->second.mask);
  }
  QueueScheduler::finish(id, now_s);
}

void ConservativeScheduler::log_freed(double from_s, double to_s, const NodeSet& nodes) {
  if (nodes.empty()) return;
  freed_.push_back(Freed{++seq_, from_s, to_s, nodes});
  if (in_pass_) pass_freed_.add(from_s, to_s, nodes);
}

void ConservativeScheduler::FreedSummary::add(double from, double to, const NodeSet& n) {
  if (!any) {
    any = true;
    from_s = from;
    to_s = to;
    lowest_node = n.first();
    nodes = n;
    return;
  }
  from_s = std::min(from_s, from);
  to_s = std::max(to_s, to);
  lowest_node = std::min(lowest_node, n.first());
  nodes |= n;
}

void ConservativeScheduler::FreedSummary::add(const FreedSummary& o) {
  if (!o.any) return;
  if (!any) {
    *this = o;
    return;
  }
  from_s = std::min(from_s, o.from_s);
  to_s = std::max(to_s, o.to_s);
  lowest_node = std::min(lowest_node, o.lowest_node);
  nodes |= o.nodes;
}

std::vector<Start> ConservativeScheduler::schedule(double now_s) {
  last_now_s_ = now_s;
  // batsched compresses whenever a job ended since the last decision. A
  // running job past its planned end (overrun let run) has left the profile
  // without a log entry: re-fit everyone while one exists.
  const bool overdue = !planned_ends_.empty() && planned_ends_.begin()->first < now_s;
  bool compress_now = finished_since_pass_ || overdue || !static_order();
  // Under a priority or fair-share order a newcomer may rank before jobs
  // that already hold reservations: then plan everyone afresh in order (the
  // no-delay guarantee is for the submit order only).
  // A node going down invalidates reservations on it; one coming up only
  // frees room. Either way plan afresh (failures void the guarantee).
  bool replan = (options_.order == QueueOrder::FAIR_SHARE && compress_now) || nodes_changed_;
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
    rebuild_ = true;
  }
  if (rebuild_) compress_now = true;
  const bool all = rebuild_ || overdue || !options_.conservative_incremental;
  if (rebuild_ || profile_.empty()) {
    rebuild_profile(now_s);
    freed_.clear();
  } else {
    profile_.trim(now_s);
  }
  rebuild_ = false;
  if (compress_now) {
    compress(now_s, all);
  } else {
    std::vector<std::uint64_t> fresh = submitted_since_pass_;
    std::sort(fresh.begin(), fresh.end(), [this](std::uint64_t a, std::uint64_t b) { return queue_keys_.at(a) < queue_keys_.at(b); });
    for (std::uint64_t id : fresh) place(queue_.at(queue_keys_.at(id)));
  }
  finished_since_pass_ = false;
  submitted_since_pass_.clear();

  // Start the reservations that are due, in queue order.
  std::vector<QueueKey> due;
  NodeSet claimable = free_;  // two overdue slots may name the same nodes
  for (const auto& [start_s, id] : by_start_) {
    if (start_s > now_s) break;
    const Planned& p = planned_.at(id);
    if (p.nodes.empty() || p.nodes.count_excluding(claimable) != 0) continue;
    claimable.subtract(p.nodes);
    due.push_back(queue_keys_.at(id));
  }
  std::sort(due.begin(), due.end());
  std::vector<Start> starts;
  for (const QueueKey& k : due) {
    auto it = planned_.find(k.id);
    Planned p = std::move(it->second);
    by_start_.erase({p.start_s, k.id});
    planned_.erase(it);
    // Started late (behind an overrun): its planned end moves past the slot
    // the profile holds, so rebuild at the next pass.
    if (p.start_s < now_s) rebuild_ = true;
    starts.push_back(start_job(queue_.at(k), p.nodes, now_s));
  }
  return starts;
}

void ConservativeScheduler::compress(double now_s, bool all) {
  const std::uint64_t pass_seq = seq_;
  // A job placed before this pass has seen freed_ up to its placed_seq: what
  // came after is a suffix of freed_ plus what this pass frees before it.
  suffix_.resize(freed_.size() + 1);
  suffix_[freed_.size()].any = false;
  for (std::size_t k = freed_.size(); k-- > 0;) {
    suffix_[k] = suffix_[k + 1];
    suffix_[k].add(freed_[k].from_s, freed_[k].to_s, freed_[k].nodes);
  }
  pass_freed_.any = false;
  in_pass_ = true;
  for (const JobRequest* job : ordered_queue(now_s)) refit(*job, all, now_s);
  in_pass_ = false;
  // Every queued job has now been placed after pass_seq: older entries are
  // of no use to anyone.
  auto keep = std::find_if(freed_.begin(), freed_.end(), [pass_seq](const Freed& f) { return f.seq > pass_seq; });
  freed_.erase(freed_.begin(), keep);
}

void ConservativeScheduler::refit(const JobRequest& job, bool all, double now_s) {
  auto it = planned_.find(job.id);
  if (it == planned_.end()) {
    place(job);
    return;
  }
  if (it->second.nodes.empty()) {
    unplace(job.id);
    place(job);
    return;
  }
  const NodeSet& excluded = excluded_for(job);
  const bool keep_nodes = options_.conservative_refit == RefitNodes::KEEP;
  Planned& old = it->second;
  if (!all && old.start_s >= now_s) {
    // What was freed since it was placed, before its end, is all that can
    // give it an earlier start: a window [s', s' + requested) that meets it,
    // so from_s - requested < s' < to_s, and that keeps one of its nodes
    // free throughout (the window did not fit then). What was freed inside
    // its slot on lower nodes is all that can give it other nodes at the
    // same start. (The summary covers every entry since its placement, a
    // superset of those near it: the tests stay necessary conditions.)
    const std::size_t k = static_cast<std::size_t>(
        std::upper_bound(freed_.begin(), freed_.begin() + static_cast<std::ptrdiff_t>(suffix_.size() - 1),
                         old.placed_seq, [](std::uint64_t seq, const Freed& f) { return seq < f.seq; }) -
        freed_.begin());
    near_ = suffix_[k];
    near_.add(pass_freed_);
    const bool earlier = near_.any && near_.from_s < old.end_s;
    const bool lower = earlier && near_.to_s > old.start_s && near_.lowest_node < old.highest_node;
    const double lo_s = near_.from_s - job.requested_s;
    const double hi_s = near_.to_s;
    if (earlier) {
      // A strictly earlier start, its own slot counted as free.
      const FreeProfile::Own own{old.start_s, &old.nodes};
      FreeProfile::Fit fit =
          profile_.find_fit(job.nodes, job.requested_s, std::min(old.start_s, hi_s), excluded, &own, lo_s, &near_.nodes);
      if (fit.found) {
        move(job.id, old, slot(fit, job.requested_s));
        planned_.at(job.id).placed_seq = seq_;
        return;
      }
    }
    if (earlier) {
      if (!keep_nodes && lower) {
        // The same start, on the lowest nodes free throughout its slot.
        NodeSet available = profile_.free_throughout(old.start_s, old.end_s);
        available |= old.nodes;
        NodeSet nodes = available.lowest_set_excluding(job.nodes, excluded);
        if (!(nodes == old.nodes)) {
          Planned p = old;
          p.nodes = std::move(nodes);
          p.highest_node = p.nodes.last();
          move(job.id, old, std::move(p));
        }
      }
    }
    planned_.at(job.id).placed_seq = seq_;
    return;
  }
  // Take it out and put it back at the earliest fit (its own slot is free
  // once released, so the fit is never later). KEEP only takes a strictly
  // earlier start; an overdue slot (its nodes held past their planned end)
  // is no promise any more and is searched afresh from now.
  Planned saved = old;
  unplace(job.id);
  const double before_s = keep_nodes && saved.start_s >= now_s ? saved.start_s : NEVER_S;
  FreeProfile::Fit fit = profile_.find_fit(job.nodes, job.requested_s, before_s, excluded);
  Planned p = fit.found ? slot(fit, job.requested_s) : saved;
  if (p.start_s != saved.start_s || !(p.nodes == saved.nodes)) log_freed(saved.start_s, saved.end_s, saved.nodes);
  p.placed_seq = seq_;
  put(job.id, std::move(p));
}

void ConservativeScheduler::move(std::uint64_t id, Planned& old, Planned p) {
  profile_.release(old.start_s, old.end_s, old.nodes);
  log_freed(old.start_s, old.end_s, old.nodes);
  profile_.occupy(p.start_s, p.end_s, p.nodes);
  if (p.start_s != old.start_s) {
    by_start_.erase({old.start_s, id});
    by_start_.insert({p.start_s, id});
  }
  old = std::move(p);
}

ConservativeScheduler::Planned ConservativeScheduler::slot(const FreeProfile::Fit& fit, double duration_s) const {
  Planned p;
  if (!fit.found) {
    p.start_s = p.end_s = NEVER_S;  // too few nodes up: no slot
    return p;
  }
  p.start_s = fit.start_s;
  p.end_s = fit.start_s + duration_s;
  p.nodes = fit.nodes;
  p.highest_node = p.nodes.last();
  return p;
}

void ConservativeScheduler::place(const JobRequest& job) {
  Planned p = slot(profile_.find_fit(job.nodes, job.requested_s, NEVER_S, excluded_for(job)), job.requested_s);
  p.placed_seq = seq_;
  put(job.id, std::move(p));
}

void ConservativeScheduler::put(std::uint64_t id, Planned p) {
  if (!p.nodes.empty()) profile_.occupy(p.start_s, p.end_s, p.nodes);
  by_start_.insert({p.start_s, id});
  planned_.emplace(id, std::move(p));
}

void ConservativeScheduler::unplace(std::uint64_t id) {
  auto it = planned_.find(id);
  if (!it->second.nodes.empty()) profile_.release(it->second.start_s, it->second.end_s, it->second.nodes);
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
    if (r.planned_end_s <= now_s) base |= r.mask;  // overrun: counted as ending now
    else changes.push_back({r.planned_end_s, false, &r.mask});
  }
  for (const auto& [id, p] : planned_) {
    if (p.nodes.empty()) continue;  // no slot (too few nodes up)
    changes.push_back({std::max(p.start_s, now_s), true, &p.nodes});
    changes.push_back({std::max(p.end_s, now_s), false, &p.nodes});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    if (a.t_s != b.t_s) return a.t_s < b.t_s;
    return a.take < b.take;  // releases before takes at the same time
  });
  std::vector<FreeProfile::Segment> segments;
  segments.push_back({now_s, base});
  for (const Change& c : changes) {
    if (segments.back().t_s != c.t_s) segments.push_back({c.t_s, segments.back().free});
    if (c.take) segments.back().free.subtract(*c.nodes);
    else segments.back().free |= *c.nodes;
  }
  profile_.assign(std::move(segments));
}

std::vector<Scheduler::Reservation> ConservativeScheduler::reservations() const {
  std::vector<Reservation> out;
  for (const auto& [start_s, id] : by_start_) {
    Reservation r;
    r.id = id;
    r.start_s = start_s;
    r.nodes = planned_.at(id).nodes.members();
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
