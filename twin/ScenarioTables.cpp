// The rows of every part of a scenario. Each row is the one place where a
// key's unit (its suffix), default, range, allowed values and doc live, and
// where it is read into the part's own configuration type (lab::LabConfig,
// lab::StationConfig, hpc::WorkloadOptions, ...). Checks across keys and
// references to other parts are `then` hooks right after the rows they need,
// so errors come out in reading order.
#include "twin/ScenarioTables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "hpc/Scheduler.hpp"
#include "twin/Embedded.hpp"
#include "twin/ScenarioSchema.hpp"

namespace twin {

namespace {

constexpr double INF = INFINITY;
constexpr double DAY = 86400.0;
const char* const EMBEDDED_PREFIX = "<embedded>/";

using core::Distribution;

// ---------------------------------------------------------------- helpers

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

template <class V>
void check_unique(const JsonCursor& arr, const V& items, const char* what) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto [it, fresh] = seen.emplace(items[i].name, i);
    if (!fresh) arr[i].error_at("name", std::string("duplicate ") + what + " name '" + items[i].name +
                                              "' (first at index " + std::to_string(it->second) + ")");
  }
}

/// A hook: names unique among the array at `key` (when it was read).
template <class T, class F>
typename Table<T>::Reader unique_names(const std::string& key, F field, const char* what) {
  return [key, field, what](const JsonCursor& c, T& out, ParseContext&) {
    if (c.has(key) && c[key].is_array()) check_unique(c[key], std::invoke(field, out), what);
  };
}

/// A hook: the site named at `key` exists.
template <class T>
void check_site(const JsonCursor& c, const std::string& key, const std::string& v, const ParseContext& ctx) {
  if (!c.has(key) || ctx.site_names.count(v)) return;
  std::string msg = "unknown site '" + v + "'";
  const std::string close = did_you_mean(v, ctx.site_list);
  if (!close.empty()) msg += " (did you mean '" + close + "'?)";
  c.error_at(key, msg);
}

template <class T, class F>
typename Table<T>::Reader site_exists(const std::string& key, F field) {
  return [key, field](const JsonCursor& c, T& out, ParseContext& ctx) {
    check_site<T>(c, key, std::invoke(field, out), ctx);
  };
}

/// A reference to another part by name ("unknown lab 'x' (did you mean 'y'?)").
std::string unknown_ref(const std::string& v, const std::vector<std::string>& names, const char* what) {
  std::string msg = std::string("unknown ") + what + " '" + v + "'";
  const std::string close = did_you_mean(v, names);
  if (!close.empty()) msg += " (did you mean '" + close + "'?)";
  else if (names.empty()) msg += std::string(" (the scenario defines no ") + what + ")";
  return msg;
}

void check_ref(const JsonCursor& c, const std::string& key, const std::string& v, const std::vector<std::string>& names,
               const char* what) {
  if (!c.has(key) || std::find(names.begin(), names.end(), v) != names.end()) return;
  c.error_at(key, unknown_ref(v, names, what));
}

/// The same, for a value that stands alone (an element of a list).
void check_ref_at(const JsonCursor& v, const std::string& name, const std::vector<std::string>& names, const char* what) {
  if (std::find(names.begin(), names.end(), name) == names.end()) v.error(unknown_ref(name, names, what));
}

template <class V>
std::vector<std::string> names_of(const V& items) {
  std::vector<std::string> out;
  for (const auto& x : items) out.push_back(x.name);
  return out;
}

ParamDoc doc_row(const std::string& key, ParamType type, std::string doc) {
  ParamDoc d;
  d.key = key;
  d.type = type;
  d.doc = std::move(doc);
  return d;
}

// ------------------------------------------------------ access labels

std::string label_order_text() {
  std::string s;
  for (core::Label l : core::ALL_LABELS) s += (s.empty() ? "" : " < ") + std::string(core::to_string(l));
  return s;
}

/// A facility's clearance (key `key`, doc `doc`): the highest label it may hold, by default its site's.
template <class T, class C, class S>
void add_clearance(Table<T>& t, C field, S site_field, const std::string& key, const std::string& doc) {
  ParamDoc d = doc_row(key, ParamType::CHOICE, doc + " (" + label_order_text() + ").");
  for (core::Label l : core::ALL_LABELS) d.choices.emplace_back(core::to_string(l));
  d.default_text = "its site's clearance";
  t.add(d, [field, site_field, key, names = d.choices](const JsonCursor& c, T& x, ParseContext& ctx) {
    const SiteSpec* site = ctx.sc->site(std::invoke(site_field, x));
    const core::Label def = site ? site->clearance : core::Label::PUBLIC;
    std::invoke(field, x) = core::label_from_string(c.choice(key, names, core::to_string(def))).value_or(def);
  });
}
template <class T, class C, class S>
void add_clearance(Table<T>& t, C field, S site_field, const std::string& what) {
  add_clearance(t, field, site_field, "clearance", "The highest label of data and work " + what + " may hold");
}

// ------------------------------------------------- facility availability

/// online_from_day / offline_from_day of a facility (HPC system, lab, link).
template <class T, class On, class Off>
void add_availability(Table<T>& t, On on, Off off) {
  t.number("online_from_day", on, {.def = 0, .min = 0},
           "Day (from the start) the facility comes online; work waits for it (a hold).");
  t.number("offline_from_day", off, {.min = 0, .default_text = "never"},
           "Day the facility goes offline for good (a retirement).");
  t.then([on, off](const JsonCursor& c, T& x, ParseContext&) {
    if (c.has("offline_from_day") && std::invoke(off, x) <= std::invoke(on, x))
      c.error_at("offline_from_day", "expected a day after online_from_day");
  });
}

// ---------------------------------------------------------------- outages

std::string day_text(double t_s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", t_s / DAY);
  return buf;
}

/// One down window of a facility: a core::Outage, or the HPC part's hpc::Outage.
template <class O>
Table<O> outage_table() {
  Table<O> t("outage", "A window [from_day, to_day) in which a facility is down.");
  t.number("from_day", &O::from_s, {.def = 0, .min = 0, .required = true}, "First day of the window.");
  t.number("to_day", &O::to_s, {.def = 0, .min = 0, .required = true}, "Day the facility is up again.");
  t.string("reason", &O::reason, {.def = "outage"}, "Why it is down (results and warnings name it).");
  t.then([](const JsonCursor& c, O& o, ParseContext&) {
    if (c.has("from_day") && c.has("to_day") && !(o.to_s > o.from_s)) c.error_at("to_day", "expected a day after from_day");
  });
  return t;
}

/// `outages`: windows in order and without overlaps, each checked where it
/// stands; a window may cross the horizon, and with `before_horizon` must
/// start before it.
template <class O, class T, class F>
void add_outages(Table<T>& t, F field, const std::string& what, bool before_horizon = false) {
  static const Table<O> windows = outage_table<O>();
  ParamDoc d = doc_row("outages", ParamType::OBJECT_ARRAY,
                       "Windows [from_day, to_day) in which " + what +
                           " is down: in order, without overlaps; a window may cross the horizon.");
  d.table = windows.doc_ptr();
  t.add(d, [field, before_horizon](const JsonCursor& c, T& x, ParseContext& ctx) {
    auto& out = std::invoke(field, x);
    out.clear();
    if (!c.has("outages") || !c["outages"].expect_array()) return;
    const JsonCursor arr = c["outages"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const JsonCursor w = arr[i];
      O o{};
      if (!windows.read(w, o, ctx) || !w.has("from_day") || !w.has("to_day") || !(o.to_s > o.from_s)) continue;
      if (before_horizon && !(o.from_s < ctx.sc->horizon_s)) {
        w.error_at("from_day", "expected a day before the horizon (day " + day_text(ctx.sc->horizon_s) + ")");
        continue;
      }
      if (!out.empty() && o.from_s < out.back().to_s) {
        w.error_at("from_day", "expected windows in order and without overlaps (the previous one ends on day " +
                                   day_text(out.back().to_s) + ")");
        continue;
      }
      out.push_back(std::move(o));
    }
  });
}

/// A hook: `repair_h` only with `mtbf_h`.
template <class T>
void repair_needs_mtbf(const JsonCursor& c, T&, ParseContext&) {
  if (c.has("repair_h") && !c.has("mtbf_h")) c.error_at("repair_h", "expected mtbf_h with it");
}

/// `mtbf_h`, `repair_h`: random outages of the whole facility (labs, links).
template <class T, class M, class R>
void add_random_outages(Table<T>& t, M mtbf, R repair) {
  t.number("mtbf_h", mtbf, {.def = 0, .min = 0, .max = 1e9},
           "Mean time between random outages of the whole facility (exponential up times, drawn from its own "
           "stream, the same in both modes); 0: none.");
  t.number("repair_h", repair, {.def = 24, .min = 0, .max = 1e9}, "Mean length of a random outage (exponential).");
  t.then(repair_needs_mtbf<T>);
}

// ------------------------------------------------------------------ sites

Table<SiteSpec> site_table() {
  Table<SiteSpec> t("site", "A facility location (a national laboratory); one SimGrid NetZone.");
  t.name("name", &SiteSpec::name, true, "The site's name; HPC systems, labs and data stores refer to it.");
  t.number("utc_offset_h", &SiteSpec::utc_offset_h, {.def = 0, .min = -12, .max = 14, .to_si = 1.0},
           "Local time offset from UTC (shifts are in local time).");
  t.number("lan_bandwidth_gbps", &SiteSpec::lan_bandwidth_bps, {.def = 100, .min = 0, .min_exclusive = true},
           "Site network bandwidth per host.");
  t.number("lan_latency_ms", &SiteSpec::lan_latency_s, {.def = 0.05, .min = 0, .max = 10000},
           "Site network latency per host link.");
  add_outages<core::Outage>(t, &SiteSpec::outages, "every lab and HPC system at the site");
  t.mapped_choice("clearance", &SiteSpec::clearance, core::label_choices(), core::Label::PUBLIC,
                  "The highest label of data and work the site may hold (" + label_order_text() +
                      "); the default of its HPC systems, labs, clouds and data stores.");
  t.number("cache_tb", &SiteSpec::cache_bytes, {.def = 0, .min = 0, .max = 1e9},
           "Dataset cache of the site's HPC systems (those without their own cache_tb): a dataset staged there "
           "stays until evicted, least recently used first; 0: none is kept, each use stages it again.");
  t.ignored("description", "Free text.");
  return t;
}

// ---------------------------------------------------------------- network

Table<LinkUpgrade> upgrade_table() {
  Table<LinkUpgrade> t("network.link.upgrade", "A link's capacity from a day on.");
  t.number("from_day", &LinkUpgrade::from_s, {.def = 0, .min = 0, .min_exclusive = true, .required = true},
           "Day the new capacity takes effect.");
  t.number("bandwidth_gbps", &LinkUpgrade::bandwidth_bps, {.def = 1, .min = 0, .min_exclusive = true, .required = true},
           "Bandwidth per direction from then on.");
  return t;
}

