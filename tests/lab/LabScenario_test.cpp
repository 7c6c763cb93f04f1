// The lab part of the scenario: keys parsed into SI, the workflow DAG checked
// at parse time (a cycle, an unknown station or step, a retry from a later
// step are errors with their JSON pointer), and every shipped scenario's labs
// parse.
#include <doctest/doctest.h>

#include "twin/Scenario.hpp"
#include "twin/core/Errors.hpp"

using namespace twin;

namespace {

std::vector<std::string> errors_of(const std::string& text) {
  try {
    (void)parse_scenario(text, "t.json");
  } catch (const core::ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  return {};
}

std::string with_lab(const std::string& lab) {
  return R"({"schema_version": 1, "name": "m", "horizon_days": 10,
  "sites": [{"name": "A"}],
  "hpc": [{"name": "h", "site": "A", "nodes": 4, "node_speed_gflops": 2}],
  "labs": [)" + lab + R"(],
  "campaigns": [{"name": "c", "kernel": {"branin": {}}, "target": {"value_at_most": 0.5}, "hpc": "h", "lab": "l"}]})";
}

const char* const STATIONS = R"("stations": [
    {"kind": "dispense", "duration_min": 10, "consumable_runs": 50, "restock_min": 20},
    {"kind": "furnace", "count": 2, "slots": 8, "batch": 8, "batch_timeout_min": 90, "duration_min": 240,
     "setup_min": 15, "discipline": "recipe", "mtbf_h": 500, "repair_h": {"fixed": 3},
     "maintenance": {"every_days": 7, "duration_h": 4, "first_day": 1}},
    {"kind": "xrd", "duration_min": 30, "discipline": "fifo"}])";

}  // namespace

TEST_CASE("lab keys parse into SI units with their defaults") {
  const std::string lab = std::string(R"({"name": "l", "site": "A", )") + STATIONS +
                          R"(, "robots": 2, "robot_jam_probability": 0.01, "jam_clear_min": 5, "technicians": 3,
      "handoff_min": 4, "max_retries": 2,
      "workflow": [{"name": "d", "station": "dispense", "robot_move": false},
                   {"name": "f", "station": "furnace", "after": ["d"]},
                   {"name": "x", "station": "xrd", "after": ["f"], "success_probability": 0.7, "retry_from": "d",
                    "manual": true, "duration_min": 45}]})";
  const Scenario sc = parse_scenario(with_lab(lab), "t.json");
  const LabSpec& l = sc.labs[0];
  CHECK(l.technicians == 3);
  CHECK(l.handoff_s.a() == doctest::Approx(240));
  CHECK(l.jam_clear_s.a() == doctest::Approx(300));
  CHECK(l.robot_jam_probability == doctest::Approx(0.01));
  CHECK(l.max_retries == 2);
  const lab::StationConfig& f = l.stations[1];
  CHECK(f.batch == 8);
  CHECK(f.batch_timeout_s == doctest::Approx(5400));
  CHECK(f.setup_s.a() == doctest::Approx(900));
  CHECK(f.discipline == lab::Discipline::RECIPE);
  CHECK(f.mtbf_s == doctest::Approx(500 * 3600.0));
  CHECK(f.repair_s.a() == doctest::Approx(3 * 3600.0));
  CHECK(f.maintenance.every_s == doctest::Approx(7 * 86400.0));
  CHECK(f.maintenance.duration_s == doctest::Approx(4 * 3600.0));
  CHECK(f.maintenance.first_s == doctest::Approx(86400.0));
  CHECK(l.stations[0].consumable_runs == 50);
  CHECK(l.stations[0].restock_s.a() == doctest::Approx(1200));
  REQUIRE(l.steps.size() == 3);
  CHECK_FALSE(l.steps[0].robot_move);
  CHECK(l.steps[2].retry_from == 0);  // step "d"
  CHECK(l.steps[2].manual);
  CHECK(l.steps[2].duration_s->a() == doctest::Approx(2700));
  // Defaults: no workflow key, default upkeep.
  const Scenario d = parse_scenario(with_lab(R"({"name": "l", "site": "A", "stations": [{"kind": "s", "duration_min": 5}]})"), "t.json");
  CHECK(d.labs[0].steps.empty());
  CHECK(d.labs[0].technicians == 2);
  CHECK(d.labs[0].handoff_s.a() == doctest::Approx(600));
  CHECK(d.labs[0].stations[0].mtbf_s == 0);
  CHECK(d.labs[0].stations[0].discipline == lab::Discipline::PRIORITY);
  CHECK(d.labs[0].robot_move_s.a() == doctest::Approx(120));  // defaults are in SI too
  CHECK(d.labs[0].jam_clear_s.a() == doctest::Approx(600));
  CHECK(d.labs[0].stations[0].repair_s.a() == doctest::Approx(4 * 3600.0));
  CHECK(d.labs[0].stations[0].restock_s.a() == doctest::Approx(900));
  // A station kind's own power (kW), else the lab's (default 5 kW).
  CHECK(d.labs[0].power_w(0) == doctest::Approx(5000));
  const Scenario p = parse_scenario(
      with_lab(R"({"name": "l", "site": "A", "power_kw": 2, "stations": [{"kind": "s", "duration_min": 5, "power_kw": 0.5},
                                                                       {"kind": "t", "duration_min": 5}]})"),
      "t.json");
  CHECK(p.labs[0].power_w(0) == doctest::Approx(500));
  CHECK(p.labs[0].power_w(1) == doctest::Approx(2000));
}

