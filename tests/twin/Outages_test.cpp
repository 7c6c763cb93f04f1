// Outages seen by whole simulations (one SimGrid engine per test case:
// doctest_discover_tests runs each case in its own process): campaigns wait
// while their lab or its route is down, move to the next lab of their list,
// stop when nothing they need will ever be up again; transfers stall or take
// another route; conservation counts what is in flight and fails when an
// item is lost.
#include <doctest/doctest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <simgrid/s4u.hpp>

#include "twin/Scenario.hpp"
#include "twin/sim/NetworkService.hpp"
#include "twin/sim/Platform.hpp"
#include "twin/sim/Simulation.hpp"

using namespace twin;
using nlohmann::json;

namespace {

constexpr double DAY = 86400.0;

/// A campaign at A (its HPC system's site) using a lab at B; 20 days.
json base() {
  return json::parse(R"({
  "schema_version": 1, "name": "o", "horizon_days": 20, "replications": 1,
  "sites": [{"name": "A"}, {"name": "B"}],
  "network": {"links": [{"from": "A", "to": "B", "bandwidth_gbps": 1, "latency_ms": 10}]},
  "hpc": [{"name": "h", "site": "A", "nodes": 4, "node_speed_gflops": 1000}],
  "labs": [{"name": "l", "site": "B", "robots": 1,
            "stations": [{"kind": "s", "count": 1, "slots": 2, "duration_min": 60}]}],
  "campaigns": [{"name": "c", "kernel": {"pool": "scenarios/data/Perovskite.csv", "goal": "minimize"},
                 "target": {"top_percent": 5}, "on_discovery": "next_problem", "hpc": "h", "lab": "l",
                 "agent": {"closed_loop": {"policy": "random", "batch": 2, "screen": 2}}}]
})");
}

std::string cfg() {
  const char* c = std::getenv("TWIN_SIMGRID_CFG");
  return c ? c : "";
}

core::SimResult run(const json& j) {
  const Scenario sc = parse_scenario(j.dump(), std::string(TWIN_SOURCE_DIR) + "/o.json");
  core::RecordOptions rec;
  rec.items = true;
  return sim::run_simulation(sc, "closed_loop", 0, cfg(), rec);
}

}  // namespace

TEST_CASE("a lab down from day 2 to day 4: nothing is sent to it inside, the campaign resumes after") {
  json j = base();
  j["labs"][0]["outages"] = json::parse(R"([{"from_day": 2, "to_day": 4, "reason": "planned upgrade"}])");
  const core::SimResult r = run(j);
  int before = 0, after = 0;
  for (const auto& e : r.log.experiments) {
    CHECK_FALSE((e.submit_s >= 2 * DAY && e.submit_s < 4 * DAY));
    if (e.submit_s < 2 * DAY) ++before;
    if (e.submit_s >= 4 * DAY) ++after;
  }
  CHECK(before > 0);
  CHECK(after > before);  // it came back and went on
  for (const auto& s : r.log.samples) CHECK_FALSE((s.created_s >= 2 * DAY && s.created_s < 4 * DAY));
  CHECK(r.samples.discarded == 0);
  CHECK(r.samples.balanced());
  CHECK(r.campaigns[0].stopped_s < 0);
}

TEST_CASE("a retired lab with a second one listed: the campaign moves on to it") {
  json j = base();
  j["labs"][0]["offline_from_day"] = 5;
  json l2 = j["labs"][0];
  l2.erase("offline_from_day");
  l2["name"] = "l2";
  j["labs"].push_back(l2);
  j["campaigns"][0]["lab"] = json::array({"l", "l2"});
  const core::SimResult r = run(j);
  int in_l = 0, in_l2 = 0;
  for (const auto& s : r.log.samples) {
    if (s.lab == "l") {
      ++in_l;
      CHECK(s.created_s < 5 * DAY);
    } else {
      ++in_l2;
      CHECK(s.created_s >= 5 * DAY);
    }
  }
  CHECK(in_l > 0);
  CHECK(in_l2 > in_l);  // 15 days there, 5 in the first
  CHECK(r.samples.discarded == 0);
  CHECK(r.campaigns[0].stopped_s < 0);
  CHECK(r.samples.balanced());
}

TEST_CASE("a retired lab with none after it: the campaign stops, and says when and why") {
  json j = base();
  j["labs"][0]["offline_from_day"] = 5;
  const core::SimResult r = run(j);
  const auto& c = r.campaigns[0];
  REQUIRE(c.stopped_s >= 5 * DAY);
  CHECK(c.stopped_s < 6 * DAY);  // at the first decision after the retirement
  CHECK(c.stop_reason == "no lab it may use is ever up again");
  for (const auto& e : r.log.experiments) CHECK(e.submit_s < 5 * DAY);
  CHECK(r.samples.discarded == 0);  // nothing was sent into the closed lab
  CHECK(r.samples.balanced());
}

