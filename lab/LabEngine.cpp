#include "lab/LabEngine.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "twin/core/Errors.hpp"
#include "twin/core/Log.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(twin_lab_engine, twin_lab, "the lab engine: samples through stations and robots");

namespace twin::lab {

namespace {
/// How deep a dispatch looks into a queue for a sample matching a set-up or
/// a batch's recipe (keeps a dispatch cheap when thousands wait).
constexpr int SCAN_LIMIT = 256;
}  // namespace

LabEngine::LabEngine(LabConfig config, std::uint64_t seed, core::Recorder* recorder)
    : cfg_(std::move(config)), seed_(seed), name_hash_(core::stable_hash("lab." + cfg_.name)), recorder_(recorder) {
  if (cfg_.steps.empty()) cfg_.steps = default_workflow(cfg_.stations);
  std::string err;
  if (!workflow_order(cfg_.steps, order_, err)) throw std::invalid_argument("lab " + cfg_.name + ": " + err);
  for (const auto& st : cfg_.steps)
    if (st.station < 0 || st.station >= static_cast<int>(cfg_.stations.size()))
      throw std::invalid_argument("lab " + cfg_.name + ": step '" + st.name + "' names no station");
  retry_pos_.assign(cfg_.steps.size(), 0);
  for (std::size_t p = 0; p < order_.size(); ++p) retry_pos_[static_cast<std::size_t>(order_[p])] = p;
  for (std::size_t p = 0; p < order_.size(); ++p) {
    const int from = cfg_.steps[static_cast<std::size_t>(order_[p])].retry_from;
    if (from >= static_cast<int>(cfg_.steps.size()) || (from >= 0 && retry_pos_[static_cast<std::size_t>(from)] > p))
      throw std::invalid_argument("lab " + cfg_.name + ": step '" + cfg_.steps[static_cast<std::size_t>(order_[p])].name +
                                  "' retries from a step that does not come before it");
  }
  upkeep_ = core::Rng::stream(seed_, "lab." + cfg_.name + ".upkeep");
  kinds_.resize(cfg_.stations.size());
  for (std::size_t k = 0; k < cfg_.stations.size(); ++k) {
    const StationConfig& sc = cfg_.stations[k];
    kinds_[k].stock = sc.consumable_runs;
    for (int i = 0; i < sc.count; ++i) {
      Unit u;
      u.kind = static_cast<int>(k);
      u.index = i;
      u.failures = core::Rng::stream(seed_, "lab." + cfg_.name + "." + sc.kind + "." + std::to_string(i) + ".failures");
      kinds_[k].units.push_back(static_cast<int>(units_.size()));
      units_.push_back(std::move(u));
      const int id = static_cast<int>(units_.size()) - 1;
      if (sc.mtbf_s > 0)
        push(cfg_.online_from_s + units_.back().failures.exponential(sc.mtbf_s), Ev::FAIL, id);
      if (sc.maintenance.every_s > 0 && sc.maintenance.duration_s > 0)
        push(sc.maintenance.first_s + i * sc.maintenance.duration_s, Ev::MAINT_START, id);
    }
  }
  robots_free_ = cfg_.robots;
  techs_free_ = cfg_.technicians;
  // Outage windows: whole lab (a = -1) and per station kind; a retirement is a window without end.
  uptime_ = cfg_.uptime();
  for (const auto& o : uptime_.outages) {
    push(o.from_s, Ev::DOWN, -1);
    if (o.to_s != core::NEVER) push(o.to_s, Ev::UP, -1);
  }
  if (cfg_.offline_from_s != core::NEVER) push(cfg_.offline_from_s, Ev::DOWN, -1);
  for (std::size_t k = 0; k < cfg_.stations.size(); ++k) {
    core::Uptime u;
    for (const auto& o : cfg_.stations[k].outages) u.add(o);
    for (const auto& o : u.outages) {
      push(o.from_s, Ev::DOWN, static_cast<int>(k));
      if (o.to_s != core::NEVER) push(o.to_s, Ev::UP, static_cast<int>(k));
    }
    kind_uptime_.push_back(std::move(u));
  }
}

bool LabEngine::kind_open(int kind) const {
  return uptime_.up_at(now_) && kind_uptime_[static_cast<std::size_t>(kind)].up_at(now_);
}

void LabEngine::push(double t, Ev ev, int a, std::uint64_t b) {
  heap_.push_back(Event{t, next_seq_++, ev, a, b});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

double LabEngine::next_event_time() const { return heap_.empty() ? core::NEVER : heap_.front().t; }

int LabEngine::submit(const SampleRequest& request, double t) {
  TWIN_ASSERT(t >= now_, "a sample submitted in the lab's past");
  Sample x;
  x.req = request;
  x.recipe = core::stable_hash(request.owner);
  x.created_s = t;
  x.phase_s = t;
  samples_list_.push_back(std::move(x));
  samples_.created++;
  const int id = static_cast<int>(samples_list_.size()) - 1;
  XBT_VERB("lab %s, t=%.1f s: sample %d of %s submitted", cfg_.name.c_str(), t, id, request.owner.c_str());
  push(t, Ev::ARRIVE, id);
  return id;
}

void LabEngine::advance_to(double t, std::vector<Completion>& done) {
  sink_ = &done;
  while (!heap_.empty() && heap_.front().t <= t) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    const Event e = heap_.back();
    heap_.pop_back();
    now_ = e.t;
    handle(e, done);
  }
  if (t > now_ && t != core::NEVER) now_ = t;
}

void LabEngine::note(const char* what, int a, long b) {
  if (!logging_) return;
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.6f %s %d %ld\n", now_, what, a, b);
  log_ += buf;
}

void LabEngine::set_phase(Sample& x, Phase p) {
  x.phase = p;
  x.phase_s = now_;
}

void LabEngine::handle(const Event& e, std::vector<Completion>& done) {
  switch (e.ev) {
    case Ev::ARRIVE: {
      Sample& x = samples_list_[static_cast<std::size_t>(e.a)];
      const double up = uptime_.next_up(now_);
      if (up == core::NEVER) {
        note("discard", e.a);
        counters_.discarded_offline++;
        finish(e.a, false, "lab " + cfg_.name + " is offline", done);
      } else if (up > now_) {
        // Not yet online, or in an outage window: held until the lab is up.
        note("hold", e.a);
        samples_.holds++;
        x.hold_s += up - now_;
        push(up, Ev::ARRIVE, e.a);
      } else {
        note("arrive", e.a);
        start_step(e.a);
      }
      break;
    }
    case Ev::MOVE_DONE: {
      Sample& x = samples_list_[static_cast<std::size_t>(e.a)];
      x.move_s += now_ - x.phase_s;
      note("moved", e.a, x.unit);
      if (recorder_ && recorder_->tracing())
        recorder_->span("lab/" + cfg_.name + "/robots", x.req.owner + " #" + std::to_string(e.a), "robot", x.phase_s,
                        now_);
      if (x.jam) {
        counters_.robot_jams++;
        set_phase(x, Phase::JAMMED);
        add_task(Task::JAM, e.a);
      } else {
        robots_free_++;
        robot_busy_.add(now_, -1);
        try_robots();
        after_move(e.a);
      }
      break;
    }
    case Ev::STEP_DONE:
      if (samples_list_[static_cast<std::size_t>(e.a)].gen == e.b) step_done(e.a, done);
      break;
    case Ev::BATCH_TIMEOUT: {
      Unit& u = units_[static_cast<std::size_t>(e.a)];
      if (u.batch_seq == e.b && !u.batch_running && unit_open(u) && !u.loaded.empty()) {
        note("batch_timeout", e.a, static_cast<long>(u.loaded.size()));
        const std::vector<int> batch = u.loaded;
        start_run(e.a, batch);
      }
      break;
    }
    case Ev::FAIL: {
      Unit& u = units_[static_cast<std::size_t>(e.a)];
      if (now_ >= cfg_.offline_from_s) break;
      if (u.maintenance || !kind_open(u.kind)) {  // no breakdown while idle for maintenance or an outage
        push(now_ + u.failures.exponential(cfg_.stations[static_cast<std::size_t>(u.kind)].mtbf_s), Ev::FAIL, e.a);
        break;
      }
      break_down(e.a);
      break;
    }
    case Ev::TECH_DONE:
      task_done(static_cast<Task>(e.b), e.a);
      break;
    case Ev::WAKE:
      wake_at_ = -1;
      try_technicians();
      break;
    case Ev::MAINT_START: {
      Unit& u = units_[static_cast<std::size_t>(e.a)];
      const MaintenanceConfig& m = cfg_.stations[static_cast<std::size_t>(u.kind)].maintenance;
      u.maintenance = true;
      counters_.maintenance_windows++;
      note("maintenance", e.a, 1);
      push(now_ + m.duration_s, Ev::MAINT_END, e.a);
      break;
    }
    case Ev::MAINT_END: {
      Unit& u = units_[static_cast<std::size_t>(e.a)];
      const MaintenanceConfig& m = cfg_.stations[static_cast<std::size_t>(u.kind)].maintenance;
      u.maintenance = false;
      note("maintenance", e.a, 0);
      push(now_ - m.duration_s + m.every_s, Ev::MAINT_START, e.a);
      dispatch(u.kind);
      break;
    }
    case Ev::DOWN:
      note("outage", e.a, 1);
      go_down(e.a, done);
      break;
    case Ev::UP:
      note("outage", e.a, 0);
      for (std::size_t k = 0; k < kinds_.size(); ++k)
        if (e.a < 0 || static_cast<int>(k) == e.a) dispatch(static_cast<int>(k));
      try_robots();
      break;
  }
}

void LabEngine::draw_attempt(Sample& x) {
  const StepConfig& st = step_of(x);
  const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(st.station)];
  core::Rng rng = core::Rng::keyed(seed_, {name_hash_, x.req.key, static_cast<std::uint64_t>(order_[x.pos]),
                                           static_cast<std::uint64_t>(x.retries)});
  x.move_draw_s = cfg_.robot_move_s.sample(rng);
  x.step_s = st.duration_s ? st.duration_s->sample(rng) : sc.duration_s.sample(rng);
  x.ok = rng.bernoulli(st.success_probability);
  x.jam = rng.bernoulli(cfg_.robot_jam_probability);
  x.handoff_draw_s = cfg_.handoff_s.sample(rng);
  x.jam_clear_draw_s = cfg_.jam_clear_s.sample(rng);
  x.setup_draw_s = sc.setup_s.sample(rng);
}

