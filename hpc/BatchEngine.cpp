#include "hpc/BatchEngine.hpp"

#include <algorithm>
#include <stdexcept>

#include "hpc/Power.hpp"
#include "twin/core/Log.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(twin_hpc_batch, twin_hpc, "the batch engine: the campaigns' jobs through an HPC system");

namespace twin::hpc {

const char* to_string(JobState s) {
  switch (s) {
    case JobState::DONE: return "done";
    case JobState::WALLTIME: return "walltime";
    case JobState::NODE_FAILURE: return "node_failure";
    case JobState::OUTAGE: return "outage";
    case JobState::DISCARDED: return "discarded";
    case JobState::SKIPPED: return "skipped";
  }
  return "?";
}

BatchEngine::BatchEngine(SystemConfig config, std::uint64_t seed, double horizon_s, EngineOptions options,
                         core::Recorder* recorder)
    : cfg_(std::move(config)), opt_(std::move(options)), recorder_(recorder) {
  sched_ = make_scheduler(cfg_.scheduler, cfg_.nodes, cfg_.scheduler_options);
  const BackgroundConfig& b = cfg_.background;
  if (b.kind == BackgroundConfig::Kind::SYNTHETIC) {
    synthetic_ = std::make_unique<SyntheticWorkload>(b.synthetic, cfg_.online_from_s);
    bg_rng_ = std::make_unique<core::Rng>(core::Rng::stream(seed, "hpc." + cfg_.name + ".background"));
  }
  has_next_bg_ = next_background();
  if (cfg_.node_failures.node_mtbf_s > 0) {
    // Failures and repairs in time order; ties: repairs first, then failure-list order.
    for (const NodeFailure& f :
         node_failures(cfg_.node_failures, cfg_.nodes, horizon_s, core::mix_seed(seed, core::stable_hash(cfg_.name)))) {
      node_events_.push_back({f.fail_s, true, f.node});
      node_events_.push_back({f.repaired_s, false, f.node});
    }
    std::stable_sort(node_events_.begin(), node_events_.end(), [](const NodeEvent& x, const NodeEvent& y) {
      if (x.t != y.t) return x.t < y.t;
      return !x.failure && y.failure;
    });
  }
  if (cfg_.mtbf_s > 0) {
    outage_rng_ = std::make_unique<core::Rng>(core::Rng::stream(seed, "hpc." + cfg_.name + ".outages"));
    random_down_s_ = cfg_.online_from_s + outage_rng_->exponential(cfg_.mtbf_s);
    if (!(random_down_s_ < cfg_.offline_from_s)) random_down_s_ = core::NEVER;
  }
}

bool BatchEngine::next_background() {
  if (synthetic_) {
    synthetic_next_ = synthetic_->next(*bg_rng_);
    next_bg_ = &synthetic_next_;
    next_bg_submit_s_ = synthetic_next_.submit_s;
  } else {
    const auto& trace = cfg_.background.trace;
    if (!trace || trace_next_ >= trace->size()) return false;
    next_bg_ = &(*trace)[trace_next_++];
    next_bg_submit_s_ = next_bg_->submit_s + cfg_.online_from_s;
  }
  // Arrivals are in time order: none at or after the retirement.
  return next_bg_submit_s_ < cfg_.offline_from_s;
}

bool BatchEngine::in_planned_outage(double t) const {
  for (const Outage& o : cfg_.outages)
    if (t >= o.from_s && t < o.to_s) return true;
  return false;
}

bool BatchEngine::up_at(double t) const {
  if (t < cfg_.online_from_s || t >= cfg_.offline_from_s) return false;
  if (random_down_ && t < random_up_s_) return false;
  return !in_planned_outage(t);
}

double BatchEngine::estimated_wait_s(int nodes, double requested_s) const {
  const int total = sched_->total_nodes() - sched_->down_nodes();
  const double from = next_up(now_);
  if (nodes > total || from == core::NEVER) return core::NEVER;
  // The free-node count as a step function: free[i] nodes from t[i] until t[i + 1].
  std::vector<double> t{from};
  std::vector<int> free{total};
  auto split = [&](double at) {  // index of the step starting at `at`
    std::size_t i = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), at) - t.begin()) - 1;
    if (t[i] == at) return i;
    t.insert(t.begin() + static_cast<std::ptrdiff_t>(i + 1), at);
    free.insert(free.begin() + static_cast<std::ptrdiff_t>(i + 1), free[i]);
    return i + 1;
  };
  auto take = [&](double start, double end, int n) {
    const std::size_t a = split(start);
    const std::size_t b = end == core::NEVER ? t.size() : split(end);
    for (std::size_t i = a; i < b; ++i) free[i] -= n;
  };
  auto earliest = [&](int n, double dur) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      bool fits = true;
      for (std::size_t j = i; j < t.size() && t[j] < t[i] + dur && fits; ++j) fits = free[j] >= n;
      if (fits) return t[i];
    }
    return t.back();  // the last step is the whole machine free
  };
  std::vector<std::pair<std::pair<double, std::uint64_t>, const Job*>> queued;
  for (const auto& [id, j] : jobs_) {
    if (j.started) {
      take(from, std::max(from, j.start_s + j.spec.requested_s), static_cast<int>(j.nodes.size()));
    } else {
      queued.push_back({{j.submit_s, id}, &j});
    }
  }
  std::sort(queued.begin(), queued.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, j] : queued) {
    const int n = std::min(j->spec.nodes, total);
    const double start = earliest(n, j->spec.requested_s);
    take(start, start + j->spec.requested_s, n);
  }
  return earliest(nodes, requested_s) - now_;
}

