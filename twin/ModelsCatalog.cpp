#include "twin/ModelsCatalog.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "agents/Policy.hpp"
#include "hpc/Scheduler.hpp"
#include "models/Kernel.hpp"
#include "models/KernelParams.hpp"
#include "twin/ScenarioTables.hpp"

namespace twin {

namespace {

struct Param {
  std::string name, unit, default_value, description;
};
struct Entry {
  std::string kind, description;
  std::vector<Param> params;
};

std::string default_words(const ParamDoc& p) {
  if (!p.default_text.empty()) return p.default_text;
  const auto& v = p.default_value;
  if (v.is_null()) return "";
  if (v.is_number()) return models::format_number(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

/// The doc line with what else a reader needs: range, allowed values, type.
std::string param_words(const ParamDoc& p) {
  std::string s = p.doc;
  if (p.required) s += " Required.";
  if (p.min || (p.max && std::isfinite(*p.max))) {
    s += " Range ";
    s += p.min ? (p.min_exclusive ? "(" : "[") + models::format_number(*p.min) : "(-inf";
    s += ", ";
    s += p.max && std::isfinite(*p.max) ? models::format_number(*p.max) + "]" : "inf)";
    s += p.type == ParamType::INTEGER ? ", whole numbers." : ".";
  }
  if (!p.choices.empty()) {
    s += " One of";
    for (std::size_t i = 0; i < p.choices.size(); ++i) s += (i ? ", '" : " '") + p.choices[i] + "'";
    s += ".";
  }
  switch (p.type) {
    case ParamType::DISTRIBUTION: s += " A distribution (distribution.*)."; break;
    case ParamType::OBJECT: s += " An object: see scenario." + p.table->name + "."; break;
    case ParamType::OBJECT_ARRAY: s += " An array of objects: see scenario." + p.table->name + "."; break;
    case ParamType::STRING_OR_LIST: s += " A name, or a list of names in order of preference."; break;
    default: break;
  }
  return s;
}

std::vector<Entry> collect() {
  std::vector<Entry> all;
  for (const auto& s : hpc::scheduler_catalog()) {
    Entry e{s.kind.rfind("scheduler.", 0) == 0 ? s.kind : "scheduler." + s.kind, s.description, {}};
    for (const auto& p : s.params) e.params.push_back({p.name, p.unit, p.default_value, p.description});
    all.push_back(e);
  }
  for (const auto& s : agents::policy_catalog()) {
    Entry e{"policy." + s.name, s.description, {}};
    for (const auto& p : s.params) e.params.push_back({p.name, p.unit, p.default_value, p.description});
    all.push_back(e);
  }
  for (const auto& s : models::kernel_catalog()) {
    Entry e{"kernel." + s.kind, s.description, {}};
    for (const auto& p : s.params) e.params.push_back({p.name, p.unit, p.default_value, p.description});
    all.push_back(e);
  }
  for (const auto& t : scenario_table_docs()) {
    Entry e{t->name == "scenario" ? "scenario" : "scenario." + t->name, t->doc, {}};
    for (const auto& p : t->params) e.params.push_back({p.key, p.unit, default_words(p), param_words(p)});
    all.push_back(e);
  }
  all.push_back({"distribution.exponential", "exponential with the given mean",
                 {{"mean", "key's unit", "", "mean value (> 0)"}}});
  all.push_back({"distribution.fixed", "always the same value (a bare number means the same)",
                 {{"value", "key's unit", "", "the value (>= 0)"}}});
  all.push_back({"distribution.lognormal", "log-normal: median x exp(sigma x N(0,1))",
                 {{"median", "key's unit", "", "median (> 0)"}, {"sigma", "1", "", "shape (>= 0)"}}});
  all.push_back({"distribution.normal", "normal, truncated at zero",
                 {{"mean", "key's unit", "", "mean (>= 0)"}, {"sd", "key's unit", "", "standard deviation (>= 0)"}}});
  all.push_back({"distribution.uniform", "uniform between min and max",
                 {{"max", "key's unit", "", "upper bound"}, {"min", "key's unit", "", "lower bound (>= 0)"}}});
  std::stable_sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) { return a.kind < b.kind; });
  for (auto& e : all)
    std::stable_sort(e.params.begin(), e.params.end(), [](const Param& a, const Param& b) { return a.name < b.name; });
  return all;
}

}  // namespace

std::string models_catalog(bool as_json) {
  const auto all = collect();
  if (as_json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& e : all) {
      nlohmann::ordered_json x;
      x["kind"] = e.kind;
      x["description"] = e.description;
      x["params"] = nlohmann::ordered_json::array();
      for (const auto& p : e.params)
        x["params"].push_back({{"name", p.name}, {"unit", p.unit}, {"default", p.default_value}, {"description", p.description}});
      j.push_back(x);
    }
    return j.dump(2) + "\n";
  }
  std::string s;
  for (const auto& e : all) {
    s += e.kind + "\n    " + e.description + "\n";
    for (const auto& p : e.params) {
      s += "    - " + p.name;
      if (!p.unit.empty()) s += " [" + p.unit + "]";
      if (!p.default_value.empty()) s += " (default " + p.default_value + ")";
      s += ": " + p.description + "\n";
    }
  }
  return s;
}

}  // namespace twin
