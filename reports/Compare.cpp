#include "reports/Compare.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "reports/HtmlReport.hpp"
#include "reports/HtmlText.hpp"
#include "reports/Report.hpp"
#include "reports/Svg.hpp"
#include "twin/core/Errors.hpp"

namespace twin::reports {

using ojson = nlohmann::ordered_json;

namespace {

// ---------------------------------------------------------------- checking

std::string pointer_escape(const std::string& key) { return core::escape_pointer_token(key); }

enum class Want { OBJECT, ARRAY, STRING, NUMBER, NUMBER_OR_NULL, BOOLEAN };

const char* want_text(Want w) {
  switch (w) {
    case Want::OBJECT: return "an object";
    case Want::ARRAY: return "an array";
    case Want::STRING: return "a string";
    case Want::NUMBER: return "a number";
    case Want::NUMBER_OR_NULL: return "a number or null";
    case Want::BOOLEAN: return "true or false";
  }
  return "";
}

bool is(const ojson& j, Want w) {
  switch (w) {
    case Want::OBJECT: return j.is_object();
    case Want::ARRAY: return j.is_array();
    case Want::STRING: return j.is_string();
    case Want::NUMBER: return j.is_number();
    case Want::NUMBER_OR_NULL: return j.is_number() || j.is_null();
    case Want::BOOLEAN: return j.is_boolean();
  }
  return false;
}

/// The child `key` of `parent` (at `where`), which must exist and be of kind `w`.
const ojson& need(const ojson& parent, const std::string& where, const std::string& key, Want w,
                  const std::string& file) {
  const std::string ptr = where + "/" + pointer_escape(key);
  auto it = parent.find(key);
  if (it == parent.end())
    throw core::ScenarioError(file, ptr, std::string("missing: expected ") + want_text(w) + " (is this a twin report.json?)");
  if (!is(*it, w))
    throw core::ScenarioError(file, ptr, std::string("expected ") + want_text(w) + ", got " + it->type_name());
  return *it;
}

void need_named_list(const ojson& list, const std::string& where, const std::string& file) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + "/" + std::to_string(i);
    if (!list[i].is_object())
      throw core::ScenarioError(file, at, std::string("expected an object, got ") + list[i].type_name());
    need(list[i], at, "name", Want::STRING, file);
    need(list[i], at, "modes", Want::OBJECT, file);
  }
}

// ---------------------------------------------------------------- rows

ojson pick(const ojson& j, const std::string& pointer) {
  if (!j.is_object() && !j.is_array()) return nullptr;
  try {
    const ojson::json_pointer p(pointer);
    return j.contains(p) ? j.at(p) : ojson(nullptr);
  } catch (const ojson::exception&) {
    return nullptr;
  }
}

ojson make_row(const std::string& metric, const std::string& key, const ojson& va, const ojson& vb) {
  ojson row;
  row["metric"] = metric;
  row["key"] = key;
  row["a"] = va.is_primitive() ? va : ojson(nullptr);
  row["b"] = vb.is_primitive() ? vb : ojson(nullptr);
  if (va.is_number() && vb.is_number()) {
    const double x = va.get<double>(), y = vb.get<double>();
    row["delta"] = round_sig(y - x);
    row["ratio"] = x != 0 ? ojson(round_sig(y / x)) : ojson(nullptr);
  } else {
    row["delta"] = nullptr;
    row["ratio"] = nullptr;
  }
  row["changed"] = row["a"] != row["b"];
  row["significant"] = false;
  return row;
}

/// The 95 % interval the report gives beside the value at `pointer` (a
/// ".../mean" or ".../value" with sibling "ci95_low" and "ci95_high"), if any.
bool interval_of(const ojson& j, const std::string& pointer, double& low, double& high) {
  const std::size_t slash = pointer.rfind('/');
  if (slash == std::string::npos) return false;
  const std::string leaf = pointer.substr(slash + 1);
  if (leaf != "mean" && leaf != "value" && leaf != "factor") return false;
  const ojson lo = pick(j, pointer.substr(0, slash) + "/ci95_low"), hi = pick(j, pointer.substr(0, slash) + "/ci95_high");
  if (!lo.is_number() || !hi.is_number()) return false;
  low = lo.get<double>();
  high = hi.get<double>();
  return true;
}

