#pragma once
// The documented parameters of a kernel kind, in one table per kind, so that
// the defaults the code uses and the ones `twin models` prints cannot drift
// apart.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/Kernel.hpp"

namespace twin::models {

struct ParamDef {
  std::string name;
  std::string unit;
  double default_value = 0;
  double min_value = 0;  ///< inclusive
  double max_value = 0;  ///< inclusive
  bool integer = false;
  std::string description;
};

/// The values of `defs` for one kernel: `given` over the defaults. Throws
/// std::invalid_argument on a name not in `defs` (listing the accepted
/// ones), a non-finite value, a value out of range, or a non-integer where an
/// integer is expected.
std::map<std::string, double> resolve_params(const std::string& kind,
                                             const std::vector<ParamDef>& defs,
                                             const std::map<std::string, double>& given);

/// A parameter of a kernel and the member of the kernel's settings it sets
/// (none: the factory reads the resolved value itself), so that a parameter
/// is one row: name, unit, default, range, doc and where it goes.
template <class Settings>
struct SettingsParam {
  ParamDef def;
  double Settings::*field = nullptr;
};

/// The definitions of a settings table, in its order.
template <class Settings>
std::vector<ParamDef> param_defs_of(const std::vector<SettingsParam<Settings>>& table) {
  std::vector<ParamDef> out;
  out.reserve(table.size());
  for (const auto& t : table) out.push_back(t.def);
  return out;
}

/// `given` over the table's defaults, checked as resolve_params() checks
/// them, written into settings; `values`, when given, receives every
/// resolved value (also those without a field).
template <class Settings>
Settings resolve_settings(const std::string& kind, const std::vector<SettingsParam<Settings>>& table,
                          const std::map<std::string, double>& given,
                          std::map<std::string, double>* values = nullptr) {
  const std::map<std::string, double> p = resolve_params(kind, param_defs_of(table), given);
  Settings s;
  for (const auto& t : table)
    if (t.field) s.*t.field = p.at(t.def.name);
  if (values) *values = p;
  return s;
}

/// For a kernel whose goal is fixed: throws std::invalid_argument unless
/// `goal` is left out or is `fixed` ("kernel 'snar': the yield is maximized;
/// goal must be maximize or left out").
void require_goal(const std::string& kind, const std::optional<Goal>& goal, Goal fixed, const std::string& why);

/// The catalog entry for `defs` (sorted by name, defaults as text).
std::vector<KernelParam> document_params(std::vector<ParamDef> defs);

/// Shortest text that reads back as `x` ("0.1", "5e+05").
std::string format_number(double x);

}  // namespace twin::models
