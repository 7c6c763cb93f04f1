#include "twin/sweep/Design.hpp"

#include <cmath>
#include <numeric>

#include "reports/Report.hpp"
#include "twin/core/Errors.hpp"
#include "twin/JsonCursor.hpp"
#include "twin/core/Rng.hpp"

namespace twin::sweep {

namespace {

/// The value at fraction u in [0, 1) of a parameter's range or list.
nlohmann::json value_at(const ParameterSpec& p, double u) {
  if (!p.range) {
    const std::size_t n = p.values.size();
    std::size_t k = static_cast<std::size_t>(std::floor(u * static_cast<double>(n)));
    if (k >= n) k = n - 1;
    return p.values[k];
  }
  const RangeSpec& r = *p.range;
  const double x = r.log ? std::exp(std::log(r.from) + u * (std::log(r.to) - std::log(r.from)))
                         : r.from + u * (r.to - r.from);
  if (r.integer) return static_cast<long long>(std::llround(x));
  return reports::round_sig(x, 6);
}

const char* patch_problem(const nlohmann::json& doc, const std::string& pointer) {
  const nlohmann::json::json_pointer jp(pointer);
  const nlohmann::json::json_pointer parent = jp.parent_pointer();
  bool found = false;
  try {
    found = doc.contains(parent);
  } catch (const nlohmann::json::exception&) {  // an index too large for size_t on the way
  }
  if (!found) return "leads nowhere in the base scenario (its parent is missing)";
  const nlohmann::json& pv = doc.at(parent);
  if (pv.is_object()) return nullptr;
  if (pv.is_array()) {
    const std::string& last = jp.back();
    if (last.empty() || last.find_first_not_of("0123456789") != std::string::npos || (last.size() > 1 && last[0] == '0'))
      return "names an array element by something other than an index";
    // (More digits than any array's size would overflow std::stoull.)
    if (last.size() > 18 || std::stoull(last) >= pv.size()) return "names an array element past the end in the base scenario";
    return nullptr;
  }
  return "leads into a value that is neither an object nor an array";
}

}  // namespace

nlohmann::json parse_base(const SweepSpec& spec) { return parse_json_text(spec.base_text, spec.base_file); }

std::vector<Variant> make_design(const SweepSpec& spec) {
  std::vector<Variant> out;
  const std::size_t np = spec.parameters.size();
  if (spec.design == DesignKind::GRID) {
    std::vector<std::vector<nlohmann::json>> levels;
    std::size_t total = 1;
    for (const auto& p : spec.parameters) {
      levels.push_back(grid_values(p));
      total *= std::max<std::size_t>(1, levels.back().size());
    }
    for (std::size_t i = 0; i < total; ++i) {
      Variant v;
      v.index = static_cast<int>(i);
      std::size_t rest = i;
      v.values.resize(np);
      for (std::size_t k = np; k-- > 0;) {
        const std::size_t n = levels[k].size();
        v.values[k] = levels[k][rest % n];
        rest /= n;
      }
      out.push_back(std::move(v));
    }
    return out;
  }
  const int n = spec.samples;
  out.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    out[static_cast<std::size_t>(i)].index = i;
    out[static_cast<std::size_t>(i)].values.resize(np);
  }
  for (std::size_t k = 0; k < np; ++k) {
    const auto& p = spec.parameters[k];
    core::Rng rng = core::Rng::stream(spec.design_seed, "sweep." + design_name(spec.design) + "." + p.name);
    if (spec.design == DesignKind::RANDOM) {
      for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)].values[k] = value_at(p, rng.uniform01());
    } else {
      // Latin hypercube: each of the n strata of [0, 1) used once, in a random order.
      std::vector<int> strata(static_cast<std::size_t>(n));
      std::iota(strata.begin(), strata.end(), 0);
      for (std::size_t j = strata.size(); j > 1; --j) std::swap(strata[j - 1], strata[rng.below(j)]);
      for (int i = 0; i < n; ++i) {
        const double u = (strata[static_cast<std::size_t>(i)] + rng.uniform01()) / n;
        out[static_cast<std::size_t>(i)].values[k] = value_at(p, u);
      }
    }
  }
  return out;
}

void check_pointers(const SweepSpec& spec, const nlohmann::json& base_doc) {
  std::vector<core::Diagnostic> errors;
  nlohmann::json doc = base_doc;
  for (const auto& [ptr, value] : spec.set) {
    if (const char* why = patch_problem(doc, ptr)) {
      errors.push_back({spec.file, "/set/" + escape_pointer_token(ptr), "pointer '" + ptr + "' " + why});
      continue;
    }
    doc[nlohmann::json::json_pointer(ptr)] = value;
  }
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const auto& p = spec.parameters[i];
    if (const char* why = patch_problem(doc, p.pointer))
      errors.push_back({spec.file, "/parameters/" + std::to_string(i) + "/pointer",
                        "pointer '" + p.pointer + "' " + why + " (" + spec.base_file + ")"});
  }
  if (!errors.empty()) throw core::ScenarioError(errors);
}

std::string variant_text(const SweepSpec& spec, const nlohmann::json& base_doc, const Variant& v) {
  nlohmann::json doc = base_doc;
  for (const auto& [ptr, value] : spec.set) doc[nlohmann::json::json_pointer(ptr)] = value;
  for (std::size_t k = 0; k < spec.parameters.size(); ++k)
    doc[nlohmann::json::json_pointer(spec.parameters[k].pointer)] = v.values[k];
  return doc.dump(1);
}

std::string variant_label(const SweepSpec& spec, const Variant& v) {
  std::string s;
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    if (!s.empty()) s += ", ";
    s += spec.parameters[k].name + "=" + (v.values[k].is_string() ? v.values[k].get<std::string>() : v.values[k].dump());
  }
  return s;
}

}  // namespace twin::sweep