TEST_CASE("a retired HPC system with a second one listed: the campaign's jobs move to it") {
  json j = base();
  j["hpc"][0]["offline_from_day"] = 6;
  json h2 = j["hpc"][0];
  h2.erase("offline_from_day");
  h2["name"] = "h2";
  h2["site"] = "B";
  j["hpc"].push_back(h2);
  j["campaigns"][0]["hpc"] = json::array({"h", "h2"});
  j["campaigns"][0]["home_site"] = "A";
  const core::SimResult r = run(j);
  int on_h = 0, on_h2 = 0;
  for (const auto& job : r.log.jobs) {
    if (job.owner != "c") continue;
    if (job.system == "h") {
      ++on_h;
      CHECK(job.submit_s < 6 * DAY);
    } else {
      CHECK(job.system == "h2");
      ++on_h2;
      CHECK(job.submit_s >= 6 * DAY);
    }
  }
  CHECK(on_h > 0);
  CHECK(on_h2 > on_h);  // 14 days there, 6 on the first
  CHECK(r.campaigns[0].stopped_s < 0);
  CHECK(r.jobs.discarded == 0);
  CHECK(r.jobs.balanced());
}

TEST_CASE("a retired HPC system the campaign screens on: it stops") {
  json j = base();
  j["hpc"][0]["offline_from_day"] = 3;
  const core::SimResult r = run(j);
  const auto& c = r.campaigns[0];
  REQUIRE(c.stopped_s >= 3 * DAY);
  CHECK(c.stop_reason == "no HPC system it may use is ever up again");
  CHECK(r.jobs.discarded == 0);
}

TEST_CASE("site A down from day 2 to day 4: its HPC system starts no job inside the window, and runs jobs after") {
  json j = base();
  j["sites"][0]["outages"] = json::parse(R"([{"from_day": 2, "to_day": 4, "reason": "site power work"}])");
  const core::SimResult r = run(j);
  int after = 0;
  for (const auto& job : r.log.jobs) {
    if (job.start_s < 0) continue;
    CHECK_FALSE((job.start_s >= 2 * DAY && job.start_s < 4 * DAY));
    if (job.start_s >= 4 * DAY) ++after;
  }
  CHECK(after > 0);
  CHECK(r.jobs.balanced());
}

TEST_CASE("the link to the lab cut from day 2 to day 4, no other route: the campaign waits, then resumes") {
  json j = base();
  j["network"]["links"][0]["outages"] = json::parse(R"([{"from_day": 2, "to_day": 4, "reason": "fibre cut"}])");
  const core::SimResult r = run(j);
  int after = 0;
  for (const auto& e : r.log.experiments) {
    CHECK_FALSE((e.submit_s >= 2 * DAY && e.submit_s < 4 * DAY));
    if (e.submit_s >= 4 * DAY) ++after;
  }
  CHECK(after > 0);
  CHECK(r.transfers.discarded == 0);
  CHECK(r.transfers.balanced());
  for (const auto& res : r.links)
    CHECK(res.online_s == doctest::Approx(18 * DAY));
}

TEST_CASE("the direct link cut for the whole horizon, another route through C: transfers take it") {
  json j = base();
  j["sites"].push_back({{"name", "C"}});
  j["network"]["links"][0]["outages"] = json::parse(R"([{"from_day": 0, "to_day": 30, "reason": "fibre cut"}])");
  j["network"]["links"].push_back({{"from", "A"}, {"to", "C"}, {"bandwidth_gbps", 1}, {"latency_ms", 20}});
  j["network"]["links"].push_back({{"from", "C"}, {"to", "B"}, {"bandwidth_gbps", 1}, {"latency_ms", 20}});
  const core::SimResult r = run(j);
  CHECK(r.campaigns[0].experiments > 10);
  double direct = -1, via_c = 0;
  for (const auto& res : r.links) {
    if (res.name == "A-B") direct = res.busy_integral;
    if (res.name == "A-C" || res.name == "C-B") via_c += res.busy_integral;
  }
  CHECK(direct == 0);
  CHECK(via_c > 0);
  CHECK(r.transfers.holds == 0);
  CHECK(r.transfers.balanced());
}