Table<LinkSpec> link_table() {
  Table<LinkSpec> t("network.link", "A backbone link; each direction has the full bandwidth.");
  t.string("from", &LinkSpec::from, {.required = true}, "A site or router.");
  t.string("to", &LinkSpec::to, {.required = true}, "A site or router.");
  t.then([](const JsonCursor& c, LinkSpec& l, ParseContext& ctx) {
    std::vector<std::string> nodes(ctx.site_list);
    nodes.insert(nodes.end(), ctx.routers.begin(), ctx.routers.end());
    for (const auto& [key, v] : {std::pair<std::string, std::string>{"from", l.from}, {"to", l.to}}) {
      if (!c.has(key) || ctx.site_names.count(v) || ctx.routers.count(v)) continue;
      std::string msg = "unknown site or router '" + v + "'";
      const std::string close = did_you_mean(v, nodes);
      if (!close.empty()) msg += " (did you mean '" + close + "'?)";
      c.error_at(key, msg);
    }
    if (c.has("from") && c.has("to") && l.from == l.to) c.error_at("to", "a link must join two different nodes");
  });
  t.name("name", &LinkSpec::name, false, "The link's name (default '<from>-<to>').");
  t.then([](const JsonCursor& c, LinkSpec& l, ParseContext&) {
    if (!c.has("name")) l.name = l.from + "-" + l.to;
  });
  t.number("bandwidth_gbps", &LinkSpec::bandwidth_bps, {.def = 1, .min = 0, .min_exclusive = true, .required = true},
           "Bandwidth per direction.");
  t.number("latency_ms", &LinkSpec::latency_s, {.def = 0, .min = 0, .max = 100000, .required = true},
           "One-way latency.");
  add_availability(
      t, [](LinkSpec& l) -> double& { return l.availability.online_from_s; },
      [](LinkSpec& l) -> double& { return l.availability.offline_from_s; });
  add_outages<core::Outage>(t, [](LinkSpec& l) -> std::vector<core::Outage>& { return l.availability.outages; },
                            "the link");
  add_random_outages(
      t, [](LinkSpec& l) -> double& { return l.availability.mtbf_s; },
      [](LinkSpec& l) -> double& { return l.availability.repair_s; });
  t.mapped_choice("clearance", &LinkSpec::clearance, core::label_choices(), core::Label::PUBLIC,
                  "The highest label of data the link may carry (" + label_order_text() +
                      "); transfers of data above it route around the link, or are refused.");
  static const Table<LinkUpgrade> upgrade = upgrade_table();
  ParamDoc up = doc_row("upgrades", ParamType::OBJECT_ARRAY,
                        "Capacity changes over the run: from each from_day on, the link has that bandwidth (in order "
                        "of from_day).");
  up.table = upgrade.doc_ptr();
  t.add(up, [](const JsonCursor& c, LinkSpec& l, ParseContext& ctx) {
    l.upgrades.clear();
    if (!c.has("upgrades") || !c["upgrades"].expect_array()) return;
    const JsonCursor arr = c["upgrades"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      LinkUpgrade u;
      if (!upgrade.read(arr[i], u, ctx) || !arr[i].has("from_day")) continue;
      if (!l.upgrades.empty() && !(u.from_s > l.upgrades.back().from_s)) {
        arr[i].error_at("from_day", "expected upgrades in order of from_day (the previous one is on day " +
                                        day_text(l.upgrades.back().from_s) + ")");
        continue;
      }
      l.upgrades.push_back(u);
    }
  });
  return t;
}

Table<NetworkSpec> network_table() {
  Table<NetworkSpec> t("network", "The wide-area network; it must join every site. Routes: shortest paths by latency.");
  ParamDoc routers = doc_row("routers", ParamType::CUSTOM, "Backbone points of presence that are not sites.");
  routers.schema = {{"type", "array"}, {"items", {{"type", "string"}, {"pattern", Table<NetworkSpec>::NAME_PATTERN}}}};
  t.add(routers, [](const JsonCursor& net, NetworkSpec& n, ParseContext& ctx) {
    if (!net.has("routers") || !net["routers"].expect_array()) return;
    const JsonCursor r = net["routers"];
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (!r[i].value().is_string() || !valid_name(r[i].value().get<std::string>())) {
        r[i].error("expected a router name (letters, digits, '-', '_', '.')");
        continue;
      }
      const std::string name = r[i].value().get<std::string>();
      if (ctx.site_names.count(name) || !ctx.routers.insert(name).second) r[i].error("duplicate node name '" + name + "'");
      n.routers.push_back(name);
    }
  });
  t.array("links", &NetworkSpec::links, link_table(), {}, "Backbone links between sites and routers.");
  t.then(unique_names<NetworkSpec>("links", &NetworkSpec::links, "link"));
  return t;
}

/// A network that does not join every site is an error.
void check_connected(const JsonCursor& root, const Scenario& sc, const ParseContext& ctx) {
  if (sc.sites.size() <= 1) return;
  std::vector<std::string> nodes(ctx.site_list);
  nodes.insert(nodes.end(), ctx.routers.begin(), ctx.routers.end());
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < nodes.size(); ++i) index[nodes[i]] = static_cast<int>(i);
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> g(nodes.size());
  for (const auto& l : sc.network.links)
    if (index.count(l.from) && index.count(l.to)) boost::add_edge(index[l.from], index[l.to], g);
  std::vector<int> comp(nodes.size());
  boost::connected_components(g, comp.data());
  const int c0 = comp[static_cast<std::size_t>(index[ctx.site_list[0]])];
  std::vector<std::string> cut;
  for (const auto& s : ctx.site_list)
    if (comp[static_cast<std::size_t>(index[s])] != c0) cut.push_back(s);
  if (cut.empty()) return;
  std::string list;
  for (const auto& s : cut) list += (list.empty() ? "'" : "', '") + s;
  list += "'";
  sc.network.links.empty() && !root.has("network")
      ? root.error("missing key 'network': " + std::to_string(sc.sites.size()) + " sites need links between them")
      : root.error_at("network", "expected a connected network: no path from site '" + ctx.site_list[0] + "' to " + list);
}

// -------------------------------------------------------------------- HPC

Table<HpcSpec> synthetic_table() {
  Table<HpcSpec> t("hpc.background.synthetic",
                   "Poisson arrivals at the rate that offers `load`; sizes and run times from distributions; "
                   "requests over-estimate run times by a drawn factor.");
  using W = hpc::SyntheticWorkloadSpec;
  auto field = [](auto member) {
    return [member](HpcSpec& h) -> auto& { return std::invoke(member, h.background.synthetic); };
  };
  t.number("load", &HpcSpec::background_load, {.def = 0.7, .min = 0, .max = 1, .min_exclusive = true},
           "Offered load, fraction of the machine.");
  t.distribution("job_nodes", field(&W::nodes), {.def = Distribution::lognormal(16, 1.5)},
                 "Job size, nodes (clamped to the machine).");
  t.distribution("run_min", field(&W::run_s), {.def = Distribution::lognormal(3600, 1.2)},
                 "Run time (clamped to 1 min - 12 h).");
  t.distribution("request_factor", field(&W::request_factor), {.def = Distribution::uniform(1, 4)},
                 "Requested time / run time.");
  t.then([](const JsonCursor&, HpcSpec& h, ParseContext&) {
    hpc::BackgroundConfig& b = h.background;
    b.kind = hpc::BackgroundConfig::Kind::SYNTHETIC;
    b.synthetic.max_nodes = h.nodes;
    b.synthetic.mean_interarrival_s = hpc::interarrival_for_load(b.synthetic, h.background_load);
    b.stated_load = h.background_load;
  });
  return t;
}

/// The keys of a trace background: a file and the reading options of the
/// HPC part (hpc::WorkloadOptions).
struct TraceKeys {
  std::string file;
  hpc::WorkloadOptions options;
  bool scale_to_machine = false;
};

Table<TraceKeys> trace_table() {
  Table<TraceKeys> t("hpc.background.trace",
                     "A Parallel Workloads Archive SWF trace (plain or .gz) or a Batsim JSON workload; one trace "
                     "processor = one node; submit times start at the system's online day.");
  t.string("file", &TraceKeys::file, {.required = true}, "The trace file, relative to the scenario's folder.");
  t.integer("first_jobs", [](TraceKeys& k) -> std::size_t& { return k.options.first_n; },
            {.def = 0, .min = 0, .max = 100000000}, "Keep the first N jobs (0: all).");
  t.number("from_day", [](TraceKeys& k) -> double& { return k.options.from_s; }, {.min = 0, .max = 1e6},
           "Keep jobs submitted from this trace day.");
  t.number("to_day", [](TraceKeys& k) -> double& { return k.options.to_s; }, {.min = 0, .max = 1e6},
           "...and before this one.");
  t.number("arrival_rate_scale", [](TraceKeys& k) -> double& { return k.options.arrival_rate_scale; },
           {.def = 1, .min = 0, .max = 1e6, .min_exclusive = true}, "Arrival-rate factor (2 = twice the arrivals).");
  t.boolean("scale_to_machine", &TraceKeys::scale_to_machine, false,
            "Rescale job sizes from the trace's machine to this one.");
  return t;
}

void load_trace(const JsonCursor& t, TraceKeys& k, HpcSpec& h, const std::string& scenario_file) {
  hpc::BackgroundConfig& b = h.background;
  b.kind = hpc::BackgroundConfig::Kind::TRACE;
  if (k.scale_to_machine) k.options.scale_to_nodes = h.nodes;
  k.options.machine_nodes = h.nodes;
  if (k.file.empty()) return;
  std::filesystem::path p(k.file);
  if (p.is_relative()) p = std::filesystem::path(scenario_file).parent_path() / p;
  try {
    auto w = hpc::load_workload(p.string(), k.options);
    // Submit times start at the beginning of the run.
    const double t0 = w.jobs.empty() ? 0 : w.jobs.front().submit_s;
    for (auto& j : w.jobs) j.submit_s -= t0;
    b.trace = std::make_shared<const std::vector<hpc::WorkloadJob>>(std::move(w.jobs));
  } catch (const core::ScenarioError& e) {
    t.error_at("file", "cannot use trace '" + p.string() + "': " + e.diagnostics().front().message);
  } catch (const std::exception& e) {
    t.error_at("file", "cannot use trace '" + p.string() + "': " + e.what());
  }
}

/// The scheduler names the HPC part's registry accepts: each kind, bare or
/// with a queue-order suffix.
std::vector<std::string> scheduler_names() {
  std::vector<std::string> out;
  for (const auto& s : hpc::scheduler_catalog()) {
    const std::string base = s.kind.substr(s.kind.find('.') + 1);
    for (const char* suffix : {"", "-submit", "-priority", "-fairshare"}) out.push_back(base + suffix);
  }
  return out;
}

