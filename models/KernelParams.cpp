#include "models/KernelParams.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace twin::models {

std::string format_number(double x) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc()) return "?";
  return std::string(buf, ptr);
}

std::map<std::string, double> resolve_params(const std::string& kind,
                                             const std::vector<ParamDef>& defs,
                                             const std::map<std::string, double>& given) {
  std::map<std::string, const ParamDef*> by_name;
  for (const auto& d : defs) by_name[d.name] = &d;
  std::map<std::string, double> out;
  for (const auto& d : defs) out[d.name] = d.default_value;
  for (const auto& [name, value] : given) {
    const auto it = by_name.find(name);
    if (it == by_name.end()) {
      std::string accepted;
      for (const auto& [n, unused] : by_name) accepted += (accepted.empty() ? "" : ", ") + n;
      if (accepted.empty()) accepted = "none";
      throw std::invalid_argument("kernel '" + kind + "': unknown parameter '" + name +
                                  "' (accepted: " + accepted + ")");
    }
    const ParamDef& d = *it->second;
    const std::string what = "kernel '" + kind + "': parameter '" + name + "' ";
    if (!std::isfinite(value)) throw std::invalid_argument(what + "must be a finite number");
    if (d.integer && value != std::floor(value)) {
      throw std::invalid_argument(what + "must be a whole number, got " + format_number(value));
    }
    if (value < d.min_value || value > d.max_value) {
      throw std::invalid_argument(what + "must lie in [" + format_number(d.min_value) + ", " +
                                  format_number(d.max_value) + "], got " + format_number(value));
    }
    out[name] = value;
  }
  return out;
}

void require_goal(const std::string& kind, const std::optional<Goal>& goal, Goal fixed, const std::string& why) {
  if (goal && *goal != fixed) {
    throw std::invalid_argument("kernel '" + kind + "': " + why + "; goal must be " +
                                (fixed == Goal::MAXIMIZE ? "maximize" : "minimize") + " or left out");
  }
}

std::vector<KernelParam> document_params(std::vector<ParamDef> defs) {
  std::sort(defs.begin(), defs.end(),
            [](const ParamDef& a, const ParamDef& b) { return a.name < b.name; });
  std::vector<KernelParam> out;
  out.reserve(defs.size());
  for (const auto& d : defs) {
    std::string desc = d.description;
    desc += " Range [" + format_number(d.min_value) + ", " + format_number(d.max_value) + "]" +
            (d.integer ? ", whole numbers." : ".");
    out.push_back(KernelParam{d.name, d.unit, format_number(d.default_value), desc});
  }
  return out;
}

}  // namespace twin::models
