// Access rules and clouds: placements above a clearance never happen, the
// independent check finds them when they do, transfers route around
// uncleared links, a cloud's provisioning and bill, the burst decision at
// its threshold, and the queue-wait estimate bursting uses. Simulations run
// as a run runs them, each in a child process.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "hpc/BatchEngine.hpp"
#include "reports/Access.hpp"
#include "twin/AccessRules.hpp"
#include "twin/Facts.hpp"
#include "twin/Runner.hpp"
#include "twin/Scenario.hpp"
#include "twin/core/Rng.hpp"

using namespace twin;
using nlohmann::json;

namespace {

std::string cfg() {
  const char* c = std::getenv("TWIN_SIMGRID_CFG");
  return c ? c : "";
}

/// Sites A (agent, HPC), B (lab) and C (a second HPC system), a router R:
/// A-B direct (9 ms) and A-R-B around it (2 + 12 ms); C-A.
json base() {
  return json::parse(R"({
    "schema_version": 1, "name": "acc", "horizon_days": 10, "replications": 1, "modes": ["closed_loop"],
    "sites": [{"name": "A", "clearance": "classified"}, {"name": "B", "clearance": "classified"},
              {"name": "C", "clearance": "classified"}],
    "network": {"routers": ["R"], "links": [
      {"from": "A", "to": "B", "bandwidth_gbps": 10, "latency_ms": 9, "clearance": "classified"},
      {"from": "A", "to": "R", "bandwidth_gbps": 10, "latency_ms": 2, "clearance": "classified"},
      {"from": "R", "to": "B", "bandwidth_gbps": 10, "latency_ms": 12, "clearance": "classified"},
      {"from": "C", "to": "A", "bandwidth_gbps": 10, "latency_ms": 5, "clearance": "classified"}]},
    "hpc": [{"name": "h1", "site": "A", "nodes": 4, "node_speed_gflops": 1000},
            {"name": "h2", "site": "C", "nodes": 4, "node_speed_gflops": 1000}],
    "labs": [{"name": "l", "site": "B", "robots": 1,
              "stations": [{"kind": "s", "count": 1, "slots": 2, "duration_min": 60}]}],
    "campaigns": [{"name": "c", "kernel": {"pool": "scenarios/data/Perovskite.csv", "goal": "minimize"},
                   "target": {"top_percent": 5}, "on_discovery": "next_problem", "hpc": ["h1", "h2"], "lab": "l",
                   "agent": {"closed_loop": {"policy": "random", "batch": 2, "screen": 4}}}]
  })");
}

Scenario parse(const json& j) { return parse_scenario(j.dump(), std::string(TWIN_SOURCE_DIR) + "/acc.json"); }

/// The closed loop's one replication, simulated in a child process (as a
/// run does: one engine per process, the result back through its JSON).
core::SimResult simulate(const Scenario& sc) {
  RunOptions o;
  o.simgrid_cfg = cfg();
  core::RunResult rr = run_scenario(sc, o);
  REQUIRE(rr.sims.size() == 1);
  return rr.sims[0];
}

std::int64_t placed(const core::SimResult& r, const std::string& kind, const std::string& facility) {
  std::int64_t n = 0;
  for (const auto& p : r.placements)
    if (p.kind == kind && p.facility == facility) n += p.items;
  return n;
}

core::RunResult run_of(const Scenario& sc, core::SimResult r) {
  core::RunResult rr;
  rr.scenario = scenario_facts(sc);
  rr.sims.push_back(std::move(r));
  return rr;
}

}  // namespace

TEST_CASE("an HPC system not cleared for the campaign's label is skipped for the next one in the list") {
  json j = base();
  j["campaigns"][0]["classification"] = "export_controlled";
  j["hpc"][0]["clearance"] = "cui";  // h1, the first preference
  const Scenario sc = parse(j);
  const core::SimResult r = simulate(sc);
  CHECK(placed(r, "hpc", "h1") == 0);
  CHECK(placed(r, "hpc", "h2") > 0);
  CHECK(r.campaigns[0].access.placement_refusals >= r.campaigns[0].cycles);
  CHECK(reports::check_placements(scenario_facts(sc), r).empty());
  CHECK(r.campaigns[0].stopped_s < 0);
}

TEST_CASE("with no cleared option the campaign stops at once, with the reason and the run it lost") {
  json j = base();
  j["campaigns"][0]["classification"] = "classified";
  j["labs"][0]["clearance"] = "export_controlled";
  const Scenario sc = parse(j);
  const core::SimResult r = simulate(sc);
  const auto& c = r.campaigns[0];
  CHECK(c.stopped_s == 0);
  CHECK(c.stop_reason.find("no lab it may use is cleared for classified") != std::string::npos);
  CHECK(c.stop_reason.find("l: cleared for export_controlled") != std::string::npos);
  CHECK(c.experiments == 0);
  CHECK(placed(r, "lab", "l") == 0);
  CHECK(c.access.placement_wait_s == doctest::Approx(sc.horizon_s));
}

