// Scenario parsing and validation: one pass over the JSON with a JsonCursor,
// collecting every error, then cross-checks (references, unique names, a
// connected network) and a trial build of each campaign's kernel.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "agents/Policy.hpp"
#include "hpc/Scheduler.hpp"
#include "lab/LabConfig.hpp"
#include "twin/Embedded.hpp"
#include "twin/JsonCursor.hpp"
#include "twin/Output.hpp"
#include "twin/Scenario.hpp"

namespace twin {

namespace {

constexpr double INF = INFINITY;
constexpr double DAY = 86400.0;
constexpr double GBPS_TO_BYTES = 1e9 / 8.0;
const char* const EMBEDDED_PREFIX = "<embedded>/";

bool is_embedded(const std::string& file) { return file.rfind(EMBEDDED_PREFIX, 0) == 0; }

/// Reads a file a scenario refers to: relative to the scenario's folder, or
/// from the embedded files for the embedded scenario.
bool read_referenced(const std::string& scenario_file, const std::string& rel, std::string& out, std::string& where) {
  if (is_embedded(scenario_file)) {
    const auto& files = embedded_files();
    const std::string key = "scenarios/" + rel;
    auto it = files.find(key);
    where = std::string(EMBEDDED_PREFIX) + rel;
    if (it == files.end()) return false;
    out = it->second;
    return true;
  }
  std::filesystem::path p(rel);
  if (p.is_relative()) p = std::filesystem::path(scenario_file).parent_path() / p;
  where = p.string();
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool parse_weekdays(const std::string& text, std::array<bool, 7>& days) {
  static const std::vector<std::string> names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto index = [&](const std::string& n) -> int {
    auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  };
  days.fill(false);
  std::stringstream ss(text);
  std::string part;
  bool any = false;
  while (std::getline(ss, part, ',')) {
    const auto dash = part.find('-');
    if (dash == std::string::npos) {
      const int i = index(part);
      if (i < 0) return false;
      days[static_cast<std::size_t>(i)] = true;
    } else {
      const int a = index(part.substr(0, dash)), b = index(part.substr(dash + 1));
      if (a < 0 || b < 0 || b < a) return false;
      for (int i = a; i <= b; ++i) days[static_cast<std::size_t>(i)] = true;
    }
    any = true;
  }
  return any;
}

bool parse_hours(const std::string& text, int& start_min, int& end_min) {
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4) return false;
  if (h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59) return false;
  start_min = h1 * 60 + m1;
  end_min = h2 * 60 + m2;
  return start_min < end_min && end_min <= 24 * 60;
}

/// An HPC system's `outages`: windows [from_day, to_day), to after from, in
/// order and without overlaps, each starting before the horizon (a window
/// may cross it).
std::vector<hpc::Outage> read_hpc_outages(const JsonCursor& c, double horizon_s) {
  std::vector<hpc::Outage> out;
  if (!c.has("outages") || !c["outages"].expect_array()) return out;
  const JsonCursor arr = c["outages"];
  auto day = [](double t_s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", t_s / DAY);
    return std::string(buf);
  };
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const JsonCursor w = arr[i];
    if (!w.expect_object({"from_day", "to_day", "reason"})) continue;
    hpc::Outage o;
    o.from_s = w.number("from_day", 0, true, 0, INF) * DAY;
    o.to_s = w.number("to_day", 0, true, 0, INF) * DAY;
    o.reason = w.string_or("reason", "outage");
    if (!w.has("from_day") || !w.has("to_day")) continue;
    if (!(o.to_s > o.from_s)) {
      w.error_at("to_day", "expected a day after from_day");
      continue;
    }
    if (!(o.from_s < horizon_s)) {
      w.error_at("from_day", "expected a day before the horizon (day " + day(horizon_s) + ")");
      continue;
    }
    if (!out.empty() && o.from_s < out.back().to_s) {
      w.error_at("from_day", "expected windows in order and without overlaps (the previous one ends on day " +
                                 day(out.back().to_s) + ")");
      continue;
    }
    out.push_back(std::move(o));
  }
  return out;
}

Availability read_availability(const JsonCursor& c) {
  Availability a;
  a.online_from_s = c.number_or("online_from_day", 0, 0, INF) * DAY;
  if (c.has("offline_from_day")) {
    a.offline_from_s = c.number_or("offline_from_day", INF, 0, INF) * DAY;
    if (a.offline_from_s <= a.online_from_s) c.error_at("offline_from_day", "expected a day after online_from_day");
  }
  return a;
}

std::string day_text(double day) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", day);
  return buf;
}

/// `outages`: windows [from_day, to_day) in order, without overlaps; a
/// window may cross the horizon.
std::vector<core::Outage> read_outages(const JsonCursor& c) {
  std::vector<core::Outage> out;
  if (!c.has("outages") || !c["outages"].expect_array()) return out;
  const JsonCursor arr = c["outages"];
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const JsonCursor w = arr[i];
    if (!w.expect_object({"from_day", "to_day", "reason"})) continue;
    core::Outage o;
    o.from_s = w.number("from_day", 0, true, 0, INF) * DAY;
    o.to_s = w.number("to_day", 0, true, 0, INF) * DAY;
    o.reason = w.string_or("reason", "outage");
    if (!w.has("from_day") || !w.has("to_day")) continue;
    if (!(o.to_s > o.from_s)) {
      w.error_at("to_day", "expected a day after from_day");
      continue;
    }
    if (!out.empty() && o.from_s < out.back().to_s) {
      w.error_at("from_day", "expected windows in order and without overlaps (the previous one ends on day " +
                                 day_text(out.back().to_s / DAY) + ")");
      continue;
    }
    out.push_back(std::move(o));
  }
  return out;
}