struct Rows {
  const ojson& a;
  const ojson& b;
  ojson list = ojson::array();
  /// Adds the row for `pointer` unless neither side has it. A change is
  /// significant only where both reports give a 95 % interval over their
  /// replications and the two intervals do not overlap; a figure without an
  /// interval (one replication, a count, a setting) is never marked.
  void add(const std::string& metric, const std::string& pointer) { add(metric, pointer, pointer); }
  /// The same figure at `pa` in A and at `pb` in B (e.g. a list element matched by name).
  void add(const std::string& metric, const std::string& pa, const std::string& pb) {
    const ojson va = pick(a, pa), vb = pick(b, pb);
    if (va.is_null() && vb.is_null()) return;
    ojson row = make_row(metric, va.is_null() ? pb : pa, va, vb);
    double la = 0, ha = 0, lb = 0, hb = 0;
    if (row["changed"].get<bool>() && interval_of(a, pa, la, ha) && interval_of(b, pb, lb, hb))
      row["significant"] = ha < lb || hb < la;
    list.push_back(std::move(row));
  }
};

std::vector<std::string> union_modes(const ojson& a, const ojson& b) {
  std::vector<std::string> m = report_modes(a);
  for (const auto& x : report_modes(b))
    if (std::find(m.begin(), m.end(), x) == m.end()) m.push_back(x);
  return m;
}

std::vector<std::string> union_keys(const ojson& a, const ojson& b) {
  std::vector<std::string> k;
  for (const ojson* j : {&a, &b})
    if (j->is_object())
      for (const auto& [key, v] : j->items())
        if (std::find(k.begin(), k.end(), key) == k.end()) k.push_back(key);
  return k;
}

ojson headline_rows(const ojson& a, const ojson& b, const std::vector<std::string>& modes) {
  Rows r{a, b};
  r.add("scenario", "/scenario/name");
  r.add("seed", "/scenario/seed");
  r.add("horizon, days", "/scenario/horizon_days");
  r.add("replications", "/scenario/replications");
  r.add("R&D productivity multiplier", "/headline/multiplier/value");
  r.add("multiplier, 95 % interval low", "/headline/multiplier/ci95_low");
  r.add("multiplier, 95 % interval high", "/headline/multiplier/ci95_high");
  r.add("multiplier censored", "/headline/multiplier/censored");
  r.add("goal met", "/headline/goal_met");
  r.add("goal met at 95 %", "/headline/goal_met_at_95");
  for (const auto& m : modes) {
    const std::string e = pointer_escape(m);
    r.add("discoveries per year, " + human_name(m), "/headline/discoveries_per_year/" + e + "/mean");
  }
  for (const auto& m : modes)
    r.add("time to first discovery, days, " + human_name(m),
          "/headline/time_to_first_discovery/" + pointer_escape(m) + "/median_days");
  r.add("time to first discovery, baseline / closed loop", "/headline/time_to_first_discovery/ratio");
  for (const auto& k : union_keys(pick(a, "/headline/why/factors"), pick(b, "/headline/why/factors")))
    r.add("why: " + human_name(k), "/headline/why/factors/" + pointer_escape(k));
  r.add("why: carried by", "/headline/why/carried_by");
  // The attribution's steps, matched by name (A's order, then B's own).
  r.add("attribution method", "/attribution/method");
  const ojson sa = pick(a, "/attribution/steps"), sb = pick(b, "/attribution/steps");
  std::vector<std::string> names;
  for (const ojson* l : {&sa, &sb})
    if (l->is_array())
      for (const auto& x : *l) {
        const std::string n = json_string(json_at(x, {"name"}));
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
  auto index_of = [](const ojson& l, const std::string& name) -> std::string {
    if (l.is_array())
      for (std::size_t i = 0; i < l.size(); ++i)
        if (json_string(json_at(l[i], {"name"})) == name) return "/attribution/steps/" + std::to_string(i);
    return "/attribution/steps/-";  // no such element: null
  };
  for (const auto& n : names) r.add("attribution: " + n, index_of(sa, n) + "/factor", index_of(sb, n) + "/factor");
  for (const auto& m : modes)
    for (const auto& [label, k] : {std::pair<const char*, const char*>{"node-hours", "node_hours"},
                                   {"lab-hours", "lab_hours"}, {"energy kWh", "energy_kwh"}, {"dollars", "dollars"}})
      r.add(std::string("cost per discovery, ") + label + ", " + human_name(m),
            "/headline/cost_per_discovery/" + pointer_escape(m) + "/" + k);
  for (const auto& m : modes) {
    const std::string e = pointer_escape(m);
    r.add("dollars, total, " + human_name(m), "/money/modes/" + e + "/total_usd");
    r.add("dollars, clouds, " + human_name(m), "/money/modes/" + e + "/cloud_usd");
    r.add("access refusals, time, job-hours, " + human_name(m), "/security/refusals/" + e + "/time_h");
  }
  r.add("access violations", "/security/violations");
  r.add("discoveries per year lost to the access rules", "/security/cost_of_rules/discoveries_per_year_lost/mean");
  r.add("discoveries per year bought by bursting", "/bursting/bought/discoveries_per_year_gained/mean");
  r.add("discoveries per year bought by the foundation models", "/models/bought/gained_per_year/mean");
  auto enabled = [](const ojson& x, const char* part) {
    const ojson& e = json_at(x, {part, "enabled"});
    return e.is_boolean() && e.get<bool>();
  };
  if (enabled(a, "data") || enabled(b, "data"))
    for (const auto& m : modes) {
      const std::string e = pointer_escape(m);
      r.add("data staged, TB, " + human_name(m), "/data/where_data_waits/" + e + "/staged_tb");
      r.add("data staging, hours moving, " + human_name(m), "/data/where_data_waits/" + e + "/moving_h");
    }
  for (const auto& m : modes) r.add("mean cycle, h, " + human_name(m), "/cycle/" + pointer_escape(m) + "/mean_cycle_h");
  r.add("main bottleneck", "/cycle/bottlenecks/0/stage");
  r.add("main bottleneck, share of the cycle", "/cycle/bottlenecks/0/share");
  return r.list;
}

struct Named {
  std::string kind;
  std::string name;
  const ojson* a = nullptr;
  const ojson* b = nullptr;
};

/// Pairs the elements of two lists by (kind, name): A's order, then B's extra ones.
void pair_by_name(std::vector<Named>& out, const std::string& kind, const ojson& la, const ojson& lb) {
  const std::size_t first = out.size();
  if (la.is_array())
    for (const auto& x : la) out.push_back({kind, json_string(json_at(x, {"name"})), &x, nullptr});
  if (lb.is_array())
    for (const auto& x : lb) {
      const std::string name = json_string(json_at(x, {"name"}));
      auto it = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                             [&](const Named& n) { return n.name == name && n.b == nullptr; });
      if (it != out.end()) it->b = &x;
      else out.push_back({kind, name, nullptr, &x});
    }
}

