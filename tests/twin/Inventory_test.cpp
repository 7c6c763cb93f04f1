#include <doctest/doctest.h>

#include <string>

#include "twin/Facts.hpp"
#include "twin/Scenario.hpp"
#include "twin/cli/Inventory.hpp"

using namespace twin;

namespace {
// Three sites; on day 90:
//   HPC: big (100 nodes x 4 GPUs, 2,000 GF and 3,000 W busy per node) and gpuless (10 nodes) are up;
//        retired (offline from day 60), down (outage days 80-100) and later (online from day 200) are not.
//   links: A-B 100 Gb/s upgraded to 400 Gb/s from day 50 (and to 800 from day 300: not yet); B-C 10 Gb/s;
//          A-C online from day 120: not yet.
//   labs: wet (2 synthesis + 3 manual XRD stations, 2 robots; 2 steps, 1 without people) and
//         dry (a 4-step workflow, one manual step: 3 of 4; 1 station) are up; new (online from day 100) is not.
//   campaigns: c1 (day 0) and c2 (day 30) are active, c3 (day 100) is not.
const char* const SCENARIO = R"({
  "schema_version": 1, "name": "inv", "horizon_days": 400, "start_date": "2026-01-05",
  "sites": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
  "network": {"links": [
    {"from": "A", "to": "B", "bandwidth_gbps": 100, "latency_ms": 5,
     "upgrades": [{"from_day": 50, "bandwidth_gbps": 400}, {"from_day": 300, "bandwidth_gbps": 800}]},
    {"from": "B", "to": "C", "bandwidth_gbps": 10, "latency_ms": 20},
    {"from": "A", "to": "C", "bandwidth_gbps": 40, "latency_ms": 30, "online_from_day": 120}]},
  "hpc": [
    {"name": "big", "site": "A", "nodes": 100, "gpus_per_node": 4, "node_speed_gflops": 2000,
     "node_idle_power_w": 500, "node_busy_power_w": 3000},
    {"name": "gpuless", "site": "B", "nodes": 10, "node_speed_gflops": 100},
    {"name": "retired", "site": "B", "nodes": 7, "node_speed_gflops": 100, "offline_from_day": 60},
    {"name": "down", "site": "C", "nodes": 9, "node_speed_gflops": 100,
     "outages": [{"from_day": 80, "to_day": 100, "reason": "upgrade"}]},
    {"name": "later", "site": "C", "nodes": 11, "node_speed_gflops": 100, "online_from_day": 200}],
  "labs": [
    {"name": "wet", "site": "A", "robots": 2, "stations": [
      {"kind": "synthesis", "count": 2, "duration_min": {"fixed": 60}},
      {"kind": "xrd", "count": 3, "manual": true, "duration_min": {"fixed": 30}}]},
    {"name": "dry", "site": "B", "robots": 1,
     "stations": [{"kind": "s", "count": 1, "duration_min": {"fixed": 10}}],
     "workflow": [{"name": "a", "station": "s"}, {"name": "b", "station": "s", "after": ["a"]},
                  {"name": "c", "station": "s", "after": ["b"], "manual": true},
                  {"name": "d", "station": "s", "after": ["c"]}]},
    {"name": "new", "site": "C", "online_from_day": 100,
     "stations": [{"kind": "s", "count": 5, "duration_min": {"fixed": 10}}]}],
  "data_stores": [{"name": "archive", "site": "B", "classification": "cui"}],
  "clouds": [{"name": "rent", "site": "C", "instance": {"gpus": 8, "node_speed_gflops": 5000}, "price_per_gpu_hour": 2.5,
              "quota_instances": 6, "clearance": "cui"}],
  "campaigns": [
    {"name": "c1", "kernel": {"branin": {}}, "target": {"value_at_most": 0.5}, "hpc": ["retired", "big"], "lab": "wet"},
    {"name": "c2", "kernel": {"branin": {}}, "target": {"value_at_most": 0.5}, "hpc": "gpuless", "lab": "dry",
     "start_day": 30},
    {"name": "c3", "kernel": {"branin": {}}, "target": {"value_at_most": 0.5}, "hpc": "later", "lab": "new",
     "start_day": 100}]
})";

const nlohmann::ordered_json* find(const nlohmann::ordered_json& arr, const std::string& name) {
  for (const auto& x : arr)
    if (x["name"] == name) return &x;
  return nullptr;
}
}  // namespace