double BatchEngine::next_up(double t) const {
  double x = std::max(t, cfg_.online_from_s);
  for (;;) {
    if (x >= cfg_.offline_from_s) return core::NEVER;
    if (random_down_ && x < random_up_s_) {
      x = random_up_s_;
      continue;
    }
    bool moved = false;
    for (const Outage& o : cfg_.outages)
      if (x >= o.from_s && x < o.to_s) {
        x = o.to_s;
        moved = true;
      }
    if (!moved) return x;
  }
}

double BatchEngine::next_system_event() const {
  double t = core::NEVER;
  if (planned_down_) t = std::min(t, planned_up_s_);
  else if (outage_next_ < cfg_.outages.size()) t = std::min(t, cfg_.outages[outage_next_].from_s);
  t = std::min(t, random_down_ ? random_up_s_ : random_down_s_);
  return t;
}

double BatchEngine::next_event_time() const {
  double t = core::NEVER;
  if (!ends_.empty()) t = std::min(t, ends_.begin()->first);
  if (has_next_bg_) t = std::min(t, next_bg_submit_s_);
  if (node_next_ < node_events_.size()) t = std::min(t, node_events_[node_next_].t);
  t = std::min(t, next_system_event());
  if (!held_.empty()) t = std::min(t, cfg_.online_from_s);
  if (opt_.wake_on_reservations && !planned_down_ && !random_down_) t = std::min(t, sched_->next_wakeup_s());
  return t;
}

void BatchEngine::record(std::uint64_t id, const Job& j, double end_s, const char* state, double span_end_s) {
  if (!recorder_) return;
  if (j.background ? recorder_->background_jobs() : recorder_->items()) {
    core::JobRecord r;
    r.system = cfg_.name;
    r.id = static_cast<std::int64_t>(id);
    r.owner = j.spec.owner;
    r.nodes = j.spec.nodes;
    r.submit_s = j.submit_s;
    r.start_s = j.start_s;
    r.end_s = end_s;
    r.requested_s = j.spec.requested_s;
    r.state = state;
    recorder_->job(std::move(r));
  }
  // Caller jobs only: the background workload shows as the utilisation counter.
  if (recorder_->tracing() && !j.background && j.start_s >= 0)
    recorder_->span("hpc/" + cfg_.name, j.spec.owner + " job " + std::to_string(id), "job", j.start_s, end_s >= 0 ? end_s : span_end_s);
}

