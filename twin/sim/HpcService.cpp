#include "twin/sim/HpcService.hpp"

#include <algorithm>
#include <mutex>

#include <simgrid/Exception.hpp>

namespace twin::sim {

namespace sg4 = simgrid::s4u;

hpc::EngineOptions HpcService::options(HpcService* self) {
  hpc::EngineOptions o;
  o.on_start = [self](std::uint64_t ticket, double, const std::vector<int>& nodes) {
    auto it = self->waiting_.find(ticket);
    if (it == self->waiting_.end()) return;
    it->second->started = true;
    it->second->nodes = nodes;
    it->second->cv->notify_one();
  };
  o.on_kill = [self](std::uint64_t ticket) {
    auto it = self->waiting_.find(ticket);
    if (it == self->waiting_.end()) return;
    it->second->killed = true;
    if (it->second->exec) it->second->exec->cancel();
  };
  return o;
}

HpcService::HpcService(const HpcSpec& spec, const HpcHosts& hosts, std::uint64_t seed, double horizon_s,
                       core::Recorder* recorder)
    : hosts_(hosts),
      engine_(spec, seed, horizon_s, options(this), recorder),
      mutex_(sg4::Mutex::create()),
      wake_(sg4::ConditionVariable::create()) {}

void HpcService::start(sg4::Host* host) {
  sg4::Actor::create("hpc." + engine_.config().name, host, [this] { serve(); })->daemonize();
}

void HpcService::deliver(std::vector<hpc::JobEnd>& done) {
  for (auto& e : done) {
    if (e.background) continue;
    auto it = waiting_.find(e.ticket);
    if (it == waiting_.end()) continue;
    Waiter* w = it->second;
    waiting_.erase(it);
    w->end = std::move(e);
    w->done = true;
    w->cv->notify_one();
  }
  done.clear();
}

core::ComputeOutcome HpcService::run_job(const core::ComputeRequest& req) {
  Waiter w;
  w.cv = sg4::ConditionVariable::create();
  {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    const double t = std::max(sg4::Engine::get_clock(), engine_.now());
    engine_.advance_to(t, done_);
    deliver(done_);
    hpc::JobSpec job;
    job.owner = req.owner;
    job.nodes = req.nodes;
    job.requested_s = req.requested_s;
    job.priority = req.priority;
    job.reserved_access = true;
    job.caller_timed = true;
    const std::uint64_t ticket = engine_.next_ticket();
    per_owner_[req.owner]++;
    waiting_[ticket] = &w;
    std::vector<hpc::JobEnd> now_done;
    engine_.submit(job, t, now_done);
    deliver(now_done);  // discarded at once (system retired)
    wake_->notify_one();
    while (!w.done) {
      while (!w.started && !w.done) w.cv->wait(lock);
      if (w.done) break;
      w.started = false;
      // One execution on the host of the first node, at one node's speed, of
      // the work of one node: the job's duration is flops / (nodes x speed).
      sg4::Host* host = hosts_.hosts[static_cast<std::size_t>(w.nodes.front() / hosts_.nodes_per_host)];
      w.exec = sg4::this_actor::exec_init(req.flops / static_cast<double>(w.nodes.size()));
      w.exec->set_host(host);
      w.exec->start();
      bool walltime = false;
      lock.unlock();
      try {
        w.exec->wait_for(req.requested_s);
      } catch (const simgrid::TimeoutException&) {
        if (!w.killed) {
          w.exec->cancel();
          walltime = true;
        }
      } catch (const simgrid::Exception&) {
        // Cancelled by the engine (node failure, outage): killed is set.
      }
      lock.lock();
      w.exec = nullptr;
      if (w.killed) {
        w.killed = false;  // lost (done is set) or requeued (wait for the next start)
        continue;
      }
      engine_.finish(ticket, sg4::Engine::get_clock(), walltime, done_);
      deliver(done_);
    }
  }
  const hpc::JobEnd& e = w.end;
  core::ComputeOutcome out;
  out.submit_s = e.submit_s;
  out.hold_s = e.hold_s;
  out.start_s = e.start_s;
  out.end_s = e.end_s;
  out.node_hours = e.node_hours;
  out.energy_j = e.energy_j;
  out.job_id = e.id > 0 ? static_cast<std::int64_t>(e.id) : -1;
  switch (e.state) {
    case hpc::JobState::DONE: out.ok = true; break;
    case hpc::JobState::WALLTIME: out.failure = "walltime exceeded"; break;
    case hpc::JobState::NODE_FAILURE: out.failure = "node failure"; break;
    case hpc::JobState::OUTAGE: out.failure = "system " + engine_.config().name + " outage"; break;
    case hpc::JobState::DISCARDED: out.failure = "system " + engine_.config().name + " is offline"; break;
    case hpc::JobState::SKIPPED: out.failure = "larger than the system"; break;
  }
  return out;
}

double HpcService::estimated_wait_s(const core::ComputeRequest& req) {
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  engine_.advance_to(std::max(sg4::Engine::get_clock(), engine_.now()), done_);
  deliver(done_);
  return engine_.estimated_wait_s(req.nodes, req.requested_s);
}

std::vector<core::Placement> HpcService::placements() const {
  return core::owner_placements("hpc", engine_.config().name, per_owner_);
}

void HpcService::serve() {
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  // A daemon: SimGrid kills it when the last campaign ends. Unlocking on the way out would be a
  // simcall from a dying actor, which never returns under thread contexts (the sanitizer builds):
  // the mutex ends locked, with the simulation.
  try {
    double due = 0;
    for (;;) {
      // A timed wake-up may land an ulp short of the event it waited for.
      double now = sg4::Engine::get_clock();
      if (due > now && due - now <= 1e-14 * std::max(1.0, now)) now = due;
      engine_.advance_to(now, done_);
      deliver(done_);
      due = engine_.next_event_time();
      if (due == core::NEVER) wake_->wait(lock);
      else wake_->wait_until(lock, due);
    }
  } catch (const simgrid::ForcefulKillException&) {
    lock.release();
    throw;
  }
}

}  // namespace twin::sim
