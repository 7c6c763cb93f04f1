// Outage windows in the pure lab engine: hand-computable timelines for a
// whole-lab window, a station-kind window and a retirement, under both
// choices for the samples on the stations (hold and resume, or fail), and a
// conservation check that fails when a sample is lost.
#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "lab/LabEngine.hpp"
#include "twin/core/Uptime.hpp"

using namespace twin;
using lab::LabConfig;
using lab::LabEngine;

namespace {

constexpr double HOUR = 3600.0;
constexpr double DAY = 86400.0;

/// One station of one slot, steps of `hours`, no robots.
LabConfig lab_of(double hours) {
  LabConfig c;
  c.name = "t";
  c.robots = 0;
  lab::StationConfig s;
  s.kind = "synth";
  s.duration_s = core::Distribution::fixed(hours * HOUR);
  c.stations.push_back(s);
  return c;
}

std::map<int, core::ExperimentResult> drain(LabEngine& e, double until = core::NEVER) {
  std::vector<lab::Completion> done;
  e.advance_to(until, done);
  std::map<int, core::ExperimentResult> out;
  for (auto& c : done) out[c.sample] = c.result;
  return out;
}

/// The times at which a step started, from the engine's event log.
std::vector<double> step_starts(const LabEngine& e) {
  std::vector<double> out;
  std::istringstream in(e.log());
  std::string line;
  while (std::getline(in, line)) {
    double t = 0;
    char what[32] = {};
    if (std::sscanf(line.c_str(), "%lf %31s", &t, what) == 2 && std::string(what) == "run") out.push_back(t);
  }
  return out;
}

}  // namespace

TEST_CASE("uptime: windows, retirement, next up and next down") {
  core::Uptime u{1 * DAY, 10 * DAY, {}};
  u.add({2 * DAY, 4 * DAY, "a"});
  u.add({3 * DAY, 5 * DAY, "b"});  // overlaps: merged
  u.add({7 * DAY, 8 * DAY, "c"});
  REQUIRE(u.outages.size() == 2);
  CHECK(u.outages[0].from_s == 2 * DAY);
  CHECK(u.outages[0].to_s == 5 * DAY);
  CHECK_FALSE(u.up_at(0.5 * DAY));
  CHECK(u.up_at(1 * DAY));
  CHECK_FALSE(u.up_at(2 * DAY));
  CHECK(u.up_at(5 * DAY));
  CHECK(u.next_up(0) == 1 * DAY);
  CHECK(u.next_up(3 * DAY) == 5 * DAY);
  CHECK(u.next_up(7.5 * DAY) == 8 * DAY);
  CHECK(u.next_up(10 * DAY) == core::NEVER);
  CHECK(u.next_down(1.5 * DAY) == 2 * DAY);
  CHECK(u.next_down(8 * DAY) == 10 * DAY);
  CHECK(u.up_seconds(20 * DAY) == doctest::Approx(9 * DAY - 3 * DAY - 1 * DAY));
}

TEST_CASE("random outages: sorted, disjoint, inside the horizon, the same for the same stream") {
  auto a = core::random_outages(100 * HOUR, 10 * HOUR, 0, 365 * DAY, core::Rng::stream(7, "lab.x.outages"));
  auto b = core::random_outages(100 * HOUR, 10 * HOUR, 0, 365 * DAY, core::Rng::stream(7, "lab.x.outages"));
  REQUIRE(a.size() > 30);  // about 365 x 24 / 110 = 80
  CHECK(a.size() < 140);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].from_s == b[i].from_s);
    CHECK(a[i].to_s > a[i].from_s);
    CHECK(a[i].from_s < 365 * DAY);
    if (i > 0) CHECK(a[i].from_s > a[i - 1].to_s);
  }
}

TEST_CASE("a lab down from day 2 to day 4 (hold): the step on the station is redone after, none starts inside") {
  LabConfig c = lab_of(10);
  c.outages = {{2 * DAY, 4 * DAY, "planned upgrade"}};
  LabEngine e(c, 1);
  e.enable_log();
  for (std::uint64_t k = 0; k < 6; ++k) e.submit({"c", k, 0, false}, 0);
  CHECK(e.up_at(1 * DAY));
  CHECK_FALSE(e.up_at(3 * DAY));
  CHECK(e.next_up(3 * DAY) == 4 * DAY);
  auto r = drain(e);
  REQUIRE(r.size() == 6);
  // Samples 0-3 end at 10, 20, 30, 40 h; sample 4 runs from 40 h, is stopped at
  // 48 h, and runs again from 96 h (day 4) to 106 h; sample 5 to 116 h.
  CHECK(r[3].end_s == 40 * HOUR);
  CHECK(r[4].end_s == 106 * HOUR);
  CHECK(r[4].failure.empty());
  CHECK(r[5].end_s == 116 * HOUR);
  CHECK(r[5].queue_s == 106 * HOUR);
  CHECK(e.counters().interrupted_steps == 1);
  for (double t : step_starts(e)) CHECK_FALSE((t >= 2 * DAY && t < 4 * DAY));
  CHECK(step_starts(e).size() == 7);
  const core::Conservation s = e.samples();
  CHECK(s.finished == 6);
  CHECK(s.in_flight == 0);
  CHECK(s.balanced());
  CHECK(e.check_invariants().empty());
}