const char* presence(const Named& n) { return n.a && n.b ? "both" : n.a ? "a" : "b"; }

ojson element_rows(const Named& n, const std::vector<std::string>& modes,
                   const std::vector<std::pair<const char*, const char*>>& fixed,
                   const std::vector<std::pair<const char*, const char*>>& per_mode) {
  static const ojson NONE;
  Rows r{n.a ? *n.a : NONE, n.b ? *n.b : NONE};
  for (const auto& [label, key] : fixed) r.add(label, key);
  for (const auto& m : modes)
    for (const auto& [label, key] : per_mode) r.add(std::string(label) + ", " + human_name(m), "/modes/" + pointer_escape(m) + key);
  return r.list;
}

/// What makes A and B hard to compare: a different horizon, seed or number of replications.
ojson comparison_warnings(const ojson& a, const ojson& b) {
  ojson w = ojson::array();
  const auto differs = [&](const char* pointer) { return pick(a, pointer) != pick(b, pointer); };
  const auto both = [&](const char* pointer) { return pick(a, pointer).dump() + " and " + pick(b, pointer).dump(); };
  if (differs("/scenario/horizon_days"))
    w.push_back("the horizons differ (" + both("/scenario/horizon_days") +
                " days): totals (discoveries, experiments, hours, energy) are not comparable; rates per year are");
  if (differs("/scenario/seed"))
    w.push_back("the seeds differ (" + both("/scenario/seed") +
                "): a difference within the replications' spread may be chance alone");
  if (differs("/scenario/replications"))
    w.push_back("the numbers of replications differ (" + both("/scenario/replications") +
                "): the intervals are not equally reliable");
  return w;
}

