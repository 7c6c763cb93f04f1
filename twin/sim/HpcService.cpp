#include "twin/sim/HpcService.hpp"

#include <algorithm>

#include <simgrid/Exception.hpp>

#include "twin/core/Errors.hpp"

namespace twin::sim {

namespace sg4 = simgrid::s4u;

namespace {
std::unique_ptr<hpc::Scheduler> scheduler_for(const HpcSpec& spec) {
  hpc::SchedulerOptions opt;
  opt.reserved_nodes = spec.reserved_nodes;
  return hpc::make_scheduler(spec.scheduler, spec.nodes, opt);
}
}  // namespace

HpcService::HpcService(const HpcSpec& spec, const HpcHosts& hosts, std::uint64_t seed, core::Recorder* recorder)
    : spec_(spec),
      recorder_(recorder),
      hosts_(hosts),
      scheduler_(scheduler_for(spec)),
      mutex_(sg4::Mutex::create()),
      cv_(sg4::ConditionVariable::create()),
      seed_(seed),
      bg_cv_(sg4::ConditionVariable::create()) {
  const BackgroundSpec& b = spec_.background;
  if (b.kind == "synthetic") {
    hpc::SyntheticWorkloadSpec ws;
    ws.nodes = b.job_nodes;
    ws.run_s = b.run_s;
    ws.request_factor = b.request_factor;
    ws.max_nodes = spec_.nodes;
    ws.mean_interarrival_s = hpc::interarrival_for_load(ws, b.load);
    synthetic_ = std::make_unique<hpc::SyntheticWorkload>(ws, spec_.availability.online_from_s);
    bg_rng_ = std::make_unique<core::Rng>(core::Rng::stream(seed_, "hpc." + spec_.name + ".background"));
  }
}

bool HpcService::next_background(hpc::WorkloadJob& job) {
  if (synthetic_) {
    job = synthetic_->next(*bg_rng_);
    return true;
  }
  const auto& jobs = spec_.background.trace_jobs;
  if (!jobs || trace_next_ >= jobs->size()) return false;
  job = (*jobs)[trace_next_++];
  job.submit_s += spec_.availability.online_from_s;
  return true;
}

void HpcService::record(std::uint64_t id, const Pending& p, double end_s, const char* state) {
  if (!recorder_) return;
  if (p.background ? recorder_->background_jobs() : recorder_->items()) {
    core::JobRecord r;
    r.system = spec_.name;
    r.id = static_cast<std::int64_t>(id);
    r.owner = p.owner;
    r.nodes = p.nodes_requested;
    r.submit_s = p.submit_s;
    r.start_s = p.start_s;
    r.end_s = end_s;
    r.requested_s = p.requested_s;
    r.state = state;
    recorder_->job(std::move(r));
  }
  // Campaign jobs only: the background workload shows as the utilisation counter.
  if (recorder_->tracing() && !p.background && p.start_s >= 0)
    recorder_->span("hpc/" + spec_.name, p.owner + " job " + std::to_string(id), "job", p.start_s,
                    end_s >= 0 ? end_s : sg4::Engine::get_clock());
}

void HpcService::record_unfinished() {
  for (const auto& [id, p] : pending_) record(id, p, -1, p.started ? "running" : "queued");
}

void HpcService::start_background(sg4::Host* host) {
  if (spec_.background.kind.empty()) return;
  sg4::Actor::create("background." + spec_.name, host, [this] { background_loop(); });
}

void HpcService::background_loop() {
  hpc::WorkloadJob next;
  bool has_next = next_background(next);
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  while (true) {
    const double arrival = has_next ? next.submit_s : core::NEVER;
    const double end = bg_ends_.empty() ? core::NEVER : bg_ends_.begin()->first.first;
    const double wake = std::min(arrival, end);
    if (wake == core::NEVER) bg_cv_->wait(lock);
    else if (wake > sg4::Engine::get_clock()) bg_cv_->wait_until(lock, wake);
    const double now = sg4::Engine::get_clock();
    bool changed = false;
    while (!bg_ends_.empty() && bg_ends_.begin()->first.first <= now) {
      const std::uint64_t id = bg_ends_.begin()->second;
      bg_ends_.erase(bg_ends_.begin());
      auto it = pending_.find(id);
      busy_nodes_.add(now, -static_cast<double>(it->second.nodes.size()));
      const bool killed = it->second.run_s > it->second.requested_s;
      if (killed) ++bg_killed_;
      else ++bg_finished_;
      record(id, it->second, now, killed ? "walltime" : "done");
      pending_.erase(it);
      scheduler_->finish(id, now);
      changed = true;
    }
    while (has_next && next.submit_s <= now) {
      if (next.submit_s < spec_.availability.offline_from_s) {
        const std::uint64_t id = next_id_++;
        Pending p;
        p.background = true;
        p.run_s = next.run_s;
        p.requested_s = next.requested_s;
        p.owner = "background";
        p.nodes_requested = std::min(next.nodes, spec_.nodes);
        p.submit_s = now;
        pending_[id] = p;
        hpc::JobRequest jr;
        jr.id = id;
        jr.nodes = std::min(next.nodes, spec_.nodes);
        jr.requested_s = next.requested_s;
        jr.submit_s = now;
        jr.priority = next.priority;
        jr.account = next.account.empty() ? "background" : next.account;
        scheduler_->submit(jr);
        ++bg_submitted_;
        changed = true;
      }
      has_next = next_background(next);
    }
    if (changed) dispatch();
  }
}

void HpcService::dispatch() {
  const double now = sg4::Engine::get_clock();
  bool any = false;
  for (const auto& s : scheduler_->schedule(now)) {
    auto it = pending_.find(s.id);
    TWIN_ASSERT(it != pending_.end(), "scheduler started an unknown job");
    it->second.started = true;
    it->second.start_s = now;
    it->second.nodes = s.nodes;
    busy_nodes_.add(now, static_cast<double>(s.nodes.size()));
    if (it->second.background) {
      const double run = std::min(it->second.run_s, it->second.requested_s);
      bg_ends_.emplace(std::make_pair(now + run, s.id), s.id);
      bg_cv_->notify_all();
    } else {
      any = true;
    }
  }
  queue_.set(now, static_cast<double>(scheduler_->queued()));
  if (any) cv_->notify_all();
}

core::ComputeOutcome HpcService::run_job(const core::ComputeRequest& req) {
  core::ComputeOutcome out;
  const double t0 = sg4::Engine::get_clock();
  jobs_.created++;
  if (t0 >= spec_.availability.offline_from_s) {
    jobs_.discarded++;
    out.failure = "system " + spec_.name + " is offline";
    out.submit_s = out.start_s = out.end_s = t0;
    return out;
  }
  if (t0 < spec_.availability.online_from_s) {
    jobs_.holds++;
    sg4::this_actor::sleep_until(spec_.availability.online_from_s);
    out.hold_s = spec_.availability.online_from_s - t0;
  }
  out.submit_s = sg4::Engine::get_clock();
  // A job killed by a node failure is requeued (a new submission, same
  // request) or lost, as the scenario says.
  while (true) {
    const std::uint64_t id = next_id_++;
    hpc::JobRequest jr;
    jr.id = id;
    jr.nodes = req.nodes;
    jr.requested_s = req.requested_s;
    jr.submit_s = sg4::Engine::get_clock();
    jr.priority = req.priority;
    jr.account = req.owner;
    jr.reserved_access = true;
    Pending p;
    p.owner = req.owner;
    p.nodes_requested = req.nodes;
    p.requested_s = req.requested_s;
    p.submit_s = jr.submit_s;
    pending_[id] = p;
    scheduler_->submit(jr);
    dispatch();
    const double queued_at = sg4::Engine::get_clock();
    {
      std::unique_lock<sg4::Mutex> lock(*mutex_);
      while (!pending_[id].started) cv_->wait(lock);
    }
    const std::vector<int> nodes = pending_[id].nodes;
    out.start_s = sg4::Engine::get_clock();
    const double wait = out.start_s - queued_at;
    ++waits_;
    wait_sum_s_ += wait;
    wait_max_s_ = std::max(wait_max_s_, wait);
    // One execution on the host of the first node, at one node's speed, of
    // the work of one node: the job's duration is flops / (nodes x speed).
    sg4::Host* host = hosts_.hosts[static_cast<std::size_t>(nodes.front() / hosts_.nodes_per_host)];
    sg4::ExecPtr exec = sg4::this_actor::exec_init(req.flops / static_cast<double>(nodes.size()));
    exec->set_host(host);
    pending_[id].exec = exec;
    exec->start();
    bool walltime = false;
    try {
      exec->wait_for(req.requested_s);
    } catch (const simgrid::TimeoutException&) {
      if (!pending_[id].node_failed) {
        exec->cancel();
        walltime = true;
      }
    } catch (const simgrid::Exception&) {
      // Cancelled by a node failure: handled below.
    }
    const bool node_failed = pending_[id].node_failed;
    const double now = sg4::Engine::get_clock();
    const double run = now - out.start_s;
    out.node_hours += run * static_cast<double>(nodes.size()) / 3600.0;
    out.energy_j += run * static_cast<double>(nodes.size()) * spec_.node_busy_power_w;
    out.end_s = now;
    record(id, pending_[id], now, node_failed ? "node_failure" : walltime ? "walltime" : "done");
    if (!node_failed) {
      // (On a node failure, failure_loop has already released the nodes.)
      busy_nodes_.add(now, -static_cast<double>(nodes.size()));
      pending_.erase(id);
      scheduler_->finish(id, now);
      dispatch();
    } else {
      pending_.erase(id);
    }
    if (node_failed) {
      if (spec_.requeue_on_failure) {
        ++requeued_;
        continue;
      }
      jobs_.failed++;
      out.failure = "node failure";
      return out;
    }
    if (walltime) {
      jobs_.failed++;
      out.failure = "walltime exceeded";
    } else {
      jobs_.finished++;
      out.ok = true;
    }
    return out;
  }
}

void HpcService::start_failures(sg4::Host* host, double horizon_s) {
  if (spec_.node_mtbf_s <= 0) return;
  hpc::NodeFailureSpec fs;
  fs.node_mtbf_s = spec_.node_mtbf_s;
  fs.repair_s = spec_.node_repair_s;
  auto failures = hpc::node_failures(fs, spec_.nodes, horizon_s, core::mix_seed(seed_, core::stable_hash(spec_.name)));
  sg4::Actor::create("failures." + spec_.name, host, [this, f = std::move(failures)]() mutable { failure_loop(std::move(f)); });
}

void HpcService::failure_loop(std::vector<hpc::NodeFailure> failures) {
  // Failures and repairs in time order; ties: repairs first, then node order.
  std::multimap<std::pair<double, int>, std::pair<bool, int>> events;  // (t, repair first) -> (is_failure, node)
  for (const auto& f : failures) {
    events.emplace(std::make_pair(f.fail_s, 1), std::make_pair(true, f.node));
    events.emplace(std::make_pair(f.repaired_s, 0), std::make_pair(false, f.node));
  }
  for (const auto& [when, what] : events) {
    sg4::this_actor::sleep_until(when.first);
    const double now = sg4::Engine::get_clock();
    const int node = what.second;
    if (!what.first) {
      scheduler_->set_node_up(node, now);
      dispatch();
      continue;
    }
    ++node_failures_;
    if (auto job = scheduler_->job_on_node(node)) {
      auto it = pending_.find(*job);
      TWIN_ASSERT(it != pending_.end(), "a node holds an unknown job");
      ++failure_kills_;
      busy_nodes_.add(now, -static_cast<double>(it->second.nodes.size()));
      scheduler_->finish(*job, now);
      if (it->second.background) {
        for (auto e = bg_ends_.begin(); e != bg_ends_.end(); ++e)
          if (e->second == *job) {
            bg_ends_.erase(e);
            break;
          }
        ++bg_killed_;
        record(*job, it->second, now, "node_failure");
        pending_.erase(it);
      } else {
        it->second.node_failed = true;
        if (it->second.exec) it->second.exec->cancel();
      }
    }
    scheduler_->set_node_down(node, now);
    dispatch();
  }
}

core::HpcSim HpcService::resource(double horizon_s) const {
  core::HpcSim r;
  r.name = spec_.name;
  r.kind = "hpc";
  r.capacity = spec_.nodes;
  r.busy_integral = busy_nodes_.integral(horizon_s);
  r.queue_integral = queue_.integral(horizon_s);
  r.queue_max = queue_.max();
  r.waits = waits_;
  r.wait_sum_s = wait_sum_s_;
  r.wait_max_s = wait_max_s_;
  r.background_jobs = bg_submitted_;
  r.node_failures = node_failures_;
  r.failure_kills = failure_kills_;
  r.requeued = requeued_;
  r.online_s = std::max(0.0, std::min(horizon_s, spec_.availability.offline_from_s) - spec_.availability.online_from_s);
  r.energy_j = spec_.node_idle_power_w * spec_.nodes * r.online_s +
               (spec_.node_busy_power_w - spec_.node_idle_power_w) * r.busy_integral;
  auto daily = busy_nodes_.bucket_means(horizon_s);
  for (auto& d : daily) d /= r.capacity;
  r.daily_utilisation = std::move(daily);
  r.daily_queue = queue_.bucket_means(horizon_s);
  return r;
}

}  // namespace twin::sim
