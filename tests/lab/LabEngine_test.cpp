// The pure lab engine: hand-computable timelines, invariants over long random
// runs, and a byte-identical event log for the same seed.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>

#include "lab/LabEngine.hpp"

using namespace twin;
using lab::LabConfig;
using lab::LabEngine;
using lab::SampleRequest;
using lab::StationConfig;

namespace {

constexpr double MIN = 60.0;
constexpr double HOUR = 3600.0;

StationConfig station(const std::string& kind, int slots, double minutes) {
  StationConfig s;
  s.kind = kind;
  s.slots = slots;
  s.duration_s = core::Distribution::fixed(minutes * MIN);
  return s;
}

LabConfig one_station(int slots, double minutes) {
  LabConfig c;
  c.name = "t";
  c.robots = 0;
  c.stations.push_back(station("synth", slots, minutes));
  return c;
}

SampleRequest req(std::uint64_t key, const std::string& owner = "c", int priority = 0, bool staffed = false) {
  return SampleRequest{owner, key, priority, staffed};
}

/// Runs every event; returns the completions by sample id.
std::map<int, core::ExperimentResult> drain(LabEngine& e, double until = core::NEVER) {
  std::vector<lab::Completion> done;
  e.advance_to(until, done);
  std::map<int, core::ExperimentResult> out;
  for (auto& c : done) out[c.sample] = c.result;
  return out;
}

}  // namespace

TEST_CASE("one station, two slots, three samples: the third waits for a slot") {
  LabEngine e(one_station(2, 60), 1);
  for (std::uint64_t k = 0; k < 3; ++k) e.submit(req(k), 0);
  auto r = drain(e);
  REQUIRE(r.size() == 3);
  CHECK(r[0].end_s == HOUR);
  CHECK(r[1].end_s == HOUR);
  CHECK(r[2].end_s == 2 * HOUR);
  CHECK(r[2].queue_s == HOUR);
  CHECK(r[2].run_s == HOUR);
  CHECK(r[2].lab_hours == doctest::Approx(1.0));
  CHECK(e.samples().finished == 3);
  const auto res = e.result(2 * HOUR);
  CHECK(res.pools[0].kind == "station");
  CHECK(res.pools[0].busy_integral == 3 * HOUR);  // three sample-hours in two slots
  CHECK(res.pools[0].queue_integral == HOUR);
  CHECK(res.samples.finished == 3);
  CHECK(res.samples.in_flight == 0);
}

TEST_CASE("a robot shared by two stations delays the second sample's move") {
  LabConfig c;
  c.name = "t";
  c.robots = 1;
  c.robot_move_s = core::Distribution::fixed(2 * MIN);
  c.stations = {station("a", 1, 10), station("b", 1, 10)};
  LabEngine e(c, 1);
  e.submit(req(1), 0);
  e.submit(req(2), 0);
  auto r = drain(e);
  // s0: move 0-2, a 2-12, move 12-14, b 14-24 (minutes).
  CHECK(r[0].end_s == 24 * MIN);
  CHECK(r[0].queue_s == 0);
  // s1: waits for a until 12, for the robot (moving s0 to b) until 14, move 14-16,
  // a 16-26, move 26-28, b 28-38.
  CHECK(r[1].end_s == 38 * MIN);
  CHECK(r[1].queue_s == 14 * MIN);
  CHECK(r[1].run_s == 24 * MIN);
  const auto res = e.result(38 * MIN);
  const auto& robot = res.pools[2];
  CHECK(robot.kind == "robot");
  CHECK(robot.busy_integral == 8 * MIN);
  CHECK(robot.wait_sum_s == 2 * MIN);
}

TEST_CASE("a batch furnace runs when full, or after its timeout") {
  LabConfig c = one_station(4, 60);
  c.stations[0].batch = 4;
  c.stations[0].batch_timeout_s = 30 * MIN;
  SUBCASE("two samples wait for the timeout") {
    LabEngine e(c, 1);
    e.submit(req(1), 0);
    e.submit(req(2), 10 * MIN);
    auto r = drain(e);
    CHECK(r[0].end_s == 90 * MIN);
    CHECK(r[1].end_s == 90 * MIN);
    CHECK(r[0].queue_s == 30 * MIN);
    CHECK(r[1].queue_s == 20 * MIN);
    CHECK(e.counters().batches == 1);
  }
  SUBCASE("four samples fill it at once") {
    LabEngine e(c, 1);
    for (std::uint64_t k = 0; k < 4; ++k) e.submit(req(k), 0);
    auto r = drain(e);
    for (int i = 0; i < 4; ++i) CHECK(r[i].end_s == HOUR);
  }
  SUBCASE("a fifth sample waits for the next batch") {
    LabEngine e(c, 1);
    for (std::uint64_t k = 0; k < 5; ++k) e.submit(req(k), 0);
    auto r = drain(e);
    CHECK(r[4].end_s == HOUR + 30 * MIN + HOUR);
    CHECK(e.counters().batches == 2);
  }
}