TEST_CASE("a transfer cut mid-way stalls for the outage and resumes: it ends the window's length later") {
  json j = base();
  j["network"]["links"][0]["outages"] = json::parse(R"([{"from_day": 1, "to_day": 1.5}])");
  const Scenario sc = parse_scenario(j.dump(), std::string(TWIN_SOURCE_DIR) + "/o.json");
  std::vector<std::string> args = {"t", "--log=root.thresh:critical"};
  if (!cfg().empty()) args.push_back("--cfg=" + cfg());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  auto* engine = new simgrid::s4u::Engine(&argc, argv.data());
  auto* platform = new sim::Platform(sc);
  auto* net = new sim::NetworkService(sc, *platform, 1);
  // 1 Gb/s: 1e12 bytes take about 8,000 s; the second one is cut for 12 h.
  const double bytes = 1e12;
  core::TransferOutcome first, second;
  simgrid::s4u::Actor::create("t", platform->svc("A"), [&] {
    first = net->transfer("A", "B", bytes, {});
    simgrid::s4u::this_actor::sleep_until(DAY - 4000);
    second = net->transfer("A", "B", bytes, {});
  });
  engine->run();
  REQUIRE(first.ok);
  REQUIRE(second.ok);
  const double d1 = first.end_s - first.start_s;
  const double d2 = second.end_s - second.start_s;
  CHECK(d1 > 7000);
  CHECK(d1 < 9000);
  CHECK(d2 - d1 == doctest::Approx(0.5 * DAY).epsilon(0.001));  // the window, plus one more latency
  CHECK(net->transfers().finished == 2);
  CHECK(net->transfers().in_flight == 0);
}

TEST_CASE("transfers held at the horizon are counted in flight, and the balance holds") {
  json j = base();
  j["campaigns"][0]["lab_output_gb"] = 20000;  // 40 TB a cycle: days on the link, cut on day 10
  j["network"]["links"][0]["outages"] = json::parse(R"([{"from_day": 10, "to_day": 30, "reason": "crosses the horizon"}])");
  const core::SimResult r = run(j);
  CHECK(r.transfers.in_flight > 0);
  CHECK(r.transfers.balanced());
}

TEST_CASE("a transfer lost on purpose: conservation fails") {
  json j = base();
  j["campaigns"][0]["lab_output_gb"] = 20000;
  j["network"]["links"][0]["outages"] = json::parse(R"([{"from_day": 10, "to_day": 30}])");
  setenv("TWIN_TEST_LOSE", "transfers", 1);
  const core::SimResult r = run(j);
  unsetenv("TWIN_TEST_LOSE");
  CHECK_FALSE(r.transfers.balanced());
}

TEST_CASE("samples in the lab at the horizon are counted in flight, and a sample lost on purpose breaks the balance") {
  json j = base();
  j["campaigns"][0]["agent"]["closed_loop"]["batch"] = 8;
  j["campaigns"][0]["agent"]["closed_loop"]["screen"] = 0;
  setenv("TWIN_TEST_LOSE", "samples", 1);
  const core::SimResult r = run(j);
  unsetenv("TWIN_TEST_LOSE");
  CHECK(r.samples.in_flight > 0);
  CHECK_FALSE(r.samples.balanced());
  // The samples' rows still list every one in flight: one more than counted.
  std::int64_t rows = 0;
  for (const auto& s : r.log.samples) rows += s.state == "in_flight" ? 1 : 0;
  CHECK(rows == r.samples.in_flight + 1);
}

TEST_CASE("a link upgraded on day 1 carries the same transfer ten times faster from then on") {
  json j = base();
  j["network"]["links"][0]["upgrades"] = json::parse(R"([{"from_day": 1, "bandwidth_gbps": 10}])");
  // A short link, so that TCP's window (SimGrid's network/TCP-gamma) does not cap 10 Gb/s.
  j["network"]["links"][0]["latency_ms"] = 0.1;
  const Scenario sc = parse_scenario(j.dump(), std::string(TWIN_SOURCE_DIR) + "/o.json");
  REQUIRE(sc.network.links[0].upgrades.size() == 1);
  CHECK(sc.network.links[0].bandwidth_at(DAY - 1) == doctest::Approx(1e9 / 8));
  CHECK(sc.network.links[0].bandwidth_at(DAY) == doctest::Approx(1e10 / 8));
  CHECK(sc.network.links[0].capacity_between(0, 2 * DAY) == doctest::Approx((1e9 + 1e10) / 8 * DAY));
  std::vector<std::string> args = {"t", "--log=root.thresh:critical"};
  if (!cfg().empty()) args.push_back("--cfg=" + cfg());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  auto* engine = new simgrid::s4u::Engine(&argc, argv.data());
  auto* platform = new sim::Platform(sc);
  auto* net = new sim::NetworkService(sc, *platform, 1);
  const double bytes = 1e12;  // about 8,000 s at 1 Gb/s
  core::TransferOutcome before, after;
  simgrid::s4u::Actor::create("t", platform->svc("A"), [&] {
    before = net->transfer("A", "B", bytes, {});
    simgrid::s4u::this_actor::sleep_until(DAY + 10);
    after = net->transfer("A", "B", bytes, {});
  });
  engine->run();
  REQUIRE(before.ok);
  REQUIRE(after.ok);
  const double d1 = before.end_s - before.start_s, d2 = after.end_s - after.start_s;
  CHECK(d1 > 7000);
  CHECK(d2 < d1 / 8);
  CHECK(d2 > d1 / 12);
}
