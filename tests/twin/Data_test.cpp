// Datasets, caches, foundation models and lineage: a staging's time over a
// known link, a second campaign hitting the cache, the order of evictions,
// a training queued behind the background load, the error law of
// retraining, and lineage records that point at jobs and samples that
// exist, one per experiment. Simulations run as a run runs them, each in a
// child process.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/Data.hpp"
#include "twin/Facts.hpp"
#include "twin/Runner.hpp"
#include "twin/Scenario.hpp"

using namespace twin;
using nlohmann::json;

namespace {

/// SimGrid's CM02 network model without a TCP window: a lone transfer then
/// takes latency + bytes / bandwidth exactly, which the first test checks.
std::string cfg() {
  const char* c = std::getenv("TWIN_SIMGRID_CFG");
  std::string s = c ? c : "";
  return s + (s.empty() ? "" : " ") + "network/model:CM02 network/TCP-gamma:0";
}

constexpr double TB = 1e12;

/// Site A: an HPC system with a cache and the lab; site S: the store, 10 Gb/s
/// and 5 ms away. Transfers other than stagings carry nothing.
json base() {
  return json::parse(R"({
    "schema_version": 1, "name": "data", "horizon_days": 3, "replications": 1, "modes": ["closed_loop"],
    "sites": [{"name": "A", "cache_tb": 10, "lan_bandwidth_gbps": 1000000, "lan_latency_ms": 0},
              {"name": "S", "lan_bandwidth_gbps": 1000000, "lan_latency_ms": 0}],
    "network": {"links": [{"from": "A", "to": "S", "bandwidth_gbps": 10, "latency_ms": 5}]},
    "hpc": [{"name": "h", "site": "A", "nodes": 8, "node_speed_gflops": 1000, "gpus_per_node": 4}],
    "labs": [{"name": "l", "site": "A", "robots": 1,
              "stations": [{"kind": "s", "count": 1, "slots": 4, "duration_min": 60}]}],
    "data_stores": [{"name": "st", "site": "S", "datasets": [{"name": "d", "size_tb": 1}]}],
    "campaigns": [{"name": "c", "kernel": {"pool": "scenarios/data/Perovskite.csv", "goal": "minimize"},
                   "target": {"top_percent": 5}, "on_discovery": "next_problem", "hpc": "h", "lab": "l",
                   "datasets": ["d"], "sim_output_gb": 0, "lab_output_gb": 0, "recipe_mb": 0,
                   "agent": {"closed_loop": {"policy": "random", "batch": 2, "screen": 4}}}]
  })");
}

Scenario parse(const json& j) { return parse_scenario(j.dump(), std::string(TWIN_SOURCE_DIR) + "/data.json"); }

core::RunResult run(const Scenario& sc, bool lineage = false) {
  RunOptions o;
  o.simgrid_cfg = cfg();
  o.record.items = lineage;
  o.record.lineage = lineage;
  core::RunResult rr = run_scenario(sc, o);
  rr.scenario = scenario_facts(sc);
  return rr;
}

const core::DatasetSim& dataset(const core::SimResult& r, const std::string& name) {
  for (const auto& d : r.datasets)
    if (d.name == name) return d;
  FAIL("no dataset " << name);
  return r.datasets.front();
}

/// A campaign of base() that needs `datasets`, starts on `start_day` and
/// runs one cycle of one experiment.
json one_cycle(const std::string& name, const json& datasets, double start_day) {
  json c = base()["campaigns"][0];
  c["name"] = name;
  c["datasets"] = datasets;
  c["start_day"] = start_day;
  c["budget"] = {{"experiments", 1}};
  c["agent"]["closed_loop"]["batch"] = 1;
  c["agent"]["closed_loop"]["screen"] = 1;
  return c;
}

}  // namespace

TEST_CASE("staging a dataset over a known link takes its size over the bandwidth plus the latency") {
  const core::RunResult rr = run(parse(base()));
  REQUIRE(rr.sims.size() == 1);
  const core::DatasetSim& d = dataset(rr.sims[0], "d");
  // The first screening stages it whole; every later one finds it in the cache.
  CHECK(d.full == 1);
  CHECK(d.requests > 3);
  CHECK(d.hits == d.requests - 1);
  CHECK(d.bytes == doctest::Approx(1 * TB));
  const double expected = 1 * TB / (10e9 / 8) + 0.005;  // 800 s + 5 ms
  CHECK(d.transfer_s == doctest::Approx(expected).epsilon(1e-6));
  CHECK(d.link_bytes.at("A-S") == doctest::Approx(1 * TB));
  // The campaign's cycles carry that staging (once) in their transfer time.
  const core::CampaignSim& c = rr.sims[0].campaigns[0];
  CHECK(c.data.staging_s == doctest::Approx(expected).epsilon(1e-6));
  CHECK(c.data.stagings == d.requests);
  CHECK(c.cycle.transfer_s >= c.data.staging_s);
}

