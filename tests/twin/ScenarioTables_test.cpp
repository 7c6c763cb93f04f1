// The parameter tables: one row per key drives the parser, `twin models` and
// `twin schema` alike; the shipped schema is the generated one; the facility
// reads the shapes later keys need (a name or a preference list, arrays of
// objects).
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "twin/ModelsCatalog.hpp"
#include "twin/ParamTable.hpp"
#include "twin/Scenario.hpp"
#include "twin/ScenarioSchema.hpp"
#include "twin/ScenarioTables.hpp"
#include "twin/core/Errors.hpp"

using namespace twin;
using nlohmann::ordered_json;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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

std::string with_station(const std::string& extra) {
  return R"({"schema_version": 1, "name": "m", "horizon_days": 10,
  "sites": [{"name": "A"}],
  "hpc": [{"name": "h", "site": "A", "nodes": 4, "node_speed_gflops": 2}],
  "labs": [{"name": "l", "site": "A", "stations": [{"kind": "s", "duration_min": 5, "slots": 2, "batch": 2)" +
         extra + R"(}]}],
  "campaigns": [{"name": "c", "kernel": {"branin": {}}, "target": {"value_at_most": 0.5}, "hpc": "h", "lab": "l"}]})";
}

/// The object schema a table's rows are documented in, walking each key's
/// schema the way the generator nests them.
const ordered_json& object_of(const ordered_json& prop, const ParamDoc& p) {
  if (p.type == ParamType::OBJECT_ARRAY) return prop.at("items");
  if (p.type == ParamType::CUSTOM) return prop.at("anyOf").at(1);  // '24/7' or an object (staffed hours)
  return prop;
}

/// Every row of `t` is a property of `schema` with its doc, default, range
/// and allowed values; every property is a row. Returns the keys checked;
/// `walked` gets the name of every table met (a table used in several places,
/// such as an outage window, is checked at each).
int check_table(const TableDoc& t, const ordered_json& schema, std::set<std::string>& walked) {
  walked.insert(t.name);
  int checked = 0;
  const auto& props = schema.at("properties");
  CHECK_MESSAGE(props.size() == t.params.size(), t.name);
  for (const auto& p : t.params) {
    INFO(t.name << "." << p.key);
    REQUIRE(props.contains(p.key));
    const ordered_json& s = props.at(p.key);
    CHECK(s.at("description").get<std::string>().rfind(p.doc, 0) == 0);
    if (!p.default_value.is_null()) CHECK(s.at("default") == p.default_value);
    else CHECK_FALSE(s.contains("default"));
    if (p.min) CHECK(s.at(p.min_exclusive ? "exclusiveMinimum" : "minimum").get<double>() == *p.min);
    if (p.max && std::isfinite(*p.max)) CHECK(s.at("maximum").get<double>() == *p.max);
    if (!p.choices.empty()) CHECK(s.at("enum").get<std::vector<std::string>>() == p.choices);
    const bool required = schema.contains("required") &&
                          std::find(schema["required"].begin(), schema["required"].end(), p.key) != schema["required"].end();
    CHECK(required == p.required);
    ++checked;
    if (p.table) checked += check_table(*p.table, object_of(s, p), walked);
  }
  return checked;
}

}  // namespace

TEST_CASE("the shipped scenario schema is the one generated from the tables") {
  const std::string shipped = read_file(std::string(TWIN_SOURCE_DIR) + "/scenarios/scenario.schema.json");
  CHECK(shipped == generate_scenario_schema());
  CHECK(scenario_schema_text() == shipped);
}