TEST_CASE("a failure mid-workflow is retried, then reported") {
  LabConfig c;
  c.name = "t";
  c.robots = 0;
  c.stations = {station("dispense", 1, 10), station("synth", 1, 20)};
  c.stations[1].success_probability = 0;
  c.max_retries = 1;
  LabEngine e(c, 1);
  e.submit(req(1), 0);
  auto r = drain(e);
  CHECK(r[0].end_s == 50 * MIN);  // 10 + 20 + 20 (the retry)
  CHECK(r[0].failure == "synth step failed");
  CHECK_FALSE(r[0].value.has_value());
  CHECK(e.counters().step_failures == 2);
  CHECK(e.counters().retries == 1);
  CHECK(e.samples().failed == 1);
  CHECK(e.samples().balanced());
}

TEST_CASE("a shift boundary delays a manual step, closed-loop steps run at night") {
  long monday = core::days_from_civil(2026, 1, 5);
  REQUIRE(core::weekday_of(monday) == 0);
  LabConfig c = one_station(2, 60);
  c.people = core::Shift(monday, 0, {true, true, true, true, true, false, false}, 8 * 60, 17 * 60, {});
  c.technicians = 1;
  SUBCASE("manual step") {
    c.stations[0].manual = true;
    LabEngine e(c, 1);
    e.submit(req(1), 0);                 // Monday 00:00
    e.submit(req(2), 16.5 * HOUR);       // Monday 16:30: starts, ends after the shift
    e.submit(req(3), 4 * 24 * HOUR + 16.75 * HOUR);  // Friday 16:45, the technician is busy until 17:45
    auto r = drain(e);
    CHECK(r[0].end_s == 9 * HOUR);
    CHECK(r[0].people_s == 8 * HOUR);
    CHECK(r[1].end_s == 17.5 * HOUR);
    CHECK(r[1].people_s == 0);
    CHECK(r[2].end_s == 4 * 24 * HOUR + 17.75 * HOUR);
    auto ru = [&] {
      LabEngine e2(c, 1);
      e2.submit(req(4), 4 * 24 * HOUR + 16.75 * HOUR);
      e2.submit(req(5), 4 * 24 * HOUR + 16.80 * HOUR);
      return drain(e2);
    }();
    // The second waits for the only technician: Friday 17:45 is off shift, so Monday 08:00.
    CHECK(ru[1].end_s == 7 * 24 * HOUR + 9 * HOUR);
    CHECK(ru[1].people_s == doctest::Approx(7 * 24 * HOUR + 8 * HOUR - (4 * 24 * HOUR + 16.80 * HOUR)));
  }
  SUBCASE("closed loop runs at night, baseline waits for the shift") {
    LabEngine e(c, 1);
    e.submit(req(1), 0);
    e.submit(req(2, "c", 0, true), 0);
    auto r = drain(e);
    CHECK(r[0].end_s == HOUR);
    CHECK(r[0].people_s == 0);
    CHECK(r[1].end_s == 9 * HOUR);
    CHECK(r[1].people_s == 8 * HOUR);
  }
}

TEST_CASE("a robot jam holds the robot until a technician clears it") {
  LabConfig c = one_station(1, 10);
  c.robots = 1;
  c.robot_move_s = core::Distribution::fixed(2 * MIN);
  c.robot_jam_probability = 1;
  c.jam_clear_s = core::Distribution::fixed(10 * MIN);
  LabEngine e(c, 1);
  e.submit(req(1), 0);
  auto r = drain(e);
  CHECK(r[0].end_s == 22 * MIN);
  CHECK(r[0].run_s == 22 * MIN);  // station 10 + move 2 + clearing 10
  CHECK(e.counters().robot_jams == 1);
}

TEST_CASE("consumables run out and a technician restocks them") {
  LabConfig c = one_station(1, 10);
  c.stations[0].consumable_runs = 2;
  c.stations[0].restock_s = core::Distribution::fixed(30 * MIN);
  LabEngine e(c, 1);
  for (std::uint64_t k = 0; k < 3; ++k) e.submit(req(k), 0);
  auto r = drain(e);
  CHECK(r[1].end_s == 20 * MIN);
  CHECK(r[2].end_s == 50 * MIN);  // restock 10-40, run 40-50
  CHECK(e.counters().restocks == 1);
}

TEST_CASE("a recipe change costs the station its set-up time") {
  LabConfig c = one_station(1, 10);
  c.stations[0].setup_s = core::Distribution::fixed(15 * MIN);
  LabEngine e(c, 1);
  e.submit(req(1, "a"), 0);
  e.submit(req(2, "a"), 0);
  e.submit(req(3, "b"), 0);
  auto r = drain(e);
  CHECK(r[1].end_s == 20 * MIN);
  CHECK(r[2].end_s == 45 * MIN);
  CHECK(e.counters().setups == 1);
}

