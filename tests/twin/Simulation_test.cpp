// One SimGrid engine per test case: doctest_discover_tests runs each case in
// its own process.
#include <doctest/doctest.h>

#include <cstdlib>

#include "twin/Scenario.hpp"
#include "twin/sim/Simulation.hpp"

using namespace twin;

namespace {
const char* const SMALL = R"({
  "schema_version": 1, "name": "s", "horizon_days": 20, "replications": 1,
  "sites": [{"name": "A"}, {"name": "B"}],
  "network": {"links": [{"from": "A", "to": "B", "bandwidth_gbps": 1, "latency_ms": 10}]},
  "hpc": [{"name": "h", "site": "A", "nodes": 2, "node_speed_gflops": 1000}],
  "labs": [{"name": "l", "site": "B", "robots": 1,
            "stations": [{"kind": "s", "count": 1, "slots": 1, "duration_min": 60, "success_probability": 0.8}]}],
  "campaigns": [{"name": "c", "kernel": {"pool": "scenarios/data/Perovskite.csv", "goal": "minimize"},
                 "target": {"top_percent": 5}, "on_discovery": "next_problem", "hpc": "h", "lab": "l",
                 "agent": {"closed_loop": {"policy": "random", "batch": 2, "screen": 4}}}]
})";
std::string cfg() {
  const char* c = std::getenv("TWIN_SIMGRID_CFG");
  return c ? c : "";
}
}  // namespace

TEST_CASE("one closed_loop simulation conserves jobs, samples and transfers") {
  const Scenario sc = parse_scenario(SMALL, std::string(TWIN_SOURCE_DIR) + "/s.json");
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg());
  REQUIRE(r.campaigns.size() == 1);
  const auto& c = r.campaigns[0];
  CHECK(c.experiments > 20);
  CHECK(c.simulations >= 2 * c.cycles);
  CHECK(c.failed_experiments > 0);  // 20 % of steps fail
  CHECK(r.jobs.balanced());
  CHECK(r.samples.balanced());
  CHECK(r.transfers.balanced());
  const auto accounted = r.samples.finished + r.samples.failed + r.samples.in_flight + r.samples.discarded;
  CHECK(r.samples.created == accounted);
  // 2 nodes, 4 jobs of 10 hours (3.6e16 flop at 1e12 flop/s) per decision: two wait in the queue.
  CHECK(c.cycle.hpc_run_s > 0);
  CHECK(c.cycle.hpc_queue_s > 0);
  // One slot of a 60-minute station: never more than 24 samples a day.
  CHECK(static_cast<double>(r.samples.finished + r.samples.failed) <= 24.0 * 20);
}

TEST_CASE("baseline waits for people: fewer experiments than closed_loop on the same lab") {
  const Scenario sc = parse_scenario(SMALL, std::string(TWIN_SOURCE_DIR) + "/s.json");
  const core::SimResult r = sim::run_simulation(sc, "baseline", 0, cfg());
  const auto& c = r.campaigns[0];
  CHECK(c.cycle.people_s > 0);
  CHECK(c.cycles <= 3);  // weekly meetings in 20 days
  CHECK(r.samples.balanced());
}

TEST_CASE("a lab that comes online on day 3: the campaign waits for it, nothing is sent before") {
  std::string text = SMALL;
  const std::string key = "\"robots\": 1,";
  text.replace(text.find(key), key.size(), "\"robots\": 1, \"online_from_day\": 3,");
  const Scenario sc = parse_scenario(text, std::string(TWIN_SOURCE_DIR) + "/s.json");
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg());
  CHECK(r.samples.holds == 0);  // the campaign asks the lab whether it is up, and waits
  CHECK(r.samples.created > 0);
  const auto& c = r.campaigns[0];
  REQUIRE_FALSE(c.best_t_s.empty());
  CHECK(c.best_t_s.front() >= 3 * 86400.0);
  CHECK(r.samples.balanced());
}

TEST_CASE("campaign jobs queue behind a real trace's background jobs") {
  // 2 nodes, a LANL-CM5 trace slice scaled to them: campaign jobs wait.
  std::string text = SMALL;
  const std::string key = "\"node_speed_gflops\": 1000}";
  text.replace(text.find(key), key.size(),
               "\"node_speed_gflops\": 1000, \"scheduler\": \"easy\", \"background\": {\"trace\": "
               "{\"file\": \"tests/data/swf/LANL-CM5-head.swf\", \"scale_to_machine\": true}}}");
  const Scenario sc = parse_scenario(text, std::string(TWIN_SOURCE_DIR) + "/s.json");
  REQUIRE(sc.hpc[0].background.trace);
  CHECK(sc.hpc[0].background.trace->size() > 100);
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg());
  REQUIRE(r.hpc.size() == 1);
  CHECK(r.hpc[0].background_jobs > 100);
  CHECK(r.hpc[0].wait_sum_s > 0);
  CHECK(r.campaigns[0].cycle.hpc_queue_s > 0);
  CHECK(r.jobs.balanced());
}

