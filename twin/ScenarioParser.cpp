// Scenario parsing and validation: one pass over the JSON through the
// parameter tables (twin/ScenarioTables.cpp), collecting every error, then a
// trial build of each campaign's kernel and policies by their own registries.
#include <cmath>
#include <fstream>
#include <sstream>

#include "agents/Policy.hpp"
#include "twin/Embedded.hpp"
#include "twin/JsonCursor.hpp"
#include "twin/Output.hpp"
#include "twin/Scenario.hpp"
#include "twin/ScenarioSchema.hpp"
#include "twin/ScenarioTables.hpp"

namespace twin {

namespace {

/// "" when the policy and its parameters are accepted, else why not.
std::string policy_problem(const std::string& name, const std::map<std::string, std::string>& params) {
  try {
    (void)agents::make_policy(name, params);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

const SiteSpec* Scenario::site(const std::string& n) const {
  for (const auto& s : sites)
    if (s.name == n) return &s;
  return nullptr;
}
const HpcSpec* Scenario::hpc_system(const std::string& n) const {
  for (const auto& s : hpc)
    if (s.name == n) return &s;
  return nullptr;
}
const LabSpec* Scenario::lab(const std::string& n) const {
  for (const auto& s : labs)
    if (s.name == n) return &s;
  return nullptr;
}
const CloudSpec* Scenario::cloud(const std::string& n) const {
  for (const auto& s : clouds)
    if (s.name == n) return &s;
  return nullptr;
}

const DatasetSpec* Scenario::dataset(const std::string& n) const {
  for (const auto& st : stores)
    for (const auto& d : st.datasets)
      if (d.name == n) return &d;
  return nullptr;
}
const ModelSpec* Scenario::model(const std::string& n) const {
  for (const auto& m : models)
    if (m.name == n) return &m;
  return nullptr;
}

core::Shift Scenario::shift_of(const StaffedHours& h, const std::string& site_name) const {
  if (h.always) return core::Shift();
  const SiteSpec* s = site(site_name);
  return core::Shift(start_day_epoch, s ? s->utc_offset_h : 0.0, h.weekdays, h.start_min, h.end_min, holidays);
}

Scenario parse_scenario(const std::string& text, const std::string& file) {
  const nlohmann::json doc = parse_json_text(text, file);
  auto sink = std::make_shared<std::vector<core::Diagnostic>>();
  const JsonCursor root(doc, file, sink);
  Scenario sc;
  sc.file = file;
  ParseContext ctx;
  ctx.file = file;
  ctx.sc = &sc;
  if (!scenario_table().read(root, sc, ctx)) throw core::ScenarioError(*sink);

  // Trial build of every kernel and policy: their own checks, at the campaign's pointer.
  if (sink->empty()) {
    for (std::size_t i = 0; i < sc.campaigns.size(); ++i) {
      auto& cp = sc.campaigns[i];
      const JsonCursor c = root["campaigns"][i];
      const std::optional<bool> target_max = ctx.target_maximize[i];
      try {
        auto k = models::make_kernel(cp.kernel, 0);
        const bool maximize = k->goal() == models::Goal::MAXIMIZE;
        if (target_max && *target_max != maximize)
          c["target"].error(std::string("the kernel's goal is to ") + (maximize ? "maximize" : "minimize") +
                            ": expected " + (maximize ? "'value_at_least'" : "'value_at_most'"));
        if (cp.kernel.kind == "pool" && cp.target.top_percent &&
            std::ceil(*cp.target.top_percent / 100.0 * static_cast<double>(k->space().pool_size())) < 1)
          c["target"].error("top_percent selects no candidate of the pool");
      } catch (const std::exception& e) {
        c["kernel"].error(e.what());
      }
      for (core::Mode mode_id : core::ALL_MODES) {
        const char* mode = core::to_string(mode_id);
        const auto& m = cp.agent(mode_id);
        const std::string problem = policy_problem(m.policy, m.policy_params);
        if (!problem.empty()) {
          const bool given = c.has("agent") && c["agent"].has(mode);
          const bool name_ok = policy_problem(m.policy, {}).empty();
          (given ? c["agent"][mode] : c)
              .error_at(given ? (name_ok ? "policy_params" : "policy") : "agent",
                        name_ok ? problem : "unknown policy '" + m.policy + "'; `twin models` lists them");
        }
      }
    }
  }

  if (!sink->empty()) throw core::ScenarioError(*sink);
  return sc;
}

Scenario load_scenario(const std::string& path) { return parse_scenario(read_input_file(path, "scenario file"), path); }

Scenario default_scenario() { return parse_scenario(default_scenario_text(), "<embedded>/genesis-national.json"); }

const std::string& default_scenario_text() { return embedded_files().at("scenarios/genesis-national.json"); }

const std::string& scenario_schema_text() {
  static const std::string text = generate_scenario_schema();
  return text;
}

}  // namespace twin