TEST_CASE("scheduled maintenance keeps a station from starting samples") {
  LabConfig c = one_station(1, 10);
  c.stations[0].maintenance = {7 * 24 * HOUR, HOUR, 0};
  LabEngine e(c, 1);
  e.submit(req(1), 0);
  auto r = drain(e, 2 * HOUR);
  CHECK(r[0].end_s == 70 * MIN);
  CHECK(e.counters().maintenance_windows == 1);
}

TEST_CASE("queue disciplines: priority serves urgent first, fifo by arrival") {
  for (auto d : {lab::Discipline::PRIORITY, lab::Discipline::FIFO}) {
    LabConfig c = one_station(1, 10);
    c.stations[0].discipline = d;
    LabEngine e(c, 1);
    e.submit(req(1, "c", 0), 0);
    e.submit(req(2, "c", 1), 0);   // low
    e.submit(req(3, "c", -1), 0);  // urgent
    auto r = drain(e);
    if (d == lab::Discipline::PRIORITY) {
      CHECK(r[2].end_s == 20 * MIN);
      CHECK(r[1].end_s == 30 * MIN);
    } else {
      CHECK(r[1].end_s == 20 * MIN);
      CHECK(r[2].end_s == 30 * MIN);
    }
  }
}

TEST_CASE("a lab not yet online holds samples, an offline lab discards them") {
  LabConfig c = one_station(1, 10);
  c.online_from_s = HOUR;
  c.offline_from_s = 10 * HOUR;
  LabEngine e(c, 1);
  e.submit(req(1), 0);
  e.submit(req(2), 11 * HOUR);
  auto r = drain(e);
  CHECK(r[0].end_s == 70 * MIN);
  CHECK(r[0].hold_s == HOUR);
  CHECK(r[1].failure == "lab t is offline");
  CHECK(e.samples().discarded == 1);
  CHECK(e.samples().holds == 1);
  CHECK(e.samples().balanced());
}

TEST_CASE("workflow DAG: ordered topologically, a cycle is rejected with the step named") {
  std::vector<lab::StepConfig> steps(3);
  steps[0].name = "analyse";
  steps[0].after = {2};
  steps[1].name = "dispense";
  steps[2].name = "synthesise";
  steps[2].after = {1};
  std::vector<int> order;
  std::string err;
  REQUIRE(lab::workflow_order(steps, order, err));
  CHECK(order == std::vector<int>{1, 2, 0});
  steps[1].after = {0};
  CHECK_FALSE(lab::workflow_order(steps, order, err));
  CHECK(err.find("cycle") != std::string::npos);
  CHECK(err.find("step '") != std::string::npos);
}

namespace {

LabConfig random_lab() {
  LabConfig c;
  c.name = "big";
  c.robots = 2;
  c.robot_move_s = core::Distribution::uniform(60, 300);
  c.robot_jam_probability = 0.02;
  c.technicians = 2;
  c.people = core::Shift(core::days_from_civil(2026, 1, 5), -6, {true, true, true, true, true, false, false}, 8 * 60,
                         17 * 60, {3, 4});
  c.max_retries = 2;
  c.handoff_s = core::Distribution::fixed(300);
  StationConfig d = station("dispense", 2, 15);
  d.consumable_runs = 50;
  d.discipline = lab::Discipline::FIFO;
  StationConfig f = station("furnace", 8, 240);
  f.duration_s = core::Distribution::lognormal(4 * HOUR, 0.3);
  f.batch = 8;
  f.batch_timeout_s = 2 * HOUR;
  f.count = 2;
  f.setup_s = core::Distribution::fixed(1800);
  f.mtbf_s = 10 * 24 * HOUR;
  f.success_probability = 0.8;
  StationConfig x = station("xrd", 1, 20);
  x.mtbf_s = 20 * 24 * HOUR;
  x.maintenance = {7 * 24 * HOUR, 4 * HOUR, 2 * 24 * HOUR};
  x.discipline = lab::Discipline::RECIPE;
  StationConfig m = station("inspect", 1, 10);
  m.manual = true;
  c.stations = {d, f, x, m};
  return c;
}

std::string random_run(std::uint64_t seed, bool check) {
  LabEngine e(random_lab(), seed);
  e.enable_log();
  core::Rng arrivals(seed);
  double t = 0;
  std::int64_t ended = 0;
  for (int i = 0; i < 600; ++i) {
    t += arrivals.exponential(2 * HOUR);
    std::vector<lab::Completion> done;
    e.advance_to(t, done);
    ended += static_cast<std::int64_t>(done.size());
    if (check) REQUIRE(e.check_invariants() == "");
    e.submit(req(arrivals.next_u64(), i % 3 == 0 ? "a" : "b", static_cast<int>(arrivals.below(3)) - 1, i % 5 == 0), t);
    for (int k = 0; k < 4; ++k) REQUIRE(e.occupied(k) <= e.config().stations[static_cast<std::size_t>(k)].count *
                                                              e.config().stations[static_cast<std::size_t>(k)].slots);
  }
  std::vector<lab::Completion> done;
  e.advance_to(t + 60 * 24 * HOUR, done);
  ended += static_cast<std::int64_t>(done.size());
  if (check) {
    CHECK(e.check_invariants() == "");
    const auto& s = e.samples();
    CHECK(s.created == 600);
    CHECK(ended == s.finished + s.failed + s.discarded);
    CHECK(s.finished > 300);
    CHECK(s.failed > 0);
    CHECK(e.counters().breakdowns > 0);
    CHECK(e.counters().robot_jams > 0);
    CHECK(e.counters().restocks > 0);
    CHECK(e.counters().batches > 0);
  }
  return e.log();
}

}  // namespace