TEST_CASE("a transfer routes around a link not cleared for its label, bytes never cross it") {
  json j = base();
  j["campaigns"][0]["classification"] = "export_controlled";
  j["network"]["links"][0]["clearance"] = "cui";  // A-B, the shortest route to the lab
  const Scenario sc = parse(j);
  const core::SimResult r = simulate(sc);
  const auto& c = r.campaigns[0];
  CHECK(placed(r, "link", "A-B") == 0);
  CHECK(placed(r, "link", "A-R") > 0);
  CHECK(placed(r, "link", "A-R") == placed(r, "link", "R-B"));
  CHECK(c.access.reroutes > 0);
  CHECK(c.access.transfer_refusals == 0);
  // Each detour costs at least its extra latency: 2 + 12 - 9 ms.
  CHECK(c.access.reroute_s >= 0.005 * static_cast<double>(c.access.reroutes) * (1 - 1e-9));
  CHECK(reports::check_placements(scenario_facts(sc), r).empty());
  // A public campaign takes the short route.
  j["campaigns"][0]["classification"] = "public";
  const core::SimResult p = simulate(parse(j));
  CHECK(placed(p, "link", "A-B") > 0);
  CHECK(placed(p, "link", "A-R") == 0);
  CHECK(p.campaigns[0].access.reroutes == 0);
}

TEST_CASE("the independent check finds placements above a clearance (test-only hook)") {
  json j = base();
  j["campaigns"][0]["classification"] = "export_controlled";
  j["hpc"][0]["clearance"] = "cui";
  j["network"]["links"][0]["clearance"] = "cui";
  const Scenario sc = parse(j);
  ::setenv("TWIN_TEST_MISPLACE", "1", 1);
  const core::SimResult r = simulate(sc);
  ::unsetenv("TWIN_TEST_MISPLACE");
  const auto v = reports::check_placements(scenario_facts(sc), r);
  bool hpc = false, link = false;
  for (const auto& x : v) {
    hpc = hpc || (x.kind == "hpc" && x.facility == "h1" && x.label == "export_controlled" && x.clearance == "cui");
    link = link || (x.kind == "link" && x.facility == "A-B");
  }
  CHECK(hpc);
  CHECK(link);
  const reports::Security s = reports::security(run_of(sc, r));
  CHECK(s.violations == static_cast<std::int64_t>(v.size()));
  CHECK(s.checked == static_cast<std::int64_t>(r.placements.size()));
}

TEST_CASE("the check on hand-made placements: each above its facility's clearance, and only those") {
  const Scenario sc = parse(base());
  core::ScenarioFacts f = scenario_facts(sc);
  f.campaigns[0].classification = "cui";
  for (auto& c : f.clearances)
    if (c.name == "h2") c.clearance = "public";
  core::SimResult r;
  r.mode = "closed_loop";
  r.placements = {{"hpc", "h1", "c", 3, 0}, {"hpc", "h2", "c", 2, 0}, {"lab", "l", "c", 1, 0}, {"hpc", "nowhere", "c", 1, 0}};
  const auto v = reports::check_placements(f, r);
  REQUIRE(v.size() == 2);
  CHECK(v[0].facility == "h2");
  CHECK(v[0].items == 2);
  CHECK(v[1].clearance == "unknown");
}

TEST_CASE("property: random labels and clearances over small scenarios, the check never finds a violation") {
  core::Rng rng = core::Rng::stream(2026, "access-property");
  const char* labels[] = {"public", "cui", "export_controlled", "classified"};
  auto pick = [&] { return labels[rng.below(4)]; };
  int stopped = 0, ran = 0;
  for (int k = 0; k < 12; ++k) {
    json j = base();
    j["horizon_days"] = 4;
    for (auto& s : j["sites"]) s["clearance"] = pick();
    for (auto& l : j["network"]["links"]) l["clearance"] = pick();
    for (auto& h : j["hpc"]) h["clearance"] = pick();
    j["labs"][0]["clearance"] = pick();
    j["campaigns"][0]["classification"] = pick();
    const Scenario sc = parse(j);
    const core::SimResult r = simulate(sc);
    CHECK(reports::check_placements(scenario_facts(sc), r).empty());
    CHECK(r.transfers.balanced());
    if (r.campaigns[0].stopped_s >= 0) ++stopped;
    else ++ran;
  }
  // The draws cover both outcomes.
  CHECK(stopped > 0);
  CHECK(ran > 0);
}

