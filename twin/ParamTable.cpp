#include "twin/ParamTable.hpp"

#include <cctype>
#include <cmath>

namespace twin {

UnitSuffix unit_of_key(const std::string& key) {
  // Longest suffixes first where one ends another ("_ms" before "_s", "_kw" before "_w").
  static const std::vector<std::pair<std::string, UnitSuffix>> suffixes = {
      {"_gflops", {"Gflop/s", 1e9}}, {"_gbps", {"Gb/s", 1e9 / 8.0}}, {"_bytes", {"bytes", 1}},
      {"_days", {"days", 86400.0}},  {"_day", {"days", 86400.0}},   {"_min", {"min", 60.0}},
      {"_ms", {"ms", 1000.0, true}}, {"_kw", {"kW", 1000.0}},       {"_mw", {"MW", 1e6}},
      {"_mb", {"MB", 1e6}},          {"_gb", {"GB", 1e9}},          {"_tb", {"TB", 1e12}},
      {"_h", {"h", 3600.0}},         {"_s", {"s", 1}},              {"_w", {"W", 1}},
      {"_usd", {"USD", 1}},
  };
  for (const auto& [tail, u] : suffixes)
    if (key.size() > tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0) return u;
  return {};
}

const ParamDoc* TableDoc::find(const std::string& key) const {
  for (const auto& p : params)
    if (p.key == key) return &p;
  return nullptr;
}

nlohmann::ordered_json number_json(double v) {
  if (std::abs(v) < 1e15 && v == std::floor(v)) return static_cast<long long>(v);
  return v;
}

nlohmann::ordered_json distribution_json(const core::Distribution& d) {
  using K = core::Distribution::Kind;
  const auto a = number_json(d.a()), b = number_json(d.b());
  switch (d.kind()) {
    case K::FIXED: return {{"fixed", a}};
    case K::EXPONENTIAL: return {{"exponential", {{"mean", a}}}};
    case K::LOGNORMAL: return {{"lognormal", {{"median", a}, {"sigma", b}}}};
    case K::UNIFORM: return {{"uniform", {{"min", a}, {"max", b}}}};
    case K::NORMAL: return {{"normal", {{"mean", a}, {"sd", b}}}};
  }
  return nullptr;
}

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (char ch : n)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) return false;
  return true;
}

std::string read_name(const JsonCursor& c, const std::string& key) {
  const std::string n = c.string(key);
  if (c.has(key) && c[key].value().is_string() && !valid_name(n))
    c.error_at(key, "expected a name of 1-64 letters, digits, '-', '_' or '.', got \"" + n + "\"");
  return n;
}

}  // namespace twin