TEST_CASE("every key the tables know is in the schema with its doc, default, range and allowed values") {
  const ordered_json schema =
      ordered_json::parse(read_file(std::string(TWIN_SOURCE_DIR) + "/scenarios/scenario.schema.json"));
  std::set<std::string> walked;
  const int checked = check_table(scenario_table().doc(), schema, walked);
  // Every table reachable from the top level was walked (the background
  // tables sit under hpc.background, the agents under campaign.agent).
  std::set<std::string> tables;
  int rows = 0;
  for (const auto& t : scenario_table_docs()) {
    tables.insert(t->name);
    rows += static_cast<int>(t->params.size());
  }
  CHECK(walked == tables);
  CHECK(checked >= rows);
  CHECK(rows > 100);
}

TEST_CASE("a station key's default, range and doc reach the parser, twin models and the schema alike") {
  const ParamDoc* row = nullptr;
  for (const auto& t : scenario_table_docs())
    if (t->name == "lab.station") row = t->find("batch_timeout_min");
  REQUIRE(row != nullptr);
  CHECK(row->default_value == 60);
  CHECK(row->unit == "min");

  // Parser: the default is used when the key is absent (60 min in SI)...
  const Scenario sc = parse_scenario(with_station(""), "t.json");
  CHECK(sc.labs[0].stations[0].batch_timeout_s == doctest::Approx(60 * 60.0));
  // ...a given value is converted by its unit...
  CHECK(parse_scenario(with_station(R"(, "batch_timeout_min": 2.5)"), "t.json").labs[0].stations[0].batch_timeout_s ==
        doctest::Approx(150));
  // ...and its range is enforced with the JSON pointer.
  const auto errs = errors_of(with_station(R"(, "batch_timeout_min": -1)"));
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] == "t.json:/labs/0/stations/0/batch_timeout_min: expected a number >= 0 and <= 1e+07, got -1");

  // twin models: listed under the station's table with unit, default, doc and range.
  const std::string models = models_catalog(false);
  const auto at = models.find("\nscenario.lab.station\n");
  REQUIRE(at != std::string::npos);
  const std::string line = "    - batch_timeout_min [min] (default 60): " + row->doc + " Range [0, 1e+07].";
  CHECK(models.find(line, at) != std::string::npos);
  CHECK(models.find(line, at) < models.find("\nscenario.lab.station.maintenance\n"));

  // twin schema: the same default, range and doc.
  const ordered_json schema = ordered_json::parse(generate_scenario_schema());
  const ordered_json& p = schema["properties"]["labs"]["items"]["properties"]["stations"]["items"]["properties"]
                                ["batch_timeout_min"];
  CHECK(p["default"] == 60);
  CHECK(p["minimum"] == 0);
  CHECK(p["maximum"] == 1e7);
  CHECK(p["description"].get<std::string>() == row->doc + " Unit: min.");
}

TEST_CASE("twin models lists every table, sorted, beside the registered kinds") {
  const ordered_json models = ordered_json::parse(models_catalog(true));
  std::vector<std::string> kinds;
  for (const auto& e : models) kinds.push_back(e["kind"].get<std::string>());
  CHECK(std::is_sorted(kinds.begin(), kinds.end()));
  for (const auto& t : scenario_table_docs()) {
    const std::string kind = t->name == "scenario" ? "scenario" : "scenario." + t->name;
    CHECK_MESSAGE(std::find(kinds.begin(), kinds.end(), kind) != kinds.end(), kind);
  }
  CHECK(std::find(kinds.begin(), kinds.end(), "scheduler.easy") != kinds.end());
}

TEST_CASE("keys carry their unit: the suffix gives the factor to SI") {
  CHECK(unit_of_key("duration_min").si(2) == 120);
  CHECK(unit_of_key("mtbf_h").si(1) == 3600);
  CHECK(unit_of_key("horizon_days").si(1) == 86400);
  CHECK(unit_of_key("first_day").si(2) == 2 * 86400);
  CHECK(unit_of_key("latency_ms").si(9) == 9 / 1000.0);  // divided, as the parser always did
  CHECK(unit_of_key("bandwidth_gbps").si(8) == 1e9);     // bytes per second
  CHECK(unit_of_key("power_kw").si(5) == 5000);
  CHECK(unit_of_key("recipe_mb").si(1) == 1e6);
  CHECK(unit_of_key("node_speed_gflops").si(2) == 2e9);
  CHECK(unit_of_key("robots").unit.empty());
  CHECK(unit_of_key("robots").si(3) == 3);
}