void LabEngine::start_step(int s) {
  draw_attempt(samples_list_[static_cast<std::size_t>(s)]);
  enqueue(s);
}

void LabEngine::enqueue(int s, bool keep_place) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  const StepConfig& st = step_of(x);
  Kind& k = kinds_[static_cast<std::size_t>(st.station)];
  set_phase(x, Phase::QUEUED);
  if (!keep_place) x.queue_seq = next_queue_seq_++;
  const int prio = cfg_.stations[static_cast<std::size_t>(st.station)].discipline == Discipline::FIFO ? 0 : x.req.priority;
  k.queue.emplace(prio, x.queue_seq, s);
  k.waiting.add(now_, 1);
  note("queue", s, st.station);
  dispatch(st.station);
}

bool LabEngine::unit_accepts(const Unit& u, const Sample& x) const {
  const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(u.kind)];
  if (!unit_open(u) || static_cast<int>(u.members.size()) >= sc.slots) return false;
  if (sc.batch > 1) {
    if (u.batch_running) return false;
    if (!u.members.empty() && samples_list_[static_cast<std::size_t>(u.members.front())].recipe != x.recipe) return false;
  }
  return true;
}

void LabEngine::dispatch(int kind) {
  Kind& k = kinds_[static_cast<std::size_t>(kind)];
  const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(kind)];
  while (!k.queue.empty()) {
    if (sc.consumable_runs > 0 && k.stock <= 0) {
      if (!k.restock_pending) {
        k.restock_pending = true;
        add_task(Task::RESTOCK, kind);
      }
      return;
    }
    bool any_free = false;
    for (int ui : k.units) {
      const Unit& u = units_[static_cast<std::size_t>(ui)];
      if (unit_open(u) && !(sc.batch > 1 && u.batch_running) &&
          static_cast<int>(u.members.size()) < sc.slots) {
        any_free = true;
        break;
      }
    }
    if (!any_free) return;
    // Choose (sample, station): the discipline's order; a batch station only
    // takes its batch's recipe; RECIPE prefers a sample matching a station's set-up.
    int chosen = -1, chosen_unit = -1;
    auto entry = k.queue.end();
    for (int pass = (sc.discipline == Discipline::RECIPE ? 0 : 1); pass < 2 && chosen < 0; ++pass) {
      int scanned = 0;
      for (auto it = k.queue.begin(); it != k.queue.end() && scanned < SCAN_LIMIT; ++it, ++scanned) {
        const int s = std::get<2>(*it);
        const Sample& x = samples_list_[static_cast<std::size_t>(s)];
        int best = -1;
        for (int ui : k.units) {
          const Unit& u = units_[static_cast<std::size_t>(ui)];
          if (!unit_accepts(u, x)) continue;
          const bool match = u.has_recipe && u.recipe == x.recipe;
          if (pass == 0 && !match) continue;
          if (best < 0 || match) best = ui;
          if (match) break;
        }
        if (best >= 0) {
          chosen = s;
          chosen_unit = best;
          entry = it;
          break;
        }
        if (sc.batch <= 1 && pass == 1) break;  // every free slot takes any sample: none free
      }
    }
    if (chosen < 0) return;
    k.queue.erase(entry);
    reserve(chosen, chosen_unit);
  }
}

