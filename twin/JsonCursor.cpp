#include "twin/JsonCursor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace twin {

namespace {
std::string fmt_num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
std::string shown(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}
std::string lower(const std::string& s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
/// Length of the longest common subsequence: how many letters of `a` appear,
/// in order, in `b`.
std::size_t common_subsequence(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
std::size_t common_prefix(const std::string& a, const std::string& b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}
/// `null` reads "null"; any other value its kind and the value, e.g. "a string "x"".
std::string got_words(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  return json_type_words(v) + " " + shown(v);
}
}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
  try {
    return nlohmann::json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    const std::string what = e.what();
    const auto pos = what.find("parse error");
    throw core::ScenarioError(file, "", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos)));
  } catch (const nlohmann::json::exception& e) {
    // The parser also throws out_of_range (a number beyond a double, e.g. 1e400),
    // which is no parse_error: the text is still not JSON the twin can read.
    const std::string what = e.what();
    const auto pos = what.find("] ");
    throw core::ScenarioError(file, "", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Ranked by edit distance ignoring case; ties go to the candidate that keeps
  // more of the word's letters in order ("PNL" is closer to "PNNL", one letter
  // left out, than to "ANL", one letter changed), then to the longer common
  // prefix, then to the first listed.
  const std::string w = lower(word);
  std::string best;
  std::size_t best_d = SIZE_MAX, best_kept = 0, best_prefix = 0;
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    const std::size_t d = edit_distance(w, lc), kept = common_subsequence(w, lc), prefix = common_prefix(w, lc);
    if (d < best_d || (d == best_d && (kept > best_kept || (kept == best_kept && prefix > best_prefix)))) {
      best_d = d;
      best_kept = kept;
      best_prefix = prefix;
      best = c;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best_d <= limit ? best : "";
}

std::string json_type_words(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

JsonCursor::JsonCursor(const nlohmann::json& doc, std::string file, std::shared_ptr<std::vector<core::Diagnostic>> sink)
    : JsonCursor(&doc, "", std::move(file), std::move(sink)) {}

JsonCursor::JsonCursor(const nlohmann::json* node, std::string pointer, std::string file,
                       std::shared_ptr<std::vector<core::Diagnostic>> sink)
    : node_(node), pointer_(std::move(pointer)), file_(std::move(file)), sink_(std::move(sink)) {}

bool JsonCursor::has(const std::string& key) const { return node_->is_object() && node_->contains(key); }

JsonCursor JsonCursor::operator[](const std::string& key) const {
  return JsonCursor(&node_->at(key), pointer_ + "/" + escape_pointer_token(key), file_, sink_);
}

JsonCursor JsonCursor::operator[](std::size_t index) const {
  return JsonCursor(&node_->at(index), pointer_ + "/" + std::to_string(index), file_, sink_);
}

void JsonCursor::error(const std::string& message) const { sink_->push_back({file_, pointer_, message}); }

void JsonCursor::error_at(const std::string& key, const std::string& message) const {
  sink_->push_back({file_, pointer_ + "/" + escape_pointer_token(key), message});
}

bool JsonCursor::expect_object(const std::vector<std::string>& allowed) const {
  if (!node_->is_object()) {
    error("expected an object, got " + json_type_words(*node_));
    return false;
  }
  for (const auto& [key, v] : node_->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string msg = "unknown key '" + key + "'";
    const std::string close = did_you_mean(key, allowed);
    if (!close.empty()) msg += " (did you mean '" + close + "'?)";
    error_at(key, msg);
  }
  return true;
}

bool JsonCursor::expect_array() const {
  if (!node_->is_array()) {
    error("expected an array, got " + json_type_words(*node_));
    return false;
  }
  return true;
}

std::string JsonCursor::string(const std::string& key, const std::string& fallback, bool required) const {
  if (!has(key)) {
    if (required) error("missing required key '" + key + "' (a string)");
    return fallback;
  }
  const auto& v = node_->at(key);
  if (!v.is_string()) {
    error_at(key, "expected a string, got " + json_type_words(v));
    return fallback;
  }
  return v.get<std::string>();
}

double JsonCursor::number(const std::string& key, double fallback, bool required, double min, double max,
                          bool min_exclusive) const {
  if (!has(key)) {
    if (required) error("missing required key '" + key + "' (a number)");
    return fallback;
  }
  const auto& v = node_->at(key);
  if (!v.is_number()) {
    error_at(key, "expected a number, got " + got_words(v));
    return fallback;
  }
  const double x = v.get<double>();
  const bool low_bad = min_exclusive ? !(x > min) : !(x >= min);
  if (low_bad || !(x <= max) || !std::isfinite(x)) {
    std::string range = std::string("a number ") + (min_exclusive ? "> " : ">= ") + fmt_num(min);
    if (std::isfinite(max)) range += " and <= " + fmt_num(max);
    error_at(key, "expected " + range + ", got " + shown(v));
    return fallback;
  }
  return x;
}

long long JsonCursor::integer(const std::string& key, long long fallback, bool required, long long min,
                              long long max) const {
  if (!has(key)) {
    if (required) error("missing required key '" + key + "' (an integer)");
    return fallback;
  }
  const auto& v = node_->at(key);
  const bool whole = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>() &&
                                               std::abs(v.get<double>()) < 9e15);
  if (!whole) {
    error_at(key, "expected an integer, got " + got_words(v));
    return fallback;
  }
  const long long x = v.is_number_float() ? static_cast<long long>(v.get<double>()) : v.get<long long>();
  if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(max)) {
    error_at(key, "expected an integer <= " + std::to_string(max) + ", got " + shown(v));
    return fallback;
  }
  if (x < min || x > max) {
    error_at(key, "expected an integer >= " + std::to_string(min) +
                      (max < (1LL << 53) ? " and <= " + std::to_string(max) : std::string()) + ", got " + shown(v));
    return fallback;
  }
  return x;
}

bool JsonCursor::boolean_or(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& v = node_->at(key);
  if (!v.is_boolean()) {
    error_at(key, "expected true or false, got " + json_type_words(v));
    return fallback;
  }
  return v.get<bool>();
}

std::string JsonCursor::choice(const std::string& key, const std::vector<std::string>& choices,
                               const std::string& fallback, bool required) const {
  if (!has(key)) {
    if (required) error("missing required key '" + key + "'");
    return fallback;
  }
  const auto& v = node_->at(key);
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + ("'" + c + "'");
  if (!v.is_string() || std::find(choices.begin(), choices.end(), v.get<std::string>()) == choices.end()) {
    std::string msg = "expected one of " + list + ", got " + shown(v);
    if (v.is_string()) {
      const std::string close = did_you_mean(v.get<std::string>(), choices);
      if (!close.empty()) msg += " (did you mean '" + close + "'?)";
    }
    error_at(key, msg);
    return fallback;
  }
  return v.get<std::string>();
}

core::Distribution JsonCursor::distribution(const std::string& key, const core::Distribution& fallback, bool required,
                                            double unit_to_si) const {
  using core::Distribution;
  if (!has(key)) {
    if (required) error("missing required key '" + key + "' (a distribution)");
    return fallback;
  }
  const JsonCursor c = (*this)[key];
  const auto& v = c.value();
  if (v.is_number()) {  // a bare number is shorthand for {"fixed": v}
    if (v.get<double>() < 0) {
      c.error("expected a value >= 0, got " + shown(v));
      return fallback;
    }
    return Distribution::fixed(v.get<double>() * unit_to_si);
  }
  static const std::vector<std::string> kinds = {"exponential", "fixed", "lognormal", "normal", "uniform"};
  if (!v.is_object() || v.size() != 1) {
    c.error(
        "expected a distribution: a number, or an object with one key of 'fixed', 'exponential', 'lognormal', "
        "'uniform', 'normal', got " +
        shown(v));
    return fallback;
  }
  const std::string kind = v.begin().key();
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    std::string msg = "unknown distribution '" + kind + "'";
    const std::string close = did_you_mean(kind, kinds);
    if (!close.empty()) msg += " (did you mean '" + close + "'?)";
    c.error_at(kind, msg + "; expected one of 'exponential', 'fixed', 'lognormal', 'normal', 'uniform'");
    return fallback;
  }
  const std::size_t before = sink_->size();
  const double inf = INFINITY;
  if (kind == "fixed") {
    const auto& p = v.at(kind);
    if (!p.is_number() || p.get<double>() < 0) {
      c.error_at(kind, "expected a number >= 0, got " + shown(p));
      return fallback;
    }
    return Distribution::fixed(p.get<double>() * unit_to_si);
  }
  const JsonCursor p = c[kind];
  Distribution d = fallback;
  if (kind == "exponential") {
    if (!p.expect_object({"mean"})) return fallback;
    d = Distribution::exponential(p.number("mean", 1, true, 0, inf, true));
  } else if (kind == "lognormal") {
    if (!p.expect_object({"median", "sigma"})) return fallback;
    const double median = p.number("median", 1, true, 0, inf, true);
    d = Distribution::lognormal(median, p.number("sigma", 0, true, 0, 10));
  } else if (kind == "uniform") {
    if (!p.expect_object({"min", "max"})) return fallback;
    const double lo = p.number("min", 0, true, 0, inf);
    const double hi = p.number("max", 0, true, 0, inf);
    if (hi < lo) p.error("expected min <= max");
    d = Distribution::uniform(lo, hi);
  } else if (kind == "normal") {
    if (!p.expect_object({"mean", "sd"})) return fallback;
    const double mean = p.number("mean", 0, true, 0, inf);
    d = Distribution::normal(mean, p.number("sd", 0, true, 0, inf));
  }
  if (sink_->size() != before) return fallback;
  return d.scaled(unit_to_si);
}

}  // namespace twin
