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

HpcService::HpcService(const HpcSpec& spec, const HpcHosts& hosts, std::uint64_t seed)
    : spec_(spec),
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
      if (it->second.run_s > it->second.requested_s) ++bg_killed_;
      else ++bg_finished_;
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
  const std::uint64_t id = next_id_++;
  out.submit_s = sg4::Engine::get_clock();
  hpc::JobRequest jr;
  jr.id = id;
  jr.nodes = req.nodes;
  jr.requested_s = req.requested_s;
  jr.submit_s = out.submit_s;
  jr.priority = req.priority;
  jr.account = req.owner;
  jr.reserved_access = true;
  pending_[id] = Pending{};
  scheduler_->submit(jr);
  dispatch();
  {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    while (!pending_[id].started) cv_->wait(lock);
  }
  const std::vector<int> nodes = pending_[id].nodes;
  out.start_s = sg4::Engine::get_clock();
  const double wait = out.start_s - out.submit_s;
  ++waits_;
  wait_sum_s_ += wait;
  wait_max_s_ = std::max(wait_max_s_, wait);
  // One execution on the host of the first node, at one node's speed, of the
  // work of one node: the job's duration is flops / (nodes x node speed).
  sg4::Host* host = hosts_.hosts[static_cast<std::size_t>(nodes.front() / hosts_.nodes_per_host)];
  sg4::ExecPtr exec = sg4::this_actor::exec_init(req.flops / static_cast<double>(nodes.size()));
  exec->set_host(host);
  exec->start();
  bool killed = false;
  try {
    exec->wait_for(req.requested_s);
  } catch (const simgrid::TimeoutException&) {
    exec->cancel();
    killed = true;
  }
  out.end_s = sg4::Engine::get_clock();
  const double run = out.end_s - out.start_s;
  out.node_hours = run * static_cast<double>(nodes.size()) / 3600.0;
  out.energy_j = run * static_cast<double>(nodes.size()) * spec_.node_busy_power_w;
  busy_nodes_.add(out.end_s, -static_cast<double>(nodes.size()));
  pending_.erase(id);
  scheduler_->finish(id, out.end_s);
  dispatch();
  if (killed) {
    jobs_.failed++;
    out.failure = "walltime exceeded";
  } else {
    jobs_.finished++;
    out.ok = true;
  }
  return out;
}

core::ResourceSim HpcService::resource(double horizon_s) const {
  core::ResourceSim r;
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
  r.online_s = std::max(0.0, std::min(horizon_s, spec_.availability.offline_from_s) - spec_.availability.online_from_s);
  r.energy_j = spec_.node_idle_power_w * spec_.nodes * r.online_s +
               (spec_.node_busy_power_w - spec_.node_idle_power_w) * r.busy_integral;
  auto daily = busy_nodes_.bucket_means(horizon_s);
  for (auto& d : daily) d /= r.capacity;
  r.daily_utilisation = std::move(daily);
  return r;
}

}  // namespace twin::sim