void LabEngine::reserve(int s, int unit) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  Unit& u = units_[static_cast<std::size_t>(unit)];
  Kind& k = kinds_[static_cast<std::size_t>(u.kind)];
  const double w = now_ - x.phase_s;
  x.queue_s += w;
  k.waits++;
  k.wait_sum_s += w;
  k.wait_max_s = std::max(k.wait_max_s, w);
  k.waiting.add(now_, -1);
  u.members.push_back(s);
  x.unit = unit;
  x.units_used.push_back(unit);
  if (cfg_.stations[static_cast<std::size_t>(u.kind)].consumable_runs > 0) k.stock--;
  note("reserve", s, unit);
  if (step_of(x).robot_move && cfg_.robots > 0) {
    set_phase(x, Phase::ROBOT_WAIT);
    robot_queue_.emplace(x.req.priority, x.queue_seq, s);
    robot_waiting_.add(now_, 1);
    try_robots();
  } else {
    after_move(s);
  }
}

void LabEngine::try_robots() {
  if (!uptime_.up_at(now_)) return;  // no moves while the whole lab is down
  while (robots_free_ > 0 && !robot_queue_.empty()) {
    const int s = std::get<2>(*robot_queue_.begin());
    robot_queue_.erase(robot_queue_.begin());
    start_robot(s);
  }
}