void BatchEngine::submit_job(std::uint64_t id, Job job, const std::string* account) {
  JobRequest r;
  r.id = id;
  r.nodes = job.spec.nodes;
  r.requested_s = job.spec.requested_s;
  r.submit_s = job.submit_s;
  r.priority = job.spec.priority;
  r.account = account ? *account : job.spec.owner;  // caller jobs: their owner
  r.reserved_access = job.spec.reserved_access;
  if (!job.background) caller_ids_[job.ticket] = id;
  jobs_.emplace(id, std::move(job));
  sched_->submit(r);
}

void BatchEngine::pass() {
  const bool down = planned_down_ || random_down_;
  if (!down) {
    const bool kill = cfg_.scheduler_options.overrun == OverrunPolicy::KILL;
    for (Start& s : sched_->schedule(now_)) {
      auto it = jobs_.find(s.id);
      if (it == jobs_.end()) throw std::logic_error("batch engine: the scheduler started an unknown job");
      Job& j = it->second;
      j.started = true;
      j.start_s = now_;
      j.nodes = std::move(s.nodes);
      ++j.attempts;
      busy_nodes_.add(now_, static_cast<double>(j.nodes.size()));
      if (j.background) background_busy_.add(now_, static_cast<double>(j.nodes.size()));
      if (j.spec.caller_timed) {
        j.end_s = core::NEVER;
      } else {
        const double run = kill ? std::min(j.spec.run_s, j.spec.requested_s) : j.spec.run_s;
        j.end_s = now_ + run;
        ends_.emplace(j.end_s, s.id);
      }
      if (!j.background) {
        const double wait = now_ - j.submit_s;
        ++counters_.waits;
        counters_.wait_sum_s += wait;
        counters_.wait_max_s = std::max(counters_.wait_max_s, wait);
        XBT_VERB("%s, t=%.1f s: job %llu of %s starts on %zu node%s after %.1f s in the queue", cfg_.name.c_str(), now_,
                 static_cast<unsigned long long>(j.ticket), j.spec.owner.c_str(), j.nodes.size(),
                 j.nodes.size() == 1 ? "" : "s", wait);
        if (opt_.on_start) opt_.on_start(j.ticket, now_, j.nodes);
      }
    }
    if (opt_.on_pass) opt_.on_pass(now_, *sched_);
  }
  queue_.set(now_, static_cast<double>(sched_->queued()));
}

JobEnd to_end(std::uint64_t ticket, bool background, std::size_t trace_index, JobState state) {
  JobEnd e;
  e.ticket = ticket;
  e.background = background;
  e.trace_index = trace_index;
  e.state = state;
  return e;
}

void BatchEngine::end_job(std::uint64_t id, JobState state, std::vector<JobEnd>& done) {
  auto it = jobs_.find(id);
  Job& j = it->second;
  const double run = now_ - j.start_s;
  const int n = static_cast<int>(j.nodes.size());
  busy_nodes_.add(now_, -static_cast<double>(n));
  if (j.background) background_busy_.add(now_, -static_cast<double>(n));
  j.node_hours += run * static_cast<double>(n) / 3600.0;
  j.energy_j += job_energy_j(cfg_.power, n, run);
  record(id, j, now_, to_string(state), now_);
  sched_->finish(id, now_);
  if (!j.background) {
    caller_ids_.erase(j.ticket);
    XBT_VERB("%s, t=%.1f s: job %llu of %s ends (%s) after %.1f s", cfg_.name.c_str(), now_,
             static_cast<unsigned long long>(j.ticket), j.spec.owner.c_str(), to_string(state), run);
  }
  const bool lost = state == JobState::NODE_FAILURE || state == JobState::OUTAGE;
  if (!j.background && lost && cfg_.on_failure == OnFailure::REQUEUE) {
    ++counters_.requeued;
    requeue_.push_back(std::move(j));
    jobs_.erase(it);
    return;
  }
  if (j.background) {
    if (state == JobState::DONE) ++counters_.background_finished;
    else ++counters_.background_killed;
  } else if (state == JobState::DONE) {
    ++caller_.finished;
  } else {
    ++caller_.failed;
  }
  JobEnd e = to_end(j.ticket, j.background, j.trace_index, state);
  e.id = id;
  e.submit_s = j.first_submit_s;
  e.hold_s = j.hold_s;
  e.start_s = j.start_s;
  e.end_s = now_;
  e.nodes = std::move(j.nodes);
  e.attempts = j.attempts;
  e.node_hours = j.node_hours;
  e.energy_j = j.energy_j;
  done.push_back(std::move(e));
  jobs_.erase(it);
}

