#include "reports/HtmlText.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace twin::reports {

using ojson = nlohmann::ordered_json;

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string strip_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string group_thousands(const std::string& digits) {
  // digits: an optional '-' then decimal digits.
  const std::size_t start = !digits.empty() && digits[0] == '-' ? 1 : 0;
  std::string out = digits.substr(0, start);
  const std::size_t n = digits.size() - start;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += "\u2009";  // thin space
    out += digits[start + i];
  }
  return out;
}

}  // namespace

std::string format_number(double x, int sig) {
  if (!std::isfinite(x)) return "n/a";
  if (x == 0) return "0";
  if (sig < 1) sig = 1;
  const double ax = std::fabs(x);
  char buf[64];
  if (ax < 1e-4 || ax >= 1e15) {
    std::snprintf(buf, sizeof buf, "%.*e", sig - 1, x);
    return buf;
  }
  // Round to `sig` digits first, so 9.996 with 3 digits counts as 10.0.
  std::snprintf(buf, sizeof buf, "%.*e", sig - 1, x);
  const double r = std::strtod(buf, nullptr);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(r))));
  if (magnitude >= sig - 1) {
    std::snprintf(buf, sizeof buf, "%.0f", x);  // whole units: counts stay exact
    return magnitude >= 4 ? group_thousands(buf) : std::string(buf);
  }
  std::snprintf(buf, sizeof buf, "%.*f", sig - 1 - magnitude, r);
  std::string s = strip_zeros(buf);
  return s == "-0" ? "0" : s;
}

std::string format_percent(double share, int sig) {
  if (!std::isfinite(share)) return "n/a";
  return format_number(100.0 * share, sig) + " %";
}

std::string format_coord(double x) {
  if (!std::isfinite(x)) x = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  std::string s = buf;
  return s == "-0.0" ? "0.0" : s;
}

const ojson& json_at(const ojson& j, std::initializer_list<std::string_view> path) {
  static const ojson NULL_VALUE;
  const ojson* at = &j;
  for (std::string_view key : path) {
    if (!at->is_object()) return NULL_VALUE;
    auto it = at->find(std::string(key));
    if (it == at->end()) return NULL_VALUE;
    at = &*it;
  }
  return *at;
}

double json_number(const ojson& j) { return j.is_number() ? j.get<double>() : NAN; }

std::string json_string(const ojson& j, std::string_view fallback) {
  return j.is_string() ? j.get<std::string>() : std::string(fallback);
}

std::string human_name(std::string_view key) {
  std::string s(key);
  for (char& c : s)
    if (c == '_') c = ' ';
  return s;
}

/// The modes of a report, closed_loop first and baseline second.
std::vector<std::string> report_modes(const ojson& r) {
  std::vector<std::string> listed;
  const ojson& m = json_at(r, {"scenario", "modes"});
  if (m.is_array())
    for (const auto& x : m)
      if (x.is_string()) listed.push_back(x.get<std::string>());
  if (listed.empty()) {
    const ojson& d = json_at(r, {"headline", "discoveries_per_year"});
    if (d.is_object())
      for (const auto& [k, v] : d.items()) listed.push_back(k);
  }
  std::vector<std::string> out;
  for (const char* first : {"closed_loop", "baseline"})
    if (std::find(listed.begin(), listed.end(), first) != listed.end()) out.push_back(first);
  for (const auto& x : listed)
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  return out;
}

const char* stage_color(const std::string& stage, std::size_t index) {
  static const char* const known[][2] = {{"agent", "#6a3d9a"},     {"people", "#c0392b"},   {"hpc_queue", "#b07d12"},
                                         {"hpc_run", "#e67e22"},   {"transfer", "#2c7fb8"}, {"lab_queue", "#5aae61"},
                                         {"lab_run", "#1b7837"}};
  for (const auto& k : known)
    if (stage == k[0]) return k[1];
  static const char* const spare[] = {"#7f7f7f", "#8c564b", "#e377c2", "#17becf"};
  return spare[index % 4];
}

}  // namespace twin::reports