void LabEngine::start_robot(int s) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  const double w = now_ - x.phase_s;
  x.queue_s += w;
  robot_waits_++;
  robot_wait_sum_s_ += w;
  robot_wait_max_s_ = std::max(robot_wait_max_s_, w);
  robot_waiting_.add(now_, -1);
  robots_free_--;
  robot_busy_.add(now_, 1);
  counters_.robot_moves++;
  x.moves++;
  set_phase(x, Phase::MOVING);
  push(now_ + x.move_draw_s, Ev::MOVE_DONE, s, x.gen);
}

void LabEngine::after_move(int s) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  if (step_of(x).manual || x.req.staffed_only) {
    set_phase(x, Phase::PEOPLE_WAIT);
    add_task(Task::HANDOFF, s);
  } else {
    ready(s);
  }
}

void LabEngine::ready(int s) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  Unit& u = units_[static_cast<std::size_t>(x.unit)];
  const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(u.kind)];
  if (u.down || !kind_open(u.kind)) {
    // Its station broke, or an outage closed it, while the sample was on its
    // way: back to the queue (or, the whole lab down and on_outage fail, failed).
    if (x.holds_technician) {
      x.holds_technician = false;
      techs_free_++;
      tech_busy_.add(now_, -1);
      try_technicians();
    }
    release_slot(s);
    if (!uptime_.up_at(now_) && cfg_.on_outage == OnOutage::FAIL && sink_) {
      finish(s, false, outage_failure(-1), *sink_);
      return;
    }
    counters_.interrupted_steps++;
    enqueue(s);
    return;
  }
  if (sc.batch > 1) {
    set_phase(x, Phase::LOADED);
    u.loaded.push_back(s);
    note("load", s, x.unit);
    if (u.batch_running) return;
    if (static_cast<int>(u.loaded.size()) >= std::min(sc.batch, sc.slots)) {
      const std::vector<int> batch = u.loaded;
      start_run(x.unit, batch);
    } else if (u.loaded.size() == 1) {
      push(now_ + sc.batch_timeout_s, Ev::BATCH_TIMEOUT, x.unit, u.batch_seq);
    }
  } else {
    start_run(x.unit, {s});
  }
}

void LabEngine::start_run(int unit, const std::vector<int>& batch) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  Kind& k = kinds_[static_cast<std::size_t>(u.kind)];
  const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(u.kind)];
  const Sample& first = samples_list_[static_cast<std::size_t>(batch.front())];
  double setup = 0;
  if (u.has_recipe && u.recipe != first.recipe) {
    setup = first.setup_draw_s;
    counters_.setups++;
  }
  u.has_recipe = true;
  u.recipe = first.recipe;
  double dur = 0;
  for (int s : batch) dur = std::max(dur, samples_list_[static_cast<std::size_t>(s)].step_s);
  if (sc.batch > 1) {
    u.batch_running = true;
    u.loaded.clear();
    u.batch_seq++;
    counters_.batches++;
  }
  for (int s : batch) {
    Sample& x = samples_list_[static_cast<std::size_t>(s)];
    if (x.phase == Phase::LOADED) x.queue_s += now_ - x.phase_s;  // waited for the batch to fill
    set_phase(x, Phase::RUNNING);
    u.running++;
    k.busy.add(now_, 1);
    counters_.step_runs++;
    note("run", s, unit);
    XBT_VERB("lab %s, t=%.1f s: sample %d starts %s on station %d (%.1f s)", cfg_.name.c_str(), now_, s,
             sc.kind.c_str(), unit, setup + dur);
    push(now_ + setup + dur, Ev::STEP_DONE, s, x.gen);
  }
}

void LabEngine::release_slot(int s) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  Unit& u = units_[static_cast<std::size_t>(x.unit)];
  u.members.erase(std::find(u.members.begin(), u.members.end(), s));
  x.unit = -1;
}