Table<HpcSpec> hpc_table() {
  Table<HpcSpec> t("hpc", "A supercomputer at a site: nodes, a batch scheduler, a background workload, power, failures.");
  t.name("name", &HpcSpec::name, true, "The system's name; campaigns refer to it.");
  t.string("site", &HpcSpec::site, {.required = true}, "The site it stands at.");
  t.then(site_exists<HpcSpec>("site", &HpcSpec::site));
  add_clearance(t, &HpcSpec::clearance, &HpcSpec::site, "the system");
  t.integer("nodes", &HpcSpec::nodes, {.def = 1, .min = 1, .max = 10000000, .required = true}, "Compute nodes.");
  t.number("node_speed_gflops", &HpcSpec::node_speed_flops, {.def = 1, .min = 0, .min_exclusive = true, .required = true},
           "Sustained speed per node.");
  t.integer("gpus_per_node", &HpcSpec::gpus_per_node, {.def = 0, .min = 0, .max = 64},
            "GPUs per node, as stated (0: none stated). Counted by `twin inventory`; a node's speed is "
            "node_speed_gflops, the measured Rmax (or the peak) per node with its GPUs, and jobs take whole nodes.");
  t.number("cache_tb", &HpcSpec::cache_bytes, {.min = 0, .max = 1e9, .default_text = "its site's cache"},
           "The system's own dataset cache (least recently used evicted first); 0: none is kept.");
  t.integer("node_group", &HpcSpec::node_group, {.def = 0, .min = 0, .max = 10000000},
            "Nodes per simulated host; 0 chooses so there are at most 64 hosts.");
  ParamDoc reserved = doc_row("reserved_nodes", ParamType::INTEGER,
                              "Nodes (the highest-index ones) that only campaign jobs may use: a reserved slice for AI "
                              "campaigns; fewer than `nodes`.");
  reserved.default_value = 0;
  reserved.min = 0;
  t.add(reserved, [](const JsonCursor& c, HpcSpec& h, ParseContext&) {
    h.scheduler_options.reserved_nodes = static_cast<int>(c.integer_or("reserved_nodes", 0, 0, h.nodes - 1));
  });
  ParamDoc sched = doc_row("scheduler", ParamType::CHOICE,
                           "Batch scheduling policy, optionally with a queue order suffix (`twin models` lists the "
                           "schedulers).");
  sched.choices = scheduler_names();
  sched.default_value = "fcfs";
  t.add(sched, [](const JsonCursor& c, HpcSpec& h, ParseContext&) { h.scheduler = c.string_or("scheduler", "fcfs"); });
  t.then([](const JsonCursor& c, HpcSpec& h, ParseContext&) {
    // The HPC part's registry decides (and names what it knows), not this table.
    try {
      hpc::SchedulerOptions opt;
      opt.reserved_nodes = h.scheduler_options.reserved_nodes;
      (void)hpc::make_scheduler(h.scheduler, h.nodes, opt);
    } catch (const std::exception& e) {
      c.error_at("scheduler", std::string(e.what()) + "; `twin models` lists the schedulers");
    }
  });
  static const Table<HpcSpec> synthetic = synthetic_table();
  static const Table<TraceKeys> trace = trace_table();
  auto bg = std::make_shared<TableDoc>();
  bg->name = "hpc.background";
  bg->doc = "The facility's everyday workload that campaign jobs queue behind: exactly one of 'synthetic' or 'trace'.";
  ParamDoc syn = doc_row("synthetic", ParamType::OBJECT, synthetic.doc().doc);
  syn.table = synthetic.doc_ptr();
  ParamDoc tr = doc_row("trace", ParamType::OBJECT, trace.doc().doc);
  tr.table = trace.doc_ptr();
  bg->params = {syn, tr};
  ParamDoc background = doc_row("background", ParamType::OBJECT, bg->doc + " Both modes see the same background.");
  background.table = bg;
  background.default_text = "none";
  t.add(background, [](const JsonCursor& parent, HpcSpec& h, ParseContext& ctx) {
    h.background.kind = hpc::BackgroundConfig::Kind::NONE;
    h.background.oversize = hpc::Oversize::CLAMP;  // the twin sizes oversized background jobs down to the machine
    if (!parent.has("background")) return;
    const JsonCursor c = parent["background"];
    if (!c.expect_object({"synthetic", "trace"})) return;
    if (c.has("synthetic") == c.has("trace")) {
      c.error("expected exactly one of 'synthetic' or 'trace'");
      return;
    }
    if (c.has("synthetic")) {
      synthetic.read(c["synthetic"], h, ctx);
      return;
    }
    TraceKeys k;
    if (trace.read(c["trace"], k, ctx)) load_trace(c["trace"], k, h, ctx.file);
  });
  t.number("node_mtbf_h", [](HpcSpec& h) -> double& { return h.node_failures.node_mtbf_s; }, {.def = 0, .min = 0, .max = 1e9},
           "One node's mean time between failures (exponential); 0: nodes never fail.");
  t.distribution("node_repair_h", [](HpcSpec& h) -> Distribution& { return h.node_failures.repair_s; }, {.def = Distribution::exponential(4 * 3600.0)},
                 "Time a failed node is down.");
  t.mapped_choice("on_node_failure", &HpcSpec::on_failure,
                  std::vector<std::pair<std::string, hpc::OnFailure>>{{"requeue", hpc::OnFailure::REQUEUE},
                                                                      {"lose", hpc::OnFailure::LOSE}},
                  hpc::OnFailure::REQUEUE,
                  "A job killed by a node failure is requeued, or lost.");
  t.number("node_idle_power_w", [](HpcSpec& h) -> double& { return h.power.idle_w; }, {.def = 0, .min = 0, .max = 1e6}, "Power of an idle node.");
  t.then([](const JsonCursor&, HpcSpec& h, ParseContext&) { h.power.busy_w = h.power.idle_w; });
  t.number("node_busy_power_w", [](HpcSpec& h) -> double& { return h.power.busy_w; }, {.min = 0, .max = 1e6, .default_text = "node_idle_power_w"},
           "Power of a busy node.");
  t.then([](const JsonCursor& c, HpcSpec& h, ParseContext&) {
    if (h.power.busy_w < h.power.idle_w) c.error_at("node_busy_power_w", "expected busy power >= idle power");
  });
  t.number("price_per_node_hour_usd", &HpcSpec::price_per_node_hour_usd, {.min = 0, .max = 1e9, .default_text = "no price"},
           "Price: dollars per node-hour that campaign jobs use (report: cost per discovery in dollars).");
  t.number("capital_per_node_usd", &HpcSpec::capital_per_node_usd, {.min = 0, .max = 1e12, .default_text = "no price"},
           "Price: dollars one more node costs (twin advise: per dollar).");
  add_availability(t, &HpcSpec::online_from_s, &HpcSpec::offline_from_s);
  add_outages<hpc::Outage>(t, &HpcSpec::outages, "the whole system", true);
  t.number("mtbf_h", &HpcSpec::mtbf_s, {.def = 0, .min = 0, .max = 1e9},
           "Mean time between random outages of the whole system (exponential, counted from the last repair, "
           "drawn from the system's own stream); 0: none.");
  t.distribution("repair_h", &HpcSpec::repair_s, {.def = Distribution::exponential(4 * 3600.0)},
                 "Length of a random whole-system outage.");
  t.then(repair_needs_mtbf<HpcSpec>);
  t.ignored("description", "Free text.");
  return t;
}

// ------------------------------------------------------------------- labs

Table<lab::MaintenanceConfig> maintenance_table() {
  Table<lab::MaintenanceConfig> t("lab.station.maintenance",
                                  "Scheduled maintenance: each station of the kind is taken down for duration_h every "
                                  "every_days, one after the other, starting at first_day; steps already running finish.");
  t.number("every_days", &lab::MaintenanceConfig::every_s,
           {.def = 7, .min = 0, .max = 1e5, .min_exclusive = true, .required = true}, "Period of the maintenance cycle.");
  t.number("duration_h", &lab::MaintenanceConfig::duration_s,
           {.def = 4, .min = 0, .max = 1e6, .min_exclusive = true, .required = true}, "One station's maintenance window.");
  t.number("first_day", &lab::MaintenanceConfig::first_s, {.def = 0, .min = 0, .max = 1e5},
           "Start of the first window.");
  return t;
}

Table<lab::StationConfig> station_table() {
  using S = lab::StationConfig;
  Table<S> t("lab.station", "A kind of station in a lab. Without a workflow, each sample visits each kind once, in order.");
  t.string("kind", &S::kind, {.required = true}, "The station kind (workflow steps name it).");
  t.then([](const JsonCursor& c, S& s, ParseContext& ctx) {
    const int index = ctx.next_station++;
    if (c.has("kind") && !ctx.station_index.emplace(s.kind, index).second)
      c.error_at("kind", "duplicate station kind '" + s.kind + "'");
  });
  t.integer("count", &S::count, {.def = 1, .min = 1, .max = 10000}, "Stations of this kind.");
  t.integer("slots", &S::slots, {.def = 1, .min = 1, .max = 10000}, "Samples one station holds at once.");
  t.distribution("duration_min", &S::duration_s, {.def = Distribution::fixed(3600), .required = true},
                 "Duration of one step.");
  t.number("success_probability", &S::success_probability, {.def = 1.0, .min = 0, .max = 1},
           "Probability the step on this kind succeeds, for the default workflow (a failed step is retried up to "
           "max_retries times, then the experiment is reported failed).");
  t.boolean("manual", &S::manual, false,
            "The default workflow's step on this kind needs a technician on shift (held for the step) in every mode.");
  t.distribution("setup_min", &S::setup_s, {.def = Distribution::fixed(0)},
                 "Set-up/calibration before a run whose recipe differs from the station's last one (a sample's "
                 "recipe is its campaign).");
  t.integer("batch", &S::batch, {.def = 1, .min = 1, .max = 10000},
            "Batch mode when > 1: a station runs when this many samples are loaded (of one recipe), or "
            "batch_timeout_min after the first was loaded. At most slots.");
  t.then([](const JsonCursor& c, S& s, ParseContext&) {
    if (s.batch > s.slots)
      c.error_at("batch", "a batch of " + std::to_string(s.batch) + " does not fit in " + std::to_string(s.slots) + " slots");
  });
  t.number("batch_timeout_min", &S::batch_timeout_s, {.def = 60, .min = 0, .max = 1e7},
           "Batch mode: longest wait for a batch to fill.");
  t.mapped_choice("discipline", &S::discipline,
                  std::vector<std::pair<std::string, lab::Discipline>>{{"fifo", lab::Discipline::FIFO},
                                                                       {"priority", lab::Discipline::PRIORITY},
                                                                       {"recipe", lab::Discipline::RECIPE}},
                  lab::Discipline::PRIORITY,
                  "Which waiting sample a station of this kind takes next: fifo (arrival order), priority (lower "
                  "request priority first: urgent -1, normal 0, low 1, then arrival), recipe (priority order, but a "
                  "sample matching a free station's set-up first).");
  t.number("mtbf_h", &S::mtbf_s, {.def = 0, .min = 0, .max = 1e9},
           "One station's mean time between failures (exponential); 0: never fails. A breakdown aborts the steps on "
           "it (redone after) and needs a technician to repair.");
  t.distribution("repair_h", &S::repair_s, {.def = Distribution::exponential(4 * 3600.0)},
                 "Repair time once a technician is at it.");
  t.object("maintenance", &S::maintenance, maintenance_table(), {}, maintenance_table().doc().doc);
  t.then([](const JsonCursor& c, S& s, ParseContext&) {
    if (c.has("maintenance") && c["maintenance"].is_object() &&
        s.maintenance.duration_s * s.count >= s.maintenance.every_s)
      c["maintenance"].error_at("duration_h", "the stations' windows (count x duration) must fit in every_days");
  });
  t.integer("consumable_runs", &S::consumable_runs, {.def = 0, .min = 0, .max = 1000000000},
            "Steps one restock of consumables serves (shared by the kind's stations); when they run out, a "
            "technician restocks. 0: not modelled.");
  t.distribution("restock_min", &S::restock_s, {.def = Distribution::fixed(900)},
                 "Technician time to restock consumables.");
  t.number("power_kw", &S::power_w, {.min = 0, .max = 1e6, .default_text = "the lab's power_kw"},
           "Power drawn per busy slot of this kind (a furnace draws more than a pipetting robot).");
  t.number("capital_usd", &S::capital_usd, {.min = 0, .max = 1e12, .default_text = "no price"},
           "Price: dollars one more station of this kind costs (twin advise: per dollar).");
  add_outages<core::Outage>(t, &S::outages, "every station of the kind");
  return t;
}

