#include "lab/RoboticLab.hpp"

#include <algorithm>
#include <mutex>

#include <simgrid/Exception.hpp>

namespace twin::lab {

namespace sg4 = simgrid::s4u;

RoboticLab::RoboticLab(LabConfig config, std::uint64_t seed, core::Recorder* recorder)
    : engine_(std::move(config), seed, recorder), mutex_(sg4::Mutex::create()), wake_(sg4::ConditionVariable::create()) {}

core::ExperimentResult RoboticLab::run_experiment(const core::ExperimentRequest& req) {
  Waiter w;
  w.cv = sg4::ConditionVariable::create();
  {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    if (!started_) {
      started_ = true;
      sg4::Actor::create("lab." + engine_.config().name, sg4::this_actor::get_host(), [this] { serve(); })
          ->daemonize();
    }
    const double t = std::max(sg4::Engine::get_clock(), engine_.now());
    const int id = engine_.submit(SampleRequest{req.owner, req.key, req.priority, req.staffed_only}, t);
    per_owner_[req.owner]++;
    waiting_[id] = &w;
    wake_->notify_one();
    while (!w.done) w.cv->wait(lock);
  }
  core::ExperimentResult r = std::move(w.result);
  if (r.failure.empty()) r.value = req.measure ? req.measure() : 0.0;
  return r;
}

std::vector<core::Placement> RoboticLab::placements() const {
  return core::owner_placements("lab", engine_.config().name, per_owner_);
}

void RoboticLab::serve() {
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  // A daemon: SimGrid kills it when the last campaign ends. Unlocking on the way out would be a
  // simcall from a dying actor, which never returns under thread contexts (the sanitizer builds):
  // the mutex ends locked, with the simulation.
  try {
    std::vector<Completion> done;
    double due = 0;
    for (;;) {
      // A timed wake-up may land an ulp short of the event it waited for.
      double now = sg4::Engine::get_clock();
      if (due > now && due - now <= 1e-9 * std::max(1.0, now)) now = due;
      done.clear();
      engine_.advance_to(now, done);
      for (auto& c : done) {
        auto it = waiting_.find(c.sample);
        if (it == waiting_.end()) continue;
        Waiter* w = it->second;
        waiting_.erase(it);
        w->result = std::move(c.result);
        w->done = true;
        w->cv->notify_one();
      }
      due = engine_.next_event_time();
      if (due == core::NEVER) wake_->wait(lock);
      else wake_->wait_until(lock, due);
    }
  } catch (const simgrid::ForcefulKillException&) {
    lock.release();
    throw;
  }
}

}  // namespace twin::lab