void LabEngine::after_batch(int unit) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(u.kind)];
  if (sc.batch <= 1 || u.running > 0 || !u.batch_running) return;
  u.batch_running = false;
  if (u.loaded.empty() || !unit_open(u)) return;
  if (static_cast<int>(u.loaded.size()) >= std::min(sc.batch, sc.slots)) {
    const std::vector<int> batch = u.loaded;
    start_run(unit, batch);
  } else {
    push(now_ + sc.batch_timeout_s, Ev::BATCH_TIMEOUT, unit, u.batch_seq);
  }
}

void LabEngine::step_done(int s, std::vector<Completion>& done) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  const int unit = x.unit;
  Unit& u = units_[static_cast<std::size_t>(unit)];
  const int kind = u.kind;
  const double run = now_ - x.phase_s;
  x.run_s += run;
  x.energy_j += run * cfg_.power_w(static_cast<std::size_t>(kind));
  kinds_[static_cast<std::size_t>(kind)].busy.add(now_, -1);
  u.running--;
  if (recorder_ && recorder_->tracing())
    recorder_->span("lab/" + cfg_.name + "/" + cfg_.stations[static_cast<std::size_t>(kind)].kind,
                    x.req.owner + " #" + std::to_string(s), "lab_step", x.phase_s, now_);
  if (x.holds_technician) {
    x.holds_technician = false;
    techs_free_++;
    tech_busy_.add(now_, -1);
  }
  release_slot(s);
  note(x.ok ? "done" : "step_failed", s, unit);
  if (x.ok) {
    x.steps_done++;
    x.pos++;
    if (x.pos == order_.size()) finish(s, true, "", done);
    else start_step(s);
  } else {
    counters_.step_failures++;
    if (x.retries < cfg_.max_retries) {
      x.retries++;
      counters_.retries++;
      const int from = step_of(x).retry_from;
      if (from >= 0) x.pos = retry_pos_[static_cast<std::size_t>(from)];
      start_step(s);
    } else {
      counters_.failed_after_retries++;
      finish(s, false, cfg_.stations[static_cast<std::size_t>(kind)].kind + " step failed", done);
    }
  }
  after_batch(unit);
  dispatch(kind);
  try_technicians();
}

void LabEngine::finish(int s, bool ok, const std::string& failure, std::vector<Completion>& done) {
  Sample& x = samples_list_[static_cast<std::size_t>(s)];
  const bool discarded = x.phase == Phase::ARRIVING;
  x.phase = Phase::DONE;
  Completion c;
  c.sample = s;
  auto& r = c.result;
  r.submit_s = x.created_s;
  r.end_s = now_;
  r.queue_s = x.queue_s;
  r.people_s = x.people_s;
  r.hold_s = x.hold_s;
  r.run_s = x.run_s + x.move_s;
  r.lab_hours = x.run_s / 3600.0;
  r.energy_j = x.energy_j;
  r.failure = failure;
  r.sample_id = s;
  r.robot_moves = x.moves;
  for (int ui : x.units_used) {
    const Unit& u = units_[static_cast<std::size_t>(ui)];
    r.units.push_back(cfg_.stations[static_cast<std::size_t>(u.kind)].kind + "#" + std::to_string(u.index));
  }
  const char* state = "measured";
  if (ok) {
    samples_.finished++;
  } else if (discarded) {
    samples_.discarded++;
    state = "discarded";
  } else {
    samples_.failed++;
    state = "failed";
  }
  if (!discarded) {
    counters_.turnaround_sum_s += now_ - x.created_s;
    counters_.queue_sum_s += x.queue_s;
    counters_.people_sum_s += x.people_s;
    counters_.hold_sum_s += x.hold_s;
    counters_.run_sum_s += x.run_s;
    counters_.move_sum_s += x.move_s;
  }
  note(state, s);
  XBT_VERB("lab %s, t=%.1f s: sample %d of %s ends %s after %.1f s%s%s", cfg_.name.c_str(), now_, s,
           x.req.owner.c_str(), state, now_ - x.created_s, failure.empty() ? "" : ": ", failure.c_str());
  if (recorder_ && recorder_->items())
    recorder_->sample(core::SampleRecord{cfg_.name, s, x.req.owner, x.created_s, now_, state, x.steps_done, x.retries,
                                         x.queue_s, x.run_s, x.move_s, x.people_s, x.hold_s, failure});
  done.push_back(std::move(c));
}

void LabEngine::record_in_flight(double horizon_s) {
  (void)horizon_s;
  if (!recorder_ || !recorder_->items()) return;
  for (std::size_t i = 0; i < samples_list_.size(); ++i) {
    const Sample& x = samples_list_[i];
    if (x.phase == Phase::DONE) continue;
    recorder_->sample(core::SampleRecord{cfg_.name, static_cast<std::int64_t>(i), x.req.owner, x.created_s, -1,
                                         "in_flight", x.steps_done, x.retries, x.queue_s, x.run_s, x.move_s,
                                         x.people_s, x.hold_s, ""});
  }
}

