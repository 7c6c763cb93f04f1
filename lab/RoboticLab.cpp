#include "lab/RoboticLab.hpp"

#include <algorithm>

#include <simgrid/s4u.hpp>

namespace twin::lab {

namespace sg4 = simgrid::s4u;

RoboticLab::RoboticLab(LabConfig config, std::uint64_t seed, core::Recorder* recorder)
    : cfg_(std::move(config)), seed_(seed), recorder_(recorder), name_hash_(core::stable_hash("lab." + cfg_.name)) {
  for (const auto& s : cfg_.stations)
    stations_.push_back(std::make_unique<core::SlotPool>(cfg_.name + "." + s.kind, s.count * s.slots));
  if (cfg_.robots > 0) robots_ = std::make_unique<core::SlotPool>(cfg_.name + ".robots", cfg_.robots);
}

core::ExperimentResult RoboticLab::run_experiment(const core::ExperimentRequest& req) {
  core::ExperimentResult r;
  const double t_submit = sg4::Engine::get_clock();
  r.submit_s = t_submit;
  samples_.created++;
  if (t_submit >= cfg_.offline_from_s) {
    samples_.discarded++;
    r.failure = "lab " + cfg_.name + " is offline";
    r.end_s = t_submit;
    return r;
  }
  if (t_submit < cfg_.online_from_s) {
    samples_.holds++;
    sg4::this_actor::sleep_until(cfg_.online_from_s);
    r.hold_s = cfg_.online_from_s - t_submit;
  }
  // This sample's own draws: the same in every mode for the same key.
  core::Rng rng = core::Rng::keyed(seed_, {name_hash_, req.key});
  for (std::size_t step = 0; step < cfg_.stations.size(); ++step) {
    const StationConfig& st = cfg_.stations[step];
    const double move_s = robots_ ? cfg_.robot_move_s.sample(rng) : 0.0;
    const double run_s = st.duration_s.sample(rng);
    const bool ok = rng.bernoulli(st.success_probability);
    if (robots_) {
      r.queue_s += robots_->acquire(req.priority);
      sg4::this_actor::sleep_for(move_s);
      robots_->release();
      r.run_s += move_s;
    }
    if (req.staffed_only || st.manual) {
      const double now = sg4::Engine::get_clock();
      const double open = cfg_.people.next_staffed(now);
      if (open == core::NEVER) {
        // Nobody will ever come: the sample waits to the end of the run.
        sg4::this_actor::sleep_until(1e300);
      }
      if (open > now) {
        sg4::this_actor::sleep_until(open);
        r.people_s += open - now;
      }
    }
    r.queue_s += stations_[step]->acquire(req.priority);
    sg4::this_actor::sleep_for(run_s);
    stations_[step]->release();
    r.run_s += run_s;
    r.lab_hours += run_s / 3600.0;
    r.energy_j += run_s * cfg_.station_power_w;
    station_seconds_ += run_s;
    if (!ok) {
      samples_.failed++;
      r.failure = st.kind + " step failed";
      r.end_s = sg4::Engine::get_clock();
      return r;
    }
  }
  samples_.finished++;
  r.value = req.measure ? req.measure() : 0.0;
  r.end_s = sg4::Engine::get_clock();
  return r;
}

std::vector<core::ResourceSim> RoboticLab::resources(double horizon_s) const {
  std::vector<core::ResourceSim> out;
  const double online = std::max(0.0, std::min(horizon_s, cfg_.offline_from_s) - cfg_.online_from_s);
  core::ResourceSim lab;
  lab.name = cfg_.name;
  lab.kind = "lab";
  lab.online_s = online;
  double slots = 0;
  for (const auto& p : stations_) {
    core::ResourceSim s;
    s.name = p->name();
    s.kind = "station";
    s.parent = cfg_.name;
    s.capacity = p->capacity();
    s.busy_integral = p->busy().integral(horizon_s);
    s.queue_integral = p->queue().integral(horizon_s);
    s.queue_max = p->queue().max();
    s.waits = p->waits();
    s.wait_sum_s = p->wait_sum_s();
    s.wait_max_s = p->wait_max_s();
    s.online_s = online;
    s.energy_j = s.busy_integral * cfg_.station_power_w;
    auto daily = p->busy().bucket_means(horizon_s);
    for (auto& d : daily) d /= s.capacity;
    s.daily_utilisation = daily;
    slots += s.capacity;
    lab.capacity += s.capacity;
    lab.busy_integral += s.busy_integral;
    lab.queue_integral += s.queue_integral;
    lab.queue_max = std::max(lab.queue_max, s.queue_max);
    lab.waits += s.waits;
    lab.wait_sum_s += s.wait_sum_s;
    lab.wait_max_s = std::max(lab.wait_max_s, s.wait_max_s);
    lab.energy_j += s.energy_j;
    if (lab.daily_utilisation.size() < daily.size()) lab.daily_utilisation.resize(daily.size(), 0.0);
    for (std::size_t i = 0; i < daily.size(); ++i) lab.daily_utilisation[i] += daily[i] * s.capacity;
    out.push_back(std::move(s));
  }
  if (slots > 0)
    for (auto& d : lab.daily_utilisation) d /= slots;
  if (robots_) {
    core::ResourceSim rb;
    rb.name = robots_->name();
    rb.kind = "robot";
    rb.parent = cfg_.name;
    rb.capacity = robots_->capacity();
    rb.busy_integral = robots_->busy().integral(horizon_s);
    rb.queue_integral = robots_->queue().integral(horizon_s);
    rb.queue_max = robots_->queue().max();
    rb.waits = robots_->waits();
    rb.wait_sum_s = robots_->wait_sum_s();
    rb.wait_max_s = robots_->wait_max_s();
    rb.online_s = online;
    auto daily = robots_->busy().bucket_means(horizon_s);
    for (auto& d : daily) d /= rb.capacity;
    rb.daily_utilisation = daily;
    out.push_back(std::move(rb));
  }
  out.insert(out.begin(), std::move(lab));
  return out;
}

}  // namespace twin::lab