namespace {

// What a part with outage windows and a preference list would declare: one
// row each.
struct Window {
  double from_s = 0, to_s = 0;
  std::string reason;
};
struct Facility {
  std::vector<std::string> hpc;
  std::vector<Window> outages;
};

Table<Facility> facility_table() {
  Table<Window> w("test.outage", "A window in which the facility is down.");
  w.number("from_day", &Window::from_s, {.min = 0, .required = true}, "First day down.");
  w.number("to_day", &Window::to_s, {.min = 0, .required = true}, "First day up again.");
  w.string("reason", &Window::reason, {.def = ""}, "Why.");
  Table<Facility> t("test.facility", "A facility.");
  t.strings("hpc", &Facility::hpc, true, {.required = true, .missing = "a name or a list of names"},
            "HPC systems in order of preference.");
  t.array("outages", &Facility::outages, w, {}, "Outage windows.");
  return t;
}

std::vector<std::string> read_facility(const std::string& text, Facility& f) {
  const nlohmann::json doc = nlohmann::json::parse(text);
  auto sink = std::make_shared<std::vector<core::Diagnostic>>();
  ParseContext ctx;
  facility_table().read(JsonCursor(doc, "f.json", sink), f, ctx);
  std::vector<std::string> out;
  for (const auto& d : *sink) out.push_back(d.str());
  return out;
}

}  // namespace

TEST_CASE("the facility reads a name or a preference list, and arrays of objects") {
  Facility one;
  CHECK(read_facility(R"({"hpc": "frontier"})", one).empty());
  CHECK(one.hpc == std::vector<std::string>{"frontier"});

  Facility f;
  CHECK(read_facility(R"({"hpc": ["frontier", "aurora"],
                          "outages": [{"from_day": 30, "to_day": 60, "reason": "upgrade"}, {"from_day": 90, "to_day": 91}]})",
                      f)
            .empty());
  CHECK(f.hpc == std::vector<std::string>{"frontier", "aurora"});
  REQUIRE(f.outages.size() == 2);
  CHECK(f.outages[0].from_s == 30 * 86400.0);
  CHECK(f.outages[0].to_s == 60 * 86400.0);
  CHECK(f.outages[0].reason == "upgrade");
  CHECK(f.outages[1].reason.empty());

  Facility bad;
  const auto errs = read_facility(R"({"hpc": 3, "outages": [{"from_dy": 1, "to_day": 2}]})", bad);
  REQUIRE(errs.size() == 3);
  CHECK(errs[0] == "f.json:/hpc: expected a string or an array of strings, got an integer");
  CHECK(errs[1] == "f.json:/outages/0/from_dy: unknown key 'from_dy' (did you mean 'from_day'?)");
  CHECK(errs[2] == "f.json:/outages/0: missing required key 'from_day' (a number)");

  // Documented like any other row: the schema says what each shape is.
  const ordered_json s = table_schema(facility_table().doc());
  CHECK(s["properties"]["hpc"]["anyOf"][1]["type"] == "array");
  CHECK(s["properties"]["outages"]["items"]["properties"]["from_day"]["minimum"] == 0);
  CHECK(s["properties"]["outages"]["items"]["required"] == ordered_json::array({"from_day", "to_day"}));
}

TEST_CASE("modes are an enum with their scenario spelling") {
  CHECK(std::string(core::to_string(core::Mode::CLOSED_LOOP)) == "closed_loop");
  CHECK(std::string(core::to_string(core::Mode::BASELINE)) == "baseline");
  CHECK(core::mode_from_string("baseline") == core::Mode::BASELINE);
  CHECK_FALSE(core::mode_from_string("Baseline").has_value());
}