TEST_CASE("the queue-wait estimate: running and queued jobs by their requested times, backfill in the gaps") {
  hpc::SystemConfig c;
  c.name = "q";
  c.nodes = 4;
  c.node_speed_flops = 1e9;
  c.scheduler = "easy";
  hpc::BatchEngine e(c, 1, 1e6);
  std::vector<hpc::JobEnd> done;
  hpc::JobSpec big;
  big.nodes = 3;
  big.run_s = 50;
  big.requested_s = 100;
  e.submit(big, 0, done);  // runs on 3 nodes until 100 (as planned)
  hpc::JobSpec wide = big;
  wide.nodes = 4;
  wide.requested_s = 200;
  e.submit(wide, 0, done);  // queued: planned from 100 to 300
  e.advance_to(10, done);
  CHECK(e.estimated_wait_s(1, 50) == doctest::Approx(0));     // one node free until 100: a backfill
  CHECK(e.estimated_wait_s(1, 200) == doctest::Approx(290));  // too long for the gap: after the wide job
  CHECK(e.estimated_wait_s(2, 10) == doctest::Approx(290));   // two nodes are free only after it
  CHECK(e.estimated_wait_s(5, 10) == core::NEVER);           // larger than the machine
}

namespace {
/// One campaign whose jobs always burst (threshold 0 h on a system whose
/// single node the background keeps busy), on a cloud with fixed provisioning.
json burst_scenario(double when_h) {
  json j = base();
  j["hpc"] = json::parse(R"([{"name": "h1", "site": "A", "nodes": 1, "node_speed_gflops": 1000,
    "background": {"synthetic": {"load": 0.9, "job_nodes": 1, "run_min": 600}}}])");
  j["campaigns"][0]["hpc"] = "h1";
  j["sites"].push_back({{"name", "K"}, {"clearance", "cui"}});
  j["network"]["links"].push_back({{"from", "K"}, {"to", "A"}, {"bandwidth_gbps", 10}, {"latency_ms", 5}, {"clearance", "cui"}});
  j["clouds"] = json::parse(R"([{"name": "k", "site": "K", "instance": {"gpus": 4, "node_speed_gflops": 2000, "power_w": 1000},
    "provisioning_min": 6, "price_per_gpu_hour": 3, "quota_instances": 2}])");
  j["campaigns"][0]["burst"] = {{"to", "k"}, {"when_queue_wait_h", when_h}, {"max_instances", 2}};
  return j;
}
}  // namespace

TEST_CASE("a burst job waits for provisioning, runs at the instance's speed and pays per GPU-hour") {
  const Scenario sc = parse(burst_scenario(0));
  const core::SimResult r = simulate(sc);
  const auto& b = r.campaigns[0].burst;
  REQUIRE(r.clouds.size() == 1);
  const auto& k = r.clouds[0];
  REQUIRE(b.jobs > 0);
  // The campaign counts a batch's jobs when the batch is done: at most the
  // last batch (4 jobs) is the cloud's and not yet the campaign's.
  CHECK(k.jobs.created >= b.jobs);
  CHECK(k.jobs.created - b.jobs <= 4);
  CHECK(k.jobs.balanced());
  CHECK(r.jobs.balanced());
  // Each job: 6 minutes of provisioning after its wait for the quota.
  CHECK(k.provisioning_s == doctest::Approx(360.0 * static_cast<double>(k.jobs.finished)));
  // Billed: instance-hours x 4 GPUs x $3.
  CHECK(k.gpu_hours == doctest::Approx(4 * k.instance_hours));
  CHECK(k.usd == doctest::Approx(3 * k.gpu_hours));
  CHECK(b.usd <= k.usd + 1e-9);
  CHECK(k.energy_j == doctest::Approx(1000 * k.instance_hours * 3600));
  // A job of the campaign's kernel runs flops / (1 instance x 2e12 flop/s).
  CHECK(k.instance_hours > 0);
  CHECK(placed(r, "cloud", "k") == k.jobs.created);
  CHECK(reports::check_placements(scenario_facts(sc), r).empty());
  // The campaign holds at most 2 instances: of each batch of 4, the rest stay in the queue.
  CHECK(placed(r, "hpc", "h1") > 0);
  CHECK(k.quota_wait_s == 0);
}

TEST_CASE("the burst threshold: below the estimated wait jobs burst, above it none do") {
  const core::SimResult low = simulate(parse(burst_scenario(0)));
  const core::SimResult high = simulate(parse(burst_scenario(1e5)));
  CHECK(low.campaigns[0].burst.jobs > 0);
  CHECK(high.campaigns[0].burst.jobs == 0);
  CHECK(high.clouds[0].jobs.created == 0);
}