Table<lab::StepConfig> step_table() {
  using S = lab::StepConfig;
  Table<S> t("lab.workflow_step", "A step of the lab's experiment workflow (a node of its DAG).");
  t.then([](const JsonCursor&, S&, ParseContext& ctx) { ctx.steps.emplace_back(); });
  t.string("name", &S::name, {.required = true}, "The step's name (after and retry_from name steps).");
  t.then([](const JsonCursor& c, S& s, ParseContext& ctx) {
    ctx.steps.back().name = c.has("name") ? s.name : "";
    for (std::size_t k = 0; k + 1 < ctx.steps.size(); ++k)
      if (c.has("name") && ctx.steps[k].name == s.name) {
        c.error_at("name", "duplicate step name '" + s.name + "'");
        break;
      }
  });
  ParamDoc station = doc_row("station", ParamType::STRING, "The station kind that runs the step.");
  station.required = true;
  t.add(station, [](const JsonCursor& c, S& s, ParseContext& ctx) {
    const std::string kind = c.string("station");
    auto it = ctx.station_index.find(kind);
    if (c.has("station") && it == ctx.station_index.end())
      c.error_at("station", "no station of kind '" + kind + "' in lab '" + ctx.lab_name + "'");
    if (it != ctx.station_index.end()) s.station = it->second;
  });
  ParamDoc retry = doc_row("retry_from", ParamType::STRING,
                           "On failure, redo the workflow from this earlier step (default: this step only).");
  retry.default_text = "this step";
  t.add(retry, [](const JsonCursor& c, S&, ParseContext& ctx) { ctx.steps.back().retry_from = c.string_or("retry_from", ""); });
  t.boolean("robot_move", &S::robot_move, true, "A robot brings the sample to the station first.");
  t.boolean("manual", &S::manual, false, "A technician on shift does the step (held for its run), in every mode.");
  t.number("success_probability", &S::success_probability, {.def = 1.0, .min = 0, .max = 1},
           "Probability the step succeeds.");
  t.distribution("duration_min", &S::duration_s, {.default_text = "the station's"}, "Duration of the step.");
  ParamDoc after = doc_row("after", ParamType::STRING_LIST, "Steps that must be done first.");
  t.add(after, [](const JsonCursor& s, S&, ParseContext& ctx) {
    if (!s.has("after") || !s["after"].expect_array()) return;
    const JsonCursor a = s["after"];
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (!a[k].value().is_string()) {
        a[k].error("expected a step name");
        continue;
      }
      ctx.steps.back().after.push_back(a[k].value().get<std::string>());
    }
  });
  return t;
}

/// Resolves the workflow's references by name, and checks that it is a DAG
/// whose retries go back to earlier steps.
void resolve_workflow(const JsonCursor& c, LabSpec& l, ParseContext& ctx) {
  if (!c.has("workflow") || !c["workflow"].is_array()) return;
  const JsonCursor wf = c["workflow"];
  std::map<std::string, int> index;
  for (std::size_t j = 0; j < ctx.steps.size(); ++j)
    if (!ctx.steps[j].name.empty()) index.emplace(ctx.steps[j].name, static_cast<int>(j));
  bool names_ok = true;
  for (std::size_t j = 0; j < l.steps.size(); ++j) {
    for (const auto& a : ctx.steps[j].after) {
      auto it = index.find(a);
      if (it == index.end()) {
        wf[j].error_at("after", "no step named '" + a + "' in this workflow");
        names_ok = false;
      } else {
        l.steps[j].after.push_back(it->second);
      }
    }
    const std::string& rf = ctx.steps[j].retry_from;
    if (!rf.empty()) {
      auto it = index.find(rf);
      if (it == index.end()) {
        wf[j].error_at("retry_from", "no step named '" + rf + "' in this workflow");
        names_ok = false;
      } else {
        l.steps[j].retry_from = it->second;
      }
    }
  }
  if (!names_ok || l.steps.size() != wf.size()) return;
  std::vector<int> order;
  std::string err;
  if (!lab::workflow_order(l.steps, order, err)) {
    c.error_at("workflow", err);
    return;
  }
  std::vector<std::size_t> pos(l.steps.size());
  for (std::size_t p = 0; p < order.size(); ++p) pos[static_cast<std::size_t>(order[p])] = p;
  for (std::size_t j = 0; j < l.steps.size(); ++j)
    if (l.steps[j].retry_from >= 0 && pos[static_cast<std::size_t>(l.steps[j].retry_from)] > pos[j])
      wf[j].error_at("retry_from", "step '" + ctx.steps[j].retry_from + "' does not come before step '" + l.steps[j].name + "'");
}

Table<StaffedHours> staffed_table() {
  Table<StaffedHours> t("lab.staffed", "People's hours at the lab (site local time).");
  t.then([](const JsonCursor&, StaffedHours& s, ParseContext&) { s.always = false; });
  ParamDoc wd = doc_row("weekdays", ParamType::STRING, "Days on shift, e.g. 'mon-fri' or 'mon,wed,fri'.");
  wd.default_value = "mon-fri";
  t.add(wd, [](const JsonCursor& c, StaffedHours& s, ParseContext&) {
    const std::string text = c.string_or("weekdays", "mon-fri");
    if (!parse_weekdays(text, s.weekdays))
      c.error_at("weekdays", "expected weekdays like 'mon-fri' or 'mon,wed,fri', got \"" + text + "\"");
  });
  ParamDoc hours = doc_row("hours", ParamType::STRING, "Hours on shift, e.g. '08:00-17:00'.");
  hours.default_value = "08:00-17:00";
  t.add(hours, [](const JsonCursor& c, StaffedHours& s, ParseContext&) {
    const std::string text = c.string_or("hours", "08:00-17:00");
    if (!parse_hours(text, s.start_min, s.end_min))
      c.error_at("hours", "expected hours like '08:00-17:00' (start before end), got \"" + text + "\"");
  });
  return t;
}

Table<LabSpec> lab_table() {
  Table<LabSpec> t("lab", "A robotic laboratory at a site: stations, robots, technicians and their hours.");
  t.then([](const JsonCursor&, LabSpec&, ParseContext& ctx) {
    ctx.station_index.clear();
    ctx.next_station = 0;
    ctx.steps.clear();
  });
  t.name("name", &LabSpec::name, true, "The lab's name; campaigns refer to it.");
  t.then([](const JsonCursor&, LabSpec& l, ParseContext& ctx) { ctx.lab_name = l.name; });
  t.string("site", &LabSpec::site, {.required = true}, "The site it stands at.");
  t.then(site_exists<LabSpec>("site", &LabSpec::site));
  add_clearance(t, &LabSpec::clearance, &LabSpec::site, "the lab");
  t.integer("robots", &LabSpec::robots, {.def = 1, .min = 0, .max = 1000},
            "Robots that move samples between stations; 0: no robot moves.");
  t.distribution("robot_move_min", &LabSpec::robot_move_s, {.def = Distribution::fixed(120)},
                 "One robot move before each step that has one.");
  t.number("robot_jam_probability", &LabSpec::robot_jam_probability, {.def = 0, .min = 0, .max = 1},
           "Probability that a robot move jams; the robot is held until a technician clears it.");
  t.distribution("jam_clear_min", &LabSpec::jam_clear_s, {.def = Distribution::fixed(600)},
                 "Technician time to clear a robot jam.");
  static const Table<StaffedHours> staffed = staffed_table();
  ParamDoc sd = doc_row("staffed", ParamType::CUSTOM,
                        "People's hours at the lab (site local time): '24/7' or {weekdays, hours}. Baseline steps wait "
                        "for them.");
  sd.table = staffed.doc_ptr();
  sd.schema = {{"anyOf", nlohmann::ordered_json::array({{{"const", "24/7"}}, table_schema(staffed.doc())})}};
  sd.default_value = {{"weekdays", "mon-fri"}, {"hours", "08:00-17:00"}};
  t.add(sd, [](const JsonCursor& c, LabSpec& l, ParseContext& ctx) {
    static const nlohmann::json empty = nlohmann::json::object();
    staffed.read(JsonCursor(empty, c.file(), c.sink()), l.staffed, ctx);
    if (!c.has("staffed")) return;
    const JsonCursor s = c["staffed"];
    if (s.value().is_string() && s.value().get<std::string>() == "24/7") l.staffed.always = true;
    else staffed.read(s, l.staffed, ctx);
  });
  t.then([](const JsonCursor&, LabSpec& l, ParseContext& ctx) { l.people = ctx.sc->shift_of(l.staffed, l.site); });
  t.integer("technicians", &LabSpec::technicians, {.def = 2, .min = 1, .max = 10000},
            "Technicians on shift at once: they repair stations, restock, clear jams, do manual steps and, in "
            "baseline, hand every step over.");
  t.distribution("handoff_min", &LabSpec::handoff_s, {.def = Distribution::fixed(600)},
                 "Technician time to hand a sample over at a step that needs people (every step in baseline, manual "
                 "steps in both modes).");
  t.integer("max_retries", &LabSpec::max_retries, {.def = 0, .min = 0, .max = 100},
            "A failed step is redone up to this many times before the experiment is reported failed (0: report at once).");
  t.number("power_kw", &LabSpec::station_power_w, {.def = 5, .min = 0, .max = 1e6}, "Power drawn per busy station slot.");
  t.number("price_per_lab_hour_usd", &LabSpec::price_per_lab_hour_usd, {.min = 0, .max = 1e9, .default_text = "no price"},
           "Price: dollars per lab-hour (station-hour) that campaigns use (report: cost per discovery in dollars).");
  t.number("technician_year_usd", &LabSpec::technician_year_usd, {.min = 0, .max = 1e12, .default_text = "no price"},
           "Price: dollars a year per technician on shift (report: cost per discovery in dollars; twin advise).");
  t.number("capital_per_robot_usd", &LabSpec::capital_per_robot_usd, {.min = 0, .max = 1e12, .default_text = "no price"},
           "Price: dollars one more robot costs (twin advise: per dollar).");
  add_availability(t, &LabSpec::online_from_s, &LabSpec::offline_from_s);
  t.number("autonomous_from_day", &LabSpec::autonomous_from_s, {.def = 0, .min = 0, .max = 36500},
           "Adoption: until this day the lab works staffed hours in every mode (every step waits for a "
           "technician); from it, closed_loop runs robot steps 24/7.");
  add_outages<core::Outage>(t, &LabSpec::outages, "the whole lab");
  add_random_outages(t, &LabSpec::mtbf_s, &LabSpec::repair_s);
  t.mapped_choice("on_outage", &LabSpec::on_outage,
                  std::vector<std::pair<std::string, lab::OnOutage>>{{"hold", lab::OnOutage::HOLD},
                                                                     {"fail", lab::OnOutage::FAIL}},
                  lab::OnOutage::HOLD,
                  "What an outage does to the samples on the stations it takes down: hold (their step is aborted and "
                  "redone when the stations return) or fail (they fail, reason 'outage: <reason>').");
  t.array("stations", &LabSpec::stations, station_table(),
          {.required = true, .missing = "an array of stations", .min_items = 1, .item = "station"},
          "Station kinds. Without a workflow, each sample visits each kind once, in this order.");
  t.array("workflow", &LabSpec::steps, step_table(), {.min_items = 1, .item = "step"},
          "The experiment workflow, a DAG of steps (default: each station kind once, in listed order).");
  t.then(resolve_workflow);
  t.ignored("description", "Free text.");
  return t;
}

