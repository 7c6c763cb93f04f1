#pragma once
// The documented parameters of a kernel kind, in one table per kind, so that
// the defaults the code uses and the ones `twin models` prints cannot drift
// apart.
#include <map>
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

/// The catalog entry for `defs` (sorted by name, defaults as text).
std::vector<KernelParam> document_params(std::vector<ParamDef> defs);

/// Shortest text that reads back as `x` ("0.1", "5e+05").
std::string format_number(double x);

}  // namespace twin::models