TEST_CASE("long random run: no station over its slots, no sample in two places, every sample accounted") {
  random_run(7, true);
}

TEST_CASE("same seed, byte-identical lab event log, another seed, another log") {
  const std::string a = random_run(11, false);
  CHECK(a.size() > 10000);
  CHECK(a == random_run(11, false));
  CHECK(a != random_run(12, false));
}

TEST_CASE("a failed characterisation retries from the first step (a new synthesis)") {
  LabConfig c;
  c.name = "t";
  c.robots = 0;
  c.stations = {station("dispense", 1, 10), station("xrd", 1, 20)};
  c.steps = lab::default_workflow(c.stations);
  c.steps[1].success_probability = 0;
  c.steps[1].retry_from = 0;
  c.max_retries = 2;
  LabEngine e(c, 1);
  e.submit(req(1), 0);
  auto r = drain(e);
  CHECK(r[0].end_s == 90 * MIN);  // three attempts of 10 + 20
  CHECK(r[0].failure == "xrd step failed");
  CHECK(e.counters().step_runs == 6);
  c.steps[0].retry_from = 1;  // retries from a later step: rejected
  CHECK_THROWS_AS(LabEngine(c, 1), std::invalid_argument);
}

TEST_CASE("recording samples and spans never changes the lab, every sample gets one record") {
  auto run = [](core::Recorder* rec) {
    LabEngine e(random_lab(), 5, rec);
    e.enable_log();
    core::Rng arrivals(5);
    double t = 0;
    for (int i = 0; i < 200; ++i) {
      t += arrivals.exponential(2 * HOUR);
      std::vector<lab::Completion> done;
      e.advance_to(t, done);
      e.submit(req(arrivals.next_u64(), "a", 0, i % 4 == 0), t);
    }
    std::vector<lab::Completion> done;
    e.advance_to(t + 2 * HOUR, done);  // some still in the lab
    e.record_in_flight(t + 2 * HOUR);
    return std::make_pair(e.log(), e.samples());
  };
  core::RecordOptions opt;
  opt.items = true;
  opt.trace = true;
  core::Recorder rec(opt);
  const auto with = run(&rec);
  const auto without = run(nullptr);
  CHECK(with.first == without.first);
  const core::SimLog log = rec.take();
  CHECK(static_cast<std::int64_t>(log.samples.size()) == with.second.created);
  std::int64_t in_flight = 0;
  for (const auto& s : log.samples) in_flight += s.state == "in_flight" ? 1 : 0;
  CHECK(in_flight > 0);
  CHECK(in_flight == with.second.created - with.second.finished - with.second.failed - with.second.discarded);
  CHECK(log.spans.size() > 400);
}

TEST_CASE("a station kind with its own power draws it, the others draw the lab power") {
  LabConfig c;
  c.name = "t";
  c.robots = 0;
  c.station_power_w = 1000;  // the lab's draw per busy slot
  c.stations = {station("dispense", 1, 10), station("furnace", 1, 60)};
  c.stations[0].power_w = 100;  // a pipetting robot draws less
  LabEngine e(c, 1);
  e.submit(req(0), 0);
  auto r = drain(e);
  REQUIRE(r.size() == 1);
  // 10 min at 100 W, then 60 min at the lab's 1000 W.
  CHECK(r[0].energy_j == doctest::Approx(600 * 100.0 + 3600 * 1000.0));
  const auto res = e.result(2 * HOUR);
  CHECK(res.pools[0].energy_j == doctest::Approx(600 * 100.0));
  CHECK(res.pools[1].energy_j == doctest::Approx(3600 * 1000.0));
}