std::size_t count_changed(const ojson& rows) {
  std::size_t n = 0;
  for (const auto& r : rows)
    if (r["changed"].get<bool>()) ++n;
  return n;
}

/// Appends one element to a section's `list`: `entry` (empty, or with the
/// element's kind) gains its name, where it is present and its rows, whose
/// differences are added to `changed`.
void add_element(ojson& list, std::size_t& changed, ojson entry, const Named& n, const std::vector<std::string>& modes,
                 const std::vector<std::pair<const char*, const char*>>& fixed,
                 const std::vector<std::pair<const char*, const char*>>& per_mode) {
  entry["name"] = n.name;
  entry["present"] = presence(n);
  entry["rows"] = element_rows(n, modes, fixed, per_mode);
  changed += count_changed(entry["rows"]);
  list.push_back(entry);
}

ojson side(const ojson& r, const std::string& label) {
  ojson s;
  s["label"] = label;
  s["name"] = json_at(r, {"scenario", "name"});
  s["seed"] = json_at(r, {"scenario", "seed"});
  s["horizon_days"] = json_at(r, {"scenario", "horizon_days"});
  s["replications"] = json_at(r, {"scenario", "replications"});
  return s;
}

// ---------------------------------------------------------------- display

/// After an element's name: where it is missing, if anywhere.
const char* presence_note(const ojson& element) {
  return element["present"] == "both" ? "" : element["present"] == "a" ? " (only in A)" : " (only in B)";
}

std::string cell(const ojson& v) {
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number()) return format_number(v.get<double>(), 4);
  if (v.is_string()) return v.get<std::string>();
  return "n/a";
}

std::string delta_cell(const ojson& row) {
  if (!row["delta"].is_number()) {
    if (!row["changed"].get<bool>()) return "";
    if (row["a"].is_null()) return "only in B";
    if (row["b"].is_null()) return "only in A";
    return "changed";
  }
  const double d = row["delta"].get<double>();
  if (d == 0) return "0";
  return (d > 0 ? "+" : "") + format_number(d, 4);
}

std::string ratio_cell(const ojson& row) {
  return row["ratio"].is_number() ? "\u00d7" + format_number(row["ratio"].get<double>(), 4) : "";
}

