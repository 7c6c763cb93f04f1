#include "twin/cli/Inventory.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "lab/LabConfig.hpp"
#include "twin/core/Calendar.hpp"

namespace twin::cli {

namespace {

constexpr double DAY_S = core::SECONDS_PER_DAY;

std::string days_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s / DAY_S);
  return buf;
}

std::string window_text(const std::string& what, const std::string& reason, double from_s, double to_s) {
  std::string r = what;
  if (!reason.empty()) r += " (" + reason + ")";
  r += ", day " + days_text(from_s);
  r += std::isinf(to_s) ? " on" : " to day " + days_text(to_s);
  return r;
}

/// Why a facility with this uptime is not there at t; "" when it is.
template <class Outages>
std::string why_down(double online_from_s, double offline_from_s, const Outages& outages, double t) {
  if (t < online_from_s) return "online from day " + days_text(online_from_s);
  if (t >= offline_from_s) return "retired from day " + days_text(offline_from_s);
  for (const auto& o : outages)
    if (t >= o.from_s && t < o.to_s) return window_text("outage", o.reason, o.from_s, o.to_s);
  return {};
}

std::string site_down(const Scenario& sc, const std::string& site, double t) {
  if (const SiteSpec* s = sc.site(site))
    for (const auto& o : s->outages)
      if (t >= o.from_s && t < o.to_s) return window_text("site " + site + " outage", o.reason, o.from_s, o.to_s);
  return {};
}

/// 6 significant digits, as the reports print figures.
double r6(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return std::strtod(buf, nullptr);
}

