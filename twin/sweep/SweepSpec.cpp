#include "twin/sweep/SweepSpec.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "twin/JsonCursor.hpp"
#include "twin/Output.hpp"
#include "twin/Scenario.hpp"
#include "twin/core/Errors.hpp"

namespace twin::sweep {

namespace {

const char* const EMBEDDED_BASE = "<embedded>/genesis-national.json";
constexpr int MAX_GRID_VARIANTS = 1000000;

bool valid_pointer(const std::string& p) {
  if (p.empty() || p[0] != '/') return false;
  try {
    nlohmann::json::json_pointer jp(p);
    (void)jp;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

std::string read_pointer(const JsonCursor& c, const std::string& key) {
  const std::string p = c.string(key);
  if (c.has(key) && c[key].value().is_string() && !valid_pointer(p))
    c.error_at(key, "expected a JSON pointer such as \"/hpc/0/nodes\", got \"" + p + "\"");
  return p;
}

RangeSpec read_range(const JsonCursor& r, bool grid) {
  RangeSpec s;
  if (!r.expect_object({"from", "to", "step", "count", "integer", "log"})) return s;
  s.from = r.number("from", 0, true, -1e300, 1e300);
  s.to = r.number("to", 0, true, -1e300, 1e300);
  s.integer = r.boolean_or("integer", false);
  s.log = r.boolean_or("log", false);
  if (r.has("step")) s.step = r.number("step", 1, true, 0, 1e300, true);
  if (r.has("count")) s.count = static_cast<int>(r.integer("count", 2, true, 1, 100000));
  if (r.has("from") && r.has("to") && s.to < s.from) r.error_at("to", "expected a value >= from");
  if (s.log && s.from <= 0) r.error_at("from", "a log range needs from > 0");
  if (grid && !s.step && !s.count) r.error("a grid range needs \"step\" or \"count\"");
  if (s.step && s.count) r.error("give \"step\" or \"count\", not both");
  if (grid && s.step && (s.to - s.from) / *s.step > 100000) r.error_at("step", "too many values (more than 100000)");
  return s;
}

}  // namespace

std::string design_name(DesignKind k) {
  switch (k) {
    case DesignKind::GRID: return "grid";
    case DesignKind::RANDOM: return "random";
    case DesignKind::LHS: return "lhs";
  }
  return "grid";
}

std::vector<nlohmann::json> grid_values(const ParameterSpec& p) {
  if (!p.range) return p.values;
  const RangeSpec& r = *p.range;
  std::vector<double> xs;
  if (r.count) {
    const int n = *r.count;
    for (int i = 0; i < n; ++i) {
      const double t = n == 1 ? 0.0 : static_cast<double>(i) / (n - 1);
      xs.push_back(r.log ? std::exp(std::log(r.from) + t * (std::log(r.to) - std::log(r.from)))
                         : r.from + t * (r.to - r.from));
    }
  } else if (r.step) {
    const double step = *r.step;
    const long n = static_cast<long>(std::floor((r.to - r.from) / step + 1e-9));
    for (long i = 0; i <= n; ++i) xs.push_back(r.from + static_cast<double>(i) * step);
  }
  std::vector<nlohmann::json> out;
  for (double x : xs) {
    if (r.integer) out.emplace_back(static_cast<long long>(std::llround(x)));
    else out.emplace_back(x);
  }
  // Integer rounding may repeat a value: keep the first of each (a set, not a
  // scan of those kept: a range may hold 100000 values).
  std::vector<nlohmann::json> unique;
  std::set<nlohmann::json> seen;
  for (const auto& v : out)
    if (seen.insert(v).second) unique.push_back(v);
  return unique;
}

SweepSpec parse_sweep(const std::string& text, const std::string& file) {
  const nlohmann::json doc = parse_json_text(text, file);
  auto sink = std::make_shared<std::vector<core::Diagnostic>>();
  const JsonCursor root(doc, file, sink);
  SweepSpec s;
  s.file = file;
  if (!root.expect_object({"$schema", "sweep_version", "name", "description", "base", "set", "replications", "design",
                           "parameters", "outputs"}))
    throw core::ScenarioError(*sink);
  root.integer("sweep_version", 1, true, 1, 1);
  s.name = root.string("name");
  if (!s.name.empty() && s.name.find_first_of("/\\\n") != std::string::npos)
    root.error_at("name", "expected a name without slashes or line breaks");
  s.replications = static_cast<int>(root.integer_or("replications", 0, 1, 1000000));

  // Base scenario.
  if (root.has("base")) {
    s.base_label = root.string("base");
    if (s.base_label == "<embedded>") {
      s.base_file = EMBEDDED_BASE;
      s.base_text = default_scenario_text();
    } else if (!s.base_label.empty()) {
      std::filesystem::path p(s.base_label);
      if (p.is_relative()) p = std::filesystem::path(file).parent_path() / p;
      s.base_file = p.lexically_normal().string();
      std::ifstream in(p, std::ios::binary);
      if (!in) {
        root.error_at("base", "cannot read the base scenario '" + s.base_file + "'");
      } else {
        std::ostringstream ss;
        ss << in.rdbuf();
        s.base_text = ss.str();
      }
    }
  } else {
    s.base_label = "<embedded>";
    s.base_file = EMBEDDED_BASE;
    s.base_text = default_scenario_text();
  }

  // Fixed overrides.
  if (root.has("set")) {
    const JsonCursor set = root["set"];
    if (!set.is_object()) {
      set.error("expected an object of JSON pointer -> value");
    } else {
      for (const auto& [k, v] : set.value().items()) {
        if (!valid_pointer(k)) set.error_at(k, "expected a JSON pointer key such as \"/horizon_days\"");
        s.set.emplace_back(k, v);
      }
    }
  }

  // Design.
  if (root.has("design")) {
    const JsonCursor d = root["design"];
    if (d.expect_object({"kind", "samples", "seed"})) {
      const std::string kind = d.choice("kind", {"grid", "random", "lhs"}, "grid", true);
      s.design = kind == "random" ? DesignKind::RANDOM : kind == "lhs" ? DesignKind::LHS : DesignKind::GRID;
      if (s.design == DesignKind::GRID) {
        if (d.has("samples")) d.error_at("samples", "a grid takes every combination: no \"samples\"");
      } else {
        s.samples = static_cast<int>(d.integer("samples", 1, true, 1, 1000000));
        s.design_seed = static_cast<std::uint64_t>(d.integer_or("seed", 1, 0, (1LL << 53)));
      }
    }
  }
  const bool grid = s.design == DesignKind::GRID;

  // Parameters.
  if (!root.has("parameters")) {
    root.error_at("parameters", "expected a non-empty array of parameters");
  } else {
    const JsonCursor ps = root["parameters"];
    if (!ps.is_array() || ps.size() == 0) {
      ps.error("expected a non-empty array of parameters");
    } else {
      std::set<std::string> names, pointers;
      for (std::size_t i = 0; i < ps.size(); ++i) {
        const JsonCursor pc = ps[i];
        if (!pc.expect_object({"name", "pointer", "values", "range", "description"})) continue;
        ParameterSpec p;
        p.pointer = read_pointer(pc, "pointer");
        p.name = pc.string_or("name", p.pointer);
        if (!names.insert(p.name).second) pc.error_at("name", "parameter name '" + p.name + "' is used twice");
        if (!p.pointer.empty() && !pointers.insert(p.pointer).second)
          pc.error_at("pointer", "pointer '" + p.pointer + "' is varied twice");
        if (pc.has("values") == pc.has("range")) {
          pc.error("expected either \"values\" (a list) or \"range\"");
        } else if (pc.has("values")) {
          const JsonCursor vs = pc["values"];
          if (!vs.is_array() || vs.size() == 0) vs.error("expected a non-empty array of values");
          else
            for (const auto& v : vs.value()) p.values.push_back(v);
        } else {
          p.range = read_range(pc["range"], grid);
        }
        s.parameters.push_back(std::move(p));
      }
      // A grid is the product of its parameters' values: bound it before a
      // design tries to hold every variant (a million variants is already a
      // week of runs at a few seconds each).
      if (grid) {
        double variants = 1;
        for (const auto& p : s.parameters) {
          if (!p.range) variants *= static_cast<double>(std::max<std::size_t>(1, p.values.size()));
          else if (p.range->count) variants *= *p.range->count;
          else if (p.range->step && *p.range->step > 0)
            variants *= std::floor((p.range->to - p.range->from) / *p.range->step + 1e-9) + 1;
        }
        if (!(variants <= MAX_GRID_VARIANTS))
          ps.error("expected a grid of at most " + std::to_string(MAX_GRID_VARIANTS) +
                   " variants (the product of the parameters' values); use fewer values, or a random or lhs design");
      }
    }
  }

  // Outputs.
  if (root.has("outputs")) {
    const JsonCursor os = root["outputs"];
    if (!os.is_array()) {
      os.error("expected an array of {\"name\", \"pointer\"}");
    } else {
      std::set<std::string> names;
      for (std::size_t i = 0; i < os.size(); ++i) {
        const JsonCursor oc = os[i];
        if (!oc.expect_object({"name", "pointer"})) continue;
        OutputSpec o;
        o.pointer = read_pointer(oc, "pointer");
        o.name = oc.string_or("name", o.pointer);
        if (!names.insert(o.name).second) oc.error_at("name", "output name '" + o.name + "' is used twice");
        s.outputs.push_back(std::move(o));
      }
    }
  }
  if (!sink->empty()) throw core::ScenarioError(*sink);
  return s;
}

SweepSpec load_sweep(const std::string& path) { return parse_sweep(read_input_file(path, "sweep file"), path); }

}  // namespace twin::sweep