// ------------------------------------------------------------ data stores

Table<DatasetSpec> dataset_table() {
  Table<DatasetSpec> t("data_store.dataset", "A dataset the store holds; campaigns and model trainings stage it.");
  t.name("name", &DatasetSpec::name, true, "The dataset's name, unique across stores; campaigns and models refer to it.");
  t.number("size_tb", &DatasetSpec::size_bytes, {.min = 0, .max = 1e9, .required = true}, "Its size on day 0.");
  t.number("growth_tb_per_year", &DatasetSpec::growth_bytes_per_year, {.def = 0, .min = 0, .max = 1e9, .to_si = 1e12},
           "Growth per year from other sources (linear); lab results appended by campaigns come on top.");
  ParamDoc d = doc_row("classification", ParamType::CHOICE,
                       "The label of the data (" + label_order_text() + "); at most its store's classification.");
  for (core::Label l : core::ALL_LABELS) d.choices.emplace_back(core::to_string(l));
  d.default_text = "its store's classification";
  t.add(d, [names = d.choices](const JsonCursor& c, DatasetSpec& x, ParseContext&) {
    // The store's classification is filled in by the store when this key is absent.
    if (c.has("classification"))
      x.classification = core::label_from_string(c.choice("classification", names, "public")).value_or(core::Label::PUBLIC);
  });
  t.ignored("description", "Free text (where its size comes from).");
  return t;
}

Table<StoreSpec> store_table() {
  Table<StoreSpec> t("data_store", "Where results land (a copy of each lab result travels there), and the datasets it holds.");
  t.name("name", &StoreSpec::name, true, "The store's name; campaigns refer to it.");
  t.string("site", &StoreSpec::site, {.required = true}, "The site it stands at.");
  t.then(site_exists<StoreSpec>("site", &StoreSpec::site));
  add_clearance(t, &StoreSpec::classification, &StoreSpec::site, "classification",
                "The highest label of data it may hold, its clearance; a campaign above it sends it no copy");
  t.array("datasets", &StoreSpec::datasets, dataset_table(), {}, "Datasets it holds (staged to HPC systems that need them).");
  t.integer("transfer_streams", &StoreSpec::transfer_streams, {.def = 8, .min = 1, .max = 256},
            "Parallel streams a staging of its datasets opens (as data-transfer tools do): each is a transfer of an "
            "equal share, all over the same route, so a window-limited stream does not bound the staging.");
  t.then(unique_names<StoreSpec>("datasets", &StoreSpec::datasets, "dataset"));
  t.then([](const JsonCursor& c, StoreSpec& st, ParseContext&) {
    for (std::size_t i = 0; i < st.datasets.size(); ++i) {
      DatasetSpec& d = st.datasets[i];
      d.store = st.name;
      d.site = st.site;
      d.streams = st.transfer_streams;
      const JsonCursor dc = c["datasets"][i];
      if (!dc.has("classification")) d.classification = st.classification;
      else if (d.classification > st.classification)
        dc.error_at("classification", std::string("expected at most the store's classification (") +
                                          core::to_string(st.classification) + "): the store may not hold " +
                                          core::to_string(d.classification) + " data");
    }
  });
  return t;
}

// ----------------------------------------------------------------- models

Table<ModelSpec> model_train_table() {
  Table<ModelSpec> t("model.train", "How the model is trained: one job in an HPC system's queue per version.");
  t.string("system", &ModelSpec::train_system, {.required = true}, "The HPC system it trains on.");
  t.then([](const JsonCursor& c, ModelSpec& m, ParseContext& ctx) {
    check_ref(c, "system", m.train_system, names_of(ctx.sc->hpc), "HPC system");
  });
  t.number("gpu_hours", &ModelSpec::train_gpu_hours, {.def = 0, .min = 0, .max = 1e12, .to_si = 1.0},
           "GPU-hours of one training (the job runs gpu_hours / (nodes x the system's gpus_per_node) hours); or flops.");
  t.number("flops", &ModelSpec::train_flops, {.def = 0, .min = 0, .max = 1e30, .to_si = 1.0},
           "Floating-point operations of one training, at the system's node speed; or gpu_hours.");
  t.integer("nodes", &ModelSpec::train_nodes, {.def = 1, .min = 1, .max = 10000000}, "Nodes of the training job.");
  t.strings("datasets", &ModelSpec::train_datasets, false, {}, "Datasets it trains on, staged to the system before each training.");
  t.number("from_day", &ModelSpec::train_from_s, {.def = 0, .min = 0, .max = 36500}, "Day the first training is submitted.");
  t.number("job_padding", &ModelSpec::job_padding, {.def = 2.0, .min = 1.0, .max = 100},
           "Requested wall time = padding x expected run time.");
  t.then([](const JsonCursor& c, ModelSpec& m, ParseContext& ctx) {
    const HpcSpec* h = ctx.sc->hpc_system(m.train_system);
    if ((m.train_gpu_hours > 0) == (m.train_flops > 0)) {
      c.error("expected exactly one of 'gpu_hours' and 'flops', greater than 0");
      return;
    }
    if (!h) return;
    if (m.train_nodes > h->nodes)
      c.error_at("nodes", "expected at most the " + std::to_string(h->nodes) + " nodes of '" + h->name + "'");
    if (m.train_gpu_hours > 0) {
      if (h->gpus_per_node <= 0) {
        c.error_at("gpu_hours", "system '" + h->name + "' states no gpus_per_node: give the training's 'flops'");
        return;
      }
      // gpu_hours over the job's GPUs is its run time; the work is that time at the nodes' speed.
      m.train_flops = m.train_gpu_hours * 3600.0 / h->gpus_per_node * h->node_speed_flops;
    }
  });
  return t;
}

Table<ModelSpec> model_quality_table() {
  Table<ModelSpec> t("model.quality", "How good its predictions are: error = error_sd x (D / D1)^-alpha, where D is the "
                                      "data it was trained on and D1 that of its first version.");
  t.number("error_sd", &ModelSpec::error_sd, {.def = 0.5, .min = 0, .max = 100},
           "The first version's prediction error: a normal error with this sd, in units of the sd of the "
           "problem's truth over its design space.");
  t.number("alpha", &ModelSpec::alpha, {.def = 0.3, .min = 0, .max = 5}, "How fast the error shrinks with training data.");
  return t;
}

Table<ModelSpec> model_table() {
  Table<ModelSpec> t("model", "A foundation model: trained on datasets as HPC jobs, used by agents as a screening surrogate.");
  t.name("name", &ModelSpec::name, true, "The model's name; agents' `surrogate` refers to it.");
  t.string("domain", &ModelSpec::domain, {.def = ""}, "Its scientific domain (for reports).");
  t.object("train", [](ModelSpec& m) -> ModelSpec& { return m; }, model_train_table(),
           {.required = true, .missing = "{\"system\": hpc, \"gpu_hours\": g, \"datasets\": [..]}"},
           "Its training job.");
  t.then([](const JsonCursor& c, ModelSpec& m, ParseContext& ctx) {
    if (!c.has("train") || !c["train"].is_object()) return;
    const JsonCursor tr = c["train"];
    std::vector<std::string> known;
    for (const auto& st : ctx.sc->stores)
      for (const auto& d : st.datasets) known.push_back(d.name);
    m.label = core::Label::PUBLIC;
    for (std::size_t i = 0; i < m.train_datasets.size(); ++i) {
      const DatasetSpec* d = ctx.sc->dataset(m.train_datasets[i]);
      if (!d) {
        check_ref_at(tr["datasets"][i], m.train_datasets[i], known, "dataset");
        continue;
      }
      m.label = std::max(m.label, d->classification);
    }
    const HpcSpec* h = ctx.sc->hpc_system(m.train_system);
    if (h && h->clearance < m.label)
      tr.error_at("system", "system '" + h->name + "' is cleared for " + core::to_string(h->clearance) +
                                ", below its training data (" + core::to_string(m.label) + ")");
  });
  t.number("retrain_every_days", &ModelSpec::retrain_every_s, {.def = 0, .min = 0, .max = 36500},
           "Retrain this long after the last training ended; 0: not on a schedule.");
  t.integer("retrain_after_results", &ModelSpec::retrain_after_results, {.def = 0, .min = 0, .max = 1000000000},
            "Retrain once this many new lab results were appended to its datasets since the last training started; 0: not.");
  t.number("inference_flops_per_candidate", &ModelSpec::inference_flops_per_candidate,
           {.def = 1e12, .min = 0, .max = 1e30, .min_exclusive = true, .to_si = 1.0},
           "Work of one prediction; an agent's inference job over n candidates does n times it.");
  t.object("quality", [](ModelSpec& m) -> ModelSpec& { return m; }, model_quality_table(), {.defaults_when_absent = true},
           "Its prediction error and how it shrinks with retraining.");
  t.ignored("description", "Free text (where its figures come from).");
  return t;
}

// ----------------------------------------------------------------- clouds

