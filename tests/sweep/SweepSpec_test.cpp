// Sweep files, designs and patching: what a planner writes and what each
// variant becomes.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "twin/Scenario.hpp"
#include "twin/core/Errors.hpp"
#include "twin/sweep/Design.hpp"
#include "twin/sweep/SweepSpec.hpp"

using twin::sweep::DesignKind;
using twin::sweep::make_design;
using twin::sweep::parse_sweep;

namespace {

const std::string BASE = std::string(TWIN_SOURCE_DIR) + "/scenarios/single-lab.json";

std::string sweep_text(const std::string& design, const std::string& params) {
  return R"({"sweep_version": 1, "name": "t", "base": ")" + BASE + R"(", "design": )" + design +
         R"(, "parameters": )" + params + "}";
}

std::string first_error(const std::string& text) {
  try {
    parse_sweep(text, "s.json");
  } catch (const twin::core::ScenarioError& e) {
    return e.diagnostics().front().str();
  }
  return "";
}

}  // namespace

TEST_CASE("a grid takes every combination, the first parameter varying slowest") {
  const auto spec = parse_sweep(sweep_text(R"({"kind": "grid"})",
                                           R"([{"name": "a", "pointer": "/labs/0/robots", "values": [1, 2, 3]},
                                               {"name": "b", "pointer": "/hpc/0/nodes", "range": {"from": 8, "to": 16, "step": 8}}])"),
                                "s.json");
  const auto vs = make_design(spec);
  REQUIRE(vs.size() == 6);
  CHECK(vs[0].values[0] == 1);
  CHECK(vs[0].values[1] == 8.0);
  CHECK(vs[1].values[1] == 16.0);
  CHECK(vs[5].values[0] == 3);
  CHECK(vs[5].index == 5);
}

TEST_CASE("a range by count, integer and log") {
  const auto spec = parse_sweep(
      sweep_text(R"({"kind": "grid"})",
                 R"([{"pointer": "/hpc/0/nodes", "range": {"from": 1, "to": 100, "count": 3, "log": true, "integer": true}}])"),
      "s.json");
  const auto v = twin::sweep::grid_values(spec.parameters[0]);
  REQUIRE(v.size() == 3);
  CHECK(v[0] == 1);
  CHECK(v[1] == 10);
  CHECK(v[2] == 100);
  CHECK(spec.parameters[0].name == "/hpc/0/nodes");  // the pointer names an unnamed parameter
}

TEST_CASE("a Latin hypercube puts one sample in each stratum of every parameter, the same for the same seed") {
  const std::string text = sweep_text(R"({"kind": "lhs", "samples": 10, "seed": 7})",
                                      R"([{"name": "x", "pointer": "/hpc/0/nodes", "range": {"from": 0, "to": 10}},
                                          {"name": "y", "pointer": "/labs/0/robots", "range": {"from": 0, "to": 1}}])");
  const auto spec = parse_sweep(text, "s.json");
  CHECK(spec.design == DesignKind::LHS);
  const auto a = make_design(spec);
  const auto b = make_design(parse_sweep(text, "s.json"));
  REQUIRE(a.size() == 10);
  std::set<int> strata_x, strata_y;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].values == b[i].values);
    strata_x.insert(static_cast<int>(a[i].values[0].get<double>()));
    strata_y.insert(static_cast<int>(a[i].values[1].get<double>() * 10));
  }
  CHECK(strata_x.size() == 10);
  CHECK(strata_y.size() == 10);
  // Another seed, another sample.
  auto other = spec;
  other.design_seed = 8;
  CHECK(make_design(other)[0].values != a[0].values);
}

TEST_CASE("adding a parameter leaves another's sampled values unchanged") {
  const auto one = make_design(parse_sweep(sweep_text(R"({"kind": "random", "samples": 5, "seed": 3})",
                                                      R"([{"name": "x", "pointer": "/hpc/0/nodes", "range": {"from": 0, "to": 1}}])"),
                                           "s.json"));
  const auto two = make_design(parse_sweep(sweep_text(R"({"kind": "random", "samples": 5, "seed": 3})",
                                                      R"([{"name": "z", "pointer": "/labs/0/robots", "values": [1, 2]},
                                                          {"name": "x", "pointer": "/hpc/0/nodes", "range": {"from": 0, "to": 1}}])"),
                                           "s.json"));
  for (int i = 0; i < 5; ++i) CHECK(one[static_cast<std::size_t>(i)].values[0] == two[static_cast<std::size_t>(i)].values[1]);
}

TEST_CASE("sweep file errors name the file and the sweep's own pointer") {
  CHECK(first_error(sweep_text(R"({"kind": "grid"})", R"([{"name": "a", "pointer": "labs/0/robots", "values": [1]}])")) ==
        "s.json:/parameters/0/pointer: expected a JSON pointer such as \"/hpc/0/nodes\", got \"labs/0/robots\"");
  CHECK(first_error(sweep_text(R"({"kind": "grid"})", R"([{"name": "a", "pointer": "/x", "range": {"from": 1, "to": 2}}])")) ==
        "s.json:/parameters/0/range: a grid range needs \"step\" or \"count\"");
  CHECK(first_error(sweep_text(R"({"kind": "lhs"})", R"([{"pointer": "/x", "values": [1]}])")).find("/design") !=
        std::string::npos);
}