// ---- technicians

void LabEngine::add_task(Task t, int target) {
  tasks_.push_back(TaskItem{t, target, now_});
  tech_waiting_.add(now_, 1);
  note("task", target, static_cast<long>(t));
  try_technicians();
}

void LabEngine::try_technicians() {
  if (tasks_.empty()) return;
  if (!cfg_.people.staffed_at(now_)) {
    const double open = cfg_.people.next_staffed(now_);
    if (open != core::NEVER && wake_at_ != open) {
      wake_at_ = open;
      push(open, Ev::WAKE, -1);
    }
    return;
  }
  while (techs_free_ > 0 && !tasks_.empty()) {
    // Upkeep (repairs, jams, restocking) before hand-offs; each class in arrival order.
    std::size_t pick = 0;
    for (std::size_t i = 0; i < tasks_.size(); ++i)
      if (tasks_[i].task != Task::HANDOFF) {
        pick = i;
        break;
      }
    const TaskItem it = tasks_[pick];
    tasks_.erase(tasks_.begin() + static_cast<std::ptrdiff_t>(pick));
    tech_waiting_.add(now_, -1);
    techs_free_--;
    tech_busy_.add(now_, 1);
    const double w = now_ - it.queued_s;
    tech_waits_++;
    tech_wait_sum_s_ += w;
    tech_wait_max_s_ = std::max(tech_wait_max_s_, w);
    double dur = 0;
    switch (it.task) {
      case Task::REPAIR: {
        Unit& u = units_[static_cast<std::size_t>(it.target)];
        dur = cfg_.stations[static_cast<std::size_t>(u.kind)].repair_s.sample(u.failures);
        break;
      }
      case Task::RESTOCK:
        dur = cfg_.stations[static_cast<std::size_t>(it.target)].restock_s.sample(upkeep_);
        break;
      case Task::JAM:
      case Task::HANDOFF: {
        Sample& x = samples_list_[static_cast<std::size_t>(it.target)];
        x.people_s += now_ - x.phase_s;
        x.phase_s = now_;
        if (it.task == Task::HANDOFF) x.phase = Phase::HANDOFF;
        dur = it.task == Task::JAM ? x.jam_clear_draw_s : x.handoff_draw_s;
        break;
      }
    }
    note("tech", it.target, static_cast<long>(it.task));
    push(now_ + dur, Ev::TECH_DONE, it.target, static_cast<std::uint64_t>(it.task));
  }
}

void LabEngine::task_done(Task t, int target) {
  bool release = true;
  switch (t) {
    case Task::REPAIR: {
      Unit& u = units_[static_cast<std::size_t>(target)];
      const StationConfig& sc = cfg_.stations[static_cast<std::size_t>(u.kind)];
      u.down = false;
      counters_.downtime_s += now_ - u.down_since_s;
      note("repaired", target);
      push(now_ + u.failures.exponential(sc.mtbf_s), Ev::FAIL, target);
      break;
    }
    case Task::RESTOCK: {
      Kind& k = kinds_[static_cast<std::size_t>(target)];
      k.stock = cfg_.stations[static_cast<std::size_t>(target)].consumable_runs;
      k.restock_pending = false;
      counters_.restocks++;
      note("restocked", target);
      break;
    }
    case Task::JAM: {
      Sample& x = samples_list_[static_cast<std::size_t>(target)];
      x.move_s += now_ - x.phase_s;
      x.phase_s = now_;
      robots_free_++;
      robot_busy_.add(now_, -1);
      note("jam_cleared", target);
      break;
    }
    case Task::HANDOFF: {
      Sample& x = samples_list_[static_cast<std::size_t>(target)];
      x.people_s += now_ - x.phase_s;
      x.phase_s = now_;
      if (step_of(x).manual) {
        x.holds_technician = true;
        release = false;
      }
      break;
    }
  }
  if (release) {
    techs_free_++;
    tech_busy_.add(now_, -1);
  }
  if (t == Task::JAM) {
    try_robots();
    after_move(target);
  } else if (t == Task::HANDOFF) {
    ready(target);
  } else if (t == Task::REPAIR) {
    dispatch(units_[static_cast<std::size_t>(target)].kind);
  } else {
    dispatch(target);
  }
  try_technicians();
}

void LabEngine::break_down(int unit) {
  Unit& u = units_[static_cast<std::size_t>(unit)];
  u.down = true;
  u.down_since_s = now_;
  counters_.breakdowns++;
  note("breakdown", unit);
  for (int s : take_off(u)) {
    counters_.interrupted_steps++;
    enqueue(s);
  }
  add_task(Task::REPAIR, unit);
}