Table<CloudSpec> cloud_instance_table() {
  Table<CloudSpec> t("cloud.instance", "One instance of the cloud's offer.");
  t.integer("gpus", &CloudSpec::gpus, {.def = 8, .min = 0, .max = 1024}, "GPUs per instance (billed).");
  t.number("node_speed_gflops", &CloudSpec::node_speed_flops, {.def = 1, .min = 0, .min_exclusive = true, .required = true},
           "Speed of one instance (a job on k instances runs at k times it).");
  t.number("power_w", &CloudSpec::power_w, {.def = 0, .min = 0, .max = 1e7}, "Power of one instance while held.");
  return t;
}

Table<CloudSpec> cloud_table() {
  Table<CloudSpec> t("cloud", "A cloud offering instances on demand (no batch queue, a quota), paid per GPU-hour.");
  t.name("name", &CloudSpec::name, true, "The cloud's name; campaigns burst to it.");
  t.string("site", &CloudSpec::site, {.required = true}, "The network location it is reached at (a site, with its links).");
  t.then(site_exists<CloudSpec>("site", &CloudSpec::site));
  t.object("instance", [](CloudSpec& c) -> CloudSpec& { return c; }, cloud_instance_table(),
           {.required = true, .missing = "{\"gpus\": g, \"node_speed_gflops\": s, \"power_w\": w}"},
           "What one instance is.");
  t.distribution("provisioning_min", &CloudSpec::provisioning, {.def = Distribution::fixed(300)},
                 "From a request to a running instance (drawn per job; not billed).");
  t.number("price_per_gpu_hour", &CloudSpec::price_per_gpu_hour_usd, {.min = 0, .max = 1e6, .required = true, .to_si = 1.0},
           "Dollars per GPU-hour, from the instance running to its release.");
  t.integer("quota_instances", &CloudSpec::quota_instances, {.def = 16, .min = 1, .max = 1000000},
            "Instances held at once by all campaigns together; a job waits for its instances in arrival order.");
  add_clearance(t, &CloudSpec::clearance, &CloudSpec::site, "the cloud");
  t.ignored("description", "Free text.");
  return t;
}

// -------------------------------------------------------------- campaigns

/// The agent of one mode; the two modes differ only in their defaults.
Table<ModeAgentSpec> agent_table(core::Mode mode) {
  const bool base = mode == core::Mode::BASELINE;
  Table<ModeAgentSpec> t(std::string("campaign.agent.") + core::to_string(mode),
                         base ? "How the baseline (human-paced) mode runs the campaign."
                              : "How the closed-loop (AI agent, autonomous lab) mode runs the campaign.");
  t.string("policy", &ModeAgentSpec::policy, {.def = base ? "grid" : "random"},
           "Proposal policy (`twin models` lists them: policy.*).");
  ParamDoc pp = doc_row("policy_params", ParamType::CUSTOM,
                        "Parameters of the policy (`twin models` lists each policy's parameters, units and defaults).");
  pp.schema = {{"type", "object"},
               {"additionalProperties", {{"type", nlohmann::ordered_json::array({"string", "number", "boolean"})}}}};
  t.add(pp, [](const JsonCursor& c, ModeAgentSpec& m, ParseContext&) {
    m.policy_params.clear();
    if (!c.has("policy_params")) return;
    const JsonCursor p = c["policy_params"];
    if (!p.is_object()) {
      p.error("expected an object of policy parameters (`twin models` lists them)");
      return;
    }
    for (const auto& [k, v] : p.value().items()) {
      if (v.is_string()) m.policy_params[k] = v.get<std::string>();
      else if (v.is_boolean()) m.policy_params[k] = v.get<bool>() ? "true" : "false";
      else if (v.is_number()) m.policy_params[k] = v.dump();
      else p.error_at(k, "expected a string, number or boolean, got " + json_type_words(v));
    }
  });
  t.integer("batch", &ModeAgentSpec::batch, {.def = 1, .min = 1, .max = 1000}, "Lab experiments per decision.");
  t.integer("screen", &ModeAgentSpec::screen, {.def = 0, .min = 0, .max = 100000},
            "HPC simulations per decision; the best predicted `batch` go to the lab. 0: no screening.");
  t.then([](const JsonCursor& c, ModeAgentSpec& m, ParseContext&) {
    if (m.screen > 0 && m.screen < m.batch) c.error_at("screen", "expected 0 (no screening) or an integer >= batch");
  });
  t.number("cadence_days", &ModeAgentSpec::cadence_s, {.def = base ? 7.0 : 0.0, .min = 0, .max = 365},
           "Decisions only every so many days (planning meetings); 0: whenever results are in.");
  t.distribution("decision_min", &ModeAgentSpec::decision_s,
                 {.def = base ? Distribution::fixed(2 * 3600.0) : Distribution::fixed(0)},
                 "Human analysis time per decision.");
  t.distribution("handoff_min", &ModeAgentSpec::handoff_s,
                 {.def = base ? Distribution::lognormal(4 * 3600.0, 0.5) : Distribution::fixed(0)},
                 "Manual hand-off delay after the HPC stage and after the lab stage.");
  t.boolean("staffed_decisions", &ModeAgentSpec::staffed_decisions, base,
            "Decisions and hand-offs only in the lab's staffed hours (at the campaign's home site).");
  Table<ModeAgentSpec> sur(std::string("campaign.agent.") + core::to_string(mode) + ".surrogate",
                           "A foundation model ranks the candidates before (or instead of) the simulations.");
  sur.string("model", &ModeAgentSpec::surrogate_model, {.required = true}, "The model (`models[]`).");
  sur.integer("candidates", &ModeAgentSpec::surrogate_candidates, {.def = 64, .min = 1, .max = 1000000},
              "Candidates the policy proposes for one inference job to rank, once a version of the model is trained "
              "(before that: `screen`, as without a model).");
  sur.integer("simulate", &ModeAgentSpec::surrogate_simulate, {.def = 0, .min = 0, .max = 100000},
              "The best ranked that go on to per-candidate simulations; 0: the best `batch` go straight to the lab.");
  t.object("surrogate", [](ModeAgentSpec& m) -> ModeAgentSpec& { return m; }, sur, {},
           "A foundation model as the screening surrogate (default: none).");
  t.then([](const JsonCursor& c, ModeAgentSpec& m, ParseContext&) {
    if (m.surrogate_model.empty() || !c.has("surrogate")) return;
    const JsonCursor s = c["surrogate"];
    if (m.surrogate_candidates < m.batch) s.error_at("candidates", "expected at least batch (" + std::to_string(m.batch) + ")");
    if (m.surrogate_simulate > 0 && (m.surrogate_simulate < m.batch || m.surrogate_simulate > m.surrogate_candidates))
      s.error_at("simulate", "expected 0 or an integer from batch to candidates");
  });
  return t;
}

Table<CampaignSpec> agents_table() {
  Table<CampaignSpec> t("campaign.agent", "The agent in each mode.");
  for (core::Mode mode : core::ALL_MODES) {
    const Table<ModeAgentSpec> m = agent_table(mode);
    t.object(core::to_string(mode), [mode](CampaignSpec& c) -> ModeAgentSpec& { return c.agent(mode); }, m,
             {.defaults_when_absent = true}, m.doc().doc);
  }
  return t;
}

Table<CampaignSpec> budget_table() {
  Table<CampaignSpec> t("campaign.budget", "What the campaign may spend.");
  t.integer("experiments", &CampaignSpec::budget_experiments, {.def = 0, .min = 0, .max = 100000000},
            "Lab experiments at most (0: unlimited).");
  return t;
}

Table<CampaignSpec> target_table() {
  Table<CampaignSpec> t("campaign.target", "What counts as a discovery: exactly one key.");
  t.then([](const JsonCursor& c, CampaignSpec&, ParseContext&) {
    const int n = (c.has("top_percent") ? 1 : 0) + (c.has("value_at_most") ? 1 : 0) + (c.has("value_at_least") ? 1 : 0);
    if (n != 1) c.error("expected exactly one of 'top_percent', 'value_at_most', 'value_at_least'");
  });
  ParamDoc top = doc_row("top_percent", ParamType::NUMBER, "A discovery is a confirmed candidate among the pool's best p %.");
  top.min = 0;
  top.min_exclusive = true;
  top.max = 100;
  t.add(top, [](const JsonCursor& c, CampaignSpec& cp, ParseContext&) {
    if (c.has("top_percent")) cp.target.top_percent = c.number_or("top_percent", 1, 0, 100, true);
  });
  for (const char* key : {"value_at_most", "value_at_least"}) {
    ParamDoc d = doc_row(key, ParamType::NUMBER,
                         std::string("A discovery is a measured value ") +
                             (key[9] == 'm' ? "at most this (minimising kernels)." : "at least this (maximising kernels)."));
    t.add(d, [key = std::string(key)](const JsonCursor& c, CampaignSpec& cp, ParseContext&) {
      if (c.has(key)) cp.target.threshold = c.number_or(key, 0, -INF, INF);
    });
  }
  t.then([](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    if (cp.target.top_percent && cp.kernel.kind != "pool" && !cp.kernel.kind.empty())
      c.error_at("top_percent", "top_percent needs a pool kernel; use value_at_most or value_at_least");
    // The threshold's direction must agree with the kernel's goal, checked once the kernel is built.
    if (c.has("value_at_most") || c.has("value_at_least")) ctx.target_maximize.back() = c.has("value_at_least");
  });
  return t;
}

std::vector<std::string> kernel_kinds() {
  std::vector<std::string> out;
  for (const auto& k : models::kernel_catalog()) out.push_back(k.kind);
  return out;
}

void read_kernel(const JsonCursor& c, CampaignSpec& camp, const std::string& scenario_file) {
  const std::vector<std::string> kinds_known = kernel_kinds();
  std::vector<std::string> allowed = kinds_known;
  allowed.push_back("goal");
  allowed.push_back("params");
  if (!c.expect_object(allowed)) return;
  std::vector<std::string> kinds;
  for (const auto& k : kinds_known)
    if (c.has(k)) kinds.push_back(k);
  if (kinds.size() != 1) {
    std::string list;
    for (const auto& k : kinds_known) list += (list.empty() ? "'" : ", '") + k + "'";
    c.error("expected exactly one kernel kind among " + list + std::string(kinds.empty() ? "" : ", got several"));
    return;
  }
  auto& spec = camp.kernel;
  spec.kind = kinds[0];
  if (c.has("goal")) {
    const std::string g = c.choice("goal", {"maximize", "minimize"}, "minimize");
    spec.goal = g == "maximize" ? models::Goal::MAXIMIZE : models::Goal::MINIMIZE;
  }
  auto numbers = [&spec](const JsonCursor& p) {
    for (const auto& [k, v] : p.value().items()) {
      if (!v.is_number()) {
        p.error_at(k, "expected a number, got " + json_type_words(v));
        continue;
      }
      spec.params[k] = v.get<double>();
    }
  };
  if (c.has("params")) {
    const JsonCursor p = c["params"];
    if (p.is_object()) numbers(p);
    else p.error("expected an object of numeric parameters, got " + json_type_words(p.value()));
  }
  const JsonCursor body = c[spec.kind];
  if (spec.kind != "pool") {
    camp.kernel_label = spec.kind;
    if (body.value().is_object()) numbers(body);
    else body.error("expected an object of numeric parameters (may be empty: {})");
    return;
  }
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
}