/// `outages`, plus `mtbf_h`/`repair_h` (random whole-facility outages) where `random`.
void read_outages_into(const JsonCursor& c, Availability& a, bool random) {
  a.outages = read_outages(c);
  if (!random) return;
  a.mtbf_s = c.number_or("mtbf_h", 0, 0, 1e9) * 3600.0;
  a.repair_s = c.number_or("repair_h", 24, 0, 1e9) * 3600.0;
  if (c.has("repair_h") && !c.has("mtbf_h")) c.error_at("repair_h", "expected mtbf_h with it");
}

/// A campaign's `hpc` or `lab`: one name or a list of names in order of preference.
std::vector<std::string> read_preference(const JsonCursor& c, const std::string& key) {
  std::vector<std::string> out;
  if (!c.has(key)) {
    c.error("missing required key '" + key + "' (a name, or a list of names in order of preference)");
    return out;
  }
  const JsonCursor v = c[key];
  if (v.value().is_string()) return {v.value().get<std::string>()};
  if (!v.value().is_array() || v.size() == 0) {
    v.error("expected a name or a non-empty list of names in order of preference");
    return out;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].value().is_string()) {
      v[i].error("expected a name");
      continue;
    }
    const std::string n = v[i].value().get<std::string>();
    if (std::find(out.begin(), out.end(), n) != out.end()) v[i].error("'" + n + "' is listed twice");
    out.push_back(n);
  }
  return out;
}

StaffedHours read_staffed(const JsonCursor& parent, const std::string& key) {
  StaffedHours s;
  s.always = false;
  s.weekdays = {true, true, true, true, true, false, false};
  if (!parent.has(key)) return s;
  const JsonCursor c = parent[key];
  if (c.value().is_string() && c.value().get<std::string>() == "24/7") {
    s.always = true;
    return s;
  }
  if (!c.expect_object({"weekdays", "hours"})) return s;
  const std::string wd = c.string_or("weekdays", "mon-fri");
  if (!parse_weekdays(wd, s.weekdays))
    c.error_at("weekdays", "expected weekdays like 'mon-fri' or 'mon,wed,fri', got \"" + wd + "\"");
  const std::string hrs = c.string_or("hours", "08:00-17:00");
  if (!parse_hours(hrs, s.start_min, s.end_min))
    c.error_at("hours", "expected hours like '08:00-17:00' (start before end), got \"" + hrs + "\"");
  return s;
}

template <class T>
void check_unique(const JsonCursor& arr, const std::vector<T>& items, const char* what) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto [it, fresh] = seen.emplace(items[i].name, i);
    if (!fresh) arr[i].error_at("name", std::string("duplicate ") + what + " name '" + items[i].name +
                                              "' (first at index " + std::to_string(it->second) + ")");
  }
}

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (char ch : n)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) return false;
  return true;
}

std::string read_name(const JsonCursor& c) {
  const std::string n = c.string("name");
  if (c.has("name") && c["name"].value().is_string() && !valid_name(n))
    c.error_at("name", "expected a name of 1-64 letters, digits, '-', '_' or '.', got \"" + n + "\"");
  return n;
}

ModeAgentSpec read_mode_agent(const JsonCursor& c, bool baseline) {
  ModeAgentSpec m;
  if (baseline) {
    m.policy = "grid";
    m.cadence_s = 7 * DAY;
    m.decision_s = core::Distribution::fixed(2 * 3600.0);
    m.staffed_decisions = true;
    m.handoff_s = core::Distribution::lognormal(4 * 3600.0, 0.5);
  } else {
    m.policy = "random";
    m.decision_s = core::Distribution::fixed(0);
    m.staffed_decisions = false;
  }
  if (!c.expect_object({"policy", "policy_params", "batch", "screen", "cadence_days", "decision_min", "handoff_min",
                        "staffed_decisions"}))
    return m;
  m.policy = c.string_or("policy", m.policy);
  if (c.has("policy_params")) {
    const JsonCursor p = c["policy_params"];
    if (!p.is_object()) {
      p.error("expected an object of policy parameters (`twin models` lists them)");
    } else {
      for (const auto& [k, v] : p.value().items()) {
        if (v.is_string()) m.policy_params[k] = v.get<std::string>();
        else if (v.is_boolean()) m.policy_params[k] = v.get<bool>() ? "true" : "false";
        else if (v.is_number()) m.policy_params[k] = v.dump();
        else p.error_at(k, "expected a string, number or boolean, got " + json_type_words(v));
      }
    }
  }
  m.batch = static_cast<int>(c.integer_or("batch", 1, 1, 1000));
  m.screen = static_cast<int>(c.integer_or("screen", 0, 0, 100000));
  if (m.screen > 0 && m.screen < m.batch) c.error_at("screen", "expected 0 (no screening) or an integer >= batch");
  m.cadence_s = c.number_or("cadence_days", m.cadence_s / DAY, 0, 365) * DAY;
  m.decision_s = c.distribution("decision_min", m.decision_s, false, 60.0);
  m.handoff_s = c.distribution("handoff_min", m.handoff_s, false, 60.0);
  m.staffed_decisions = c.boolean_or("staffed_decisions", m.staffed_decisions);
  return m;
}

