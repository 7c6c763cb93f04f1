#include "twin/sweep/Sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace twin::sweep {

namespace {

struct Column {
  int parameter = 0;
  std::string level;  ///< for an indicator column
  std::vector<double> t;
};

/// Solves the least-squares problem by the normal equations with partial
/// pivoting; a column that adds nothing (pivot ~ 0) gets coefficient 0 and
/// is flagged.
std::vector<double> least_squares(const std::vector<std::vector<double>>& a, const std::vector<double>& y,
                                  std::vector<bool>& dropped) {
  const std::size_t p = a.empty() ? 0 : a[0].size();
  std::vector<std::vector<double>> m(p, std::vector<double>(p + 1, 0.0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t r = 0; r < p; ++r) {
      for (std::size_t c = 0; c < p; ++c) m[r][c] += a[i][r] * a[i][c];
      m[r][p] += a[i][r] * y[i];
    }
  double scale = 0;
  for (std::size_t r = 0; r < p; ++r) scale = std::max(scale, std::fabs(m[r][r]));
  dropped.assign(p, false);
  std::vector<std::size_t> pivot_row(p, p);
  std::vector<bool> used(p, false);
  for (std::size_t c = 0; c < p; ++c) {
    std::size_t best = p;
    double best_abs = 1e-10 * std::max(scale, 1.0);
    for (std::size_t r = 0; r < p; ++r)
      if (!used[r] && std::fabs(m[r][c]) > best_abs) {
        best_abs = std::fabs(m[r][c]);
        best = r;
      }
    if (best == p) {
      dropped[c] = true;
      continue;
    }
    used[best] = true;
    pivot_row[c] = best;
    for (std::size_t r = 0; r < p; ++r) {
      if (r == best || m[r][c] == 0) continue;
      const double f = m[r][c] / m[best][c];
      for (std::size_t k = 0; k <= p; ++k) m[r][k] -= f * m[best][k];
    }
  }
  std::vector<double> b(p, 0.0);
  for (std::size_t c = 0; c < p; ++c)
    if (!dropped[c]) b[c] = m[pivot_row[c]][p] / m[pivot_row[c]][c];
  return b;
}

/// A swing in ln(figure) below this is the solver's rounding (a parameter
/// that moves nothing fits to ~1e-15, whose sign and digits would depend on
/// the order of floating-point operations), reported as no effect.
constexpr double NEGLIGIBLE = 1e-9;

std::string level_key(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

SensitivityResult regress_sensitivity(const std::vector<std::string>& names,
                                      const std::vector<std::vector<nlohmann::json>>& x, const std::vector<double>& y) {
  SensitivityResult res;
  res.method =
      "least-squares regression of ln(figure) on all parameters at once over the variants (ln(value) for positive "
      "numeric parameters: elasticities; the value for other numbers; one indicator per level otherwise); swing = "
      "fitted figure at the high end of the parameter's swept range / at its low end (below 1: the figure falls as "
      "the parameter rises; for levels: best level / worst level); ranked by how far the swing is from 1";
  std::vector<std::size_t> rows;
  for (std::size_t v = 0; v < y.size(); ++v)
    if (std::isfinite(y[v]) && y[v] > 0) rows.push_back(v);
  res.n_variants = static_cast<int>(rows.size());
  const std::size_t np = names.size();
  std::vector<Column> cols;
  std::vector<std::string> kind(np, "constant");
  for (std::size_t k = 0; k < np; ++k) {
    bool numeric = true, positive = true;
    std::map<std::string, int> levels;  // sorted level names
    for (std::size_t v : rows) {
      const auto& val = x[v][k];
      if (!val.is_number()) numeric = false;
      else if (val.get<double>() <= 0) positive = false;
      levels.emplace(level_key(val), 0);
    }
    if (levels.size() < 2) continue;
    if (numeric) {
      Column c;
      c.parameter = static_cast<int>(k);
      for (std::size_t v : rows) {
        const double xv = x[v][k].get<double>();
        c.t.push_back(positive ? std::log(xv) : xv);
      }
      kind[k] = positive ? "elasticity" : "semi-elasticity";
      cols.push_back(std::move(c));
    } else {
      kind[k] = "levels";
      bool first = true;
      for (const auto& [lv, unused] : levels) {
        (void)unused;
        if (first) {  // the first level (sorted) is the reference
          first = false;
          continue;
        }
        Column c;
        c.parameter = static_cast<int>(k);
        c.level = lv;
        for (std::size_t v : rows) c.t.push_back(level_key(x[v][k]) == lv ? 1.0 : 0.0);
        cols.push_back(std::move(c));
      }
    }
  }
  // Design matrix: intercept, then the columns.
  std::vector<std::vector<double>> a;
  std::vector<double> ly;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<double> row{1.0};
    for (const auto& c : cols) row.push_back(c.t[i]);
    a.push_back(std::move(row));
    ly.push_back(std::log(y[rows[i]]));
  }
  std::vector<bool> dropped;
  const std::vector<double> b = rows.empty() ? std::vector<double>() : least_squares(a, ly, dropped);
  if (!rows.empty()) {
    double mean = 0;
    for (double v : ly) mean += v;
    mean /= static_cast<double>(ly.size());
    double ss_tot = 0, ss_res = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      double fit = 0;
      for (std::size_t j = 0; j < b.size(); ++j) fit += a[i][j] * b[j];
      ss_res += (ly[i] - fit) * (ly[i] - fit);
      ss_tot += (ly[i] - mean) * (ly[i] - mean);
    }
    res.r_squared = ss_tot > 0 ? 1.0 - ss_res / ss_tot : 0.0;
  }
  for (std::size_t k = 0; k < np; ++k) {
    ParameterEffect e;
    e.name = names[k];
    e.kind = kind[k];
    if (kind[k] == "elasticity" || kind[k] == "semi-elasticity") {
      for (std::size_t j = 0; j < cols.size(); ++j) {
        if (cols[j].parameter != static_cast<int>(k)) continue;
        if (dropped[j + 1]) {
          e.kind = "confounded";
          break;
        }
        e.coefficient = b[j + 1];
        const auto [lo, hi] = std::minmax_element(cols[j].t.begin(), cols[j].t.end());
        double swing = e.coefficient * (*hi - *lo);
        if (std::fabs(swing) < NEGLIGIBLE) swing = e.coefficient = 0;  // rounding noise, not an effect
        e.swing_factor = std::exp(swing);
        // The level with the highest fitted figure: the high end when the coefficient is positive.
        const std::size_t at = static_cast<std::size_t>((swing >= 0 ? hi : lo) - cols[j].t.begin());
        if (swing != 0) e.best_level = level_key(x[rows[at]][k]);
      }
    } else if (kind[k] == "levels") {
      double lo = 0, hi = 0;  // the reference level has 0
      std::string best, worst;
      bool any_dropped = false;
      for (std::size_t j = 0; j < cols.size(); ++j) {
        if (cols[j].parameter != static_cast<int>(k)) continue;
        any_dropped = any_dropped || dropped[j + 1];
        const double c = std::fabs(b[j + 1]) < NEGLIGIBLE ? 0.0 : b[j + 1];  // rounding noise, not an effect
        if (c > hi) {
          hi = c;
          best = cols[j].level;
        }
        lo = std::min(lo, c);
      }
      if (best.empty()) {
        std::map<std::string, int> levels;
        for (std::size_t v : rows) levels.emplace(level_key(x[v][k]), 0);
        best = levels.begin()->first;
      }
      e.best_level = hi > lo ? best : std::string();
      e.swing_factor = std::exp(hi - lo);
      if (any_dropped) e.kind = "confounded";
    }
    res.effects.push_back(std::move(e));
  }
  auto strength = [](const ParameterEffect& e) { return std::fabs(std::log(e.swing_factor)); };
  std::stable_sort(res.effects.begin(), res.effects.end(), [&](const ParameterEffect& p, const ParameterEffect& q) {
    const double sp = strength(p), sq = strength(q);
    if (sp != sq) return sp > sq;
    return p.name < q.name;
  });
  for (std::size_t i = 0; i < res.effects.size(); ++i) res.effects[i].rank = static_cast<int>(i + 1);
  return res;
}

}  // namespace twin::sweep