nlohmann::ordered_json kernel_schema() {
  using oj = nlohmann::ordered_json;
  oj props = oj::object();
  for (const auto& k : models::kernel_catalog()) {
    if (k.kind == "pool") {
      props["pool"] = {{"description", k.description + " A CSV file, or a list of files (a stream of problems)."},
                       {"anyOf", oj::array({{{"type", "string"}},
                                            {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}}})}};
    } else {
      props[k.kind] = {{"description", k.description + " Parameters: `twin models` (kernel." + k.kind + ")."},
                       {"type", "object"},
                       {"additionalProperties", {{"type", "number"}}}};
    }
  }
  props["goal"] = {{"description", "Required for a pool."}, {"enum", oj::array({"minimize", "maximize"})}};
  props["params"] = {{"description", "Kernel parameters (`twin models`)."},
                     {"type", "object"},
                     {"additionalProperties", {{"type", "number"}}}};
  return {{"type", "object"}, {"additionalProperties", false}, {"properties", props}, {"minProperties", 1}};
}

Table<BurstSpec> burst_table() {
  Table<BurstSpec> t("campaign.burst", "When a screening job goes to a cloud instead of the HPC queue.");
  t.string("to", &BurstSpec::to, {.required = true}, "The cloud it bursts to.");
  t.number("when_queue_wait_h", &BurstSpec::when_queue_wait_s, {.def = 4, .min = 0, .max = 1e6},
           "A job the HPC system's queue would hold longer than this (estimated from the queue's requested times "
           "when it is submitted) runs in the cloud.");
  t.integer("max_instances", &BurstSpec::max_instances, {.def = 4, .min = 1, .max = 1000000},
            "Cloud instances the campaign holds at once; a job that would exceed it stays in the HPC queue.");
  return t;
}

/// A campaign's `hpc` or `lab`: one name, or a list of names in order of
/// preference; each is checked where it stands. `first` gets the first one.
template <class List, class First, class Names>
void add_preference(Table<CampaignSpec>& t, const std::string& key, List list, First first, Names names,
                    const char* what, std::string doc) {
  ParamDoc d = doc_row(key, ParamType::STRING_OR_LIST, std::move(doc));
  d.required = true;
  d.min_items = 1;
  t.add(d, [key, list, first, names, what](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    auto& out = std::invoke(list, cp);
    out.clear();
    if (!c.has(key)) {
      c.error("missing required key '" + key + "' (a name, or a list of names in order of preference)");
      return;
    }
    const JsonCursor v = c[key];
    const std::vector<std::string> known = names(*ctx.sc);
    if (v.value().is_string()) {
      out.push_back(v.value().get<std::string>());
      check_ref(c, key, out.front(), known, what);
    } else if (!v.value().is_array() || v.size() == 0) {
      v.error("expected a name or a non-empty list of names in order of preference");
    } else {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].value().is_string()) {
          v[i].error("expected a name");
          continue;
        }
        const std::string n = v[i].value().get<std::string>();
        if (std::find(out.begin(), out.end(), n) != out.end()) v[i].error("'" + n + "' is listed twice");
        out.push_back(n);
        if (std::find(known.begin(), known.end(), n) == known.end()) check_ref_at(v[i], n, known, what);
      }
    }
    std::invoke(first, cp) = out.empty() ? "" : out.front();
  });
}

Table<CampaignSpec> campaign_table() {
  Table<CampaignSpec> t("campaign", "One discovery goal: a kernel, a target, the HPC system and lab it uses, its agent.");
  t.then([](const JsonCursor&, CampaignSpec&, ParseContext& ctx) { ctx.target_maximize.emplace_back(); });
  t.name("name", &CampaignSpec::name, true, "The campaign's name.");
  ParamDoc kernel = doc_row("kernel", ParamType::CUSTOM, "The physics kernel that plays nature: exactly one kind key.");
  kernel.required = true;
  kernel.schema = kernel_schema();
  t.add(kernel, [](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    if (!c.has("kernel")) c.error("missing required key 'kernel' (the physics kernel)");
    else read_kernel(c["kernel"], cp, ctx.file);
  });
  t.object("target", [](CampaignSpec& c) -> CampaignSpec& { return c; }, target_table(),
           {.required = true, .missing = "{\"top_percent\": p} or a value threshold"},
           "What counts as a discovery: exactly one key.");
  t.choice("on_discovery", &CampaignSpec::on_discovery, {"continue", "next_problem"}, "continue",
           "continue: find every good candidate, each counting once; next_problem: move to the next problem of the "
           "stream.");
  t.object("budget", [](CampaignSpec& c) -> CampaignSpec& { return c; }, budget_table(), {.defaults_when_absent = true},
           "What the campaign may spend.");
  add_preference(t, "hpc", &CampaignSpec::hpc_list, &CampaignSpec::hpc,
                 [](const Scenario& sc) { return names_of(sc.hpc); }, "HPC system",
                 "HPC system that runs the screening simulations, or a list in order of preference (each cycle uses "
                 "the first that is up).");
  add_preference(t, "lab", &CampaignSpec::lab_list, &CampaignSpec::lab,
                 [](const Scenario& sc) { return names_of(sc.labs); }, "lab",
                 "Lab that runs the experiments, or a list in order of preference (each cycle uses the first that is "
                 "up).");
  t.then([](const JsonCursor&, CampaignSpec& cp, ParseContext& ctx) {
    const HpcSpec* h = ctx.sc->hpc_system(cp.hpc);
    cp.home_site = h ? h->site : "";
  });
  t.string("home_site", &CampaignSpec::home_site, {.default_text = "the HPC system's site"}, "Where the agent runs.");
  t.then(site_exists<CampaignSpec>("home_site", &CampaignSpec::home_site));
  t.string("data_store", &CampaignSpec::store, {.def = ""}, "Data store that receives a copy of the results.");
  t.then([](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    check_ref(c, "data_store", cp.store, names_of(ctx.sc->stores), "data store");
  });
  t.strings("datasets", &CampaignSpec::datasets, false, {},
            "Datasets its simulations need: staged to the HPC system (or found in its cache) before each screening.");
  t.string("results_dataset", &CampaignSpec::results_dataset, {.def = ""},
           "Dataset its lab results are appended to (it grows); in its data_store, which it sets when absent.");
  t.then([](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    std::vector<std::string> known;
    for (const auto& st : ctx.sc->stores)
      for (const auto& d : st.datasets) known.push_back(d.name);
    for (std::size_t i = 0; i < cp.datasets.size(); ++i)
      if (!ctx.sc->dataset(cp.datasets[i])) check_ref_at(c["datasets"][i], cp.datasets[i], known, "dataset");
    if (cp.results_dataset.empty()) return;
    const DatasetSpec* d = ctx.sc->dataset(cp.results_dataset);
    if (!d) {
      check_ref(c, "results_dataset", cp.results_dataset, known, "dataset");
      return;
    }
    if (cp.store.empty()) cp.store = d->store;
    else if (cp.store != d->store)
      c.error_at("results_dataset", "dataset '" + d->name + "' is in data store '" + d->store +
                                        "', not the campaign's data_store '" + cp.store + "'");
  });
  t.integer("job_nodes", &CampaignSpec::job_nodes, {.def = 1, .min = 1, .max = 10000000}, "Nodes per simulation job.");
  t.then([](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    const HpcSpec* h = ctx.sc->hpc_system(cp.hpc);
    if (h && cp.job_nodes > h->nodes)
      c.error_at("job_nodes", "expected at most the " + std::to_string(h->nodes) + " nodes of '" + h->name + "'");
  });
  t.integer("job_priority", &CampaignSpec::job_priority, {.def = 0, .min = -1000000, .max = 1000000},
            "Priority of the campaign's jobs (larger first) under a priority queue order, e.g. scheduler "
            "'easy-priority'.");
  t.number("job_padding", &CampaignSpec::job_padding, {.def = 2.0, .min = 1.0, .max = 100},
           "Requested wall time = padding x expected run time; a job past it is killed.");
  t.number("sim_output_gb", &CampaignSpec::sim_output_bytes, {.def = 1, .min = 0, .max = 1e9},
           "Output of one simulation, sent to the home site.");
  t.number("lab_output_gb", &CampaignSpec::lab_output_bytes, {.def = 0.1, .min = 0, .max = 1e9},
           "Data of one lab experiment, sent to the home site.");
  t.number("recipe_mb", &CampaignSpec::recipe_bytes, {.def = 1, .min = 0, .max = 1e9}, "Recipe of one experiment, sent to the lab.");
  t.integer("initial_experiments", &CampaignSpec::initial_experiments, {.def = 2, .min = 0, .max = 100000},
            "Random experiments before the policy takes over.");
  t.number("start_day", &CampaignSpec::start_s, {.def = 0, .min = 0, .max = 36500}, "Day the campaign starts.");
  t.number("end_day", &CampaignSpec::end_s, {.min = 0, .max = 36500, .default_text = "never"},
           "Day the campaign stops starting new cycles; the cycle under way finishes and counts.");
  t.then([](const JsonCursor& c, CampaignSpec& cp, ParseContext&) {
    if (c.has("end_day") && !(cp.end_s > cp.start_s)) c.error_at("end_day", "expected a day after start_day");
  });
  t.number("closed_loop_from_day", &CampaignSpec::closed_loop_from_s, {.def = 0, .min = 0, .max = 36500},
           "Adoption: in closed_loop (and the modes between) the campaign works as in baseline (its agent, cadence, "
           "staffed decisions, hand-offs) until this day.");
  t.number("data_growth_percent_per_year", &CampaignSpec::data_growth_percent, {.def = 0, .min = 0, .max = 1000},
           "Growth of the campaign's transfer sizes (simulation outputs, lab data, recipes) per year of simulated "
           "time, compounded from day 0.");
  t.object("agent", [](CampaignSpec& c) -> CampaignSpec& { return c; }, agents_table(), {.defaults_when_absent = true},
           "The agent in each mode.");
  t.mapped_choice("classification", &CampaignSpec::classification, core::label_choices(), core::Label::PUBLIC,
                  "The label of the campaign's data, jobs and samples (" + label_order_text() +
                      "): they go only to facilities and over links cleared for it.");
  static const Table<BurstSpec> burst = burst_table();
  ParamDoc bd = doc_row("burst", ParamType::OBJECT, "Bursting to a cloud when the HPC queue is long (default: never).");
  bd.table = burst.doc_ptr();
  t.add(bd, [](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    cp.burst.reset();
    if (!c.has("burst")) return;
    const JsonCursor b = c["burst"];
    if (!b.value().is_object()) {
      b.error("expected an object {\"to\": cloud, \"when_queue_wait_h\": h, \"max_instances\": n}");
      return;
    }
    BurstSpec spec;
    if (!burst.read(b, spec, ctx)) return;
    const CloudSpec* cloud = ctx.sc->cloud(spec.to);
    if (!cloud) {
      check_ref(b, "to", spec.to, names_of(ctx.sc->clouds), "cloud");
      return;
    }
    if (spec.max_instances < cp.job_nodes)
      b.error_at("max_instances", "expected at least the campaign's job_nodes (" + std::to_string(cp.job_nodes) +
                                      "): a job takes one instance per node");
    if (cloud->quota_instances < cp.job_nodes)
      b.error_at("to", "cloud '" + cloud->name + "' has a quota of " + std::to_string(cloud->quota_instances) +
                           " instances, fewer than the campaign's job_nodes (" + std::to_string(cp.job_nodes) + ")");
    cp.burst = spec;
  });
  t.then([](const JsonCursor& c, CampaignSpec& cp, ParseContext& ctx) {
    // Data it reads or trains on may not be above its label: that would raise it.
    for (std::size_t i = 0; i < cp.datasets.size(); ++i) {
      const DatasetSpec* d = ctx.sc->dataset(cp.datasets[i]);
      if (d && d->classification > cp.classification)
        c["datasets"][i].error(std::string("dataset '") + d->name + "' is " + core::to_string(d->classification) +
                               ", above the campaign's classification (" + core::to_string(cp.classification) + ")");
    }
    const DatasetSpec* r = ctx.sc->dataset(cp.results_dataset);
    if (r && r->classification < cp.classification)
      c.error_at("results_dataset", std::string("dataset '") + r->name + "' is " + core::to_string(r->classification) +
                                        ": it may not hold the campaign's " + core::to_string(cp.classification) + " results");
    for (core::Mode mode : core::ALL_MODES) {
      const ModeAgentSpec& a = cp.agent(mode);
      if (a.surrogate_model.empty()) continue;
      const JsonCursor ac = c.has("agent") && c["agent"].has(core::to_string(mode)) ? c["agent"][core::to_string(mode)] : c;
      const JsonCursor sc = ac.has("surrogate") ? ac["surrogate"] : ac;
      const ModelSpec* m = ctx.sc->model(a.surrogate_model);
      if (!m) {
        check_ref(sc, "model", a.surrogate_model, names_of(ctx.sc->models), "model");
        continue;
      }
      if (m->label > cp.classification)
        sc.error_at("model", "model '" + m->name + "' is trained on " + core::to_string(m->label) +
                                 " data, above the campaign's classification (" + core::to_string(cp.classification) + ")");
      if (a.surrogate_simulate > 0 && cp.hpc.empty()) sc.error_at("simulate", "the campaign has no HPC system");
    }
  });
  t.ignored("description", "Free text.");
  return t;
}