TEST_CASE("node failures kill running jobs, which are requeued and still accounted") {
  std::string text = SMALL;
  const std::string key = "\"node_speed_gflops\": 1000}";
  text.replace(text.find(key), key.size(),
               "\"node_speed_gflops\": 1000, \"node_mtbf_h\": 24, \"node_repair_h\": {\"fixed\": 2}}");
  const Scenario sc = parse_scenario(text, std::string(TWIN_SOURCE_DIR) + "/s.json");
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg());
  REQUIRE(r.hpc.size() == 1);
  // 2 nodes failing once a day each for 20 days; jobs run 10 h: some are hit.
  CHECK(r.hpc[0].node_failures > 20);
  CHECK(r.hpc[0].failure_kills > 0);
  CHECK(r.hpc[0].requeued == r.hpc[0].failure_kills);
  CHECK(r.jobs.balanced());
  CHECK(r.campaigns[0].simulations > 0);
}

TEST_CASE("campaign jobs requeued after node failures equal the campaign jobs the job log shows killed by one") {
  // 8 nodes failing once a day each, beside a background at half load: background jobs are killed too, so the
  // count of campaign jobs requeued is not the count of all kills.
  std::string text = SMALL;
  const std::string key = "\"nodes\": 2, \"node_speed_gflops\": 1000}";
  text.replace(text.find(key), key.size(),
               "\"nodes\": 8, \"node_speed_gflops\": 1000, \"node_mtbf_h\": 24, \"node_repair_h\": {\"fixed\": 2}, "
               "\"background\": {\"synthetic\": {\"load\": 0.5, \"job_nodes\": {\"fixed\": 1}, "
               "\"run_min\": {\"fixed\": 120}}}}");
  const Scenario sc = parse_scenario(text, std::string(TWIN_SOURCE_DIR) + "/s.json");
  core::RecordOptions rec;
  rec.items = true;  // campaign jobs only: background jobs are not in the log
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg(), rec);
  std::int64_t killed = 0;
  for (const auto& j : r.log.jobs)
    if (j.state == "node_failure") {
      CHECK(j.owner == "c");
      ++killed;
    }
  REQUIRE(r.hpc.size() == 1);
  CHECK(killed > 0);
  CHECK(r.hpc[0].requeued == killed);
  CHECK(r.hpc[0].failure_kills > killed);  // background jobs were hit as well
  CHECK(r.jobs.balanced());
}

TEST_CASE("an HPC system down from day 2 to day 4: the jobs running then are killed and requeued, none starts inside") {
  std::string text = SMALL;
  const std::string key = "\"node_speed_gflops\": 1000}";
  text.replace(text.find(key), key.size(),
               "\"node_speed_gflops\": 1000, \"outages\": [{\"from_day\": 2, \"to_day\": 4, \"reason\": \"upgrade\"}]}");
  const Scenario sc = parse_scenario(text, std::string(TWIN_SOURCE_DIR) + "/s.json");
  core::RecordOptions rec;
  rec.items = true;
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg(), rec);
  const double day = 86400.0;
  std::int64_t started = 0, inside = 0, killed_at_2 = 0;
  for (const auto& j : r.log.jobs) {
    if (j.start_s < 0) continue;
    ++started;
    if (j.start_s >= 2 * day && j.start_s < 4 * day) ++inside;
    if (j.state == "outage" && j.end_s == 2 * day) ++killed_at_2;
  }
  CHECK(started > 10);
  CHECK(inside == 0);
  // 2 nodes busy with 10-hour jobs: both are running at day 2.
  CHECK(killed_at_2 > 0);
  REQUIRE(r.hpc.size() == 1);
  CHECK(r.hpc[0].failure_kills == killed_at_2);
  CHECK(r.hpc[0].requeued == killed_at_2);
  CHECK(r.hpc[0].online_s == 18 * day);
  CHECK(r.jobs.balanced());
}

TEST_CASE("random whole-system HPC outages (mtbf_h, repair_h): time down is not online, and jobs stay accounted") {
  std::string text = SMALL;
  const std::string key = "\"node_speed_gflops\": 1000}";
  text.replace(text.find(key), key.size(), "\"node_speed_gflops\": 1000, \"mtbf_h\": 48, \"repair_h\": 6}");
  const Scenario sc = parse_scenario(text, std::string(TWIN_SOURCE_DIR) + "/s.json");
  const core::SimResult r = sim::run_simulation(sc, "closed_loop", 0, cfg());
  REQUIRE(r.hpc.size() == 1);
  CHECK(r.hpc[0].online_s < 20 * 86400.0 - 6 * 3600.0);  // about ten outages of 6 h on average
  CHECK(r.hpc[0].online_s > 10 * 86400.0);
  CHECK(r.jobs.balanced());
  CHECK(r.campaigns[0].simulations > 0);
}
