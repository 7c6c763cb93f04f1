// bench_raw_closed_loop: the national default's closed loop written by hand
// on raw SimGrid s4u, with no twin library, as the yardstick for the twin's
// speed (bench/whole_run.sh divides the twin's simulated experiments per wall
// second by this program's).
//
// Same platform shape as twin/sim/Platform.cpp: one full zone per site with a
// gateway router, a DTN host and a service host; node-group hosts per HPC
// system (one core per node, at most 64 hosts); backbone split-duplex links
// and shortest-latency routes between site zones. Same workload shape per
// campaign as agents/CampaignLoop.cpp and lab/RoboticLab.cpp: per decision,
// `screen` HPC jobs (flops / nodes executed on a node-group host, queued
// FCFS, walltime limit), the outputs sent home, a recipe sent to the lab,
// `batch` samples through the lab's stations in order (a robot move before
// each step, slot-limited stations, staffed hours in baseline), results sent
// home and to the data store; in baseline a hand-off after the screening
// (then a wait for staffed hours) and another after the lab. A random pick is
// the agent; there are no kernels and no discoveries. Each simulation (mode x
// replication) runs in its own forked child, one at a time, like
// `twin run -j 1`.
//
// The numbers are those of scenarios/genesis-national.json, copied by hand
// into the tables below (and the scenario parser's defaults for keys the
// file leaves out). Keep them in step with the scenario. Its closed_loop
// agents are Gaussian processes; the twin's side of the comparison runs
// bench/genesis-national-random.json, the same scenario with random
// closed_loop agents, so both sides have the same agent.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u.hpp>