TEST_CASE("a workflow with a cycle is rejected at parse time, naming a step on it") {
  const std::string lab = std::string(R"({"name": "l", "site": "A", )") + STATIONS + R"(,
      "workflow": [{"name": "d", "station": "dispense", "after": ["x"]},
                   {"name": "f", "station": "furnace", "after": ["d"]},
                   {"name": "x", "station": "xrd", "after": ["f"]}]})";
  const auto errs = errors_of(with_lab(lab));
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] == "t.json:/labs/0/workflow: the workflow has a cycle through step 'd'");
}

TEST_CASE("workflow references are checked: stations, steps, retry_from, batch size") {
  const std::string lab = R"({"name": "l", "site": "A",
      "stations": [{"kind": "s", "duration_min": 5, "slots": 2, "batch": 4}],
      "workflow": [{"name": "a", "station": "t"},
                   {"name": "b", "station": "s", "after": ["z"]},
                   {"name": "c", "station": "s", "after": ["a"]},
                   {"name": "e", "station": "s", "retry_from": "c"}]})";
  const auto errs = errors_of(with_lab(lab));
  REQUIRE(errs.size() == 3);
  CHECK(errs[0] == "t.json:/labs/0/stations/0/batch: a batch of 4 does not fit in 2 slots");
  CHECK(errs[1] == "t.json:/labs/0/workflow/0/station: no station of kind 't' in lab 'l'");
  CHECK(errs[2] == "t.json:/labs/0/workflow/1/after: no step named 'z' in this workflow");
  // e does not come after c: no retry from c (only checked once the names resolve).
  const std::string lab2 = R"({"name": "l", "site": "A", "stations": [{"kind": "s", "duration_min": 5}],
      "workflow": [{"name": "c", "station": "s", "after": ["e"]}, {"name": "e", "station": "s", "retry_from": "c"}]})";
  const auto errs2 = errors_of(with_lab(lab2));
  REQUIRE(errs2.size() == 1);
  CHECK(errs2[0] == "t.json:/labs/0/workflow/1/retry_from: step 'c' does not come before step 'e'");
}

TEST_CASE("the shipped scenarios' labs parse") {
  for (const char* f : {"a-lab", "single-lab", "genesis-national"}) {
    const Scenario sc = load_scenario(std::string(TWIN_SOURCE_DIR) + "/scenarios/" + f + ".json");
    CHECK(!sc.labs.empty());
  }
  const Scenario a = load_scenario(std::string(TWIN_SOURCE_DIR) + "/scenarios/a-lab.json");
  CHECK(a.labs[0].steps.size() == 3);
  CHECK(a.labs[0].max_retries == 4);
  CHECK(a.campaigns[0].budget_experiments == 58);
}
