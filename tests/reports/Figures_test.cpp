// The figures of a run from hand-made results: the warnings, each by its code, and the resource behind the bottleneck.
#include <doctest/doctest.h>

#include <algorithm>

#include "reports/Figures.hpp"
#include "reports/Report.hpp"

using namespace twin;
using reports::Warning;

namespace {

constexpr double DAY = 86400.0;

/// A healthy run: both modes, `reps` replications, one campaign "c" on HPC
/// system "h" and lab "l", both online all along, discoveries in both modes.
core::RunResult healthy(int reps = 5) {
  core::RunResult rr;
  rr.scenario.name = "t";
  rr.scenario.seed = 1;
  rr.scenario.horizon_s = 100 * DAY;
  rr.scenario.replications = reps;
  rr.scenario.modes = {"closed_loop", "baseline"};
  rr.scenario.campaigns.push_back({"c", "k", "t", "h", "l", 0, {}});
  for (int r = 0; r < reps; ++r)
    for (const char* mode : {"closed_loop", "baseline"}) {
      core::SimResult s;
      s.mode = mode;
      s.replication = r;
      s.horizon_s = rr.scenario.horizon_s;
      core::CampaignSim c;
      c.name = "c";
      c.discoveries = s.mode == "closed_loop" ? 8 + r : 3 + r % 2;
      c.experiments = 10 * (c.discoveries + 1);
      c.simulations = 40;
      c.cycles = 5;
      s.campaigns.push_back(c);
      core::HpcSim h;
      h.name = "h";
      h.kind = "hpc";
      h.capacity = 4;
      h.online_s = s.horizon_s;
      s.hpc.push_back(h);
      core::LabSim l;
      l.name = "l";
      l.kind = "lab";
      l.online_s = s.horizon_s;
      s.labs.push_back(l);
      rr.sims.push_back(s);
    }
  return rr;
}

std::vector<Warning> of(const core::RunResult& rr) { return reports::compute_figures(rr).warnings; }

std::vector<std::string> codes(const std::vector<Warning>& w) {
  std::vector<std::string> c;
  for (const auto& x : w) c.push_back(x.code);
  return c;
}

const Warning* find(const std::vector<Warning>& w, const std::string& code) {
  const auto it = std::find_if(w.begin(), w.end(), [&](const Warning& x) { return x.code == code; });
  return it == w.end() ? nullptr : &*it;
}

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("a healthy run has no warnings") {
  CHECK(codes(of(healthy())).empty());
}

TEST_CASE("one_mode: no baseline, so no multiplier and no verdict") {
  auto rr = healthy();
  rr.scenario.modes = {"closed_loop"};
  std::erase_if(rr.sims, [](const core::SimResult& s) { return s.mode == "baseline"; });
  const auto f = reports::compute_figures(rr);
  REQUIRE(codes(f.warnings) == std::vector<std::string>{"one_mode"});
  CHECK(f.warnings[0].where == "headline/multiplier");
  CHECK(has(f.warnings[0].message, "no baseline"));
  CHECK_FALSE(f.headline.multiplier.value);
  CHECK_FALSE(f.headline.goal_met);
  const std::string t = reports::summary_text(reports::report_json(rr.scenario, f));
  CHECK(has(t, "Goal x2: no baseline"));
  CHECK_FALSE(has(t, "not met"));
  CHECK(has(t, "Warning [one_mode]: "));
}

TEST_CASE("few_replications below 5, no_interval below 3") {
  CHECK(codes(of(healthy(4))) == std::vector<std::string>{"few_replications"});
  CHECK(codes(of(healthy(3))) == std::vector<std::string>{"few_replications"});
  CHECK(codes(of(healthy(2))) == std::vector<std::string>{"no_interval"});
  const auto w = of(healthy(1));
  REQUIRE(codes(w) == std::vector<std::string>{"no_interval"});
  CHECK(has(w[0].message, "1 replication:"));
}

TEST_CASE("multiplier_censored: a lower bound, said so") {
  auto rr = healthy();
  for (auto& s : rr.sims)
    if (s.mode == "baseline") s.campaigns[0].discoveries = 0;
  const auto w = of(rr);
  REQUIRE(codes(w) == std::vector<std::string>{"multiplier_censored"});
  CHECK(has(w[0].message, "lower bound"));
  CHECK(has(w[0].message, ">= 16.7"));  // (8 + 9 + 10 + 11 + 12) / 3
}

TEST_CASE("campaign_stopped: when, in how many replications, and why") {
  auto rr = healthy();
  int n = 0;
  for (auto& s : rr.sims)
    if (s.mode == "baseline" && n++ < 2) {
      s.campaigns[0].stopped_s = (10 + 2 * s.replication) * DAY;  // days 10 and 12
      s.campaigns[0].stop_reason = "lab l retired on day 10";
    }
  const auto w = of(rr);
  REQUIRE(codes(w) == std::vector<std::string>{"campaign_stopped"});
  CHECK(w[0].where == "campaigns/c/modes/baseline");
  CHECK(has(w[0].message, "stopped in 2 of 5 baseline replications, on day 11 on average: lab l retired on day 10"));
}

TEST_CASE("campaign_idle: no experiment and no simulation in any replication of a mode") {
  auto rr = healthy();
  for (auto& s : rr.sims)
    if (s.mode == "closed_loop") {
      s.campaigns[0].experiments = 0;
      s.campaigns[0].simulations = 0;
    }
  const auto w = of(rr);
  const Warning* idle = find(w, "campaign_idle");
  REQUIRE(idle);
  CHECK(idle->where == "campaigns/c/modes/closed_loop");
  CHECK_FALSE(find(w, "campaign_stopped"));
  // One replication with an experiment is not idle.
  rr.sims[0].campaigns[0].experiments = 1;
  CHECK_FALSE(find(of(rr), "campaign_idle"));
}

TEST_CASE("facility_unused: an HPC system with no campaign and no workload, a lab with no campaign") {
  auto rr = healthy();
  for (auto& s : rr.sims) {
    core::HpcSim spare = s.hpc[0], busy = s.hpc[0];
    spare.name = "spare";
    busy.name = "busy";
    busy.background_jobs = 7;  // its own workload: not unused
    s.hpc.push_back(spare);
    s.hpc.push_back(busy);
    core::LabSim other = s.labs[0];
    other.name = "other";
    s.labs.push_back(other);
  }
  const auto w = of(rr);
  REQUIRE(codes(w) == std::vector<std::string>{"facility_unused", "facility_unused"});
  CHECK(w[0].where == "resources/hpc/spare");
  CHECK(w[1].where == "resources/labs/other");
  // A preference list names each facility in it.
  rr.scenario.campaigns[0].hpc = "h, spare";
  rr.scenario.campaigns[0].lab = "l,other";
  CHECK(codes(of(rr)).empty());
}

TEST_CASE("horizon_short: no decision cycle finished in a mode") {
  auto rr = healthy();
  for (auto& s : rr.sims)
    if (s.mode == "baseline") s.campaigns[0].cycles = 0;
  const auto w = of(rr);
  const Warning* h = find(w, "horizon_short");
  REQUIRE(h);
  CHECK(h->where == "cycle/baseline");
  CHECK(has(h->message, "100-day horizon in baseline"));
}

TEST_CASE("start_after_horizon: a campaign starting at or after the end, a facility never online") {
  auto rr = healthy();
  rr.scenario.campaigns[0].start_s = 100 * DAY;
  auto w = of(rr);
  REQUIRE(find(w, "start_after_horizon"));
  CHECK(find(w, "start_after_horizon")->where == "campaigns/c");
  CHECK_FALSE(find(w, "horizon_short"));  // nothing started, so nothing to say about cycles
  rr = healthy();
  for (auto& s : rr.sims) s.labs[0].online_s = 0;
  w = of(rr);
  REQUIRE(codes(w) == std::vector<std::string>{"start_after_horizon"});
  CHECK(w[0].where == "resources/labs/l");
}

TEST_CASE("report.json lists the warnings as {code, message, where}, in order") {
  auto rr = healthy(4);
  for (auto& s : rr.sims)
    if (s.mode == "baseline") s.campaigns[0].discoveries = 0;
  const auto r = reports::build_report(rr);
  REQUIRE(r["warnings"].size() == 2);
  CHECK(r["warnings"][0]["code"] == "few_replications");
  CHECK(r["warnings"][1]["code"] == "multiplier_censored");
  CHECK(r["warnings"][1]["where"] == "headline/multiplier");
  CHECK(r["warnings"][1].size() == 3);
}

TEST_CASE("goal met at 95 % needs 5 replications and a lower bound at the goal, and below 3 there is no interval") {
  // closed loop 8..12 (or fewer), baseline 3 or 4 per replication: about x2.5 to x3.
  auto f = reports::compute_figures(healthy(5));
  REQUIRE(f.headline.multiplier.ci95_low);
  CHECK(*f.headline.multiplier.ci95_low >= 2.0);
  CHECK(f.headline.goal_met_at_95);
  f = reports::compute_figures(healthy(4));  // the same kind of interval, one replication short
  REQUIRE(f.headline.multiplier.ci95_low);
  CHECK(*f.headline.multiplier.ci95_low >= 2.0);
  CHECK(f.headline.goal_met);
  CHECK_FALSE(f.headline.goal_met_at_95);
  CHECK(has(reports::summary_text(reports::report_json(healthy(4).scenario, f)),
            "met (not judged at 95 %: fewer than 5 replications)"));
  f = reports::compute_figures(healthy(2));
  CHECK(f.headline.multiplier.value);
  CHECK_FALSE(f.headline.multiplier.ci95_low);
  CHECK_FALSE(f.headline.multiplier.ci95_high);
  CHECK_FALSE(f.headline.goal_met_at_95);
  // A censored bound from one replication is never "met at 95 %".
  auto rr = healthy(1);
  for (auto& s : rr.sims)
    if (s.mode == "baseline") s.campaigns[0].discoveries = 0;
  f = reports::compute_figures(rr);
  REQUIRE(f.headline.multiplier.value);
  CHECK(*f.headline.multiplier.value == doctest::Approx(8.0 / 3.0));
  CHECK(f.headline.goal_met);
  CHECK_FALSE(f.headline.multiplier.ci95_low);
  CHECK_FALSE(f.headline.goal_met_at_95);
}

namespace {

core::ResourceSim pool(const std::string& name, const std::string& kind, double capacity, double busy_share,
                       std::int64_t waits, double wait_sum_s, double online_s) {
  core::ResourceSim p;
  p.name = name;
  p.kind = kind;
  p.parent = name.substr(0, name.find('.'));
  p.capacity = capacity;
  p.online_s = online_s;
  p.busy_integral = busy_share * capacity * online_s;
  p.waits = waits;
  p.wait_sum_s = wait_sum_s;
  return p;
}

/// healthy() with lab l's pools: characterise 83 % busy (samples wait 5.1 h
/// on average), synthesis 40 %, robots 10 %, technicians 20 %; cycles spend
/// most of their time in the lab.
core::RunResult with_lab_pools() {
  auto rr = healthy();
  for (auto& s : rr.sims) {
    const double on = s.horizon_s;
    s.labs[0].pools = {pool("l.synthesis", "station", 2, 0.4, 10, 10 * 3600.0, on),
                       pool("l.characterise", "station", 1, 0.83, 10, 51 * 3600.0, on),
                       pool("l.robots", "robot", 1, 0.1, 0, 0, on), pool("l.technicians", "technicians", 1, 0.2, 0, 0, on)};
    auto& c = s.campaigns[0].cycle;
    c.agent_s = 1 * 3600.0;
    c.hpc_run_s = 2 * 3600.0;
    c.lab_queue_s = 3 * 3600.0;
    c.lab_run_s = 11 * 3600.0;
  }
  return rr;
}

}  // namespace

TEST_CASE("the bottleneck names its resource: the busiest pool of the lab the cycles wait for, as the lab says") {
  const auto f = reports::compute_figures(with_lab_pools());
  REQUIRE(!f.cycle.bottlenecks.empty());
  const auto& top = f.cycle.bottlenecks[0];
  CHECK(top.stage == "lab_run");
  REQUIRE(top.resource);
  CHECK(top.resource->name == "l.characterise");
  CHECK(top.resource->kind == "station");
  CHECK(*top.resource->utilisation == doctest::Approx(0.83));
  CHECK(*top.resource->wait_mean_s == doctest::Approx(5.1 * 3600));
  CHECK(top.resource->text == "l.characterise: 83 % busy, samples wait 5.1 h there on average");
  // The lab's own bottleneck is the same resource, in the same words.
  REQUIRE(f.labs.size() == 1);
  CHECK(f.labs[0].bottleneck == "characterise");
  CHECK(f.labs[0].modes.at("closed_loop").bottleneck_text == top.resource->text);
  // Each ranked stage names its own: the agents, and the HPC system of the campaign.
  CHECK(f.cycle.bottlenecks[1].stage == "lab_queue");
  CHECK(f.cycle.bottlenecks[1].resource->name == "l.characterise");
  CHECK(f.cycle.bottlenecks[2].stage == "hpc_run");
  CHECK(f.cycle.bottlenecks[2].resource->name == "h");
  CHECK(f.cycle.bottlenecks[3].resource->kind == "agent");
  // report.json, the terminal.
  const auto rr = with_lab_pools();
  const auto r = reports::report_json(rr.scenario, f);
  CHECK(r["cycle"]["bottlenecks"][0]["resource"]["name"] == "l.characterise");
  CHECK(r["cycle"]["bottlenecks"][0]["resource"]["wait_mean_h"].get<double>() == doctest::Approx(5.1));
  CHECK(r["labs"][0]["modes"]["closed_loop"]["bottleneck"]["text"] == top.resource->text);
  CHECK(has(reports::summary_text(r), "Bottleneck (closed_loop cycle): lab_run, 65 % of the cycle; "
                                      "l.characterise: 83 % busy, samples wait 5.1 h there on average"));
}

TEST_CASE("the bottleneck's lab is the one the cycles spend their lab time in, not the busiest anywhere") {
  auto rr = with_lab_pools();
  for (auto& s : rr.sims) {
    core::LabSim busy = s.labs[0];  // a second lab, busier, that no campaign of the cycles uses
    busy.name = "m";
    for (auto& p : busy.pools) {
      p.name = "m" + p.name.substr(1);
      p.parent = "m";
      p.busy_integral = 0.99 * p.capacity * p.online_s;
    }
    s.labs.push_back(busy);
  }
  rr.scenario.campaigns.push_back({"d", "k", "t", "h", "m", 0, {}});  // uses m, but runs no cycle
  for (auto& s : rr.sims) s.campaigns.push_back(core::CampaignSim{});
  const auto f = reports::compute_figures(rr);
  REQUIRE(f.cycle.bottlenecks[0].resource);
  CHECK(f.cycle.bottlenecks[0].resource->name == "l.characterise");
  CHECK(f.labs[1].bottleneck == "synthesis");  // m's own busiest (the first of its equally busy pools)
}

namespace {

/// A three-year run whose closed loop finds `closed[y]` and baseline
/// `base[y]` discoveries in year y of every replication, spread over the year.
core::RunResult three_years(const std::vector<int>& closed, const std::vector<int>& base, int reps = 5) {
  const double year = 365.25 * DAY;
  core::RunResult rr = healthy(reps);
  rr.scenario.start_date = "2026-01-05";
  rr.scenario.horizon_s = 3 * year;
  for (auto& s : rr.sims) {
    s.horizon_s = rr.scenario.horizon_s;
    auto& c = s.campaigns[0];
    const auto& per = s.mode == "closed_loop" ? closed : base;
    c.discovery_times_s.clear();
    for (std::size_t y = 0; y < per.size(); ++y)
      for (int k = 0; k < per[y] + (s.replication % 2); ++k)
        c.discovery_times_s.push_back((static_cast<double>(y) + (k + 0.5) / (per[y] + 1.0)) * year);
    c.discoveries = static_cast<std::int64_t>(c.discovery_times_s.size());
  }
  return rr;
}

}  // namespace

TEST_CASE("years: each year counts its own discoveries, the years add up to the run, and the goal year is the first at x2") {
  // The closed loop ramps up (adoption): x1, x1.5, x3 the first year's baseline of 10.
  const core::RunResult rr = three_years({10, 15, 30}, {10, 10, 10});
  const reports::Figures f = reports::compute_figures(rr);
  REQUIRE(f.years.size() == 3);
  CHECK(f.years[0].year == 2026);
  CHECK(f.years[0].start_date == "2026-01-05");
  CHECK(f.years[1].start_date == "2027-01-05");
  CHECK(f.years[2].year == 2028);
  CHECK(f.years[2].start_date == "2028-01-05");
  // Replications alternate 10 and 11 (odd ones find one more): the mean of 5 is 10.4.
  CHECK(f.years[0].discoveries_per_year.at("baseline") == doctest::Approx(10.4));
  CHECK(f.years[2].discoveries_per_year.at("closed_loop") == doctest::Approx(30.4));
  double sum = 0;
  for (const auto& y : f.years) sum += y.discoveries_per_year.at("closed_loop") * y.days / 365.25;
  CHECK(sum == doctest::Approx(f.headline.discoveries_per_year.at("closed_loop").mean * 3));
  CHECK(*f.years[0].multiplier.value == doctest::Approx(1.0));
  CHECK(*f.years[1].vs_first_year_baseline.value == doctest::Approx(77.0 / 52.0));
  CHECK(*f.years[2].vs_first_year_baseline.value == doctest::Approx(152.0 / 52.0));
  REQUIRE(f.headline.goal_year.year);
  CHECK(*f.headline.goal_year.year == 2028);
  // Five replications that barely differ: the lower bound of year 3 also reaches x2.
  REQUIRE(f.headline.goal_year.year_at_95);
  CHECK(*f.headline.goal_year.year_at_95 == 2028);
}

TEST_CASE("years: a platform that never doubles has no goal year, and a short last year is a rate over its own length") {
  core::RunResult rr = three_years({10, 12, 15}, {10, 10, 10});
  rr.scenario.horizon_s = 2.5 * 365.25 * DAY;  // year 3 is half a year: its 8 discoveries (at < 0.5 y) double as a rate
  for (auto& s : rr.sims) {
    s.horizon_s = rr.scenario.horizon_s;
    auto& t = s.campaigns[0].discovery_times_s;
    t.erase(std::remove_if(t.begin(), t.end(), [&](double x) { return x >= rr.scenario.horizon_s; }), t.end());
  }
  const reports::Figures f = reports::compute_figures(rr);
  REQUIRE(f.years.size() == 3);
  CHECK(f.years[2].days == doctest::Approx(365.25 / 2));
  CHECK_FALSE(f.headline.goal_year.year);
  const auto rep0 = std::count_if(rr.sims[0].campaigns[0].discovery_times_s.begin(),
                                  rr.sims[0].campaigns[0].discovery_times_s.end(),
                                  [](double x) { return x >= 2 * 365.25 * DAY; });
  CHECK(rep0 == 8);
  const auto json = reports::build_report(rr);
  CHECK(json["headline"]["goal_year"]["year"].is_null());
  CHECK(json["years"].size() == 3);
  CHECK(json["years"][2]["start_date"] == "2028-01-05");
}

TEST_CASE("years: a one-year run's only year is the headline, interval included") {
  core::RunResult rr = healthy();
  for (auto& s : rr.sims)
    for (std::int64_t k = 0; k < s.campaigns[0].discoveries; ++k) s.campaigns[0].discovery_times_s.push_back(k * DAY);
  const reports::Figures f = reports::compute_figures(rr);
  REQUIRE(f.years.size() == 1);
  const auto& m = f.headline.multiplier;
  for (const auto* y : {&f.years[0].multiplier, &f.years[0].vs_first_year_baseline}) {
    CHECK(*y->value == *m.value);
    CHECK(*y->ci95_low == *m.ci95_low);
    CHECK(*y->ci95_high == *m.ci95_high);
  }
}

TEST_CASE("cost per discovery in dollars: node-hours and lab-hours at their prices plus the technicians, per mode") {
  core::RunResult rr = healthy(2);
  const double horizon = 365.25 * DAY;  // one year: the technicians cost one year's pay
  rr.scenario.horizon_s = horizon;
  for (auto& s : rr.sims) {
    s.horizon_s = horizon;
    s.campaigns[0].node_hours = s.mode == "closed_loop" ? 1000 : 400;
    s.campaigns[0].lab_hours = s.mode == "closed_loop" ? 300 : 500;
  }
  SUBCASE("without any price there are no dollars, and the other costs stay") {
    const auto h = reports::compute_figures(rr).headline;
    CHECK_FALSE(h.cost_per_discovery.at("closed_loop").dollars.has_value());
    CHECK(h.cost_per_discovery.at("closed_loop").node_hours.has_value());
  }
  SUBCASE("priced: by hand") {
    rr.scenario.campaigns[0].node_hour_usd = 12;
    rr.scenario.campaigns[0].lab_hour_usd = 40;
    rr.scenario.people_usd_per_year = 240000;  // two technicians at 120,000
    const auto h = reports::compute_figures(rr).headline;
    // closed loop: discoveries 8 + 9 = 17 over two replications; each replication
    // 1000 x 12 + 300 x 40 + 240,000 = 264,000 dollars.
    CHECK(*h.cost_per_discovery.at("closed_loop").dollars == doctest::Approx(2 * 264000.0 / 17));
    // baseline: 3 + 4 = 7; each 400 x 12 + 500 x 40 + 240,000 = 264,800.
    CHECK(*h.cost_per_discovery.at("baseline").dollars == doctest::Approx(2 * 264800.0 / 7));
  }
  SUBCASE("only the technicians priced: the hours count nothing") {
    rr.scenario.people_usd_per_year = 100000;
    const auto h = reports::compute_figures(rr).headline;
    CHECK(*h.cost_per_discovery.at("closed_loop").dollars == doctest::Approx(2 * 100000.0 / 17));
  }
  SUBCASE("a mode without discoveries has no cost per discovery") {
    rr.scenario.people_usd_per_year = 100000;
    for (auto& s : rr.sims)
      if (s.mode == "baseline") s.campaigns[0].discoveries = 0;
    CHECK_FALSE(reports::compute_figures(rr).headline.cost_per_discovery.at("baseline").dollars.has_value());
  }
}

TEST_CASE("buy next: the busiest pool of the labs the campaigns use, the HPC system or link behind the stage, or nothing") {
  auto lab = [](const std::string& name, double cycle_share, const std::string& pool, double util) {
    reports::LabFigures l;
    l.name = name;
    reports::LabMode m;
    m.cycle_share = cycle_share;
    m.bottleneck = pool;
    m.bottleneck_utilisation = util;
    m.bottleneck_text = name + "." + pool + ": busy";
    l.modes["closed_loop"] = m;
    return l;
  };
  reports::Figures f;
  CHECK(reports::buy_next(f).mode.empty());  // no cycle: nothing said
  f.cycle.bottlenecks.push_back({1, "closed_loop", "lab_queue", 0.6, std::nullopt});
  // The busiest pool of a lab no campaign spends cycle time in does not count.
  f.labs = {lab("polybot", 0.4, "characterise", 0.61), lab("idle-lab", 0, "furnace", 0.99),
            lab("nanoparticle-lab", 0.2, "flow-synthesis", 0.84), lab("perovskite-lab", 0.1, "degradation", 0.62)};
  reports::BuyNext b = reports::buy_next(f);
  CHECK(b.mode == "closed_loop");
  CHECK(b.stage == "lab_queue");
  CHECK(b.resource == "nanoparticle-lab.flow-synthesis");
  CHECK(b.kind == "station");
  CHECK(b.change == "one more flow-synthesis station at nanoparticle-lab");
  CHECK(b.text() == "one more flow-synthesis station at nanoparticle-lab (nanoparticle-lab.flow-synthesis: busy)");
  // Robots and technicians are bought as such.
  f.labs[2].modes["closed_loop"].bottleneck = "robots";
  CHECK(reports::buy_next(f).change == "one more robot at nanoparticle-lab");
  CHECK(reports::buy_next(f).kind == "robot");
  f.labs[2].modes["closed_loop"].bottleneck = "technicians";
  CHECK(reports::buy_next(f).change == "one more technician on shift at nanoparticle-lab");
  // No lab pool busy at all: nothing found.
  for (auto& l : f.labs) l.modes["closed_loop"].bottleneck.clear();
  CHECK(reports::buy_next(f).resource.empty());
  // HPC time leads: the system behind it; transfers: the link.
  f.cycle.bottlenecks[0].stage = "hpc_queue";
  f.cycle.bottlenecks[0].resource = reports::BottleneckResource{"frontier", "hpc", 0.9, 3600.0, "frontier: 90 % busy"};
  b = reports::buy_next(f);
  CHECK(b.resource == "frontier");
  CHECK(b.change == "10 % more nodes on frontier");
  CHECK(b.why == "frontier: 90 % busy");
  f.cycle.bottlenecks[0].stage = "transfer";
  f.cycle.bottlenecks[0].resource = reports::BottleneckResource{"ORNL-ANL", "link", 0.7, {}, "ORNL-ANL: 70 % busy"};
  CHECK(reports::buy_next(f).change == "twice the bandwidth of ORNL-ANL");
  // People lead: no facility to buy.
  f.cycle.bottlenecks[0].stage = "people";
  b = reports::buy_next(f);
  CHECK(b.resource.empty());
  CHECK(b.kind.empty());
  CHECK(b.change == "no facility to buy: the cycle waits on people (meetings, staffed hours, hand-offs)");
}