void BatchEngine::kill(std::uint64_t id, JobState lost_state, std::vector<JobEnd>& done) {
  const Job& j = jobs_.at(id);
  ends_.erase({j.end_s, id});
  if (!j.background && opt_.on_kill) opt_.on_kill(j.ticket);
  end_job(id, lost_state, done);
}

void BatchEngine::requeue(Job job) {
  job.started = false;
  job.start_s = -1;
  job.submit_s = now_;
  job.nodes.clear();
  submit_job(next_id_++, std::move(job), nullptr);
}

std::uint64_t BatchEngine::submit(const JobSpec& spec, double t, std::vector<JobEnd>& done) {
  if (t < now_) throw std::invalid_argument("batch engine: a submission in the past");
  if (opt_.trace_index_ids) throw std::logic_error("batch engine: no caller jobs when ids are trace indices");
  now_ = t;
  const std::uint64_t ticket = next_ticket_++;
  ++caller_.created;
  if (t >= cfg_.offline_from_s) {
    ++caller_.discarded;
    JobEnd e = to_end(ticket, false, 0, JobState::DISCARDED);
    e.submit_s = e.start_s = e.end_s = t;
    done.push_back(std::move(e));
    return ticket;
  }
  Job j;
  j.ticket = ticket;
  j.spec = spec;
  if (t < cfg_.online_from_s) {
    ++caller_.holds;
    j.hold_s = cfg_.online_from_s - t;
    held_.emplace_back(ticket, std::move(j));
    return ticket;
  }
  j.first_submit_s = j.submit_s = t;
  XBT_VERB("%s, t=%.1f s: job %llu of %s submitted: %d node%s, %.1f s requested", cfg_.name.c_str(), t,
           static_cast<unsigned long long>(ticket), spec.owner.c_str(), spec.nodes, spec.nodes == 1 ? "" : "s",
           spec.requested_s);
  submit_job(next_id_++, std::move(j), nullptr);
  pass();
  return ticket;
}

void BatchEngine::finish(std::uint64_t ticket, double t, bool walltime, std::vector<JobEnd>& done) {
  if (t < now_) throw std::invalid_argument("batch engine: a finish in the past");
  auto it = caller_ids_.find(ticket);
  if (it == caller_ids_.end() || !jobs_.at(it->second).started || !jobs_.at(it->second).spec.caller_timed)
    throw std::logic_error("batch engine: finish() of a job that is not a running caller-timed job");
  now_ = t;
  end_job(it->second, walltime ? JobState::WALLTIME : JobState::DONE, done);
  pass();
}

void BatchEngine::go_down(std::vector<JobEnd>& done) {
  down_since_s_ = now_;
  std::vector<std::uint64_t> running;
  for (const auto& [id, j] : jobs_)
    if (j.started) running.push_back(id);
  std::sort(running.begin(), running.end());  // killed in id order
  for (std::uint64_t id : running) {
    ++counters_.outage_kills;
    kill(id, JobState::OUTAGE, done);
  }
  for (Job& j : requeue_) requeue(std::move(j));
  requeue_.clear();
  pass();  // no start while down; keeps the queue gauge
}

void BatchEngine::go_up() {
  const double from = std::max(down_since_s_, cfg_.online_from_s);
  const double to = std::min(now_, cfg_.offline_from_s);
  if (to > from) counters_.down_s += to - from;
  pass();
}