/// "" when the policy and its parameters are accepted, else why not.
std::string policy_problem(const std::string& name, const std::map<std::string, std::string>& params) {
  try {
    (void)agents::make_policy(name, params);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

void read_background(const JsonCursor& c, HpcSpec& h, const std::string& scenario_file) {
  if (!c.expect_object({"synthetic", "trace"})) return;
  if (c.has("synthetic") == c.has("trace")) {
    c.error("expected exactly one of 'synthetic' or 'trace'");
    return;
  }
  BackgroundSpec& b = h.background;
  if (c.has("synthetic")) {
    const JsonCursor s = c["synthetic"];
    if (!s.expect_object({"load", "job_nodes", "run_min", "request_factor"})) return;
    b.kind = "synthetic";
    b.load = s.number_or("load", 0.7, 0, 1, true);
    b.job_nodes = s.distribution("job_nodes", b.job_nodes, false, 1.0);
    b.run_s = s.distribution("run_min", core::Distribution::lognormal(60, 1.2), false, 60.0);
    b.request_factor = s.distribution("request_factor", b.request_factor, false, 1.0);
    return;
  }
  const JsonCursor t = c["trace"];
  if (!t.expect_object({"file", "first_jobs", "from_day", "to_day", "arrival_rate_scale", "scale_to_machine"})) return;
  b.kind = "trace";
  const std::string rel = t.string("file");
  hpc::WorkloadOptions opt;
  opt.first_n = static_cast<std::size_t>(t.integer_or("first_jobs", 0, 0, 100000000));
  if (t.has("from_day")) opt.from_s = t.number_or("from_day", 0, 0, 1e6) * DAY;
  if (t.has("to_day")) opt.to_s = t.number_or("to_day", 0, 0, 1e6) * DAY;
  opt.arrival_rate_scale = t.number_or("arrival_rate_scale", 1.0, 0, 1e6, true);
  if (t.boolean_or("scale_to_machine", false)) opt.scale_to_nodes = h.nodes;
  opt.machine_nodes = h.nodes;
  if (rel.empty()) return;
  std::filesystem::path p(rel);
  if (p.is_relative()) p = std::filesystem::path(scenario_file).parent_path() / p;
  b.trace_label = p.filename().string();
  try {
    auto w = hpc::load_workload(p.string(), opt);
    // Submit times start at the beginning of the run.
    const double t0 = w.jobs.empty() ? 0 : w.jobs.front().submit_s;
    for (auto& j : w.jobs) j.submit_s -= t0;
    b.trace_jobs = std::make_shared<const std::vector<hpc::WorkloadJob>>(std::move(w.jobs));
  } catch (const core::ScenarioError& e) {
    t.error_at("file", "cannot use trace '" + p.string() + "': " + e.diagnostics().front().message);
  } catch (const std::exception& e) {
    t.error_at("file", "cannot use trace '" + p.string() + "': " + e.what());
  }
}

const std::vector<std::string> KERNEL_KINDS = {"branin", "kinetics", "michalewicz", "pool", "snar"};

void read_kernel(const JsonCursor& c, CampaignSpec& camp, const std::string& scenario_file) {
  std::vector<std::string> allowed = KERNEL_KINDS;
  allowed.push_back("goal");
  allowed.push_back("params");
  if (!c.expect_object(allowed)) return;
  std::vector<std::string> kinds;
  for (const auto& k : KERNEL_KINDS)
    if (c.has(k)) kinds.push_back(k);
  if (kinds.size() != 1) {
    c.error("expected exactly one kernel kind among 'branin', 'kinetics', 'michalewicz', 'pool', 'snar'" +
            std::string(kinds.empty() ? "" : ", got several"));
    return;
  }
  auto& spec = camp.kernel;
  spec.kind = kinds[0];
  if (c.has("goal")) {
    const std::string g = c.choice("goal", {"maximize", "minimize"}, "minimize");
    spec.goal = g == "maximize" ? models::Goal::MAXIMIZE : models::Goal::MINIMIZE;
  }
  if (c.has("params")) {
    const JsonCursor p = c["params"];
    if (p.is_object()) {
      for (const auto& [k, v] : p.value().items()) {
        if (!v.is_number()) {
          p.error_at(k, "expected a number, got " + json_type_words(v));
          continue;
        }
        spec.params[k] = v.get<double>();
      }
    } else {
      p.error("expected an object of numeric parameters, got " + json_type_words(p.value()));
    }
  }
  const JsonCursor body = c[spec.kind];
  if (spec.kind == "pool") {
    std::vector<std::pair<JsonCursor, std::string>> files;
    if (body.value().is_string()) {
      files.emplace_back(body, body.value().get<std::string>());
    } else if (body.value().is_array() && !body.value().empty()) {
      for (std::size_t i = 0; i < body.size(); ++i) {
        if (!body[i].value().is_string()) body[i].error("expected a file path (a string)");
        else files.emplace_back(body[i], body[i].value().get<std::string>());
      }
    } else {
      body.error("expected a CSV file path or a non-empty array of them");
    }
    if (!spec.goal) c.error("missing required key 'goal' ('minimize' or 'maximize') for a pool kernel");
    for (auto& [cur, rel] : files) {
      std::string text, where;
      if (!read_referenced(scenario_file, rel, text, where)) {
        cur.error("cannot read pool file '" + where + "'");
        continue;
      }
      spec.csv_texts.push_back(std::move(text));
      spec.csv_names.push_back(std::filesystem::path(rel).filename().string());
    }
    for (const auto& n : spec.csv_names) camp.kernel_label += (camp.kernel_label.empty() ? "pool " : ", ") + n;
  } else {
    camp.kernel_label = spec.kind;
    if (body.value().is_object()) {
      for (const auto& [k, v] : body.value().items()) {
        if (!v.is_number()) {
          body.error_at(k, "expected a number, got " + json_type_words(v));
          continue;
        }
        spec.params[k] = v.get<double>();
      }
    } else {
      body.error("expected an object of numeric parameters (may be empty: {})");
    }
  }
}

}  // namespace

const SiteSpec* Scenario::site(const std::string& n) const {
  for (const auto& s : sites)
    if (s.name == n) return &s;
  return nullptr;
}
const HpcSpec* Scenario::hpc_system(const std::string& n) const {
  for (const auto& s : hpc)
    if (s.name == n) return &s;
  return nullptr;
}
const LabSpec* Scenario::lab(const std::string& n) const {
  for (const auto& s : labs)
    if (s.name == n) return &s;
  return nullptr;
}

core::Shift Scenario::shift_of(const StaffedHours& h, const std::string& site_name) const {
  if (h.always) return core::Shift();
  const SiteSpec* s = site(site_name);
  return core::Shift(start_day_epoch, s ? s->utc_offset_h : 0.0, h.weekdays, h.start_min, h.end_min, holidays);
}

Scenario parse_scenario(const std::string& text, const std::string& file) {
  const nlohmann::json doc = parse_json_text(text, file);
  auto sink = std::make_shared<std::vector<core::Diagnostic>>();
  const JsonCursor root(doc, file, sink);
  Scenario sc;
  sc.file = file;
  if (!root.expect_object({"$schema", "schema_version", "name", "description", "seed", "horizon_days",
                           "replications", "start_date", "holidays", "modes", "agent_speed_gflops", "sites",
                           "network", "hpc", "labs", "data_stores", "campaigns"}))
    throw core::ScenarioError(*sink);

  sc.schema_version = static_cast<int>(root.integer("schema_version", 1, true, 1, 1));
  sc.name = read_name(root);
  sc.description = root.string_or("description", "");
  sc.seed = static_cast<std::uint64_t>(root.integer_or("seed", 1, 0, (1LL << 53)));
  sc.horizon_s = root.number_or("horizon_days", 365, 0, 36500, true) * DAY;
  sc.replications = static_cast<int>(root.integer_or("replications", 5, 1, 10000));
  sc.start_date = root.string_or("start_date", sc.start_date);
  if (!core::parse_date(sc.start_date, sc.start_day_epoch))
    root.error_at("start_date", "expected a date 'YYYY-MM-DD', got \"" + sc.start_date + "\"");
  sc.agent_speed_flops = root.number_or("agent_speed_gflops", 1000, 0, INF, true) * 1e9;
  if (root.has("holidays") && root["holidays"].expect_array()) {
    const JsonCursor h = root["holidays"];
    for (std::size_t i = 0; i < h.size(); ++i) {
      long d = 0;
      if (!h[i].value().is_string() || !core::parse_date(h[i].value().get<std::string>(), d))
        h[i].error("expected a date 'YYYY-MM-DD'");
      else
        sc.holidays.push_back(d - sc.start_day_epoch);
    }
  }
  if (root.has("modes") && root["modes"].expect_array()) {
    const JsonCursor m = root["modes"];
    sc.modes.clear();
    for (std::size_t i = 0; i < m.size(); ++i) {
      const auto& v = m[i].value();
      if (!v.is_string() || (v != "closed_loop" && v != "baseline")) {
        m[i].error("expected 'closed_loop' or 'baseline', got " + v.dump());
        continue;
      }
      if (std::find(sc.modes.begin(), sc.modes.end(), v.get<std::string>()) != sc.modes.end())
        m[i].error("mode listed twice");
      else
        sc.modes.push_back(v.get<std::string>());
    }
    if (sc.modes.empty()) m.error("expected at least one mode");
    // Fixed order, whatever the file says: closed_loop first.
    std::sort(sc.modes.begin(), sc.modes.end(), [](const std::string& a, const std::string& b) {
      return (a == "closed_loop") > (b == "closed_loop");
    });
  }

  // Sites.
  if (!root.has("sites")) root.error("missing required key 'sites' (an array of sites)");
  else if (root["sites"].expect_array()) {
    const JsonCursor arr = root["sites"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const JsonCursor c = arr[i];
      if (!c.expect_object({"name", "utc_offset_h", "lan_bandwidth_gbps", "lan_latency_ms", "outages", "description"}))
        continue;
      SiteSpec s;
      s.name = read_name(c);
      s.utc_offset_h = c.number_or("utc_offset_h", 0, -12, 14);
      s.lan_bandwidth_bps = c.number_or("lan_bandwidth_gbps", 100, 0, INF, true) * GBPS_TO_BYTES;
      s.lan_latency_s = c.number_or("lan_latency_ms", 0.05, 0, 10000) / 1000.0;
      s.outages = read_outages(c);
      sc.sites.push_back(s);
    }
    check_unique(arr, sc.sites, "site");
    if (sc.sites.empty()) arr.error("expected at least one site");
  }
  std::set<std::string> site_names;
  for (const auto& s : sc.sites) site_names.insert(s.name);
  std::vector<std::string> site_list(site_names.begin(), site_names.end());
  auto check_site = [&](const JsonCursor& c, const std::string& key, const std::string& v) {
    if (!c.has(key) || site_names.count(v)) return;
    std::string msg = "unknown site '" + v + "'";
    const std::string close = did_you_mean(v, site_list);
    if (!close.empty()) msg += " (did you mean '" + close + "'?)";
    c.error_at(key, msg);
  };

  // Network.
  std::set<std::string> routers;
  if (root.has("network")) {
    const JsonCursor net = root["network"];
    if (net.expect_object({"routers", "links"})) {
      if (net.has("routers") && net["routers"].expect_array()) {
        const JsonCursor r = net["routers"];
        for (std::size_t i = 0; i < r.size(); ++i) {
          if (!r[i].value().is_string() || !valid_name(r[i].value().get<std::string>())) {
            r[i].error("expected a router name (letters, digits, '-', '_', '.')");
            continue;
          }
          const std::string n = r[i].value().get<std::string>();
          if (site_names.count(n) || !routers.insert(n).second) r[i].error("duplicate node name '" + n + "'");
          sc.network.routers.push_back(n);
        }
      }
      if (net.has("links") && net["links"].expect_array()) {
        const JsonCursor arr = net["links"];
        std::vector<std::string> nodes(site_list);
        nodes.insert(nodes.end(), routers.begin(), routers.end());
        for (std::size_t i = 0; i < arr.size(); ++i) {
          const JsonCursor c = arr[i];
          if (!c.expect_object({"name", "from", "to", "bandwidth_gbps", "latency_ms", "online_from_day",
                                "offline_from_day", "outages", "mtbf_h", "repair_h"}))
            continue;
          LinkSpec l;
          l.from = c.string("from");
          l.to = c.string("to");
          for (const auto& [key, v] : {std::pair<std::string, std::string>{"from", l.from}, {"to", l.to}}) {
            if (!c.has(key) || site_names.count(v) || routers.count(v)) continue;
            std::string msg = "unknown site or router '" + v + "'";
            const std::string close = did_you_mean(v, nodes);
            if (!close.empty()) msg += " (did you mean '" + close + "'?)";
            c.error_at(key, msg);
          }
          if (c.has("from") && c.has("to") && l.from == l.to) c.error_at("to", "a link must join two different nodes");
          l.name = c.has("name") ? read_name(c) : l.from + "-" + l.to;
          l.bandwidth_bps = c.number("bandwidth_gbps", 1, true, 0, INF, true) * GBPS_TO_BYTES;
          l.latency_s = c.number("latency_ms", 0, true, 0, 100000) / 1000.0;
          l.availability = read_availability(c);
          read_outages_into(c, l.availability, true);
          sc.network.links.push_back(l);
        }
        check_unique(arr, sc.network.links, "link");
      }
    }
  }
  // A network that does not join every site is an error.
  if (sc.sites.size() > 1) {
    std::vector<std::string> nodes(site_list);
    nodes.insert(nodes.end(), routers.begin(), routers.end());
    std::map<std::string, int> index;
    for (std::size_t i = 0; i < nodes.size(); ++i) index[nodes[i]] = static_cast<int>(i);
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> g(nodes.size());
    for (const auto& l : sc.network.links)
      if (index.count(l.from) && index.count(l.to)) boost::add_edge(index[l.from], index[l.to], g);
    std::vector<int> comp(nodes.size());
    boost::connected_components(g, comp.data());
    const int c0 = comp[static_cast<std::size_t>(index[site_list[0]])];
    std::vector<std::string> cut;
    for (const auto& s : site_list)
      if (comp[static_cast<std::size_t>(index[s])] != c0) cut.push_back(s);
    if (!cut.empty()) {
      std::string list;
      for (const auto& s : cut) list += (list.empty() ? "'" : "', '") + s;
      list += "'";
      sc.network.links.empty() && !root.has("network")
          ? root.error("missing key 'network': " + std::to_string(sc.sites.size()) + " sites need links between them")
          : root.error_at("network", "expected a connected network: no path from site '" + site_list[0] +
                                         "' to " + list);
    }
  }

  // HPC systems.
  if (root.has("hpc") && root["hpc"].expect_array()) {
    const JsonCursor arr = root["hpc"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const JsonCursor c = arr[i];
      if (!c.expect_object({"name", "site", "nodes", "node_speed_gflops", "gpus_per_node", "node_group", "scheduler",
                            "reserved_nodes", "background", "node_mtbf_h", "node_repair_h", "on_node_failure", "node_idle_power_w", "node_busy_power_w",
                            "online_from_day", "offline_from_day", "outages", "mtbf_h", "repair_h", "description"}))
        continue;
      HpcSpec h;
      h.name = read_name(c);
      h.site = c.string("site");
      check_site(c, "site", h.site);
      h.nodes = static_cast<int>(c.integer("nodes", 1, true, 1, 10000000));
      h.node_speed_flops = c.number("node_speed_gflops", 1, true, 0, INF, true) * 1e9;
      h.gpus_per_node = static_cast<int>(c.integer_or("gpus_per_node", 0, 0, 64));
      h.node_group = static_cast<int>(c.integer_or("node_group", 0, 0, 10000000));
      h.reserved_nodes = static_cast<int>(c.integer_or("reserved_nodes", 0, 0, h.nodes - 1));
      h.scheduler = c.string_or("scheduler", "fcfs");
      try {
        hpc::SchedulerOptions opt;
        opt.reserved_nodes = h.reserved_nodes;
        (void)hpc::make_scheduler(h.scheduler, h.nodes, opt);
      } catch (const std::exception& e) {
        c.error_at("scheduler", std::string(e.what()) + "; `twin models` lists the schedulers");
      }
      if (c.has("background")) read_background(c["background"], h, file);
      h.node_mtbf_s = c.number_or("node_mtbf_h", 0, 0, 1e9) * 3600.0;
      h.node_repair_s = c.distribution("node_repair_h", h.node_repair_s.scaled(1.0 / 3600.0), false, 3600.0);
      h.requeue_on_failure = c.choice("on_node_failure", {"requeue", "lose"}, "requeue") == "requeue";
      h.node_idle_power_w = c.number_or("node_idle_power_w", 0, 0, 1e6);
      h.node_busy_power_w = c.number_or("node_busy_power_w", h.node_idle_power_w, 0, 1e6);
      if (h.node_busy_power_w < h.node_idle_power_w)
        c.error_at("node_busy_power_w", "expected busy power >= idle power");
      h.availability = read_availability(c);
      h.outages = read_hpc_outages(c, sc.horizon_s);
      h.mtbf_s = c.number_or("mtbf_h", 0, 0, 1e9) * 3600.0;
      h.repair_s = c.distribution("repair_h", h.repair_s.scaled(1.0 / 3600.0), false, 3600.0);
      if (c.has("repair_h") && !c.has("mtbf_h")) c.error_at("repair_h", "expected mtbf_h with it");
      sc.hpc.push_back(h);
    }
    check_unique(arr, sc.hpc, "HPC system");
  }

  // Labs.
  if (root.has("labs") && root["labs"].expect_array()) {
    const JsonCursor arr = root["labs"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const JsonCursor c = arr[i];
      if (!c.expect_object({"name", "site", "stations", "workflow", "robots", "robot_move_min", "robot_jam_probability",
                            "jam_clear_min", "staffed", "technicians", "handoff_min", "max_retries", "power_kw",
                            "online_from_day", "offline_from_day", "outages", "mtbf_h", "repair_h", "on_outage",
                            "description"}))
        continue;
      LabSpec l;
      l.name = read_name(c);
      l.site = c.string("site");
      check_site(c, "site", l.site);
      l.robots = static_cast<int>(c.integer_or("robots", 1, 0, 1000));
      l.robot_move_s = c.distribution("robot_move_min", core::Distribution::fixed(120), false, 60.0);
      l.robot_jam_probability = c.number_or("robot_jam_probability", 0, 0, 1);
      l.jam_clear_s = c.distribution("jam_clear_min", core::Distribution::fixed(600), false, 60.0);
      l.staffed = read_staffed(c, "staffed");
      l.technicians = static_cast<int>(c.integer_or("technicians", 2, 1, 10000));
      l.handoff_s = c.distribution("handoff_min", core::Distribution::fixed(600), false, 60.0);
      l.max_retries = static_cast<int>(c.integer_or("max_retries", 0, 0, 100));
      l.power_w = c.number_or("power_kw", 5, 0, 1e6) * 1000.0;
      l.availability = read_availability(c);
      read_outages_into(c, l.availability, true);
      l.on_outage = c.choice("on_outage", {"hold", "fail"}, "hold");
      std::set<std::string> kinds;
      if (!c.has("stations")) c.error("missing required key 'stations' (an array of stations)");
      else if (c["stations"].expect_array()) {
        const JsonCursor st = c["stations"];
        for (std::size_t j = 0; j < st.size(); ++j) {
          const JsonCursor s = st[j];
          if (!s.expect_object({"kind", "count", "slots", "duration_min", "success_probability", "manual", "setup_min",
                                "batch", "batch_timeout_min", "discipline", "mtbf_h", "repair_h", "maintenance",
                                "consumable_runs", "restock_min", "outages"}))
            continue;
          StationSpec ss;
          ss.kind = s.string("kind");
          if (s.has("kind") && !kinds.insert(ss.kind).second) s.error_at("kind", "duplicate station kind '" + ss.kind + "'");
          ss.count = static_cast<int>(s.integer_or("count", 1, 1, 10000));
          ss.slots = static_cast<int>(s.integer_or("slots", 1, 1, 10000));
          ss.duration_s = s.distribution("duration_min", core::Distribution::fixed(3600), true, 60.0);
          ss.success_probability = s.number_or("success_probability", 1.0, 0, 1);
          ss.manual = s.boolean_or("manual", false);
          ss.setup_s = s.distribution("setup_min", core::Distribution::fixed(0), false, 60.0);  // fallbacks are in SI
          ss.batch = static_cast<int>(s.integer_or("batch", 1, 1, 10000));
          if (ss.batch > ss.slots) s.error_at("batch", "a batch of " + std::to_string(ss.batch) + " does not fit in " +
                                                           std::to_string(ss.slots) + " slots");
          ss.batch_timeout_s = s.number_or("batch_timeout_min", 60, 0, 1e7) * 60.0;
          ss.discipline = s.choice("discipline", {"fifo", "priority", "recipe"}, "priority");
          ss.mtbf_s = s.number_or("mtbf_h", 0, 0, 1e9) * 3600.0;
          ss.repair_s = s.distribution("repair_h", core::Distribution::exponential(4 * 3600.0), false, 3600.0);
          if (s.has("maintenance")) {
            const JsonCursor m = s["maintenance"];
            if (m.expect_object({"every_days", "duration_h", "first_day"})) {
              ss.maintenance.every_s = m.number("every_days", 7, true, 0, 1e5, true) * 86400.0;
              ss.maintenance.duration_s = m.number("duration_h", 4, true, 0, 1e6, true) * 3600.0;
              ss.maintenance.first_s = m.number_or("first_day", 0, 0, 1e5) * 86400.0;
              if (ss.maintenance.duration_s * ss.count >= ss.maintenance.every_s)
                m.error_at("duration_h", "the stations' windows (count x duration) must fit in every_days");
            }
          }
          ss.consumable_runs = static_cast<int>(s.integer_or("consumable_runs", 0, 0, 1000000000));
          ss.restock_s = s.distribution("restock_min", core::Distribution::fixed(900), false, 60.0);
          ss.outages = read_outages(s);
          l.stations.push_back(ss);
        }
        if (st.size() == 0) st.error("expected at least one station");
      }
      if (c.has("workflow") && c["workflow"].expect_array()) {
        const JsonCursor wf = c["workflow"];
        std::map<std::string, int> index;
        for (std::size_t j = 0; j < wf.size(); ++j) {
          const JsonCursor s = wf[j];
          if (!s.expect_object({"name", "station", "after", "retry_from", "robot_move", "manual",
                                "success_probability", "duration_min"}))
            continue;
          WorkflowStepSpec ws;
          ws.name = s.string("name");
          if (s.has("name") && !index.emplace(ws.name, static_cast<int>(j)).second)
            s.error_at("name", "duplicate step name '" + ws.name + "'");
          ws.station = s.string("station");
          if (s.has("station") && !kinds.count(ws.station))
            s.error_at("station", "no station of kind '" + ws.station + "' in lab '" + l.name + "'");
          ws.retry_from = s.string_or("retry_from", "");
          ws.robot_move = s.boolean_or("robot_move", true);
          ws.manual = s.boolean_or("manual", false);
          ws.success_probability = s.number_or("success_probability", 1.0, 0, 1);
          if (s.has("duration_min")) ws.duration_s = s.distribution("duration_min", core::Distribution::fixed(0), true, 60.0);
          if (s.has("after") && s["after"].expect_array()) {
            const JsonCursor a = s["after"];
            for (std::size_t k = 0; k < a.size(); ++k) {
              if (!a[k].value().is_string()) {
                a[k].error("expected a step name");
                continue;
              }
              ws.after.push_back(a[k].value().get<std::string>());
            }
          }
          l.workflow.push_back(ws);
        }
        if (wf.size() == 0) wf.error("expected at least one step");
        // The DAG: names resolve, and Boost.Graph finds an order or a cycle.
        std::vector<lab::StepConfig> steps;
        bool names_ok = true;
        for (std::size_t j = 0; j < l.workflow.size(); ++j) {
          lab::StepConfig sc;
          sc.name = l.workflow[j].name;
          for (const auto& a : l.workflow[j].after) {
            auto it = index.find(a);
            if (it == index.end()) {
              wf[j].error_at("after", "no step named '" + a + "' in this workflow");
              names_ok = false;
            } else {
              sc.after.push_back(it->second);
            }
          }
          const std::string& rf = l.workflow[j].retry_from;
          if (!rf.empty()) {
            auto it = index.find(rf);
            if (it == index.end()) {
              wf[j].error_at("retry_from", "no step named '" + rf + "' in this workflow");
              names_ok = false;
            } else {
              sc.retry_from = it->second;
            }
          }
          steps.push_back(sc);
        }
        std::vector<int> order;
        std::string err;
        if (names_ok && steps.size() == wf.size()) {
          if (!lab::workflow_order(steps, order, err)) {
            c.error_at("workflow", err);
          } else {
            std::vector<std::size_t> pos(steps.size());
            for (std::size_t p = 0; p < order.size(); ++p) pos[static_cast<std::size_t>(order[p])] = p;
            for (std::size_t j = 0; j < steps.size(); ++j)
              if (steps[j].retry_from >= 0 && pos[static_cast<std::size_t>(steps[j].retry_from)] > pos[j])
                wf[j].error_at("retry_from", "step '" + l.workflow[j].retry_from + "' does not come before step '" +
                                                 steps[j].name + "'");
          }
        }
      }
      sc.labs.push_back(l);
    }
    check_unique(arr, sc.labs, "lab");
  }

  // Data stores.
  if (root.has("data_stores") && root["data_stores"].expect_array()) {
    const JsonCursor arr = root["data_stores"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const JsonCursor c = arr[i];
      if (!c.expect_object({"name", "site", "classification"})) continue;
      StoreSpec s;
      s.name = read_name(c);
      s.site = c.string("site");
      check_site(c, "site", s.site);
      s.classification = c.choice("classification", {"public", "controlled", "restricted"}, "public");
      sc.stores.push_back(s);
    }
    check_unique(arr, sc.stores, "data store");
  }

  // Campaigns.
  if (!root.has("campaigns")) root.error("missing required key 'campaigns' (an array of campaigns)");
  else if (root["campaigns"].expect_array()) {
    const JsonCursor arr = root["campaigns"];
    std::vector<std::string> hpc_names, lab_names, store_names;
    for (const auto& h : sc.hpc) hpc_names.push_back(h.name);
    for (const auto& l : sc.labs) lab_names.push_back(l.name);
    for (const auto& s : sc.stores) store_names.push_back(s.name);
    auto ref_message = [](const std::string& v, const std::vector<std::string>& names, const char* what) {
      if (std::find(names.begin(), names.end(), v) != names.end()) return std::string();
      std::string msg = std::string("unknown ") + what + " '" + v + "'";
      const std::string close = did_you_mean(v, names);
      if (!close.empty()) msg += " (did you mean '" + close + "'?)";
      else if (names.empty()) msg += std::string(" (the scenario defines no ") + what + ")";
      return msg;
    };
    auto check_ref = [&](const JsonCursor& c, const std::string& key, const std::string& v,
                         const std::vector<std::string>& names, const char* what) {
      if (!c.has(key)) return;
      const std::string msg = ref_message(v, names, what);
      if (!msg.empty()) c.error_at(key, msg);
    };
    // A name or a list of names (each checked where it stands).
    auto check_refs = [&](const JsonCursor& c, const std::string& key, const std::vector<std::string>& list,
                          const std::vector<std::string>& names, const char* what) {
      if (!c.has(key)) return;
      if (c[key].value().is_string()) {
        if (!list.empty()) check_ref(c, key, list.front(), names, what);
        return;
      }
      for (std::size_t k = 0; k < list.size() && k < c[key].size(); ++k) {
        const std::string msg = ref_message(list[k], names, what);
        if (!msg.empty()) c[key][k].error(msg);
      }
    };
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const JsonCursor c = arr[i];
      if (!c.expect_object({"name", "kernel", "target", "on_discovery", "budget", "hpc", "lab", "home_site",
                            "data_store", "job_nodes", "job_priority", "job_padding", "sim_output_gb", "lab_output_gb", "recipe_mb",
                            "initial_experiments", "start_day", "agent", "description"}))
        continue;
      CampaignSpec cp;
      cp.name = read_name(c);
      if (!c.has("kernel")) c.error("missing required key 'kernel' (the physics kernel)");
      else read_kernel(c["kernel"], cp, file);
      if (!c.has("target")) c.error("missing required key 'target' ({\"top_percent\": p} or a value threshold)");
      else {
        const JsonCursor t = c["target"];
        if (t.expect_object({"top_percent", "value_at_most", "value_at_least"})) {
          const int n = (t.has("top_percent") ? 1 : 0) + (t.has("value_at_most") ? 1 : 0) + (t.has("value_at_least") ? 1 : 0);
          if (n != 1) t.error("expected exactly one of 'top_percent', 'value_at_most', 'value_at_least'");
          if (t.has("top_percent")) cp.target.top_percent = t.number_or("top_percent", 1, 0, 100, true);
          if (t.has("value_at_most")) cp.target.threshold = t.number_or("value_at_most", 0, -INF, INF);
          if (t.has("value_at_least")) cp.target.threshold = t.number_or("value_at_least", 0, -INF, INF);
          if (cp.target.top_percent && cp.kernel.kind != "pool" && !cp.kernel.kind.empty())
            t.error_at("top_percent", "top_percent needs a pool kernel; use value_at_most or value_at_least");
          const bool maximize_target = t.has("value_at_least");
          if (t.has("value_at_most") || t.has("value_at_least")) {
            // The threshold's direction must agree with the kernel's goal, checked once the kernel is built.
            cp.kernel.params.emplace("__target_maximize", maximize_target ? 1.0 : 0.0);
          }
        }
      }
      cp.on_discovery = c.choice("on_discovery", {"continue", "next_problem"}, "continue");
      if (c.has("budget")) {
        const JsonCursor b = c["budget"];
        if (b.expect_object({"experiments"})) cp.budget_experiments = static_cast<int>(b.integer_or("experiments", 0, 0, 100000000));
      }
      cp.hpc_list = read_preference(c, "hpc");
      cp.lab_list = read_preference(c, "lab");
      check_refs(c, "hpc", cp.hpc_list, hpc_names, "HPC system");
      check_refs(c, "lab", cp.lab_list, lab_names, "lab");
      cp.hpc = cp.hpc_list.empty() ? "" : cp.hpc_list.front();
      cp.lab = cp.lab_list.empty() ? "" : cp.lab_list.front();
      const HpcSpec* h = sc.hpc_system(cp.hpc);
      cp.home_site = c.string_or("home_site", h ? h->site : "");
      check_site(c, "home_site", cp.home_site);
      cp.store = c.string_or("data_store", "");
      check_ref(c, "data_store", cp.store, store_names, "data store");
      cp.job_nodes = static_cast<int>(c.integer_or("job_nodes", 1, 1, 10000000));
      if (h && cp.job_nodes > h->nodes)
        c.error_at("job_nodes", "expected at most the " + std::to_string(h->nodes) + " nodes of '" + h->name + "'");
      cp.job_priority = static_cast<int>(c.integer_or("job_priority", 0, -1000000, 1000000));
      cp.job_padding = c.number_or("job_padding", 2.0, 1.0, 100);
      cp.sim_output_bytes = c.number_or("sim_output_gb", 1, 0, 1e9) * 1e9;
      cp.lab_output_bytes = c.number_or("lab_output_gb", 0.1, 0, 1e9) * 1e9;
      cp.recipe_bytes = c.number_or("recipe_mb", 1, 0, 1e9) * 1e6;
      cp.initial_experiments = static_cast<int>(c.integer_or("initial_experiments", 2, 0, 100000));
      cp.start_s = c.number_or("start_day", 0, 0, 36500) * DAY;
      if (!c.has("agent")) {
        cp.closed_loop = read_mode_agent(JsonCursor(nlohmann::json::object(), file, sink), false);
        cp.baseline = read_mode_agent(JsonCursor(nlohmann::json::object(), file, sink), true);
      } else {
        const JsonCursor a = c["agent"];
        if (a.expect_object({"closed_loop", "baseline"})) {
          static const nlohmann::json empty = nlohmann::json::object();
          cp.closed_loop = read_mode_agent(a.has("closed_loop") ? a["closed_loop"] : JsonCursor(empty, file, sink), false);
          cp.baseline = read_mode_agent(a.has("baseline") ? a["baseline"] : JsonCursor(empty, file, sink), true);
        }
      }
      sc.campaigns.push_back(std::move(cp));
    }
    check_unique(arr, sc.campaigns, "campaign");
    if (arr.size() == 0) arr.error("expected at least one campaign");
  }

  // Trial build of every kernel and policy: their own checks, at the campaign's pointer.
  if (sink->empty()) {
    for (std::size_t i = 0; i < sc.campaigns.size(); ++i) {
      auto& cp = sc.campaigns[i];
      const JsonCursor c = root["campaigns"][i];
      std::optional<double> target_max;
      if (auto it = cp.kernel.params.find("__target_maximize"); it != cp.kernel.params.end()) {
        target_max = it->second > 0.5;
        cp.kernel.params.erase(it);
      }
      try {
        auto k = models::make_kernel(cp.kernel, 0);
        const bool maximize = k->goal() == models::Goal::MAXIMIZE;
        if (target_max && *target_max != maximize)
          c["target"].error(std::string("the kernel's goal is to ") + (maximize ? "maximize" : "minimize") +
                            ": expected " + (maximize ? "'value_at_least'" : "'value_at_most'"));
        if (cp.kernel.kind == "pool" && cp.target.top_percent &&
            std::ceil(*cp.target.top_percent / 100.0 * static_cast<double>(k->space().pool_size())) < 1)
          c["target"].error("top_percent selects no candidate of the pool");
      } catch (const std::exception& e) {
        c["kernel"].error(e.what());
      }
      for (const char* mode : {"closed_loop", "baseline"}) {
        const auto& m = cp.agent(mode);
        const std::string problem = policy_problem(m.policy, m.policy_params);
        if (!problem.empty()) {
          const bool given = c.has("agent") && c["agent"].has(mode);
          const bool name_ok = policy_problem(m.policy, {}).empty();
          (given ? c["agent"][mode] : c)
              .error_at(given ? (name_ok ? "policy_params" : "policy") : "agent",
                        name_ok ? problem : "unknown policy '" + m.policy + "'; `twin models` lists them");
        }
      }
    }
  }

  if (!sink->empty()) throw core::ScenarioError(*sink);
  return sc;
}

Scenario load_scenario(const std::string& path) { return parse_scenario(read_input_file(path, "scenario file"), path); }

Scenario default_scenario() { return parse_scenario(default_scenario_text(), "<embedded>/genesis-national.json"); }

const std::string& default_scenario_text() { return embedded_files().at("scenarios/genesis-national.json"); }

const std::string& scenario_schema_text() { return embedded_files().at("scenarios/scenario.schema.json"); }

}  // namespace twin