namespace {

namespace sg4 = simgrid::s4u;

// ---------------------------------------------------------------------------
// The national default, by hand (scenarios/genesis-national.json).
// ---------------------------------------------------------------------------

struct SiteRow {
  const char* name;
  double utc_offset_h;
};
struct LinkRow {
  const char* from;
  const char* to;
  double bandwidth_gbps;
  double latency_ms;
};
struct HpcRow {
  const char* name;
  const char* site;
  int nodes;
  double node_speed_gflops;
};
/// A duration in minutes: FIXED (a), UNIFORM (a..b) or LOGNORMAL (median a, sigma b).
struct DistRow {
  enum Kind { FIXED, UNIFORM, LOGNORMAL } kind;
  double a, b;
};
struct StationRow {
  int slots;  ///< count x slots
  DistRow duration_min;
  double success_probability;
};
struct LabRow {
  const char* name;
  const char* site;
  std::vector<StationRow> stations;
  int robots;
  DistRow robot_move_min;
  int staffed_start_h, staffed_end_h;  ///< mon-fri
};
struct CampaignRow {
  const char* name;
  const char* hpc;
  const char* lab;
  const char* home_site;
  int job_nodes;
  int pool_rows;  ///< the random pick's decision cost, in flops (RandomPolicy: pool size)
  int closed_batch, closed_screen;
  int baseline_batch, baseline_screen;
};

const std::uint64_t SEED = 2025;
const double HORIZON_DAYS = 365;
const int REPLICATIONS = 5;
const char* const START_DATE = "2026-01-05";
const std::vector<const char*> HOLIDAYS = {"2026-01-19", "2026-02-16", "2026-05-25", "2026-07-03", "2026-09-07",
                                           "2026-11-26", "2026-11-27", "2026-12-24", "2026-12-25", "2026-12-31"};

const std::vector<SiteRow> SITES = {
    {"Ames", -6}, {"ANL", -6},  {"BNL", -5},  {"FNAL", -6}, {"INL", -7},  {"LBNL", -8},
    {"LLNL", -8}, {"LANL", -7}, {"NETL", -5}, {"NREL", -7}, {"ORNL", -5}, {"PNNL", -8},
    {"PPPL", -5}, {"SNL", -7},  {"SRNL", -5}, {"SLAC", -8}, {"JLab", -5}};
const std::vector<const char*> ROUTERS = {"SEAT", "SACR", "SUNN", "DENV", "ALBQ", "ELPA", "KANS",
                                          "HOUS", "CHIC", "NASH", "ATLA", "WASH", "NEWY", "BOST"};
const std::vector<LinkRow> LINKS = {
    {"SEAT", "SACR", 400, 6},   {"SACR", "SUNN", 400, 1},   {"SEAT", "DENV", 400, 10},  {"SACR", "DENV", 400, 9},
    {"SUNN", "ALBQ", 400, 9},   {"ALBQ", "ELPA", 400, 2},   {"ALBQ", "DENV", 400, 4},   {"DENV", "KANS", 400, 5},
    {"ELPA", "HOUS", 400, 7},   {"HOUS", "KANS", 400, 6},   {"KANS", "CHIC", 400, 5},   {"HOUS", "NASH", 400, 7},
    {"CHIC", "NASH", 400, 4},   {"NASH", "ATLA", 400, 2},   {"ATLA", "WASH", 400, 6},   {"CHIC", "WASH", 400, 7},
    {"CHIC", "NEWY", 400, 8},   {"WASH", "NEWY", 400, 3},   {"NEWY", "BOST", 400, 2},   {"PNNL", "SEAT", 100, 3},
    {"LBNL", "SUNN", 400, 1},   {"LLNL", "SUNN", 400, 1},   {"SLAC", "SUNN", 100, 1},   {"INL", "DENV", 100, 6},
    {"NREL", "DENV", 100, 0.5}, {"LANL", "ALBQ", 100, 1.5}, {"SNL", "ALBQ", 100, 0.5},  {"Ames", "CHIC", 100, 4},
    {"ANL", "CHIC", 400, 0.5},  {"FNAL", "CHIC", 400, 0.5}, {"ORNL", "NASH", 400, 2},   {"SRNL", "ATLA", 100, 3},
    {"NETL", "WASH", 100, 3},   {"JLab", "WASH", 100, 2},   {"PPPL", "NEWY", 100, 1},   {"BNL", "NEWY", 400, 1}};
const std::vector<HpcRow> HPCS = {{"frontier", "ORNL", 9408, 143813},
                                  {"aurora", "ANL", 10624, 95256},
                                  {"el-capitan", "LLNL", 11136, 156430},
                                  {"perlmutter", "LBNL", 1792, 78000},
                                  {"polaris", "ANL", 560, 78571}};
const std::vector<LabRow> LABS = {
    {"polybot",
     "ANL",
     {{4, {DistRow::LOGNORMAL, 15, 0.2}, 1.0}, {8, {DistRow::LOGNORMAL, 60, 0.3}, 0.9}, {1, {DistRow::LOGNORMAL, 30, 0.2}, 1.0}},
     1,
     {DistRow::UNIFORM, 1, 3},
     8,
     17},
    {"a-lab",
     "LBNL",
     {{4, {DistRow::LOGNORMAL, 30, 0.3}, 1.0}, {32, {DistRow::LOGNORMAL, 480, 0.2}, 0.707}, {1, {DistRow::LOGNORMAL, 30, 0.2}, 1.0}},
     2,
     {DistRow::UNIFORM, 2, 5},
     8,
     17},
    {"nanoparticle-lab", "ORNL", {{1, {DistRow::LOGNORMAL, 45, 0.3}, 0.95}, {1, {DistRow::FIXED, 10, 0}, 1.0}}, 1, {DistRow::FIXED, 2, 0}, 7, 16},
    {"perovskite-lab",
     "NREL",
     {{1, {DistRow::LOGNORMAL, 20, 0.2}, 0.92}, {6, {DistRow::FIXED, 30, 0}, 1.0}, {12, {DistRow::FIXED, 720, 0}, 1.0}},
     1,
     {DistRow::FIXED, 2, 0},
     8,
     17}};
const char* const STORE_SITE = "ORNL";  // osti-store
const std::vector<CampaignRow> CAMPAIGNS = {{"oer-catalysts", "aurora", "polybot", "ANL", 16, 2120, 8, 16, 24, 48},
                                            {"p3ht-conductivity", "polaris", "polybot", "ANL", 4, 232, 4, 8, 12, 24},
                                            {"agnp-spectra", "frontier", "nanoparticle-lab", "ORNL", 32, 3294, 4, 8, 24, 48},
                                            {"perovskite-stability", "el-capitan", "perovskite-lab", "NREL", 8, 138, 12, 24, 12, 24}};

// The scenario parser's defaults for keys the national file leaves out.
const double LAN_BANDWIDTH_BPS = 100e9 / 8;
const double LAN_LATENCY_S = 50e-6;
const double AGENT_SPEED_FLOPS = 1e12;
const double SIM_GFLOP = 3.6e7;  // pool kernel: flops per screening simulation / 1e9
const double JOB_PADDING = 2.0;
const double SIM_OUTPUT_BYTES = 1e9;
const double LAB_OUTPUT_BYTES = 1e8;
const double RECIPE_BYTES = 1e6;
const double BASELINE_CADENCE_S = 7 * 86400.0;
const double BASELINE_DECISION_S = 2 * 3600.0;
const double BASELINE_HANDOFF_MEDIAN_S = 4 * 3600.0;
const double BASELINE_HANDOFF_SIGMA = 0.5;

// ---------------------------------------------------------------------------

constexpr double DAY_S = 86400.0;
constexpr double NEVER = std::numeric_limits<double>::infinity();

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A simple fixed-seed generator (SplitMix64) with the draws the loop needs.
class Gen {
 public:
  explicit Gen(std::uint64_t seed) : s_(seed) {}
  double uniform01() { return static_cast<double>(splitmix64(s_) >> 11) * 0x1.0p-53; }
  std::uint64_t below(std::uint64_t n) { return splitmix64(s_) % n; }
  double normal() {
    const double u1 = 1.0 - uniform01();
    const double u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double minutes(const DistRow& d) {
    switch (d.kind) {
      case DistRow::FIXED: return 60.0 * d.a;
      case DistRow::UNIFORM: return 60.0 * (d.a + (d.b - d.a) * uniform01());
      case DistRow::LOGNORMAL: return 60.0 * d.a * std::exp(d.b * normal());
    }
    return 0;
  }

 private:
  std::uint64_t s_;
};

long days_from_civil(const char* date) {
  int y = 0, m = 0, d = 0;
  std::sscanf(date, "%d-%d-%d", &y, &m, &d);
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// Mon-fri staffed hours in a site's local time, minus holidays.
struct Shift {
  bool always = true;
  double offset_s = 0;
  double open_s = 0, close_s = 0;
  long start_epoch_day = 0;
  std::vector<long> holidays;  // days since the start date

  double next_staffed(double t) const {
    if (always) return t;
    const double local = t + offset_s;
    long day = static_cast<long>(std::floor(local / DAY_S));
    for (int i = 0; i < 800; ++i, ++day) {
      const long weekday = ((start_epoch_day + day) % 7 + 7 + 3) % 7;  // 1970-01-01 was a Thursday
      if (weekday >= 5 || std::binary_search(holidays.begin(), holidays.end(), day)) continue;
      const double open = static_cast<double>(day) * DAY_S + open_s;
      const double close = static_cast<double>(day) * DAY_S + close_s;
      if (local < close) return std::max(local, open) - offset_s;
    }
    return NEVER;
  }
};

Shift make_shift(double utc_offset_h, int start_h, int end_h) {
  Shift s;
  s.always = false;
  s.offset_s = utc_offset_h * 3600.0;
  s.open_s = start_h * 3600.0;
  s.close_s = end_h * 3600.0;
  s.start_epoch_day = days_from_civil(START_DATE);
  for (const char* h : HOLIDAYS) s.holidays.push_back(days_from_civil(h) - s.start_epoch_day);
  std::sort(s.holidays.begin(), s.holidays.end());
  return s;
}

double site_offset_h(const std::string& site) {
  for (const auto& s : SITES)
    if (site == s.name) return s.utc_offset_h;
  return 0;
}

// ---------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------

struct Hop {
  std::size_t link;
  bool forward;
};

/// Shortest-latency hops between every pair of sites (Dijkstra, ties broken
/// as the twin breaks them: one nanosecond per hop, then the link's index).
std::map<std::pair<int, int>, std::vector<Hop>> site_routes() {
  std::vector<std::string> nodes;
  for (const auto& s : SITES) nodes.push_back(s.name);
  for (const char* r : ROUTERS) nodes.push_back(r);
  auto index = [&](const std::string& n) {
    return static_cast<std::size_t>(std::find(nodes.begin(), nodes.end(), n) - nodes.begin());
  };
  struct Edge {
    std::size_t to, link;
    double w;
  };
  std::vector<std::vector<Edge>> adj(nodes.size());
  for (std::size_t i = 0; i < LINKS.size(); ++i) {
    const double w = LINKS[i].latency_ms * 1e-3 + 1e-9 + 1e-15 * static_cast<double>(i);
    adj[index(LINKS[i].from)].push_back({index(LINKS[i].to), i, w});
    adj[index(LINKS[i].to)].push_back({index(LINKS[i].from), i, w});
  }
  std::map<std::pair<int, int>, std::vector<Hop>> routes;
  for (std::size_t s = 0; s < SITES.size(); ++s) {
    std::vector<double> dist(nodes.size(), NEVER);
    std::vector<std::size_t> pred(nodes.size(), SIZE_MAX), pred_link(nodes.size(), SIZE_MAX);
    std::vector<bool> done(nodes.size(), false);
    dist[s] = 0;
    for (;;) {
      std::size_t u = SIZE_MAX;
      for (std::size_t v = 0; v < nodes.size(); ++v)
        if (!done[v] && dist[v] < NEVER && (u == SIZE_MAX || dist[v] < dist[u])) u = v;
      if (u == SIZE_MAX) break;
      done[u] = true;
      for (const Edge& e : adj[u])
        if (dist[u] + e.w < dist[e.to]) {
          dist[e.to] = dist[u] + e.w;
          pred[e.to] = u;
          pred_link[e.to] = e.link;
        }
    }
    for (std::size_t d = 0; d < SITES.size(); ++d) {
      if (d == s) continue;
      std::vector<Hop> hops;
      for (std::size_t v = d; v != s; v = pred[v]) hops.push_back({pred_link[v], nodes[pred[v]] == LINKS[pred_link[v]].from});
      std::reverse(hops.begin(), hops.end());
      routes[{static_cast<int>(s), static_cast<int>(d)}] = std::move(hops);
    }
  }
  return routes;
}

struct World {
  std::map<std::string, sg4::Host*> dtn, svc;
  std::map<std::string, std::vector<sg4::Host*>> hpc_hosts;
};

World build_platform() {
  World w;
  sg4::NetZone* root = sg4::create_full_zone("genesis");
  std::vector<sg4::NetZone*> zones;
  std::vector<simgrid::kernel::routing::NetPoint*> gateways;
  for (const auto& site : SITES) {
    const std::string n = site.name;
    sg4::NetZone* z = sg4::create_full_zone(n);
    z->set_parent(root);
    auto* gw = z->create_router(n + ".gw");
    sg4::Host* dtn = z->create_host(n + ".dtn", 1e12);
    sg4::Host* svc = z->create_host(n + ".svc", AGENT_SPEED_FLOPS);
    svc->set_core_count(64);
    dtn->seal();
    svc->seal();
    const sg4::Link* l_dtn = z->create_link(n + ".lan.dtn", LAN_BANDWIDTH_BPS)->set_latency(LAN_LATENCY_S)->seal();
    const sg4::Link* l_svc = z->create_link(n + ".lan.svc", LAN_BANDWIDTH_BPS)->set_latency(LAN_LATENCY_S)->seal();
    z->add_route(dtn->get_netpoint(), gw, nullptr, nullptr, {sg4::LinkInRoute(l_dtn)}, true);
    z->add_route(svc->get_netpoint(), gw, nullptr, nullptr, {sg4::LinkInRoute(l_svc)}, true);
    z->add_route(dtn->get_netpoint(), svc->get_netpoint(), nullptr, nullptr,
                 {sg4::LinkInRoute(l_dtn), sg4::LinkInRoute(l_svc)}, true);
    w.dtn[n] = dtn;
    w.svc[n] = svc;
    zones.push_back(z);
    gateways.push_back(gw);
  }
  for (const auto& h : HPCS) {
    // Node groups: at most 64 hosts, one core per node.
    const int group = std::min(h.nodes, std::max(1, (h.nodes + 63) / 64));
    sg4::NetZone* z = zones[static_cast<std::size_t>(
        std::find_if(SITES.begin(), SITES.end(), [&](const SiteRow& s) { return std::strcmp(s.name, h.site) == 0; }) -
        SITES.begin())];
    for (int i = 0; i * group < h.nodes; ++i) {
      sg4::Host* host = z->create_host(std::string(h.name) + ".g" + std::to_string(i), h.node_speed_gflops * 1e9);
      host->set_core_count(std::min(group, h.nodes - i * group));
      host->seal();
      w.hpc_hosts[h.name].push_back(host);
    }
  }
  std::vector<sg4::SplitDuplexLink*> backbone;
  for (const auto& l : LINKS) {
    auto* link = root->create_split_duplex_link(std::string("bb.") + l.from + "-" + l.to, l.bandwidth_gbps * 1e9 / 8);
    link->set_latency(l.latency_ms * 1e-3);
    link->seal();
    backbone.push_back(link);
  }
  for (auto* z : zones) z->seal();
  for (const auto& [pair, hops] : site_routes()) {
    std::vector<sg4::LinkInRoute> links;
    for (const auto& hop : hops)
      links.emplace_back(backbone[hop.link], hop.forward ? sg4::LinkInRoute::Direction::UP : sg4::LinkInRoute::Direction::DOWN);
    const auto a = static_cast<std::size_t>(pair.first), b = static_cast<std::size_t>(pair.second);
    root->add_route(zones[a]->get_netpoint(), zones[b]->get_netpoint(), gateways[a], gateways[b], links, false);
  }
  root->seal();
  return w;
}

// ---------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------

/// An HPC system's FCFS queue: a job starts when it is first in line and
/// enough nodes are free; waiting actors are suspended and resumed in order.
class HpcQueue {
 public:
  HpcQueue(int nodes, std::vector<sg4::Host*> hosts) : free_(nodes), hosts_(std::move(hosts)) {}

  void run_job(double flops, int nodes, double speed_flops) {
    if (!waiting_.empty() || free_ < nodes) {
      waiting_.push_back({nodes, sg4::Actor::self()});
      sg4::this_actor::suspend();
    } else {
      free_ -= nodes;
    }
    sg4::Host* host = hosts_[next_host_++ % hosts_.size()];
    sg4::ExecPtr exec = sg4::this_actor::exec_init(flops / nodes);
    exec->set_host(host);
    exec->start();
    try {
      exec->wait_for(JOB_PADDING * flops / (nodes * speed_flops));
    } catch (const simgrid::TimeoutException&) {
      exec->cancel();
    }
    free_ += nodes;
    while (!waiting_.empty() && waiting_.front().nodes <= free_) {
      free_ -= waiting_.front().nodes;
      waiting_.front().actor->resume();
      waiting_.pop_front();
    }
  }

 private:
  struct Waiter {
    int nodes;
    sg4::ActorPtr actor;
  };
  int free_;
  std::vector<sg4::Host*> hosts_;
  std::size_t next_host_ = 0;
  std::deque<Waiter> waiting_;
};

struct Lab {
  const LabRow* row;
  Shift people;
  sg4::SemaphorePtr robots;
  std::vector<sg4::SemaphorePtr> stations;  // FIFO
};

struct Mode {
  bool baseline;
};

struct Campaign {
  const CampaignRow* row;
  const HpcRow* hpc;
  HpcQueue* queue;
  Lab* lab;
  Shift people;
  std::int64_t experiments = 0;
};

void transfer(const World& w, const std::string& from, const std::string& to, double bytes) {
  sg4::Comm::sendto(w.dtn.at(from), w.svc.at(to), static_cast<std::uint64_t>(std::llround(bytes)));
}

void run_sample(Lab& lab, Gen& gen, bool staffed_only) {
  for (std::size_t step = 0; step < lab.row->stations.size(); ++step) {
    const StationRow& st = lab.row->stations[step];
    const double move_s = gen.minutes(lab.row->robot_move_min);
    const double run_s = gen.minutes(st.duration_min);
    const bool ok = gen.uniform01() < st.success_probability;
    lab.robots->acquire();
    sg4::this_actor::sleep_for(move_s);
    lab.robots->release();
    if (staffed_only) {
      const double now = sg4::Engine::get_clock();
      const double open = lab.people.next_staffed(now);
      if (open > now) sg4::this_actor::sleep_until(open);
    }
    lab.stations[step]->acquire();
    sg4::this_actor::sleep_for(run_s);
    lab.stations[step]->release();
    if (!ok) return;
  }
}

double handoff_s(Gen& gen) { return gen.minutes({DistRow::LOGNORMAL, BASELINE_HANDOFF_MEDIAN_S / 60, BASELINE_HANDOFF_SIGMA}); }

void campaign_loop(const World& w, Campaign& c, bool baseline, std::uint64_t seed, double horizon_s) {
  Gen gen(seed);
  const CampaignRow& r = *c.row;
  const int batch = baseline ? r.baseline_batch : r.closed_batch;
  const int screen = baseline ? r.baseline_screen : r.closed_screen;
  const std::string hpc_site = c.hpc->site, lab_site = c.lab->row->site, home = r.home_site;
  sg4::Host* here = sg4::this_actor::get_host();
  auto now = [] { return sg4::Engine::get_clock(); };
  while (now() < horizon_s) {
    if (baseline) {
      const double meeting = std::ceil(now() / BASELINE_CADENCE_S) * BASELINE_CADENCE_S;
      if (meeting > now()) sg4::this_actor::sleep_until(std::min(meeting, horizon_s));
      const double open = std::min(c.people.next_staffed(now()), horizon_s);
      if (open > now()) sg4::this_actor::sleep_until(open);
      if (now() >= horizon_s) break;
    }
    // The agent: a random pick from the pool, costing pool-size flops.
    std::vector<std::uint64_t> picks;
    for (int i = 0; i < std::max(screen, batch); ++i) picks.push_back(gen.below(static_cast<std::uint64_t>(r.pool_rows)));
    sg4::this_actor::execute(static_cast<double>(r.pool_rows));
    if (baseline) sg4::this_actor::sleep_for(BASELINE_DECISION_S);

    if (screen > 0) {
      std::vector<sg4::ActorPtr> jobs;
      for (int i = 0; i < screen; ++i)
        jobs.push_back(sg4::Actor::create(r.name + std::string("/job"), here, [&c, &r] {
          c.queue->run_job(SIM_GFLOP * 1e9, r.job_nodes, c.hpc->node_speed_gflops * 1e9);
        }));
      for (auto& j : jobs) j->join();
      if (now() >= horizon_s) break;
      transfer(w, hpc_site, home, SIM_OUTPUT_BYTES * screen);
      // People hand the screened candidates on (baseline only).
      if (baseline) {
        sg4::this_actor::sleep_for(handoff_s(gen));
        const double open = std::min(c.people.next_staffed(now()), horizon_s);
        if (open > now()) sg4::this_actor::sleep_until(open);
      }
      if (now() >= horizon_s) break;
    }
    transfer(w, home, lab_site, RECIPE_BYTES * batch);
    {
      std::vector<sg4::ActorPtr> samples;
      for (int i = 0; i < batch; ++i)
        samples.push_back(sg4::Actor::create(r.name + std::string("/sample"), here,
                                             [&c, &gen, baseline] { run_sample(*c.lab, gen, baseline); }));
      for (auto& s : samples) s->join();
    }
    if (now() >= horizon_s) break;
    transfer(w, lab_site, home, LAB_OUTPUT_BYTES * batch);
    transfer(w, lab_site, STORE_SITE, LAB_OUTPUT_BYTES * batch);
    if (baseline) sg4::this_actor::sleep_for(handoff_s(gen));
    if (now() >= horizon_s) break;
    c.experiments += batch;
  }
}

/// One simulation, in the calling (child) process: the experiments counted per campaign.
std::vector<std::int64_t> run_simulation(bool baseline, int replication, double horizon_s) {
  std::vector<std::string> args = {"bench_raw_closed_loop", "--log=root.thresh:critical"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  // Like the twin: the engine and what the actors use live until _exit.
  auto* engine = new sg4::Engine(&argc, argv.data());
  auto* world = new World(build_platform());

  std::uint64_t s = SEED ^ (0x5265706c00000000ULL + static_cast<std::uint64_t>(replication));
  auto* queues = new std::map<std::string, HpcQueue*>;
  for (const auto& h : HPCS) (*queues)[h.name] = new HpcQueue(h.nodes, world->hpc_hosts.at(h.name));
  auto* labs = new std::map<std::string, Lab*>;
  for (const auto& l : LABS) {
    auto* lab = new Lab{&l, make_shift(site_offset_h(l.site), l.staffed_start_h, l.staffed_end_h),
                        sg4::Semaphore::create(static_cast<unsigned>(l.robots)), {}};
    for (const auto& st : l.stations) lab->stations.push_back(sg4::Semaphore::create(static_cast<unsigned>(st.slots)));
    (*labs)[l.name] = lab;
  }
  std::vector<Campaign*> campaigns;
  for (const auto& r : CAMPAIGNS) {
    auto* c = new Campaign;
    c->row = &r;
    c->hpc = &*std::find_if(HPCS.begin(), HPCS.end(), [&](const HpcRow& h) { return std::strcmp(h.name, r.hpc) == 0; });
    c->queue = queues->at(r.hpc);
    c->lab = labs->at(r.lab);
    c->people = make_shift(site_offset_h(r.home_site), c->lab->row->staffed_start_h, c->lab->row->staffed_end_h);
    campaigns.push_back(c);
    const std::uint64_t cs = splitmix64(s);
    sg4::Actor::create(std::string("agent.") + r.name, world->svc.at(r.home_site),
                       [world, c, baseline, cs, horizon_s] { campaign_loop(*world, *c, baseline, cs, horizon_s); });
  }
  engine->run_until(horizon_s);
  std::vector<std::int64_t> n;
  for (auto* c : campaigns) n.push_back(c->experiments);
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  int replications = REPLICATIONS;
  double horizon_days = HORIZON_DAYS;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--replications" && i + 1 < argc) {
      replications = std::atoi(argv[++i]);
    } else if (a == "--horizon-days" && i + 1 < argc) {
      horizon_days = std::atof(argv[++i]);
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      std::fprintf(stderr,
                   "usage: bench_raw_closed_loop [--replications N] [--horizon-days D] [--verbose]\n"
                   "Runs the national default's closed loop on raw SimGrid, one forked child per\n"
                   "simulation, and prints one JSON line with simulated experiments per wall second.\n"
                   "--verbose also prints each simulation's experiments per campaign on stderr.\n");
      return a == "--help" || a == "-h" ? 0 : 2;
    }
  }
  const double horizon_s = horizon_days * DAY_S;
  std::int64_t experiments = 0;
  int simulations = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int rep = 0; rep < replications; ++rep) {
    for (const bool baseline : {false, true}) {
      int fds[2];
      if (::pipe(fds) != 0) return 1;
      std::fflush(stdout);
      const pid_t pid = ::fork();
      if (pid < 0) return 1;
      if (pid == 0) {
        ::close(fds[0]);
        const std::vector<std::int64_t> n = run_simulation(baseline, rep, horizon_s);
        const auto bytes = static_cast<ssize_t>(n.size() * sizeof(std::int64_t));
        ::_exit(::write(fds[1], n.data(), static_cast<std::size_t>(bytes)) == bytes ? 0 : 4);
      }
      ::close(fds[1]);
      std::vector<std::int64_t> n(CAMPAIGNS.size(), 0);
      const auto bytes = static_cast<ssize_t>(n.size() * sizeof(std::int64_t));
      const ssize_t got = ::read(fds[0], n.data(), static_cast<std::size_t>(bytes));
      ::close(fds[0]);
      int status = 0;
      ::waitpid(pid, &status, 0);
      if (got != bytes || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench_raw_closed_loop: simulation %s/%d failed\n", baseline ? "baseline" : "closed_loop", rep);
        return 1;
      }
      for (std::size_t i = 0; i < n.size(); ++i) {
        experiments += n[i];
        if (verbose)
          std::fprintf(stderr, "%s/%d %s: %lld experiments\n", baseline ? "baseline" : "closed_loop", rep, CAMPAIGNS[i].name,
                       static_cast<long long>(n[i]));
      }
      ++simulations;
    }
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "{\"program\": \"bench_raw_closed_loop\", \"simulations\": %d, \"simulated_experiments\": %lld, "
      "\"wall_s\": %.6f, \"experiments_per_wall_s\": %.3f}\n",
      simulations, static_cast<long long>(experiments), wall_s, wall_s > 0 ? static_cast<double>(experiments) / wall_s : 0.0);
  return 0;
}