std::string num(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

double gbps(double bytes_per_s) { return bytes_per_s * 8.0 / 1e9; }
double pflops(double flops) { return flops / 1e15; }
double mw(double w) { return w / 1e6; }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Inventory inventory_of(const Scenario& sc, int day) {
  Inventory inv;
  inv.scenario = sc.name;
  inv.day = day;
  inv.date = core::civil_text(sc.start_day_epoch + day);
  const double t = day * DAY_S;
  auto down = [&](const std::string& site, double on, double off, const auto& outages) {
    std::string why = why_down(on, off, outages, t);
    return why.empty() ? site_down(sc, site, t) : why;
  };

  // Records `kind name` as absent when `why` says it is down; true if it is.
  auto absent = [&inv](const char* kind, const std::string& name, std::string why) {
    if (why.empty()) return false;
    inv.absent.push_back({kind, name, std::move(why)});
    return true;
  };

  for (const HpcSpec& h : sc.hpc) {
    if (absent("hpc", h.name, down(h.site, h.online_from_s, h.offline_from_s, h.outages))) continue;
    inv.hpc.push_back({.name = h.name,
                       .site = h.site,
                       .scheduler = h.scheduler,
                       .nodes = h.nodes,
                       .gpus = h.nodes * h.gpus_per_node,
                       .speed_flops = h.nodes * h.node_speed_flops,
                       .busy_power_w = h.nodes * h.power.busy_w,
                       .idle_power_w = h.nodes * h.power.idle_w,
                       .clearance = core::to_string(h.clearance)});
  }

  for (const StoreSpec& s : sc.stores) {
    if (absent("store", s.name, site_down(sc, s.site, t))) continue;
    InventoryStore st{s.name, s.site, core::to_string(s.classification), {}};
    for (const auto& d : s.datasets)
      st.datasets.push_back({d.name, core::to_string(d.classification),
                             d.size_bytes + d.growth_bytes_per_year * t / (365.25 * DAY_S)});
    inv.stores.push_back(std::move(st));
  }

  for (const CloudSpec& c : sc.clouds) {
    if (absent("cloud", c.name, site_down(sc, c.site, t))) continue;
    inv.clouds.push_back({.name = c.name,
                          .site = c.site,
                          .clearance = core::to_string(c.clearance),
                          .quota_instances = c.quota_instances,
                          .gpus = c.quota_instances * c.gpus,
                          .speed_flops = c.quota_instances * c.node_speed_flops,
                          .price_per_gpu_hour_usd = c.price_per_gpu_hour_usd});
  }

  for (const LinkSpec& l : sc.network.links) {
    const Availability& a = l.availability;
    std::string why = why_down(a.online_from_s, a.offline_from_s, a.outages, t);
    if (why.empty()) why = site_down(sc, l.from, t);
    if (why.empty()) why = site_down(sc, l.to, t);
    if (absent("link", l.name, std::move(why))) continue;
    InventoryLink x{.name = l.name, .from = l.from, .to = l.to, .clearance = core::to_string(l.clearance),
                    .bandwidth_bps = l.bandwidth_at(t), .latency_s = l.latency_s};
    for (const LinkUpgrade& u : l.upgrades)
      if (u.from_s <= t) {
        ++x.upgrades_in_force;
        x.upgraded_from_s = u.from_s;
      }
    inv.links.push_back(std::move(x));
  }

  for (const LabSpec& lab : sc.labs) {
    if (absent("lab", lab.name, down(lab.site, lab.online_from_s, lab.offline_from_s, lab.outages))) continue;
    InventoryLab x{.name = lab.name, .site = lab.site, .clearance = core::to_string(lab.clearance), .robots = lab.robots,
                   .technicians = lab.technicians};
    for (const lab::StationConfig& st : lab.stations) {
      if (!why_down(0, core::NEVER, st.outages, t).empty()) continue;  // the kind is down that day
      ++x.station_kinds;
      x.stations += st.count;
    }
    const std::vector<lab::StepConfig> steps = lab.steps.empty() ? lab::default_workflow(lab.stations) : lab.steps;
    for (const lab::StepConfig& s : steps) {
      ++x.steps;
      if (!s.manual) ++x.steps_unattended;
    }
    inv.labs.push_back(std::move(x));
  }

  auto first_up = [&](const std::vector<std::string>& names, const std::string& first, auto&& up) {
    if (names.empty()) return up(first) ? first : std::string();
    for (const auto& n : names)
      if (up(n)) return n;
    return std::string();
  };
  auto hpc_up = [&](const std::string& n) {
    for (const auto& x : inv.hpc)
      if (x.name == n) return true;
    return false;
  };
  auto lab_up = [&](const std::string& n) {
    for (const auto& x : inv.labs)
      if (x.name == n) return true;
    return false;
  };
  for (const CampaignSpec& c : sc.campaigns) {
    if (absent("campaign", c.name, t < c.start_s ? "starts on day " + days_text(c.start_s) : std::string())) continue;
    inv.campaigns.push_back({.name = c.name,
                             .kernel = c.kernel_label,
                             .hpc = first_up(c.hpc_list, c.hpc, hpc_up),
                             .lab = first_up(c.lab_list, c.lab, lab_up),
                             .classification = core::to_string(c.classification),
                             .start_s = c.start_s});
  }
  return inv;
}

nlohmann::ordered_json inventory_json(const Inventory& inv) {
  using J = nlohmann::ordered_json;
  J o;
  o["scenario"] = inv.scenario;
  o["day"] = inv.day;
  o["date"] = inv.date;
  o["at"] = "the start of the day (simulated time day x 86,400 s); planned windows only";
  J hpc = J::array();
  long nodes = 0, gpus = 0;
  double speed = 0, busy = 0, idle = 0;
  for (const auto& h : inv.hpc) {
    hpc.push_back(J{{"name", h.name},
                   {"site", h.site},
                   {"scheduler", h.scheduler},
                   {"nodes", h.nodes},
                   {"gpus", h.gpus},
                   {"speed_pflops", r6(pflops(h.speed_flops))},
                   {"busy_power_mw", r6(mw(h.busy_power_w))},
                   {"idle_power_mw", r6(mw(h.idle_power_w))},
                   {"clearance", h.clearance}});
    nodes += h.nodes;
    gpus += h.gpus;
    speed += h.speed_flops;
    busy += h.busy_power_w;
    idle += h.idle_power_w;
  }
  o["hpc"] = std::move(hpc);
  J stores = J::array();
  for (const auto& s : inv.stores) {
    J ds = J::array();
    for (const auto& d : s.datasets)
      ds.push_back(J{{"name", d.name}, {"classification", d.classification}, {"size_tb", d.size_bytes / 1e12}});
    stores.push_back(J{{"name", s.name}, {"site", s.site}, {"classification", s.classification}, {"datasets", ds}});
  }
  o["stores"] = std::move(stores);
  J clouds = J::array();
  for (const auto& c : inv.clouds)
    clouds.push_back(J{{"name", c.name},
                      {"site", c.site},
                      {"quota_instances", c.quota_instances},
                      {"gpus", c.gpus},
                      {"speed_pflops", r6(pflops(c.speed_flops))},
                      {"price_per_gpu_hour_usd", r6(c.price_per_gpu_hour_usd)},
                      {"clearance", c.clearance}});
  o["clouds"] = std::move(clouds);
  J links = J::array();
  double capacity = 0;
  for (const auto& l : inv.links) {
    links.push_back(J{{"name", l.name},
                     {"from", l.from},
                     {"to", l.to},
                     {"bandwidth_gbps", r6(gbps(l.bandwidth_bps))},
                     {"latency_ms", r6(l.latency_s * 1e3)},
                     {"upgrades_in_force", l.upgrades_in_force},
                     {"upgraded_from_day", l.upgraded_from_s < 0 ? J(nullptr) : J(r6(l.upgraded_from_s / DAY_S))},
                     {"clearance", l.clearance}});
    capacity += l.bandwidth_bps;
  }
  o["links"] = std::move(links);
  J labs = J::array();
  long stations = 0, robots = 0;
  for (const auto& l : inv.labs) {
    labs.push_back(J{{"name", l.name},
                    {"site", l.site},
                    {"stations", l.stations},
                    {"station_kinds", l.station_kinds},
                    {"robots", l.robots},
                    {"technicians", l.technicians},
                    {"steps", l.steps},
                    {"steps_without_people", l.steps_unattended},
                    {"ai_directed_readiness", r6(l.readiness())},
                    {"clearance", l.clearance}});
    stations += l.stations;
    robots += l.robots;
  }
  o["labs"] = std::move(labs);
  J campaigns = J::array();
  for (const auto& c : inv.campaigns) {
    campaigns.push_back(J{{"name", c.name},
                         {"kernel", c.kernel},
                         {"hpc", c.hpc.empty() ? J(nullptr) : J(c.hpc)},
                         {"lab", c.lab.empty() ? J(nullptr) : J(c.lab)},
                         {"start_day", r6(c.start_s / DAY_S)},
                         {"classification", c.classification}});
  }
  o["campaigns"] = std::move(campaigns);
  J absent = J::array();
  for (const auto& a : inv.absent) absent.push_back(J{{"kind", a.kind}, {"name", a.name}, {"reason", a.reason}});
  o["not_on_the_platform"] = std::move(absent);
  J tot;
  tot["hpc_systems"] = inv.hpc.size();
  tot["nodes"] = nodes;
  tot["gpus"] = gpus;
  tot["speed_pflops"] = r6(pflops(speed));
  tot["busy_power_mw"] = r6(mw(busy));
  tot["idle_power_mw"] = r6(mw(idle));
  tot["stores"] = inv.stores.size();
  tot["clouds"] = inv.clouds.size();
  tot["links"] = inv.links.size();
  tot["link_capacity_gbps"] = r6(gbps(capacity));
  tot["labs"] = inv.labs.size();
  tot["stations"] = stations;
  tot["robots"] = robots;
  tot["campaigns"] = inv.campaigns.size();
  o["totals"] = std::move(tot);
  return o;
}

std::string inventory_csv(const Inventory& inv) {
  std::ostringstream out;
  out << "kind,name,site,nodes,gpus,speed_pflops,busy_power_mw,classification,from,to,bandwidth_gbps,latency_ms,"
         "upgrades_in_force,stations,robots,technicians,steps,steps_without_people,ai_directed_readiness,kernel,hpc,"
         "lab,start_day,not_on_the_platform\n";
  // 24 columns; each row fills its own and leaves the others blank.
  auto row = [&](std::vector<std::pair<int, std::string>> cells) {
    std::vector<std::string> f(24);
    for (auto& [i, v] : cells) f[static_cast<std::size_t>(i)] = csv_field(v);
    for (std::size_t i = 0; i < f.size(); ++i) out << (i ? "," : "") << f[i];
    out << "\n";
  };
  for (const auto& h : inv.hpc)
    row({{0, "hpc"}, {1, h.name}, {2, h.site}, {3, std::to_string(h.nodes)}, {4, std::to_string(h.gpus)},
         {5, num(pflops(h.speed_flops))}, {6, num(mw(h.busy_power_w))}, {7, h.clearance}});
  for (const auto& s : inv.stores) row({{0, "store"}, {1, s.name}, {2, s.site}, {7, s.classification}});
  for (const auto& c : inv.clouds)
    row({{0, "cloud"}, {1, c.name}, {2, c.site}, {3, std::to_string(c.quota_instances)}, {4, std::to_string(c.gpus)},
         {5, num(pflops(c.speed_flops))}, {7, c.clearance}});
  for (const auto& l : inv.links)
    row({{0, "link"}, {1, l.name}, {7, l.clearance}, {8, l.from}, {9, l.to}, {10, num(gbps(l.bandwidth_bps))},
         {11, num(l.latency_s * 1e3)}, {12, std::to_string(l.upgrades_in_force)}});
  for (const auto& l : inv.labs)
    row({{0, "lab"}, {1, l.name}, {2, l.site}, {7, l.clearance}, {13, std::to_string(l.stations)}, {14, std::to_string(l.robots)},
         {15, std::to_string(l.technicians)}, {16, std::to_string(l.steps)}, {17, std::to_string(l.steps_unattended)},
         {18, num(l.readiness())}});
  for (const auto& c : inv.campaigns)
    row({{0, "campaign"}, {1, c.name}, {7, c.classification}, {19, c.kernel}, {20, c.hpc}, {21, c.lab}, {22, num(c.start_s / DAY_S)}});
  for (const auto& a : inv.absent) row({{0, a.kind}, {1, a.name}, {23, a.reason}});
  return out.str();
}

std::string inventory_text(const Inventory& inv) {
  std::ostringstream out;
  char buf[512];
  const nlohmann::ordered_json tot = inventory_json(inv)["totals"];
  std::snprintf(buf, sizeof buf, "Inventory of %s on day %d (%s, at 00:00 UTC)\n\n", inv.scenario.c_str(), inv.day,
                inv.date.c_str());
  out << buf;
  std::snprintf(buf, sizeof buf, "HPC systems online: %zu\n  %-16s %-8s %9s %9s %12s %11s\n", inv.hpc.size(), "name",
                "site", "nodes", "GPUs", "Rmax/peak PF", "busy MW");
  out << buf;
  for (const auto& h : inv.hpc) {
    std::snprintf(buf, sizeof buf, "  %-16s %-8s %9d %9d %12.1f %11.2f\n", h.name.c_str(), h.site.c_str(), h.nodes,
                  h.gpus, pflops(h.speed_flops), mw(h.busy_power_w));
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "  %-25s %9ld %9ld %12.1f %11.2f\n\n", "total", tot["nodes"].get<long>(),
                tot["gpus"].get<long>(), tot["speed_pflops"].get<double>(), tot["busy_power_mw"].get<double>());
  out << buf;
  std::snprintf(buf, sizeof buf, "Data stores: %zu\n", inv.stores.size());
  out << buf;
  for (const auto& s : inv.stores) {
    std::snprintf(buf, sizeof buf, "  %-24s %-8s %s\n", s.name.c_str(), s.site.c_str(), s.classification.c_str());
    out << buf;
    for (const auto& d : s.datasets) {
      std::snprintf(buf, sizeof buf, "    dataset %-22s %10.3f TB  %s\n", d.name.c_str(), d.size_bytes / 1e12,
                    d.classification.c_str());
      out << buf;
    }
  }
  if (!inv.clouds.empty()) {
    std::snprintf(buf, sizeof buf, "\nClouds: %zu\n  %-16s %-10s %9s %9s %12s %9s  %s\n", inv.clouds.size(), "name",
                  "site", "instances", "GPUs", "$/GPU-hour", "PF", "clearance");
    out << buf;
    for (const auto& c : inv.clouds) {
      std::snprintf(buf, sizeof buf, "  %-16s %-10s %9d %9d %12s %9.2f  %s\n", c.name.c_str(), c.site.c_str(),
                    c.quota_instances, c.gpus, num(c.price_per_gpu_hour_usd).c_str(), pflops(c.speed_flops),
                    c.clearance.c_str());
      out << buf;
    }
  }
  std::snprintf(buf, sizeof buf, "\nNetwork links up: %zu, %s Gb/s in all\n  %-24s %10s %10s  %s\n", inv.links.size(),
                num(tot["link_capacity_gbps"].get<double>()).c_str(), "name", "Gb/s", "latency ms", "upgrades in force");
  out << buf;
  for (const auto& l : inv.links) {
    std::string up = l.upgrades_in_force == 0 ? "-"
                                              : std::to_string(l.upgrades_in_force) + " (latest from day " +
                                                    days_text(l.upgraded_from_s) + ")";
    std::snprintf(buf, sizeof buf, "  %-24s %10s %10s  %s\n", l.name.c_str(), num(gbps(l.bandwidth_bps)).c_str(),
                  num(l.latency_s * 1e3).c_str(), up.c_str());
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "\nRobotic labs online: %zu\n  %-20s %-8s %8s %6s %11s %6s %22s\n", inv.labs.size(),
                "name", "site", "stations", "robots", "technicians", "steps", "AI-directed readiness");
  out << buf;
  for (const auto& l : inv.labs) {
    std::snprintf(buf, sizeof buf, "  %-20s %-8s %8d %6d %11d %6d %14d/%d = %3.0f %%\n", l.name.c_str(), l.site.c_str(),
                  l.stations, l.robots, l.technicians, l.steps, l.steps_unattended, l.steps, 100.0 * l.readiness());
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "  %-29s %8ld %6ld\n", "total", tot["stations"].get<long>(), tot["robots"].get<long>());
  out << buf;
  std::snprintf(buf, sizeof buf, "\nCampaigns active: %zu\n", inv.campaigns.size());
  out << buf;
  for (const auto& c : inv.campaigns) {
    std::snprintf(buf, sizeof buf, "  %-24s %-28s hpc %-14s lab %-14s from day %s\n", c.name.c_str(), c.kernel.c_str(),
                  c.hpc.empty() ? "(none up)" : c.hpc.c_str(), c.lab.empty() ? "(none up)" : c.lab.c_str(),
                  days_text(c.start_s).c_str());
    out << buf;
  }
  if (!inv.absent.empty()) {
    std::snprintf(buf, sizeof buf, "\nNot on the platform that day: %zu\n", inv.absent.size());
    out << buf;
    for (const auto& a : inv.absent) {
      std::snprintf(buf, sizeof buf, "  %-9s %-24s %s\n", a.kind.c_str(), a.name.c_str(), a.reason.c_str());
      out << buf;
    }
  }
  return out.str();
}

}  // namespace twin::cli