TEST_CASE("an export-controlled campaign never bursts to a cloud cleared for CUI, the refusals are counted") {
  json j = burst_scenario(0);
  j["campaigns"][0]["classification"] = "export_controlled";
  const Scenario sc = parse(j);
  const core::SimResult r = simulate(sc);
  const auto& c = r.campaigns[0];
  CHECK(c.burst.jobs == 0);
  CHECK(r.clouds[0].jobs.created == 0);
  CHECK(c.access.burst_refusals > 0);
  CHECK(c.access.burst_refusals <= c.simulations);
  CHECK(placed(r, "cloud", "k") == 0);
  CHECK(reports::check_placements(scenario_facts(sc), r).empty());
}

namespace {
/// A one-node system busy with one trace job until 10 h (requested 10 h); the
/// campaign's first job, at 1 h, is estimated to wait 9 h. One job per cycle.
json threshold_scenario(double when_h) {
  json j = burst_scenario(when_h);
  j["horizon_days"] = 2;
  j["hpc"][0].erase("background");
  j["hpc"][0]["background"] = {{"trace", {{"file", "tests/twin/data/one-job.swf"}}}};
  j["campaigns"][0]["start_day"] = 3600.0 / 86400.0;
  j["campaigns"][0]["agent"]["closed_loop"] = {{"policy", "random"}, {"batch", 1}, {"screen", 1}};
  return j;
}
}  // namespace

TEST_CASE("the burst decision at its threshold: an estimated 9 h wait bursts at 8.9 h, not at 9.1 h") {
  const core::SimResult below = simulate(parse(threshold_scenario(8.9)));
  const core::SimResult above = simulate(parse(threshold_scenario(9.1)));
  CHECK(below.clouds[0].jobs.created == 1);  // the first job only: the machine is free from 10 h on
  CHECK(above.clouds[0].jobs.created == 0);
  // Above, the first job waited for the trace job: 9 h in the queue.
  CHECK(above.campaigns[0].cycle.hpc_queue_s >= 9 * 3600.0 * (1 - 1e-9));
}

TEST_CASE("what the rules cost: a campaign they stop loses every discovery the unrestricted run makes") {
  json j = base();
  j["replications"] = 2;
  j["campaigns"][0]["classification"] = "classified";
  j["labs"][0]["clearance"] = "export_controlled";
  RunOptions o;
  o.simgrid_cfg = cfg();
  const Scenario sc = parse(j);
  core::RunResult rr = run_scenario(sc, o);
  rr.scenario = scenario_facts(sc);
  REQUIRE(rr.no_rules.simulations == 2);
  REQUIRE(rr.sims.size() == 2);
  for (const auto& s : rr.sims) CHECK(s.campaigns[0].discoveries == 0);
  double without = 0;
  for (const auto& d : rr.no_rules.discoveries) without += d[0];
  CHECK(without > 0);
  const reports::Security s = reports::security(rr);
  const double years = 10.0 / 365.25;
  REQUIRE(s.without_rules_per_year);
  CHECK(*s.with_rules_per_year == 0);
  CHECK(*s.without_rules_per_year == doctest::Approx(without / 2 / years));
  CHECK(s.lost_per_year.mean == doctest::Approx(*s.without_rules_per_year));
  REQUIRE(s.cost_by_campaign.size() == 1);
  CHECK(s.cost_by_campaign[0].lost_per_year.mean == doctest::Approx(s.lost_per_year.mean));
  // A public scenario runs no such counterfactual.
  j["campaigns"][0]["classification"] = "public";
  j["labs"][0]["clearance"] = "public";
  CHECK(run_scenario(parse(j), o).no_rules.simulations == 0);
}

TEST_CASE("before anything runs: a warning for a campaign with no cleared lab, none when one is") {
  json j = base();
  j["campaigns"][0]["classification"] = "classified";
  j["labs"][0]["clearance"] = "export_controlled";
  const auto w = access_warnings(parse(j));
  REQUIRE(w.size() == 1);
  CHECK(w[0] == "campaign c (classified): no lab in its lists is cleared for it (l: cleared for export_controlled); it "
                "will stop at once");
  j["labs"][0]["clearance"] = "classified";
  CHECK(access_warnings(parse(j)).empty());
  // h1 not cleared leaves h2: no warning, and h1 is marked.
  j["hpc"][0]["clearance"] = "cui";
  const Scenario sc = parse(j);
  CHECK(access_warnings(sc).empty());
  const CampaignAccess a = campaign_access(sc, sc.campaigns[0]);
  CHECK(a.hpc == std::vector<bool>{false, true});
  CHECK(a.why == "h1: cleared for cui");
}