void BatchEngine::advance_to(double t, std::vector<JobEnd>& done) {
  for (;;) {
    const double te = next_event_time();
    if (te > t) break;
    now_ = std::max(now_, te);
    // (1) jobs ending now.
    bool changed = false;
    while (!ends_.empty() && ends_.begin()->first <= now_) {
      const std::uint64_t id = ends_.begin()->second;
      ends_.erase(ends_.begin());
      const Job& j = jobs_.at(id);
      const bool background = j.background;
      const bool kill = cfg_.scheduler_options.overrun == OverrunPolicy::KILL;
      end_job(id, kill && j.spec.run_s > j.spec.requested_s ? JobState::WALLTIME : JobState::DONE, done);
      if (background) changed = true;
      else pass();
    }
    // (2) background arrivals.
    const int usable = cfg_.nodes - cfg_.scheduler_options.reserved_nodes;
    while (has_next_bg_ && next_bg_submit_s_ <= now_) {
      const WorkloadJob& w = *next_bg_;
      const std::size_t index = synthetic_ ? 0 : trace_next_ - 1;
      if (cfg_.background.oversize == Oversize::SKIP && (w.nodes > usable || w.nodes < 1)) {
        ++counters_.background_skipped;
        JobEnd e = to_end(0, true, index, JobState::SKIPPED);
        e.submit_s = e.start_s = e.end_s = next_bg_submit_s_;
        done.push_back(std::move(e));
      } else {
        Job j;
        j.background = true;
        j.trace_index = index;
        j.spec.owner = "background";
        j.spec.nodes = std::min(w.nodes, cfg_.nodes);
        j.spec.run_s = w.run_s;
        j.spec.requested_s = w.requested_s;
        j.spec.priority = w.priority;
        j.spec.reserved_access = false;
        j.first_submit_s = j.submit_s = next_bg_submit_s_;
        static const std::string background = "background";
        const bool kill = cfg_.scheduler_options.overrun == OverrunPolicy::KILL;
        counters_.background_offered_node_s +=
            static_cast<double>(j.spec.nodes) * (kill ? std::min(j.spec.run_s, j.spec.requested_s) : j.spec.run_s);
        submit_job(opt_.trace_index_ids ? index : next_id_++, std::move(j), w.account.empty() ? &background : &w.account);
        ++counters_.background_submitted;
      }
      changed = true;
      has_next_bg_ = next_background();
    }
    const bool wake = opt_.wake_on_reservations && sched_->next_wakeup_s() <= now_;
    if (changed || wake) pass();
    // (3) node repairs and failures.
    while (node_next_ < node_events_.size() && node_events_[node_next_].t <= now_) {
      const NodeEvent ev = node_events_[node_next_++];
      if (!ev.failure) {
        sched_->set_node_up(ev.node, now_);
        pass();
        continue;
      }
      ++counters_.node_failures;
      if (auto job = sched_->job_on_node(ev.node)) {
        ++counters_.failure_kills;
        kill(*job, JobState::NODE_FAILURE, done);
      }
      sched_->set_node_down(ev.node, now_);
      pass();
      for (Job& j : requeue_) {
        requeue(std::move(j));
        pass();
      }
      requeue_.clear();
    }
    // (4) outages: ends, then starts.
    if (next_system_event() <= now_) {
      const bool was_down = planned_down_ || random_down_;
      if (planned_down_ && planned_up_s_ <= now_) planned_down_ = false;
      if (random_down_ && random_up_s_ <= now_) {
        random_down_ = false;
        random_down_s_ = now_ + outage_rng_->exponential(cfg_.mtbf_s);
        if (!(random_down_s_ < cfg_.offline_from_s)) random_down_s_ = core::NEVER;
      }
      if (!planned_down_ && outage_next_ < cfg_.outages.size() && cfg_.outages[outage_next_].from_s <= now_) {
        planned_down_ = true;
        planned_up_s_ = cfg_.outages[outage_next_].to_s;
        ++outage_next_;
        ++counters_.outages;
      }
      if (!random_down_ && random_down_s_ <= now_) {
        random_down_ = true;
        random_up_s_ = now_ + std::max(0.0, cfg_.repair_s.sample(*outage_rng_));
        ++counters_.outages;
      }
      const bool is_down = planned_down_ || random_down_;
      if (!was_down && is_down) go_down(done);
      else if (was_down && !is_down) go_up();
    }
    // (5) caller jobs held until the system came online.
    if (!held_.empty() && cfg_.online_from_s <= now_) {
      std::vector<std::pair<std::uint64_t, Job>> held = std::move(held_);
      held_.clear();
      for (auto& [ticket, j] : held) {
        j.first_submit_s = j.submit_s = now_;
        submit_job(next_id_++, std::move(j), nullptr);
        pass();
      }
    }
  }
  now_ = std::max(now_, t);
}