TEST_CASE("a second campaign needing the same dataset at the same site hits the cache") {
  json j = base();
  j["campaigns"][1] = j["campaigns"][0];
  j["campaigns"][1]["name"] = "c2";
  j["campaigns"][1]["start_day"] = 1;
  const core::RunResult rr = run(parse(j));
  const core::SimResult& r = rr.sims[0];
  CHECK(dataset(r, "d").full == 1);
  const core::CampaignSim& c2 = r.campaigns[1];
  REQUIRE(c2.data.stagings > 0);
  CHECK(c2.data.hits == c2.data.stagings);
  CHECK(c2.data.staged_bytes == 0);
  // Started together, the second waits for the first's staging instead of moving the data again.
  j["campaigns"][1]["start_day"] = 0;
  const core::RunResult together = run(parse(j));
  const core::DatasetSim& d = dataset(together.sims[0], "d");
  CHECK(d.full == 1);
  CHECK(d.wait_s == doctest::Approx(1 * TB / (10e9 / 8) + 0.005).epsilon(1e-6));
}

TEST_CASE("a full cache evicts the least recently used dataset first") {
  json j = base();
  j["data_stores"][0]["datasets"] = json::parse(R"([{"name": "d1", "size_tb": 1}, {"name": "d2", "size_tb": 1},
                                                    {"name": "d3", "size_tb": 1}])");
  j["sites"][0]["cache_tb"] = 2.5;
  j["campaigns"] = json::array({one_cycle("c1", {"d1"}, 0), one_cycle("c2", {"d2"}, 0.5), one_cycle("c3", {"d3"}, 1),
                                one_cycle("c4", {"d1"}, 1.5)});
  const core::RunResult rr = run(parse(j));
  const core::SimResult& r = rr.sims[0];
  REQUIRE(r.caches.size() == 1);
  const core::CacheSim& c = r.caches[0];
  CHECK(c.name == "site:A");
  // d3 needs room: d1 (used first) goes; d1 again: d2 (used before d3) goes.
  CHECK(c.evicted == std::vector<std::string>{"d1", "d2"});
  CHECK(c.held == std::vector<std::string>{"d3", "d1"});
  CHECK(c.peak_bytes <= 2.5 * TB);
  CHECK(dataset(r, "d1").full == 2);
}

TEST_CASE("a training job waits in the HPC queue behind the background load") {
  json j = base();
  j["horizon_days"] = 6;
  j["hpc"][0]["nodes"] = 16;  // room for the training beside the campaign's own jobs
  j["models"] = json::parse(R"([{"name": "m", "train": {"system": "h", "gpu_hours": 320, "nodes": 8, "datasets": ["d"],
                                 "from_day": 2}, "inference_flops_per_candidate": 1e9}])");
  j["campaigns"][0]["agent"]["closed_loop"]["surrogate"] = {{"model", "m"}, {"candidates", 8}, {"simulate", 4}};
  const core::RunResult idle = run(parse(j));
  j["hpc"][0]["background"] = json::parse(
      R"({"synthetic": {"load": 0.9, "job_nodes": {"fixed": 4}, "run_min": {"fixed": 600}}})");
  const core::RunResult busy = run(parse(j));
  auto first = [](const core::RunResult& rr) -> const core::TrainingSim& {
    REQUIRE(rr.sims[0].models.size() == 1);
    REQUIRE(!rr.sims[0].models[0].trainings.empty());
    return rr.sims[0].models[0].trainings[0];
  };
  const core::TrainingSim& a = first(idle);
  const core::TrainingSim& b = first(busy);
  REQUIRE(a.ok);
  // Its data are in the site's cache since the campaign's first screening; straight onto the idle machine.
  CHECK(a.requested_s == doctest::Approx(2 * 86400.0));
  CHECK(a.staged_s == doctest::Approx(a.requested_s));
  CHECK(a.start_s == doctest::Approx(a.submit_s));
  // 320 GPU-hours on 8 nodes of 4 GPUs: 10 h.
  CHECK(a.end_s - a.start_s == doctest::Approx(10 * 3600.0).epsilon(1e-9));
  CHECK(a.gpu_hours == doctest::Approx(320));
  CHECK(b.start_s - b.submit_s > 3600);  // behind 10-hour background jobs on every node
  // Agents use the model only once a version exists.
  CHECK(idle.sims[0].campaigns[0].data.inference_jobs > 0);
  CHECK(idle.sims[0].models[0].inference_jobs == idle.sims[0].campaigns[0].data.inference_jobs);
}

