#include <doctest/doctest.h>

#include "twin/Facts.hpp"
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
const char* const MINIMAL = R"({
  // comments are allowed
  "schema_version": 1, "name": "m", "horizon_days": 10,
  "sites": [{"name": "A", "utc_offset_h": -6}],
  "hpc": [{"name": "h", "site": "A", "nodes": 4, "node_speed_gflops": 2}],
  "labs": [{"name": "l", "site": "A", "stations": [{"kind": "s", "duration_min": {"lognormal": {"median": 90, "sigma": 0.3}}}]}],
  "campaigns": [{"name": "c", "kernel": {"branin": {}}, "target": {"value_at_most": 0.5}, "hpc": "h", "lab": "l"}]
})";
}  // namespace

TEST_CASE("a minimal scenario parses with units converted to SI and defaults filled") {
  const Scenario sc = parse_scenario(MINIMAL, "t.json");
  CHECK(sc.horizon_s == doctest::Approx(10 * 86400.0));
  CHECK(sc.hpc[0].node_speed_flops == doctest::Approx(2e9));
  CHECK(sc.labs[0].stations[0].duration_s.a() == doctest::Approx(5400));
  CHECK(sc.replications == 5);
  CHECK(sc.modes == std::vector<std::string>{"closed_loop", "baseline"});
  CHECK(sc.campaigns[0].home_site == "A");
  CHECK(sc.campaigns[0].baseline.cadence_s == doctest::Approx(7 * 86400.0));
  CHECK(sc.campaigns[0].closed_loop.cadence_s == 0);
}

TEST_CASE("every error is reported with its JSON pointer, not just the first") {
  std::string text = MINIMAL;
  text.replace(text.find("\"nodes\": 4"), 10, "\"nodes\": -4");
  text.replace(text.find("\"lab\": \"l\""), 10, "\"lab\": \"k\"");
  text.replace(text.find("\"horizon_days\""), 14, "\"horizon_dayz\"");
  const auto errs = errors_of(text);
  REQUIRE(errs.size() == 3);
  CHECK(errs[0] == "t.json:/horizon_dayz: unknown key 'horizon_dayz' (did you mean 'horizon_days'?)");
  CHECK(errs[1] == "t.json:/hpc/0/nodes: expected an integer >= 1 and <= 10000000, got -4");
  CHECK(errs[2] == "t.json:/campaigns/0/lab: unknown lab 'k' (did you mean 'l'?)");
}

TEST_CASE("a disconnected network is an error") {
  std::string text = MINIMAL;
  const std::string one_site = "[{\"name\": \"A\", \"utc_offset_h\": -6}]";
  text.replace(text.find(one_site), one_site.size(), "[{\"name\": \"A\"}, {\"name\": \"B\"}]");
  const auto errs = errors_of(text);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] == "t.json:/: missing key 'network': 2 sites need links between them");
}

TEST_CASE("the embedded default scenario and schema are present and valid") {
  const Scenario sc = default_scenario();
  CHECK(sc.name == "genesis-national");
  CHECK(sc.sites.size() == 17);
  CHECK(sc.hpc.size() == 5);
  CHECK(scenario_schema_text().find("\"$schema\"") != std::string::npos);
}

TEST_CASE("a campaign's lab as a preference list: read in order, and every lab in it counts as the campaign's") {
  std::string text = MINIMAL;
  text.replace(text.find("\"labs\": [{\"name\": \"l\""), 21, "\"labs\": [{\"name\": \"b\", \"site\": \"A\", \"stations\": [{\"kind\": \"s\", \"duration_min\": 5}]}, {\"name\": \"l\"");
  text.replace(text.find("\"lab\": \"l\""), 10, "\"lab\": [\"l\", \"b\"]");
  const Scenario sc = parse_scenario(text, "t.json");
  CHECK(sc.campaigns[0].lab == "l");
  CHECK(sc.campaigns[0].lab_list == std::vector<std::string>{"l", "b"});
  CHECK(sc.campaigns[0].hpc_list == std::vector<std::string>{"h"});
  const core::ScenarioFacts f = scenario_facts(sc);
  CHECK(f.campaigns[0].lab == "l, b");
  CHECK(f.campaigns[0].hpc == "h");
}

TEST_CASE("a preference list names each facility once, each known") {
  std::string text = MINIMAL;
  text.replace(text.find("\"lab\": \"l\""), 10, "\"lab\": [\"l\", \"l\", \"q\"]");
  const auto errors = errors_of(text);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "t.json:/campaigns/0/lab/1: 'l' is listed twice");
  CHECK(errors[1].find("t.json:/campaigns/0/lab/2: unknown lab 'q'") == 0);
}

TEST_CASE("prices: a campaign's node-hour and lab-hour prices, and the technicians of the labs campaigns use only") {
  std::string text = MINIMAL;
  text.replace(text.find("\"node_speed_gflops\": 2}"), 23, "\"node_speed_gflops\": 2, \"price_per_node_hour_usd\": 12}");
  text.replace(text.find("\"labs\": [{\"name\": \"l\", \"site\": \"A\","), 35,
               "\"labs\": [{\"name\": \"u\", \"site\": \"A\", \"technicians\": 5, \"technician_year_usd\": 1000, "
               "\"stations\": [{\"kind\": \"s\", \"duration_min\": 5}]}, "
               "{\"name\": \"l\", \"site\": \"A\", \"technicians\": 3, \"technician_year_usd\": 90000, "
               "\"price_per_lab_hour_usd\": 40, \"capital_per_robot_usd\": 150000,");
  const Scenario sc = parse_scenario(text, "t.json");
  REQUIRE(sc.labs.size() == 2);
  CHECK(sc.lab("l")->capital_per_robot_usd == 150000);
  CHECK(sc.lab("u")->price_per_lab_hour_usd < 0);  // absent: no price
  const core::ScenarioFacts f = scenario_facts(sc);
  CHECK(f.campaigns[0].node_hour_usd == 12);
  CHECK(f.campaigns[0].lab_hour_usd == 40);
  CHECK(f.people_usd_per_year == 3 * 90000.0);  // lab u has no campaign: its technicians are not the campaigns' cost

  const core::ScenarioFacts none = scenario_facts(parse_scenario(MINIMAL, "t.json"));
  CHECK(none.people_usd_per_year < 0);
  CHECK(none.campaigns[0].node_hour_usd < 0);

  std::string bad = MINIMAL;
  bad.replace(bad.find("\"node_speed_gflops\": 2}"), 23, "\"node_speed_gflops\": 2, \"price_per_node_hour_usd\": -1}");
  const auto errors = errors_of(bad);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("t.json:/hpc/0/price_per_node_hour_usd") == 0);
}