core::Conservation BatchEngine::caller_jobs() const {
  core::Conservation c = caller_;
  c.in_flight = static_cast<std::int64_t>(held_.size());
  for (const auto& [id, j] : jobs_)
    if (!j.background) ++c.in_flight;
  return c;
}

void BatchEngine::record_unfinished(double horizon_s) {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, j] : jobs_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());  // recorded in id order
  for (std::uint64_t id : ids) {
    const Job& j = jobs_.at(id);
    record(id, j, -1, j.started ? "running" : "queued", horizon_s);
  }
  for (const auto& [ticket, j] : held_) record(0, j, -1, "held", horizon_s);  // no id before submission
}

void BatchEngine::lose_job_for_test(std::uint64_t ticket) {
  for (auto it = held_.begin(); it != held_.end(); ++it)
    if (it->first == ticket) {
      held_.erase(it);
      return;
    }
  if (auto c = caller_ids_.find(ticket); c != caller_ids_.end()) {
    auto it = jobs_.find(c->second);
    if (it->second.started) {
      ends_.erase({it->second.end_s, it->first});
      busy_nodes_.add(now_, -static_cast<double>(it->second.nodes.size()));
      sched_->finish(it->first, now_);
      caller_ids_.erase(ticket);
    } else {
      throw std::logic_error("batch engine: only a held or running job can be lost on purpose");
    }
    jobs_.erase(it);
    return;
  }
}

core::HpcSim BatchEngine::resource(double horizon_s) const {
  core::HpcSim r;
  r.name = cfg_.name;
  r.kind = "hpc";
  r.capacity = cfg_.nodes;
  r.busy_integral = busy_nodes_.integral(horizon_s);
  r.queue_integral = queue_.integral(horizon_s);
  r.queue_max = queue_.max();
  r.waits = counters_.waits;
  r.wait_sum_s = counters_.wait_sum_s;
  r.wait_max_s = counters_.wait_max_s;
  r.background_jobs = counters_.background_submitted;
  r.background_stated_load = cfg_.background.kind == BackgroundConfig::Kind::SYNTHETIC ? cfg_.background.stated_load : 0;
  r.background_offered_node_s = counters_.background_offered_node_s;
  r.background_busy_node_s = background_busy_.integral(horizon_s);
  r.node_failures = counters_.node_failures;
  r.failure_kills = counters_.failure_kills + counters_.outage_kills;
  r.requeued = counters_.requeued;
  double down_s = counters_.down_s;
  if (planned_down_ || random_down_) {
    const double from = std::max(down_since_s_, cfg_.online_from_s);
    const double to = std::min(horizon_s, cfg_.offline_from_s);
    if (to > from) down_s += to - from;
  }
  r.online_s = std::max(0.0, std::min(horizon_s, cfg_.offline_from_s) - cfg_.online_from_s);
  if (down_s > 0) r.online_s = std::max(0.0, r.online_s - down_s);
  // Powered while online (idle nodes at idle power), off while down or retired.
  r.energy_j = system_energy_j(cfg_.power, cfg_.nodes, r.busy_integral, r.online_s);
  auto daily = busy_nodes_.bucket_means(horizon_s);
  for (auto& d : daily) d /= r.capacity;
  r.daily_utilisation = std::move(daily);
  r.daily_queue = queue_.bucket_means(horizon_s);
  return r;
}

}  // namespace twin::hpc