TEST_CASE("inventory of a hand-made scenario on day 90: the hand-counted totals") {
  const Scenario sc = parse_scenario(SCENARIO, "inv.json");
  const nlohmann::ordered_json j = cli::inventory_json(cli::inventory_of(sc, 90));
  CHECK(j["day"] == 90);
  CHECK(j["date"] == "2026-04-05");  // 2026-01-05 + 90 days
  const auto& t = j["totals"];
  CHECK(t["hpc_systems"] == 2);  // big, gpuless
  CHECK(t["nodes"] == 110);      // 100 + 10
  CHECK(t["gpus"] == 400);       // 100 x 4 + 10 x 0
  // 100 x 2 TF + 10 x 0.1 TF = 201 TF.
  CHECK(t["speed_pflops"].get<double>() == doctest::Approx(0.201));
  // 100 x 3,000 W + 10 nodes with no power stated (0 W).
  CHECK(t["busy_power_mw"].get<double>() == doctest::Approx(0.3));
  CHECK(t["idle_power_mw"].get<double>() == doctest::Approx(0.05));
  CHECK(t["stores"] == 1);
  CHECK(t["links"] == 2);  // A-B, B-C
  CHECK(t["link_capacity_gbps"].get<double>() == doctest::Approx(410));  // 400 (upgraded) + 10
  CHECK(t["labs"] == 2);         // wet, dry
  CHECK(t["stations"] == 6);     // 2 + 3 + 1
  CHECK(t["robots"] == 3);       // 2 + 1
  CHECK(t["campaigns"] == 2);    // c1, c2
  const auto* wet = find(j["labs"], "wet");
  const auto* dry = find(j["labs"], "dry");
  REQUIRE(wet != nullptr);
  REQUIRE(dry != nullptr);
  CHECK((*wet)["steps"] == 2);
  CHECK((*wet)["ai_directed_readiness"].get<double>() == doctest::Approx(0.5));  // XRD is manual
  CHECK((*dry)["steps"] == 4);
  CHECK((*dry)["ai_directed_readiness"].get<double>() == doctest::Approx(0.75));  // step c is manual
  // c1 prefers "retired", which is gone: it is on "big" that day.
  const auto* c1 = find(j["campaigns"], "c1");
  REQUIRE(c1 != nullptr);
  CHECK((*c1)["hpc"] == "big");
  CHECK((*c1)["classification"] == "public");
  // The cloud: what its quota allows at once, 6 x 8 GPUs, 6 x 5 TF.
  CHECK(t["clouds"] == 1);
  const auto* rent = find(j["clouds"], "rent");
  REQUIRE(rent != nullptr);
  CHECK((*rent)["gpus"] == 48);
  CHECK((*rent)["speed_pflops"].get<double>() == doctest::Approx(0.03));
  CHECK((*rent)["clearance"] == "cui");
  CHECK(cli::inventory_csv(cli::inventory_of(sc, 90)).find("\ncloud,rent,C,6,48,0.03,,cui,") != std::string::npos);
}

TEST_CASE("inventory: a facility offline on the day is absent, with the reason") {
  const Scenario sc = parse_scenario(SCENARIO, "inv.json");
  const cli::Inventory inv = cli::inventory_of(sc, 90);
  const nlohmann::ordered_json j = cli::inventory_json(inv);
  for (const char* gone : {"retired", "down", "later"}) CHECK(find(j["hpc"], gone) == nullptr);
  CHECK(find(j["labs"], "new") == nullptr);
  CHECK(find(j["links"], "A-C") == nullptr);
  CHECK(find(j["campaigns"], "c3") == nullptr);
  std::map<std::string, std::string> why;
  for (const auto& a : inv.absent) why[a.kind + ":" + a.name] = a.reason;
  CHECK(why.size() == 6);
  CHECK(why["hpc:retired"] == "retired from day 60");
  CHECK(why["hpc:down"] == "outage (upgrade), day 80 to day 100");
  CHECK(why["hpc:later"] == "online from day 200");
  CHECK(why["lab:new"] == "online from day 100");
  CHECK(why["link:A-C"] == "online from day 120");
  CHECK(why["campaign:c3"] == "starts on day 100");
  // The day after the outage window, "down" is back; on day 59 "retired" still runs.
  CHECK(find(cli::inventory_json(cli::inventory_of(sc, 100))["hpc"], "down") != nullptr);
  CHECK(find(cli::inventory_json(cli::inventory_of(sc, 59))["hpc"], "retired") != nullptr);
}

