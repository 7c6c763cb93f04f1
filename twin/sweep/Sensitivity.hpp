#pragma once
// Which parameter moves a figure most: a least-squares regression on the
// design of ln(figure) per variant on every parameter at once. A numeric
// parameter whose values are all > 0 enters as ln(value), so its coefficient
// is an elasticity (% change of the figure per % change of the parameter);
// other numeric parameters enter as the value (a semi-elasticity); a
// parameter of strings or booleans enters as one indicator per level. Each
// parameter's *swing* is the factor by which the fitted figure changes when
// the parameter goes from the low to the high end of its swept range (below
// 1: the figure falls; for levels: best level over worst); parameters are
// ranked by how far that factor is from 1 (|ln swing|).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twin::sweep {

struct ParameterEffect {
  std::string name;
  std::string kind;          ///< "elasticity", "semi-elasticity", "levels", "constant", "confounded"
  double coefficient = 0;    ///< elasticity or semi-elasticity (per unit); 0 for levels
  double swing_factor = 1;   ///< fitted figure at the high end / at the low end of the range (< 1: falls)
  std::string best_level;    ///< the value with the highest fitted figure ("" when it moves nothing)
  int rank = 0;              ///< 1 = moves the figure most
};

struct SensitivityResult {
  std::vector<ParameterEffect> effects;  ///< ranked
  int n_variants = 0;                    ///< variants with a usable figure (> 0)
  double r_squared = 0;
  std::string method;
};

/// `x[v][k]`: the value of parameter k in variant v; `y[v]`: the figure
/// (NaN or <= 0: left out). Deterministic for equal inputs.
SensitivityResult regress_sensitivity(const std::vector<std::string>& names,
                                      const std::vector<std::vector<nlohmann::json>>& x, const std::vector<double>& y);

}  // namespace twin::sweep
