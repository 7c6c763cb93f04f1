#include "twin/sim/HpcService.hpp"

#include <algorithm>

#include <simgrid/Exception.hpp>

#include "twin/core/Errors.hpp"

namespace twin::sim {

namespace sg4 = simgrid::s4u;

HpcService::HpcService(const HpcSpec& spec, const HpcHosts& hosts)
    : spec_(spec),
      hosts_(hosts),
      scheduler_(hpc::make_scheduler(spec.scheduler, spec.nodes)),
      mutex_(sg4::Mutex::create()),
      cv_(sg4::ConditionVariable::create()) {}

void HpcService::dispatch() {
  const double now = sg4::Engine::get_clock();
  bool any = false;
  for (const auto& s : scheduler_->schedule(now)) {
    auto it = pending_.find(s.id);
    TWIN_ASSERT(it != pending_.end(), "scheduler started an unknown job");
    it->second.started = true;
    it->second.nodes = s.nodes;
    busy_nodes_.add(now, static_cast<double>(s.nodes.size()));
    any = true;
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
  r.online_s = std::max(0.0, std::min(horizon_s, spec_.availability.offline_from_s) - spec_.availability.online_from_s);
  r.energy_j = spec_.node_idle_power_w * spec_.nodes * r.online_s +
               (spec_.node_busy_power_w - spec_.node_idle_power_w) * r.busy_integral;
  auto daily = busy_nodes_.bucket_means(horizon_s);
  for (auto& d : daily) d /= r.capacity;
  r.daily_utilisation = std::move(daily);
  return r;
}

}  // namespace twin::sim