// -------------------------------------------------------------- top level

Table<LimitsSpec> limits_table() {
  Table<LimitsSpec> t("limits", "Bounds on the work of one simulation (one mode, one replication).");
  t.integer("max_events", &LimitsSpec::max_events, {.def = 30000000, .min = 1, .max = 1000000000000LL},
            "Simulated instants at which something happens, at most, per simulation; one that reaches it stops with "
            "an error naming the day it got to. The default is about 80 times the national default's closed loop "
            "(387,088 in a year) and bounds a simulation to about 7 minutes of CPU and 2 GB in the densest case "
            "measured (millisecond lab steps: 13 us and 57 bytes per instant).");
  return t;
}

Table<Scenario> make_scenario_table() {
  Table<Scenario> t("scenario",
                    "A platform (sites, network, HPC systems, robotic labs, data stores), the discovery campaigns that "
                    "run on it, and the modes to compare.");
  t.ignored("$schema", "Path or URL of this schema (ignored).");
  t.integer("schema_version", &Scenario::schema_version, {.def = 1, .min = 1, .max = 1, .required = true},
            "Version of the scenario format.");
  t.name("name", &Scenario::name, true, "Scenario name; the default output folder is ./out/<name>/.");
  t.string("description", &Scenario::description, {.def = ""}, "Free text.");
  t.integer("seed", &Scenario::seed, {.def = 1, .min = 0, .max = (1LL << 53)}, "Run seed; replication r uses hash(seed, r).");
  t.number("horizon_days", &Scenario::horizon_s, {.def = 365, .min = 0, .max = 36500, .min_exclusive = true},
           "Simulated time span.");
  t.integer("replications", &Scenario::replications, {.def = 5, .min = 1, .max = 10000},
            "Paired replications; each runs every mode.");
  t.string("start_date", &Scenario::start_date, {.def = "2026-01-05"},
           "Simulated time 0 is this date ('YYYY-MM-DD') at 00:00 UTC (default a Monday).");
  t.then([](const JsonCursor& root, Scenario& sc, ParseContext&) {
    if (!core::parse_date(sc.start_date, sc.start_day_epoch))
      root.error_at("start_date", "expected a date 'YYYY-MM-DD', got \"" + sc.start_date + "\"");
  });
  t.number("agent_speed_gflops", &Scenario::agent_speed_flops, {.def = 1000, .min = 0, .min_exclusive = true},
           "Speed of the hosts agents think on (per agent).");
  ParamDoc holidays = doc_row("holidays", ParamType::CUSTOM, "Days nobody is on shift, at any site ('YYYY-MM-DD').");
  holidays.schema = {{"type", "array"}, {"items", {{"type", "string"}, {"format", "date"}}}};
  t.add(holidays, [](const JsonCursor& root, Scenario& sc, ParseContext&) {
    sc.holidays.clear();
    if (!root.has("holidays") || !root["holidays"].expect_array()) return;
    const JsonCursor h = root["holidays"];
    for (std::size_t i = 0; i < h.size(); ++i) {
      long d = 0;
      if (!h[i].value().is_string() || !core::parse_date(h[i].value().get<std::string>(), d))
        h[i].error("expected a date 'YYYY-MM-DD'");
      else
        sc.holidays.push_back(d - sc.start_day_epoch);
    }
  });
  ParamDoc modes = doc_row("modes", ParamType::CUSTOM, "Modes to run; the multiplier needs both.");
  modes.default_value = nlohmann::ordered_json::array();
  for (core::Mode m : core::ALL_MODES) modes.default_value.push_back(core::to_string(m));
  modes.schema = {{"type", "array"},
                  {"items", {{"enum", modes.default_value}}},
                  {"uniqueItems", true},
                  {"minItems", 1}};
  t.add(modes, [](const JsonCursor& root, Scenario& sc, ParseContext&) {
    std::vector<core::Mode> picked;
    if (!root.has("modes") || !root["modes"].expect_array()) {
      picked.assign(core::ALL_MODES.begin(), core::ALL_MODES.end());
    } else {
      const JsonCursor m = root["modes"];
      for (std::size_t i = 0; i < m.size(); ++i) {
        const auto& v = m[i].value();
        const auto mode = v.is_string() ? core::mode_from_string(v.get<std::string>()) : std::nullopt;
        if (!mode) {
          m[i].error("expected 'closed_loop' or 'baseline', got " + v.dump());
          continue;
        }
        if (std::find(picked.begin(), picked.end(), *mode) != picked.end()) m[i].error("mode listed twice");
        else picked.push_back(*mode);
      }
      if (picked.empty()) m.error("expected at least one mode");
    }
    // Fixed order, whatever the file says: closed_loop first.
    sc.modes.clear();
    for (core::Mode mode : core::ALL_MODES)
      if (std::find(picked.begin(), picked.end(), mode) != picked.end()) sc.modes.emplace_back(core::to_string(mode));
  });
  t.array("sites", &Scenario::sites, site_table(),
          {.required = true, .missing = "an array of sites", .min_items = 1, .item = "site"},
          "Facility locations; one SimGrid NetZone each.");
  t.then(unique_names<Scenario>("sites", &Scenario::sites, "site"));
  t.then([](const JsonCursor&, Scenario& sc, ParseContext& ctx) {
    for (const auto& s : sc.sites) ctx.site_names.insert(s.name);
    ctx.site_list.assign(ctx.site_names.begin(), ctx.site_names.end());
  });
  t.object("network", &Scenario::network, network_table(), {}, "The wide-area network; it must join every site.");
  t.then([](const JsonCursor& root, Scenario& sc, ParseContext& ctx) { check_connected(root, sc, ctx); });
  t.array("hpc", &Scenario::hpc, hpc_table(), {}, "Supercomputers.");
  t.then(unique_names<Scenario>("hpc", &Scenario::hpc, "HPC system"));
  t.array("labs", &Scenario::labs, lab_table(), {}, "Robotic laboratories.");
  t.then(unique_names<Scenario>("labs", &Scenario::labs, "lab"));
  t.array("data_stores", &Scenario::stores, store_table(), {}, "Where results land.");
  t.then(unique_names<Scenario>("data_stores", &Scenario::stores, "data store"));
  t.then([](const JsonCursor& root, Scenario& sc, ParseContext&) {
    // Dataset names are unique across stores: campaigns and models name them alone.
    std::map<std::string, std::string> seen;
    for (std::size_t i = 0; i < sc.stores.size(); ++i)
      for (std::size_t j = 0; j < sc.stores[i].datasets.size(); ++j) {
        const std::string& n = sc.stores[i].datasets[j].name;
        auto [it, fresh] = seen.emplace(n, sc.stores[i].name);
        if (!fresh && it->second != sc.stores[i].name)
          root["data_stores"][i]["datasets"][j].error_at("name", "duplicate dataset name '" + n +
                                                                      "' (also in data store '" + it->second + "')");
      }
  });
  t.array("clouds", &Scenario::clouds, cloud_table(), {}, "Clouds campaigns may burst to.");
  t.then(unique_names<Scenario>("clouds", &Scenario::clouds, "cloud"));
  t.array("models", &Scenario::models, model_table(), {}, "Foundation models: trained on datasets as HPC jobs.");
  t.then(unique_names<Scenario>("models", &Scenario::models, "model"));
  t.array("campaigns", &Scenario::campaigns, campaign_table(),
          {.required = true, .missing = "an array of campaigns", .min_items = 1, .item = "campaign"},
          "Discovery campaigns.");
  t.then(unique_names<Scenario>("campaigns", &Scenario::campaigns, "campaign"));
  t.object("limits", &Scenario::limits, limits_table(), {.defaults_when_absent = true},
           "Bounds on the work of one simulation.");
  return t;
}

void collect_docs(const std::shared_ptr<const TableDoc>& d, std::vector<std::shared_ptr<const TableDoc>>& out) {
  for (const auto& x : out)
    if (x->name == d->name) return;
  out.push_back(d);
  for (const auto& p : d->params)
    if (p.table) collect_docs(p.table, out);
}

}  // namespace

const Table<Scenario>& scenario_table() {
  static const Table<Scenario> t = make_scenario_table();
  return t;
}

std::vector<std::shared_ptr<const TableDoc>> scenario_table_docs() {
  std::vector<std::shared_ptr<const TableDoc>> out;
  collect_docs(scenario_table().doc_ptr(), out);
  return out;
}

}  // namespace twin
