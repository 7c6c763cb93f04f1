#include "twin/sim/CloudService.hpp"

#include <algorithm>
#include <mutex>

#include "twin/core/Log.hpp"

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(twin_run);

namespace twin::sim {

namespace sg4 = simgrid::s4u;

CloudService::CloudService(const CloudSpec& spec, std::uint64_t seed, core::Recorder* recorder)
    : spec_(spec),
      rng_(core::Rng::stream(seed, "cloud." + spec.name)),
      recorder_(recorder),
      mutex_(sg4::Mutex::create()) {
  totals_.name = spec.name;
  totals_.quota_instances = spec.quota_instances;
}

void CloudService::grant() {
  while (!queue_.empty() && in_use_ + queue_.front()->instances <= spec_.quota_instances) {
    Waiter* w = queue_.front();
    queue_.pop_front();
    in_use_ += w->instances;
    w->granted = true;
    w->cv->notify_one();
  }
}

core::ComputeOutcome CloudService::run_job(const core::ComputeRequest& req) {
  core::ComputeOutcome out;
  const int instances = std::max(1, req.nodes);
  out.submit_s = sg4::Engine::get_clock();
  jobs_.created++;
  const std::int64_t id = jobs_.created;
  out.job_id = id;
  per_owner_[req.owner]++;
  Active a{req.owner, instances, out.submit_s, -1};
  if (instances > spec_.quota_instances) {  // never granted: refused at once
    jobs_.discarded++;
    out.failure = "larger than the quota of cloud " + spec_.name;
    out.start_s = out.end_s = out.submit_s;
    record(id, a, out.end_s, "failed");
    return out;
  }
  active_[id] = a;
  Waiter w;
  w.instances = instances;
  w.cv = sg4::ConditionVariable::create();
  {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    queue_.push_back(&w);
    grant();
    while (!w.granted) w.cv->wait(lock);
  }
  const double granted_s = sg4::Engine::get_clock();
  running_++;
  const double provisioning = std::max(0.0, spec_.provisioning.sample(rng_));
  if (provisioning > 0) sg4::this_actor::sleep_for(provisioning);
  out.start_s = sg4::Engine::get_clock();
  active_[id].start_s = out.start_s;
  const double run_s = req.flops / (static_cast<double>(instances) * spec_.node_speed_flops);
  if (run_s > 0) sg4::this_actor::sleep_for(run_s);
  out.end_s = sg4::Engine::get_clock();
  {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    in_use_ -= instances;
    grant();
  }
  running_--;
  jobs_.finished++;
  a.start_s = out.start_s;
  active_.erase(id);
  record(id, a, out.end_s, "done");
  const double held_h = static_cast<double>(instances) * (out.end_s - out.start_s) / 3600.0;
  out.ok = true;
  out.gpu_hours = held_h * spec_.gpus;
  out.usd = out.gpu_hours * spec_.price_per_gpu_hour_usd;
  out.energy_j = static_cast<double>(instances) * spec_.power_w * (out.end_s - out.start_s);
  totals_.instance_hours += held_h;
  totals_.gpu_hours += out.gpu_hours;
  totals_.usd += out.usd;
  totals_.energy_j += out.energy_j;
  totals_.quota_wait_s += granted_s - out.submit_s;
  totals_.provisioning_s += out.start_s - granted_s;
  XBT_VERB("cloud %s: a job of %s on %d instance%s, %.0f s waiting for the quota, %.0f s provisioning, %.0f s running",
           spec_.name.c_str(), req.owner.c_str(), instances, instances == 1 ? "" : "s", granted_s - out.submit_s,
           out.start_s - granted_s, out.end_s - out.start_s);
  return out;
}

void CloudService::record(std::int64_t id, const Active& a, double end_s, const char* state) {
  if (!recorder_ || !recorder_->items()) return;
  core::JobRecord r;
  r.system = spec_.name;
  r.id = id;
  r.owner = a.owner;
  r.nodes = a.instances;
  r.submit_s = a.submit_s;
  r.start_s = a.start_s;
  r.end_s = end_s;
  r.state = state;
  recorder_->job(std::move(r));
}

void CloudService::record_unfinished() {
  for (const auto& [id, a] : active_) record(id, a, -1, a.start_s < 0 ? "queued" : "running");
}

core::Conservation CloudService::jobs() const {
  core::Conservation c = jobs_;
  c.in_flight = static_cast<std::int64_t>(queue_.size()) + running_;
  return c;
}

std::vector<core::Placement> CloudService::placements() const {
  return core::owner_placements("cloud", spec_.name, per_owner_);
}

core::CloudSim CloudService::result() const {
  core::CloudSim r = totals_;
  r.jobs = jobs();
  return r;
}

}  // namespace twin::sim