TEST_CASE("a lab down from day 2 to day 4 (fail): every sample in it fails with the outage's reason") {
  LabConfig c = lab_of(10);
  c.outages = {{2 * DAY, 4 * DAY, "planned upgrade"}};
  c.on_outage = lab::OnOutage::FAIL;
  LabEngine e(c, 1);
  for (std::uint64_t k = 0; k < 6; ++k) e.submit({"c", k, 0, false}, 0);
  e.submit({"c", 9, 0, false}, 50 * HOUR);  // arrives inside: held, then measured
  auto r = drain(e);
  REQUIRE(r.size() == 7);
  CHECK(r[3].end_s == 40 * HOUR);
  CHECK(r[4].end_s == 48 * HOUR);  // on the station
  CHECK(r[4].failure == "outage: planned upgrade");
  CHECK(r[5].end_s == 48 * HOUR);  // in the queue
  CHECK(r[5].failure == "outage: planned upgrade");
  CHECK(r[6].end_s == 106 * HOUR);
  CHECK(r[6].failure.empty());
  CHECK(e.samples().failed == 2);
  CHECK(e.samples().finished == 5);
  CHECK(e.samples().balanced());
  CHECK(e.check_invariants().empty());
}

TEST_CASE("a station kind down (fail): the sample on it fails, the ones queued for it wait") {
  LabConfig c = lab_of(10);
  c.on_outage = lab::OnOutage::FAIL;
  c.stations[0].outages = {{15 * HOUR, 30 * HOUR, "calibration"}};
  LabEngine e(c, 1);
  for (std::uint64_t k = 0; k < 3; ++k) e.submit({"c", k, 0, false}, 0);
  auto r = drain(e);
  REQUIRE(r.size() == 3);
  CHECK(r[0].end_s == 10 * HOUR);
  CHECK(r[1].end_s == 15 * HOUR);
  CHECK(r[1].failure == "outage: calibration");
  CHECK(r[2].end_s == 40 * HOUR);
  CHECK(r[2].failure.empty());
}

TEST_CASE("a sample that arrives inside a window is held until the lab is up") {
  LabConfig c = lab_of(10);
  c.outages = {{2 * DAY, 4 * DAY, "down"}};
  LabEngine e(c, 1);
  e.submit({"c", 1, 0, false}, 60 * HOUR);
  auto r = drain(e);
  REQUIRE(r.size() == 1);
  CHECK(r[0].hold_s == 36 * HOUR);
  CHECK(r[0].end_s == 106 * HOUR);
  CHECK(e.samples().holds == 1);
}

TEST_CASE("a station kind down: its samples wait, the other kind goes on") {
  LabConfig c = lab_of(10);
  lab::StationConfig ch;
  ch.kind = "char";
  ch.duration_s = core::Distribution::fixed(1 * HOUR);
  ch.outages = {{0, 1 * DAY, "calibration"}};
  c.stations.push_back(ch);
  LabEngine e(c, 1);
  e.submit({"c", 1, 0, false}, 0);
  e.submit({"c", 2, 0, false}, 0);
  auto r = drain(e);
  REQUIRE(r.size() == 2);
  // Synthesis 0-10 h and 10-20 h; characterisation only from day 1: 24-25 h, 25-26 h.
  CHECK(r[0].end_s == 25 * HOUR);
  CHECK(r[1].end_s == 26 * HOUR);
  CHECK(e.samples().balanced());
}

TEST_CASE("a retired lab: later samples are discarded, the one on a station is held, still in flight") {
  LabConfig c = lab_of(10);
  c.offline_from_s = 15 * HOUR;
  LabEngine e(c, 1);
  e.submit({"c", 1, 0, false}, 0);
  e.submit({"c", 2, 0, false}, 0);
  e.submit({"c", 3, 0, false}, 16 * HOUR);
  auto r = drain(e);
  CHECK(r.size() == 2);  // sample 0 measured, sample 2 discarded
  CHECK(r[0].end_s == 10 * HOUR);
  CHECK(r[2].failure == "lab t is offline");
  CHECK(e.next_up(15 * HOUR) == core::NEVER);
  const core::Conservation s = e.samples();
  CHECK(s.finished == 1);
  CHECK(s.discarded == 1);
  CHECK(s.in_flight == 1);  // counted in the station's queue
  CHECK(s.balanced());
}

TEST_CASE("conservation counts what is in the lab: a lost sample makes it fail") {
  LabEngine e(lab_of(10), 1);
  for (std::uint64_t k = 0; k < 4; ++k) e.submit({"c", k, 0, false}, 0);
  drain(e, 15 * HOUR);
  CHECK(e.samples().in_flight == 3);  // one on the station, two queued
  CHECK(e.samples().balanced());
  REQUIRE(e.lose_sample_for_test());
  CHECK(e.samples().in_flight == 2);
  CHECK_FALSE(e.samples().balanced());
}