std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string pad(const std::string& s, std::size_t w, bool right) {
  const std::size_t n = width(s);
  if (n >= w) return s;
  return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

constexpr std::size_t METRIC_W = 48;
constexpr std::size_t VALUE_W = 12;

void text_rows(std::string& o, const ojson& rows, bool all_rows, const std::string& indent) {
  std::size_t hidden = 0;
  for (const auto& row : rows) {
    const bool changed = row["changed"].get<bool>();
    if (!changed && !all_rows) {
      ++hidden;
      continue;
    }
    const std::string metric = row["metric"].get<std::string>();
    const std::string mark = row.value("significant", false) ? "* " : "  ";
    if (row["a"].is_string() || row["b"].is_string()) {
      const std::string a = cell(row["a"]), b = cell(row["b"]);
      if (!changed || width(a) + width(b) <= 2 * VALUE_W) {
        o += indent + mark + pad(metric, METRIC_W, false) + " " + pad(a, VALUE_W, true) + " " + pad(b, VALUE_W, true) + "\n";
      } else {
        o += indent + mark + metric + "\n" + indent + "    A: " + a + "\n" + indent + "    B: " + b + "\n";
      }
      continue;
    }
    o += indent + mark + pad(metric, METRIC_W, false) + " " + pad(cell(row["a"]), VALUE_W, true) + " " +
         pad(cell(row["b"]), VALUE_W, true) + " " + pad(delta_cell(row), VALUE_W, true) + " " +
         pad(ratio_cell(row), VALUE_W - 2, true) + "\n";
  }
  if (hidden > 0 && !all_rows)
    o += indent + "  (" + std::to_string(hidden) + " unchanged row" + (hidden == 1 ? "" : "s") + " not shown)\n";
}

std::string side_text(const ojson& s) {
  const std::string label = json_string(s["label"]);
  return (label.empty() ? "" : label + ": ") + json_string(s["name"], "?") + ", seed " + s["seed"].dump() + ", " +
         format_number(json_number(s["horizon_days"])) + " days, " + s["replications"].dump() + " replications";
}

std::string column_header(const std::string& indent) {
  return indent + "  " + pad("", METRIC_W, false) + " " + pad("A", VALUE_W, true) + " " + pad("B", VALUE_W, true) + " " +
         pad("B - A", VALUE_W, true) + " " + pad("B / A", VALUE_W - 2, true) + "\n";
}

std::string esc(const std::string& s) { return escape_html(s); }

void html_rows(std::string& o, const ojson& rows, bool all_rows) {
  std::size_t hidden = 0;
  std::string body;
  for (const auto& row : rows) {
    const bool changed = row["changed"].get<bool>();
    if (!changed && !all_rows) {
      ++hidden;
      continue;
    }
    body += std::string("<tr") + (changed ? " class=\"changed\"" : "") + "><td>" +
            (row.value("significant", false) ? "* " : "") + esc(row["metric"].get<std::string>()) +
            "</td><td class=\"n\">" + esc(cell(row["a"])) + "</td><td class=\"n\">" + esc(cell(row["b"])) +
            "</td><td class=\"n\">" + esc(delta_cell(row)) + "</td><td class=\"n\">" + esc(ratio_cell(row)) + "</td></tr>\n";
  }
  if (!body.empty())
    o += "<table>\n<tr><th>metric</th><th>A</th><th>B</th><th>B \u2212 A</th><th>B / A</th></tr>\n" + body + "</table>\n";
  if (hidden > 0)
    o += "<p class=\"caption\">" + std::to_string(hidden) + " unchanged row" + (hidden == 1 ? "" : "s") +
         " not shown.</p>\n";
}

/// A bar chart of A against B for the numeric rows whose key ends in `suffix`.
BarChart ab_chart(const std::string& title, const std::vector<std::pair<std::string, const ojson*>>& rows,
                  ValueFormat f, const std::string& unit) {
  BarChart ch;
  ch.title = title;
  ch.series_names = {"A", "B"};
  ch.series_colors = {COLOR_A, COLOR_B};
  ch.format = f;
  ch.unit = unit;
  for (const auto& [label, row] : rows)
    ch.groups.push_back({label, {json_number((*row)["a"]), json_number((*row)["b"])}});
  return ch;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

// ---------------------------------------------------------------- public

void check_report(const ojson& r, const std::string& file) {
  if (!r.is_object()) throw core::ScenarioError(file, "", std::string("expected a report object, got ") + r.type_name());
  need(r, "", "schema_version", Want::NUMBER, file);
  const ojson& sc = need(r, "", "scenario", Want::OBJECT, file);
  need(sc, "/scenario", "name", Want::STRING, file);
  const ojson& h = need(r, "", "headline", Want::OBJECT, file);
  const ojson& m = need(h, "/headline", "multiplier", Want::OBJECT, file);
  need(m, "/headline/multiplier", "value", Want::NUMBER_OR_NULL, file);
  need(m, "/headline/multiplier", "censored", Want::BOOLEAN, file);
  need(h, "/headline", "goal_met", Want::BOOLEAN, file);
  need(h, "/headline", "discoveries_per_year", Want::OBJECT, file);
  need_named_list(need(r, "", "campaigns", Want::ARRAY, file), "/campaigns", file);
  const ojson& res = need(r, "", "resources", Want::OBJECT, file);
  for (const char* k : {"hpc", "labs", "links"}) need_named_list(need(res, "/resources", k, Want::ARRAY, file), std::string("/resources/") + k, file);
  const ojson& labs = res["labs"];
  for (std::size_t i = 0; i < labs.size(); ++i) {
    auto it = labs[i].find("stations");
    if (it == labs[i].end()) continue;
    const std::string at = "/resources/labs/" + std::to_string(i);
    need_named_list(need(labs[i], at, "stations", Want::ARRAY, file), at + "/stations", file);
  }
  need(r, "", "cycle", Want::OBJECT, file);
}

ojson load_report(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string file = path;
  if (fs::is_directory(path, ec)) {
    file = (fs::path(path) / "report.json").string();
    if (!fs::exists(file, ec)) throw core::ScenarioError(path, "", "this folder holds no report.json");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int e = errno;
    throw core::ScenarioError(file, "", std::string("cannot read: ") + (fs::exists(file, ec) ? std::strerror(e) : "no such file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  ojson r;
  try {
    r = ojson::parse(text.str());
  } catch (const ojson::exception& e) {  // parse_error, and out_of_range for a number beyond a double (1e400)
    std::string what = e.what();
    const std::size_t cut = what.find("] ");
    if (what.rfind("[json.exception", 0) == 0 && cut != std::string::npos) what = what.substr(cut + 2);
    throw core::ScenarioError(file, "", "not JSON: " + what);
  }
  check_report(r, file);
  return r;
}

ojson compare_reports(const ojson& a, const ojson& b, const std::string& label_a, const std::string& label_b) {
  const std::vector<std::string> modes = union_modes(a, b);
  ojson out;
  out["a"] = side(a, label_a);
  out["b"] = side(b, label_b);
  out["warnings"] = comparison_warnings(a, b);
  out["headline"] = headline_rows(a, b, modes);

  std::vector<Named> camps;
  pair_by_name(camps, "campaign", json_at(a, {"campaigns"}), json_at(b, {"campaigns"}));
  ojson clist = ojson::array();
  std::size_t changed_c = 0;
  for (const auto& n : camps) {
    add_element(clist, changed_c, ojson::object(), n, modes,
                {{"kernel", "/kernel"}, {"target", "/target"}, {"HPC", "/hpc"}, {"lab", "/lab"}},
                {{"policy", "/policy"},
                 {"discoveries per year", "/discoveries_per_year/mean"},
                 {"discoveries", "/discoveries/mean"},
                 {"lab experiments", "/experiments"},
                 {"failed experiments", "/failed_experiments"},
                 {"simulations", "/simulations"},
                 {"cycles", "/cycles"},
                 {"time to first discovery, median days", "/time_to_first_discovery/median_days"},
                 {"time to first discovery, p90 days", "/time_to_first_discovery/p90_days"},
                 {"node-hours", "/cost/node_hours"},
                 {"lab-hours", "/cost/lab_hours"},
                 {"energy, kWh", "/cost/energy_kwh"}});
  }
  out["campaigns"] = clist;

  std::vector<Named> res;
  pair_by_name(res, "hpc", json_at(a, {"resources", "hpc"}), json_at(b, {"resources", "hpc"}));
  pair_by_name(res, "lab", json_at(a, {"resources", "labs"}), json_at(b, {"resources", "labs"}));
  {
    // Stations of every lab, flattened, so a station that moved labs still pairs.
    ojson sa = ojson::array(), sb = ojson::array();
    for (const auto& [list, dst] : {std::pair<const ojson*, ojson*>{&json_at(a, {"resources", "labs"}), &sa},
                                    std::pair<const ojson*, ojson*>{&json_at(b, {"resources", "labs"}), &sb}})
      if (list->is_array())
        for (const auto& l : *list)
          if (json_at(l, {"stations"}).is_array())
            for (const auto& s : l["stations"]) dst->push_back(s);
    std::vector<Named> st;
    pair_by_name(st, "station", sa, sb);
    ojson rlist = ojson::array();
    std::size_t changed_r = 0;
    // The stations' Named entries point into sa and sb, which live to the end of this block.
    auto emit = [&](const Named& n) {
      ojson x;
      x["kind"] = n.kind;
      add_element(rlist, changed_r, x, n, modes, {{"capacity", "/capacity"}, {"bandwidth, Gb/s", "/bandwidth_gbps"}},
                  {{"utilisation (0-1)", "/utilisation"},
                   {"mean queue", "/queue_mean"},
                   {"longest queue", "/queue_max"},
                   {"mean wait, h", "/wait_mean_h"},
                   {"longest wait, h", "/wait_max_h"},
                   {"energy, kWh", "/energy_kwh"},
                   {"background jobs", "/background_jobs"},
                   {"node failures", "/node_failures"},
                   {"jobs killed by failures", "/jobs_killed_by_failures"},
                   {"campaign jobs requeued", "/campaign_jobs_requeued"},
                   {"data moved, TB", "/bytes_tb"}});
    };
    for (const auto& n : res)
      if (n.kind == "hpc") emit(n);
    for (const auto& n : res)
      if (n.kind == "lab") emit(n);
    for (const auto& n : st) emit(n);
    std::vector<Named> links;
    pair_by_name(links, "link", json_at(a, {"resources", "links"}), json_at(b, {"resources", "links"}));
    for (const auto& n : links) emit(n);
    out["resources"] = rlist;
    ojson changed;
    changed["headline"] = count_changed(out["headline"]);
    changed["campaigns"] = changed_c;
    changed["resources"] = changed_r;
    out["changed"] = changed;
  }
  return out;
}

std::string compare_text(const ojson& cmp, bool all_rows) {
  std::string o;
  o += "Comparison of two reports (* marks a difference the replications support: the 95 % intervals of A and B do "
       "not overlap)\n  A: " + side_text(cmp["a"]) + "\n  B: " + side_text(cmp["b"]) + "\n";
  if (cmp.contains("warnings"))
    for (const auto& w : cmp["warnings"]) o += "warning: " + w.get<std::string>() + "\n";
  o += "\nHeadline\n" + column_header("");
  text_rows(o, cmp["headline"], true, "");
  o += "\nCampaigns\n";
  if (cmp["changed"]["campaigns"].get<std::size_t>() == 0 && !all_rows) o += "  no differences\n";
  else {
    o += column_header("  ");
    for (const auto& c : cmp["campaigns"]) {
      if (!all_rows && count_changed(c["rows"]) == 0) continue;
      o += "  campaign " + c["name"].get<std::string>() + presence_note(c) + "\n";
      text_rows(o, c["rows"], all_rows, "  ");
    }
  }
  o += "\nResources\n";
  if (cmp["changed"]["resources"].get<std::size_t>() == 0 && !all_rows) o += "  no differences\n";
  else {
    o += column_header("  ");
    std::size_t quiet = 0;
    for (const auto& x : cmp["resources"]) {
      if (!all_rows && count_changed(x["rows"]) == 0) {
        ++quiet;
        continue;
      }
      o += "  " + x["kind"].get<std::string>() + " " + x["name"].get<std::string>() + presence_note(x) + "\n";
      text_rows(o, x["rows"], all_rows, "  ");
    }
    if (quiet > 0) o += "  (" + std::to_string(quiet) + " resources without differences not shown)\n";
  }
  return o;
}

std::string render_html_compare(const ojson& cmp, bool all_rows) {
  const ojson& sa = cmp["a"];
  const ojson& sb = cmp["b"];
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Genesis Twin comparison: " +
       esc(json_string(sa["name"], "?")) + " / " + esc(json_string(sb["name"], "?")) + "</title>\n<style>\n" +
       html_style() + "tr.changed td{background:#fff6d6}\n</style>\n</head>\n<body>\n";
  o += "<header>\n<h1>Genesis Twin comparison</h1>\n<p class=\"meta\"><span class=\"swatch\" style=\"background:" +
       std::string(COLOR_A) + "\"></span>A: " + esc(side_text(sa)) + "</p>\n<p class=\"meta\"><span class=\"swatch\" style=\"background:" +
       std::string(COLOR_B) + "\"></span>B: " + esc(side_text(sb)) + "</p>\n</header>\n";

  // The verdict of each side, then charts of the headline numbers.
  const ojson* mult = nullptr;
  std::vector<std::pair<std::string, const ojson*>> dpy, ttfd, cyc;
  for (const auto& row : cmp["headline"]) {
    const std::string key = row["key"].get<std::string>();
    if (key == "/headline/multiplier/value") mult = &row;
    else if (key.rfind("/headline/discoveries_per_year/", 0) == 0)
      dpy.emplace_back(row["metric"].get<std::string>().substr(std::string("discoveries per year, ").size()), &row);
    else if (key.rfind("/headline/time_to_first_discovery/", 0) == 0 && ends_with(key, "/median_days"))
      ttfd.emplace_back(row["metric"].get<std::string>().substr(std::string("time to first discovery, days, ").size()), &row);
    else if (key.rfind("/cycle/", 0) == 0 && ends_with(key, "/mean_cycle_h"))
      cyc.emplace_back(row["metric"].get<std::string>().substr(std::string("mean cycle, h, ").size()), &row);
  }
  o += "<section id=\"verdict\" class=\"verdict\">\n<h2>Headline</h2>\n";
  if (mult)
    o += "<p class=\"big\">R&amp;D productivity multiplier: A <strong>" + esc(cell((*mult)["a"])) + "</strong>, B <strong>" +
         esc(cell((*mult)["b"])) + "</strong>" +
         ((*mult)["ratio"].is_number() ? " (B / A " + esc(ratio_cell(*mult)) + ")" : std::string()) + "</p>\n";
  std::size_t total = 0;
  for (const char* k : {"headline", "campaigns", "resources"}) total += cmp["changed"][k].get<std::size_t>();
  o += "<p>" + std::to_string(total) + " differences: " + cmp["changed"]["headline"].dump() + " in the headline, " +
       cmp["changed"]["campaigns"].dump() + " in campaigns, " + cmp["changed"]["resources"].dump() +
       " in resources; * marks one beyond the replications' spread (95 % intervals that do not overlap).</p>\n";
  if (cmp.contains("warnings"))
    for (const auto& w : cmp["warnings"]) o += "<p class=\"warning\">Warning: " + esc(w.get<std::string>()) + "</p>\n";
  o += "</section>\n";
  o += "<div class=\"pair\">";
  if (mult) o += "<figure>" + bar_chart_svg(ab_chart("R&D productivity multiplier", {{"multiplier", mult}}, ValueFormat::NUMBER, "")) + "</figure>";
  if (!dpy.empty()) o += "<figure>" + bar_chart_svg(ab_chart("Discoveries per year", dpy, ValueFormat::NUMBER, "")) + "</figure>";
  if (!ttfd.empty()) o += "<figure>" + bar_chart_svg(ab_chart("Median time to first discovery", ttfd, ValueFormat::NUMBER, "days")) + "</figure>";
  if (!cyc.empty()) o += "<figure>" + bar_chart_svg(ab_chart("Mean cycle", cyc, ValueFormat::NUMBER, "h")) + "</figure>";
  o += "</div>\n";
  o += "<section>\n<h2>Headline, in full</h2>\n";
  html_rows(o, cmp["headline"], true);
  o += "</section>\n<section>\n<h2>Campaigns</h2>\n";
  std::vector<std::pair<std::string, const ojson*>> camp_dpy;
  for (const auto& c : cmp["campaigns"])
    for (const auto& row : c["rows"])
      if (ends_with(row["key"].get<std::string>(), "/discoveries_per_year/mean"))
        camp_dpy.emplace_back(c["name"].get<std::string>() + ", " +
                                  row["metric"].get<std::string>().substr(std::string("discoveries per year, ").size()),
                              &row);
  if (!camp_dpy.empty())
    o += "<figure>" + bar_chart_svg(ab_chart("Discoveries per year per campaign and mode", camp_dpy, ValueFormat::NUMBER, "")) + "</figure>\n";
  for (const auto& c : cmp["campaigns"]) {
    if (!all_rows && count_changed(c["rows"]) == 0) continue;
    o += "<h3>" + esc(c["name"].get<std::string>() + presence_note(c)) + "</h3>\n";
    html_rows(o, c["rows"], all_rows);
  }
  if (cmp["changed"]["campaigns"].get<std::size_t>() == 0) o += "<p>No differences.</p>\n";
  o += "</section>\n<section>\n<h2>Resources</h2>\n";
  std::vector<std::pair<std::string, const ojson*>> util;
  for (const auto& x : cmp["resources"])
    for (const auto& row : x["rows"])
      if (ends_with(row["key"].get<std::string>(), "/utilisation") && (all_rows || row["changed"].get<bool>()))
        util.emplace_back(x["kind"].get<std::string>() + " " + x["name"].get<std::string>() + ", " +
                              row["metric"].get<std::string>().substr(std::string("utilisation (0-1), ").size()),
                          &row);
  if (!util.empty())
    o += "<figure>" + bar_chart_svg(ab_chart(all_rows ? "Utilisation" : "Utilisation, where it differs", util, ValueFormat::PERCENT, "")) + "</figure>\n";
  std::size_t quiet = 0;
  for (const auto& x : cmp["resources"]) {
    if (!all_rows && count_changed(x["rows"]) == 0) {
      ++quiet;
      continue;
    }
    o += "<h3>" + esc(x["kind"].get<std::string>() + " " + x["name"].get<std::string>() + presence_note(x)) + "</h3>\n";
    html_rows(o, x["rows"], all_rows);
  }
  if (quiet > 0) o += "<p class=\"caption\">" + std::to_string(quiet) + " resources without differences not shown.</p>\n";
  o += "</section>\n<footer><p>Generated by Genesis Twin (twin compare) from two report.json files.</p></footer>\n</body>\n</html>\n";
  return o;
}

}  // namespace twin::reports