std::vector<int> LabEngine::take_off(Unit& u) {
  Kind& k = kinds_[static_cast<std::size_t>(u.kind)];
  std::vector<int> off;
  const std::vector<int> members = u.members;
  for (int s : members) {
    Sample& x = samples_list_[static_cast<std::size_t>(s)];
    if (x.phase != Phase::RUNNING && x.phase != Phase::LOADED) continue;
    if (x.phase == Phase::RUNNING) {
      x.run_s += now_ - x.phase_s;
      x.energy_j += (now_ - x.phase_s) * cfg_.power_w(static_cast<std::size_t>(u.kind));
      k.busy.add(now_, -1);
      u.running--;
      if (x.holds_technician) {
        x.holds_technician = false;
        techs_free_++;
        tech_busy_.add(now_, -1);
      }
    } else {
      x.queue_s += now_ - x.phase_s;
    }
    x.gen++;
    release_slot(s);
    off.push_back(s);
  }
  u.loaded.clear();
  u.batch_running = false;
  u.batch_seq++;
  return off;
}

std::string LabEngine::outage_failure(int kind) const {
  const core::Uptime& up = kind < 0 ? uptime_ : kind_uptime_[static_cast<std::size_t>(kind)];
  const core::Outage* w = up.outage_at(now_);
  return "outage: " + (w ? w->reason : std::string(up.next_up(now_) == core::NEVER ? "retired" : "down"));
}

void LabEngine::go_down(int kind, std::vector<Completion>& done) {
  const std::string failure = outage_failure(kind);
  for (std::size_t ui = 0; ui < units_.size(); ++ui) {
    Unit& u = units_[ui];
    if (kind >= 0 && u.kind != kind) continue;
    for (int s : take_off(u)) {
      if (cfg_.on_outage == OnOutage::FAIL) {
        finish(s, false, failure, done);
      } else {
        counters_.interrupted_steps++;
        enqueue(s, true);
      }
    }
  }
  if (kind < 0 && cfg_.on_outage == OnOutage::FAIL) {
    // The whole lab closes: every sample waiting in it fails too (those on
    // their way to a station, or with a technician, fail when they get there).
    for (std::size_t ki = 0; ki < kinds_.size(); ++ki) {
      Kind& k = kinds_[ki];
      while (!k.queue.empty()) {
        const int s = std::get<2>(*k.queue.begin());
        k.queue.erase(k.queue.begin());
        k.waiting.add(now_, -1);
        Sample& x = samples_list_[static_cast<std::size_t>(s)];
        x.queue_s += now_ - x.phase_s;
        finish(s, false, failure, done);
      }
    }
    while (!robot_queue_.empty()) {
      const int s = std::get<2>(*robot_queue_.begin());
      robot_queue_.erase(robot_queue_.begin());
      robot_waiting_.add(now_, -1);
      Sample& x = samples_list_[static_cast<std::size_t>(s)];
      x.queue_s += now_ - x.phase_s;
      release_slot(s);
      finish(s, false, failure, done);
    }
  }
  try_technicians();
}

// ---- inspection

core::Conservation LabEngine::samples() const {
  core::Conservation c = samples_;
  std::int64_t n = 0;
  for (const Kind& k : kinds_) n += static_cast<std::int64_t>(k.queue.size());
  for (const Unit& u : units_) n += static_cast<std::int64_t>(u.members.size());
  for (const Event& e : heap_)
    if (e.ev == Ev::ARRIVE) ++n;  // submitted, not yet in (held, or arriving)
  c.in_flight = n;
  return c;
}

bool LabEngine::lose_sample_for_test() {
  for (Kind& k : kinds_)
    if (!k.queue.empty()) {
      k.queue.erase(k.queue.begin());
      return true;
    }
  for (Unit& u : units_)
    if (!u.members.empty()) {
      u.members.pop_back();
      return true;
    }
  return false;
}

int LabEngine::occupied(int kind) const {
  int n = 0;
  for (int ui : kinds_[static_cast<std::size_t>(kind)].units) n += static_cast<int>(units_[static_cast<std::size_t>(ui)].members.size());
  return n;
}