TEST_CASE("inventory: the link capacity in force on the day, upgrades counted") {
  const Scenario sc = parse_scenario(SCENARIO, "inv.json");
  auto ab = [&](int day) { return *find(cli::inventory_json(cli::inventory_of(sc, day))["links"], "A-B"); };
  CHECK(ab(49)["bandwidth_gbps"].get<double>() == doctest::Approx(100));
  CHECK(ab(49)["upgrades_in_force"] == 0);
  CHECK(ab(49)["upgraded_from_day"].is_null());
  CHECK(ab(90)["bandwidth_gbps"].get<double>() == doctest::Approx(400));
  CHECK(ab(90)["upgrades_in_force"] == 1);
  CHECK(ab(90)["upgraded_from_day"].get<double>() == doctest::Approx(50));
  CHECK(ab(300)["bandwidth_gbps"].get<double>() == doctest::Approx(800));
  CHECK(ab(300)["upgrades_in_force"] == 2);
  // The terminal table and the CSV show it too.
  const cli::Inventory inv = cli::inventory_of(sc, 90);
  CHECK(cli::inventory_text(inv).find("1 (latest from day 50)") != std::string::npos);
  CHECK(cli::inventory_csv(inv).find("\nlink,A-B,,,,,,public,A,B,400,5,1,") != std::string::npos);
}

TEST_CASE("the capacity steps, evaluated on schedule days only, are those of evaluating every day") {
  // The hand-made scenario, with windows that open and close mid-day: a site
  // outage, a station kind's outage and a link outage over fractional days.
  std::string text = SCENARIO;
  const auto put = [&text](const std::string& after, const std::string& insert) {
    const auto at = text.find(after);
    REQUIRE(at != std::string::npos);
    text.insert(at + after.size(), insert);
  };
  put(R"({"name": "C"})", R"(, {"name": "D", "outages": [{"from_day": 150.25, "to_day": 170.75}]})");
  put(R"("bandwidth_gbps": 10, "latency_ms": 20)", R"(, "outages": [{"from_day": 33.5, "to_day": 41.2}]},
    {"from": "C", "to": "D", "bandwidth_gbps": 25, "latency_ms": 3, "upgrades": [{"from_day": 222.6, "bandwidth_gbps": 50}])");
  put(R"({"kind": "synthesis", "count": 2, )", R"("outages": [{"from_day": 10.9, "to_day": 11.1}], )");
  put(R"({"name": "gpuless", "site": "B")", R"(, "outages": [{"from_day": 250.5, "to_day": 251}])");
  const std::string down_at_c = R"("name": "down", "site": "C")";
  REQUIRE(text.find(down_at_c) != std::string::npos);
  text.replace(text.find(down_at_c), down_at_c.size(), R"("name": "down", "site": "D")");
  const Scenario sc = parse_scenario(text, "inv.json");
  // The oracle: every day of the horizon, kept where the totals change.
  std::vector<std::pair<int, nlohmann::ordered_json>> daily;
  for (int d = 0; d < 400; ++d) {
    nlohmann::ordered_json t = cli::inventory_json(cli::inventory_of(sc, d))["totals"];
    nlohmann::ordered_json k;
    for (const char* key : {"hpc_systems", "nodes", "gpus", "speed_pflops", "links", "link_capacity_gbps", "labs",
                            "stations", "robots"})
      k[key] = t[key];
    if (daily.empty() || daily.back().second != k) daily.emplace_back(d, k);
  }
  const core::ScenarioFacts f = scenario_facts(sc);
  REQUIRE(daily.size() >= 12);  // the schedule changes often enough to matter
  REQUIRE(f.capacity.size() == daily.size());
  for (std::size_t i = 0; i < daily.size(); ++i) {
    const auto& [day, totals] = daily[i];
    const core::CapacityStep& c = f.capacity[i];
    CAPTURE(day);
    CHECK(c.from_day == day);
    CHECK(c.hpc_systems == totals["hpc_systems"].get<double>());
    CHECK(c.nodes == totals["nodes"].get<double>());
    CHECK(c.gpus == totals["gpus"].get<double>());
    CHECK(c.links == totals["links"].get<double>());
    CHECK(c.link_bps * 8 / 1e9 == doctest::Approx(totals["link_capacity_gbps"].get<double>()).epsilon(1e-5));
    CHECK(c.labs == totals["labs"].get<double>());
    CHECK(c.stations == totals["stations"].get<double>());
    CHECK(c.robots == totals["robots"].get<double>());
  }
}