TEST_CASE("a model's error shrinks with retraining as (training data)^-alpha") {
  json j = base();
  j["horizon_days"] = 20;
  j["data_stores"][0]["datasets"][0]["growth_tb_per_year"] = 365;  // 1 TB more a day
  j["models"] = json::parse(R"([{"name": "m", "train": {"system": "h", "gpu_hours": 32, "nodes": 8, "datasets": ["d"]},
                                 "retrain_every_days": 3, "inference_flops_per_candidate": 1e9,
                                 "quality": {"error_sd": 0.8, "alpha": 0.5}}])");
  j["campaigns"][0]["agent"]["closed_loop"]["surrogate"] = {{"model", "m"}, {"candidates", 8}};
  const Scenario sc = parse(j);
  const core::RunResult rr = run(sc);
  const auto& tr = rr.sims[0].models[0].trainings;
  REQUIRE(tr.size() >= 4);
  const double d1 = tr[0].data_bytes;
  for (std::size_t v = 0; v < tr.size(); ++v) {
    if (!tr[v].ok) continue;
    // The data it trained on: the stated size and growth at the time it was staged.
    CHECK(tr[v].data_bytes == doctest::Approx(1 * TB + 1 * TB * tr[v].staged_s / 86400.0 * 365 / 365.25).epsilon(1e-9));
    CHECK(tr[v].error_sd == doctest::Approx(0.8 * std::pow(tr[v].data_bytes / d1, -0.5)).epsilon(1e-12));
    if (v > 0) CHECK(tr[v].error_sd < tr[v - 1].error_sd);
    // Retrained three days after the last training ended.
    if (v > 0) CHECK(tr[v].requested_s == doctest::Approx(tr[v - 1].end_s + 3 * 86400.0));
  }
  CHECK(tr[0].error_sd == doctest::Approx(0.8));
  // The report lists every version of replication 0 with its error.
  const json m = json::parse(reports::models_json(rr).dump());
  CHECK(m["models"][0]["by_mode"]["closed_loop"]["versions"].size() == tr.size());
  // What retraining bought: against the paired run that trained the model once (32 GPU-hours).
  REQUIRE(rr.no_retraining.simulations == 1);
  CHECK(rr.no_retraining.model_gpu_hours.at(0) == doctest::Approx(32));
  double gpu = 0;
  for (const auto& t : tr) gpu += t.gpu_hours;
  CHECK(m["retraining_bought"]["extra_gpu_hours"]["mean"].get<double>() == doctest::Approx(gpu - 32).epsilon(1e-5));
  CHECK(m["retraining_bought"]["gained_per_year"]["mean"].get<double>() ==
        doctest::Approx((rr.sims[0].campaigns[0].discoveries - rr.no_retraining.discoveries[0][0]) / (20 / 365.25)).epsilon(1e-5));
}

TEST_CASE("lineage: one record per experiment, each naming jobs and samples that exist") {
  json j = base();
  j["horizon_days"] = 6;
  j["campaigns"][0]["sim_output_gb"] = 1;
  j["models"] = json::parse(R"([{"name": "m", "train": {"system": "h", "gpu_hours": 32, "nodes": 8, "datasets": ["d"]},
                                 "inference_flops_per_candidate": 1e9}])");
  j["campaigns"][0]["agent"]["closed_loop"]["surrogate"] = {{"model", "m"}, {"candidates", 8}, {"simulate", 4}};
  const core::RunResult rr = run(parse(j), true);
  const core::SimResult& r = rr.sims[0];
  std::set<std::pair<std::string, std::int64_t>> jobs, samples;
  for (const auto& x : r.log.jobs) jobs.insert({x.system, x.id});
  for (const auto& x : r.log.samples) samples.insert({x.lab, x.id});
  const core::CampaignSim& c = r.campaigns[0];
  REQUIRE(c.experiments > 10);
  REQUIRE(r.log.lineage.size() == static_cast<std::size_t>(c.experiments));
  std::set<std::int64_t> seen;
  std::int64_t discoveries = 0, ranked = 0;
  for (const auto& l : r.log.lineage) {
    CHECK(seen.insert(l.experiment).second);
    CHECK(samples.count({l.lab, l.sample}) == 1);
    for (auto id : l.screening_jobs) CHECK(jobs.count({l.screening_system, id}) == 1);
    if (l.inference_job >= 0) {
      CHECK(jobs.count({l.inference_system, l.inference_job}) == 1);
      CHECK(l.model == "m");
      CHECK(l.model_version >= 1);
      ++ranked;
    }
    for (const auto& t : l.transfers) {
      CHECK(t.id >= 0);
      CHECK(t.id < r.transfers.created);
    }
    CHECK(!l.units.empty());
    CHECK(!l.timeline.empty());
    discoveries += l.discovery ? 1 : 0;
  }
  CHECK(*seen.begin() == 0);
  CHECK(*seen.rbegin() == c.experiments - 1);
  CHECK(discoveries == c.discoveries);
  CHECK(ranked > 0);
  // The experiments' records carry the candidate, as the lineage does.
  REQUIRE(r.log.experiments.size() == r.log.lineage.size());
  std::map<std::int64_t, std::string> cand;
  for (const auto& e : r.log.experiments) cand[e.index] = e.candidate;
  for (const auto& l : r.log.lineage) CHECK(cand.at(l.experiment) == l.candidate);
  // lineage.jsonl: a line per record.
  const std::string text = reports::build_lineage(rr);
  CHECK(static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n')) == c.experiments);
}