std::string LabEngine::check_invariants() const {
  std::vector<int> places(samples_list_.size(), 0);
  for (std::size_t ki = 0; ki < kinds_.size(); ++ki) {
    const Kind& k = kinds_[ki];
    int running = 0;
    for (int ui : k.units) {
      const Unit& u = units_[static_cast<std::size_t>(ui)];
      if (static_cast<int>(u.members.size()) > cfg_.stations[ki].slots) return "station over its slots";
      if (u.running > static_cast<int>(u.members.size())) return "more running than reserved";
      running += u.running;
      for (int s : u.members) {
        places[static_cast<std::size_t>(s)]++;
        if (samples_list_[static_cast<std::size_t>(s)].unit != ui) return "sample's station disagrees";
      }
    }
    if (static_cast<double>(running) != k.busy.value()) return "busy gauge disagrees";
    if (static_cast<double>(k.queue.size()) != k.waiting.value()) return "queue gauge disagrees";
    for (const auto& q : k.queue) {
      const int s = std::get<2>(q);
      places[static_cast<std::size_t>(s)]++;
      if (samples_list_[static_cast<std::size_t>(s)].phase != Phase::QUEUED) return "queued sample not in QUEUED";
    }
  }
  std::int64_t in_flight = 0;
  int moving = 0;
  for (std::size_t i = 0; i < samples_list_.size(); ++i) {
    const Sample& x = samples_list_[i];
    const bool away = x.phase == Phase::DONE || x.phase == Phase::ARRIVING;
    if (x.phase != Phase::DONE) ++in_flight;
    if (away && places[i] != 0) return "sample " + std::to_string(i) + " ended but still in the lab";
    if (!away && places[i] != 1) return "sample " + std::to_string(i) + " in " + std::to_string(places[i]) + " places";
    if (x.phase == Phase::MOVING || x.phase == Phase::JAMMED) ++moving;
  }
  if (robots_free_ + moving != cfg_.robots && cfg_.robots > 0) return "robots not conserved";
  if (techs_free_ < 0 || techs_free_ > cfg_.technicians) return "technicians out of range";
  if (samples_.created != samples_.finished + samples_.failed + samples_.discarded + in_flight)
    return "samples not conserved";
  return "";
}

// ---- report resources

core::LabSim LabEngine::result(double horizon_s) const {
  const double online = uptime_.up_seconds(horizon_s);  // online, not retired, outside its windows
  core::LabSim lab;
  lab.name = cfg_.name;
  lab.kind = "lab";
  lab.online_s = online;
  double slots = 0;
  for (std::size_t ki = 0; ki < kinds_.size(); ++ki) {
    const Kind& k = kinds_[ki];
    const StationConfig& sc = cfg_.stations[ki];
    core::ResourceSim s;
    s.name = cfg_.name + "." + sc.kind;
    s.kind = "station";
    s.parent = cfg_.name;
    s.capacity = sc.count * sc.slots;
    s.busy_integral = k.busy.integral(horizon_s);
    s.queue_integral = k.waiting.integral(horizon_s);
    s.queue_max = k.waiting.max();
    s.waits = k.waits;
    s.wait_sum_s = k.wait_sum_s;
    s.wait_max_s = k.wait_max_s;
    s.online_s = online;
    s.energy_j = s.busy_integral * cfg_.power_w(ki);
    auto daily = k.busy.bucket_means(horizon_s);
    for (auto& d : daily) d /= s.capacity;
    s.daily_utilisation = daily;
    s.daily_queue = k.waiting.bucket_means(horizon_s);
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
    if (lab.daily_queue.size() < s.daily_queue.size()) lab.daily_queue.resize(s.daily_queue.size(), 0.0);
    for (std::size_t i = 0; i < s.daily_queue.size(); ++i) lab.daily_queue[i] += s.daily_queue[i];
    lab.pools.push_back(std::move(s));
  }
  if (slots > 0)
    for (auto& d : lab.daily_utilisation) d /= slots;
  auto pool = [&](const std::string& name, const std::string& kind, int cap, const core::Gauge& busy,
                  const core::Gauge& queue, std::int64_t waits, double wsum, double wmax, double online_s) {
    core::ResourceSim rb;
    rb.name = name;
    rb.kind = kind;
    rb.parent = cfg_.name;
    rb.capacity = cap;
    rb.busy_integral = busy.integral(horizon_s);
    rb.queue_integral = queue.integral(horizon_s);
    rb.queue_max = queue.max();
    rb.waits = waits;
    rb.wait_sum_s = wsum;
    rb.wait_max_s = wmax;
    rb.online_s = online_s;
    auto daily = busy.bucket_means(horizon_s);
    for (auto& d : daily) d /= std::max(1, cap);
    rb.daily_utilisation = daily;
    rb.daily_queue = queue.bucket_means(horizon_s);
    lab.pools.push_back(std::move(rb));
  };
  if (cfg_.robots > 0)
    pool(cfg_.name + ".robots", "robot", cfg_.robots, robot_busy_, robot_waiting_, robot_waits_, robot_wait_sum_s_,
         robot_wait_max_s_, online);
  const double t_on = std::min(cfg_.online_from_s, horizon_s);
  const double t_off = std::min(horizon_s, cfg_.offline_from_s);
  pool(cfg_.name + ".technicians", "technicians", cfg_.technicians, tech_busy_, tech_waiting_, tech_waits_,
       tech_wait_sum_s_, tech_wait_max_s_, t_off > t_on ? cfg_.people.staffed_seconds(t_on, t_off) : 0.0);
  lab.samples = samples();
  lab.counters = counters_;
  return lab;
}

}  // namespace twin::lab