TEST_CASE("a pointer that leads nowhere in the base scenario is an error of the sweep file") {
  const auto spec = parse_sweep(sweep_text(R"({"kind": "grid"})", R"([{"name": "a", "pointer": "/labs/7/robots", "values": [1]}])"),
                                "s.json");
  const auto base = twin::sweep::parse_base(spec);
  try {
    twin::sweep::check_pointers(spec, base);
    FAIL("expected an error");
  } catch (const twin::core::ScenarioError& e) {
    CHECK(e.diagnostics().front().pointer == "/parameters/0/pointer");
    CHECK(e.diagnostics().front().message.find("/labs/7/robots") != std::string::npos);
  }
}

TEST_CASE("a variant's scenario is the base with `set` and its values patched in, and parses") {
  const auto spec = parse_sweep(R"({"sweep_version": 1, "name": "t", "base": ")" + BASE +
                                    R"(", "set": {"/horizon_days": 9},
                                    "parameters": [{"name": "robots", "pointer": "/labs/0/robots", "values": [3]},
                                                   {"name": "policy", "pointer": "/campaigns/0/agent/baseline/policy", "values": ["grid"]}]})",
                                "s.json");
  const auto base = twin::sweep::parse_base(spec);
  twin::sweep::check_pointers(spec, base);
  const auto vs = make_design(spec);
  const twin::Scenario sc = twin::parse_scenario(twin::sweep::variant_text(spec, base, vs[0]), spec.base_file);
  CHECK(sc.horizon_s == doctest::Approx(9 * 86400.0));
  CHECK(sc.labs[0].robots == 3);
  CHECK(sc.campaigns[0].baseline.policy == "grid");
  CHECK(twin::sweep::variant_label(spec, vs[0]) == "robots=3, policy=grid");
}

TEST_CASE("a base scenario that is not JSON is named with where its parser stopped") {
  auto spec = parse_sweep(sweep_text(R"({"kind": "grid"})", R"([{"name": "a", "pointer": "/labs/0/robots", "values": [1]}])"),
                          "s.json");
  spec.base_file = "broken.json";
  spec.base_text = "{\"name\": \"x\",\n  oops}";
  try {
    twin::sweep::parse_base(spec);
    FAIL("parse_base accepted text that is not JSON");
  } catch (const twin::core::ScenarioError& e) {
    const std::string m = e.diagnostics().front().str();
    CHECK(m.find("broken.json") != std::string::npos);
    CHECK(m.find("not valid JSON: parse error at line 2") != std::string::npos);
  }
}

// Found by sweep_fuzz and review of its findings (tests/fuzz/sweep_fuzz-*): an
// index of 20 digits escaped std::stoull as std::out_of_range, an index with a
// leading zero passed the check and then threw from the patching, and a grid's
// variants were not bounded (three ranges of 100000 values each).
TEST_CASE("array indices the patching cannot use, and a grid too large to hold, are errors of the sweep file") {
  for (const std::string pointer : {"/labs/99999999999999999999/robots", "/labs/00", "/labs/99999999999999999999"}) {
    const auto spec = parse_sweep(sweep_text(R"({"kind": "grid"})", R"([{"name": "a", "pointer": ")" + pointer +
                                                                         R"(", "values": [1]}])"),
                                  "s.json");
    const auto base = twin::sweep::parse_base(spec);
    try {
      twin::sweep::check_pointers(spec, base);
      FAIL("expected an error for " << pointer);
    } catch (const twin::core::ScenarioError& e) {
      CHECK(e.diagnostics().front().pointer == "/parameters/0/pointer");
      CHECK(e.diagnostics().front().message.find("pointer '" + pointer + "' ") == 0);
    }
  }
  const std::string range = R"({"from": 0, "to": 1, "count": 100000})";
  CHECK(first_error(sweep_text(R"({"kind": "grid"})", R"([{"pointer": "/a", "range": )" + range +
                                                          R"(}, {"pointer": "/b", "range": )" + range + "}]")) ==
        "s.json:/parameters: expected a grid of at most 1000000 variants (the product of the parameters' values); "
        "use fewer values, or a random or lhs design");
  // 100000 integer values of one range: each kept once, in time (the check for repeats is not quadratic).
  const auto spec = parse_sweep(sweep_text(R"({"kind": "grid"})",
                                           R"([{"pointer": "/labs/0/robots", "range": {"from": 1, "to": 50000, "count": 100000, "integer": true}}])"),
                                "s.json");
  CHECK(twin::sweep::grid_values(spec.parameters[0]).size() == 50000);
}
