#include "reports/Access.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "twin/core/Label.hpp"

namespace twin::reports {

namespace {

using ojson = nlohmann::ordered_json;
constexpr double YEAR_S = 365.25 * 86400.0;

double r6(double x) { return round_sig(x, 6); }
ojson opt(const Opt& x) { return x && std::isfinite(*x) ? ojson(round_sig(*x, 6)) : ojson(nullptr); }

/// The simulations of each mode, in replication order.
ByMode<std::vector<const core::SimResult*>> by_mode(const core::RunResult& run) {
  ByMode<std::vector<const core::SimResult*>> out;
  for (const auto& s : run.sims) out[s.mode].push_back(&s);
  return out;
}

Refusals refusals_of(const core::AccessSim& a) {
  Refusals r;
  r.placements = static_cast<double>(a.placement_refusals);
  r.placement_wait_h = a.placement_wait_s / 3600.0;
  r.transfers_refused = static_cast<double>(a.transfer_refusals);
  r.reroutes = static_cast<double>(a.reroutes);
  r.reroute_h = a.reroute_s / 3600.0;
  r.bursts = static_cast<double>(a.burst_refusals);
  r.burst_wait_h = a.burst_refusal_s / 3600.0;
  return r;
}

void add(Refusals& to, const Refusals& r, double w) {
  to.placements += w * r.placements;
  to.placement_wait_h += w * r.placement_wait_h;
  to.transfers_refused += w * r.transfers_refused;
  to.reroutes += w * r.reroutes;
  to.reroute_h += w * r.reroute_h;
  to.bursts += w * r.bursts;
  to.burst_wait_h += w * r.burst_wait_h;
}

bool any_refusal(const Refusals& r) { return r.placements > 0 || r.transfers_refused > 0 || r.reroutes > 0 || r.bursts > 0; }

void add_use(CloudUse& to, const CloudUse& u, double w) {
  to.jobs += w * u.jobs;
  to.instance_hours += w * u.instance_hours;
  to.gpu_hours += w * u.gpu_hours;
  to.usd += w * u.usd;
  to.energy_kwh += w * u.energy_kwh;
  to.wait_h += w * u.wait_h;
  to.queue_saved_h += w * u.queue_saved_h;
}

ojson refusals_json(const Refusals& r) {
  return {{"placements", {{"count", r6(r.placements)}, {"time_h", r6(r.placement_wait_h)}}},
          {"transfers", {{"refused", r6(r.transfers_refused)}, {"rerouted", r6(r.reroutes)}, {"time_h", r6(r.reroute_h)}}},
          {"bursts", {{"count", r6(r.bursts)}, {"time_h", r6(r.burst_wait_h)}}},
          {"time_h", r6(r.total_h())}};
}

ojson use_json(const CloudUse& u, bool campaign) {
  ojson o = {{"jobs", r6(u.jobs)},           {"instance_hours", r6(u.instance_hours)}, {"gpu_hours", r6(u.gpu_hours)},
             {"usd", r6(u.usd)},             {"energy_kwh", r6(u.energy_kwh)},         {"wait_h", r6(u.wait_h)}};
  if (campaign) o["queue_time_saved_h"] = r6(u.queue_saved_h);
  return o;
}

ojson mean_ci_json(const MeanCi& m) { return {{"mean", r6(m.mean)}, {"ci95_low", opt(m.low)}, {"ci95_high", opt(m.high)}}; }

MeanCi difference_ci(const std::vector<double>& v) { return mean_ci(v, false); }

/// -x, its interval turned around.
MeanCi negated(const MeanCi& x) {
  MeanCi o;
  o.mean = -x.mean;
  if (x.low && x.high) {
    o.low = -*x.high;
    o.high = -*x.low;
  }
  return o;
}

}  // namespace

PairedDiff paired_diff(const core::ScenarioFacts& sc, const std::vector<const core::SimResult*>& cl,
                       const core::PairedRun& p) {
  PairedDiff out;
  if (p.discoveries.size() != cl.size() || cl.empty()) return out;
  const double years = sc.horizon_s / YEAR_S;
  const std::size_t n = sc.campaigns.size();
  std::vector<double> diff, with, without;
  std::vector<std::vector<double>> per(n), queue(n), cycle(n);
  for (std::size_t r = 0; r < cl.size(); ++r) {
    double w = 0, wo = 0;
    const auto& camps = cl[r]->campaigns;
    for (std::size_t k = 0; k < camps.size() && k < p.discoveries[r].size() && k < n; ++k) {
      const double d = static_cast<double>(camps[k].discoveries);
      w += d;
      wo += p.discoveries[r][k];
      per[k].push_back((d - p.discoveries[r][k]) / years);
      if (r < p.hpc_queue_s.size()) queue[k].push_back((p.hpc_queue_s[r][k] - camps[k].cycle.hpc_queue_s) / 3600.0);
      if (r < p.cycles.size() && camps[k].cycles > 0 && p.cycles[r][k] > 0)
        cycle[k].push_back((camps[k].cycle.total() / static_cast<double>(camps[k].cycles) -
                            p.cycle_s[r][k] / p.cycles[r][k]) / 3600.0);
    }
    with.push_back(w / years);
    without.push_back(wo / years);
    diff.push_back((w - wo) / years);
  }
  out.with_per_year = mean_ci(with).mean;
  out.without_per_year = mean_ci(without).mean;
  out.total = difference_ci(diff);
  for (std::size_t k = 0; k < n; ++k) {
    out.per_campaign.push_back(difference_ci(per[k]));
    out.queue_h.push_back(difference_ci(queue[k]));
    out.cycle_h.push_back(difference_ci(cycle[k]));
  }
  out.ok = true;
  return out;
}

std::vector<Violation> check_placements(const core::ScenarioFacts& sc, const core::SimResult& sim) {
  std::map<std::string, core::Label> labels;
  for (const auto& c : sc.campaigns) labels[c.name] = core::label_from_string(c.classification).value_or(core::Label::CLASSIFIED);
  for (const auto& [owner, l] : sc.owner_labels) labels[owner] = core::label_from_string(l).value_or(core::Label::CLASSIFIED);
  std::map<std::pair<std::string, std::string>, std::string> clearance;
  for (const auto& f : sc.clearances) clearance[{f.kind, f.name}] = f.clearance;
  std::vector<Violation> out;
  for (const auto& p : sim.placements) {
    auto l = labels.find(p.owner);
    const core::Label label = l == labels.end() ? core::Label::CLASSIFIED : l->second;
    auto c = clearance.find({p.kind, p.facility});
    const std::string cleared = c == clearance.end() ? "" : c->second;
    const auto level = core::label_from_string(cleared);
    if (level && core::cleared_for(*level, label)) continue;
    out.push_back({sim.mode, sim.replication, p.kind, p.facility, p.owner, core::to_string(label),
                   cleared.empty() ? "unknown" : cleared, p.items, p.bytes});
  }
  return out;
}

Security security(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  Security s;
  std::map<std::string, std::string> label_of;
  for (const auto& c : sc.campaigns) {
    s.campaigns.emplace_back(c.name, c.classification);
    label_of[c.name] = c.classification;
    s.rules = s.rules || c.classification != core::to_string(core::Label::PUBLIC);
  }
  for (const auto& [owner, l] : sc.owner_labels) label_of[owner] = l;
  s.clearances = sc.clearances;
  for (const auto& sim : run.sims) {
    s.checked += static_cast<std::int64_t>(sim.placements.size());
    for (auto& v : check_placements(sc, sim)) {
      ++s.violations;
      if (s.violation_list.size() < VIOLATIONS_LISTED) s.violation_list.push_back(std::move(v));
    }
  }
  std::map<std::string, bool> stopped_seen;
  const auto modes = by_mode(run);
  s.unrestricted_simulations = run.no_rules.simulations;
  if (const auto cl = modes.find("closed_loop"); cl != modes.end()) {
    const PairedDiff d = paired_diff(sc, cl->second, run.no_rules);
    if (d.ok) {
      s.with_rules_per_year = d.with_per_year;
      s.without_rules_per_year = d.without_per_year;
      s.lost_per_year = negated(d.total);  // without less with
      for (std::size_t k = 0; k < sc.campaigns.size(); ++k) {
        if (sc.campaigns[k].classification == core::to_string(core::Label::PUBLIC)) continue;
        s.cost_by_campaign.push_back({sc.campaigns[k].name, negated(d.per_campaign[k]), d.cycle_h[k]});
      }
    }
  }
  for (const auto& [mode, sims] : modes) {
    const double w = 1.0 / static_cast<double>(sims.size());
    std::map<std::tuple<std::string, std::string, std::string>, PlacedByLabel> placed;
    Refusals total;
    std::vector<std::pair<std::string, Refusals>> per;
    for (const auto& c : sc.campaigns) per.emplace_back(c.name, Refusals{});
    for (const auto* sim : sims) {
      for (const auto& p : sim->placements) {
        auto l = label_of.find(p.owner);
        const std::string label = l == label_of.end() ? "unknown" : l->second;
        PlacedByLabel& x = placed[{label, p.kind, p.facility}];
        x.label = label;
        x.kind = p.kind;
        x.facility = p.facility;
        x.items += w * static_cast<double>(p.items);
        x.bytes += w * p.bytes;
      }
      for (std::size_t k = 0; k < sim->campaigns.size() && k < per.size(); ++k) {
        const core::CampaignSim& c = sim->campaigns[k];
        const Refusals r = refusals_of(c.access);
        add(total, r, w);
        add(per[k].second, r, w);
        if (c.access.stopped && !stopped_seen[c.name]) {
          stopped_seen[c.name] = true;
          s.stopped.emplace_back(c.name, c.stop_reason);
        }
      }
    }
    for (auto& [key, x] : placed) s.placed[mode].push_back(x);
    s.refusals[mode] = total;
    for (auto& [name, r] : per)
      if (any_refusal(r)) s.by_campaign[mode].emplace_back(name, r);
  }
  return s;
}

Bursting bursting(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  Bursting b;
  for (const auto& c : sc.campaigns) b.any = b.any || !c.burst_to.empty();
  const auto modes = by_mode(run);
  for (std::size_t ci = 0; ci < sc.clouds.size(); ++ci) {
    ByMode<CloudUse> per;
    for (const auto& [mode, sims] : modes) {
      CloudUse u;
      const double w = 1.0 / static_cast<double>(sims.size());
      for (const auto* sim : sims) {
        if (ci >= sim->clouds.size()) continue;
        const core::CloudSim& c = sim->clouds[ci];
        CloudUse x;
        x.jobs = static_cast<double>(c.jobs.created);
        x.instance_hours = c.instance_hours;
        x.gpu_hours = c.gpu_hours;
        x.usd = c.usd;
        x.energy_kwh = c.energy_j / 3.6e6;
        x.wait_h = (c.quota_wait_s + c.provisioning_s) / 3600.0;
        add_use(u, x, w);
      }
      per[mode] = u;
    }
    b.clouds.emplace_back(sc.clouds[ci], per);
  }
  for (std::size_t k = 0; k < sc.campaigns.size(); ++k) {
    if (sc.campaigns[k].burst_to.empty()) continue;
    ByMode<CloudUse> per;
    for (const auto& [mode, sims] : modes) {
      CloudUse u;
      const double w = 1.0 / static_cast<double>(sims.size());
      for (const auto* sim : sims) {
        if (k >= sim->campaigns.size()) continue;
        const core::BurstSim& c = sim->campaigns[k].burst;
        CloudUse x;
        x.jobs = static_cast<double>(c.jobs);
        x.gpu_hours = c.gpu_hours;
        x.usd = c.usd;
        x.energy_kwh = c.energy_j / 3.6e6;
        x.wait_h = c.provisioning_s / 3600.0;
        x.queue_saved_h = c.queue_saved_s / 3600.0;
        add_use(u, x, w);
      }
      per[mode] = u;
    }
    b.campaigns.emplace_back(sc.campaigns[k].name, per);
  }
  // Paired: replication r of the closed loop against its run without bursting.
  const auto cl = modes.find("closed_loop");
  b.simulations = run.no_burst.simulations;
  if (b.any && cl != modes.end()) {
    const PairedDiff d = paired_diff(sc, cl->second, run.no_burst);
    if (d.ok) {
      b.with_per_year = d.with_per_year;
      b.without_per_year = d.without_per_year;
      b.gained_per_year = d.total;
      for (std::size_t k = 0; k < sc.campaigns.size(); ++k)
        if (!sc.campaigns[k].burst_to.empty()) {
          b.gained_by_campaign.emplace_back(sc.campaigns[k].name, d.per_campaign[k]);
          b.queue_h_saved_by_campaign.emplace_back(sc.campaigns[k].name, d.queue_h[k]);
        }
    }
  }
  return b;
}

Money money(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  Money m;
  m.priced = sc.priced();
  std::vector<std::pair<std::string, ByMode<MoneyMode>>> camps;
  for (const auto& c : sc.campaigns) camps.emplace_back(c.name, ByMode<MoneyMode>{});
  for (const auto& [mode, sims] : by_mode(run)) {
    const double w = 1.0 / static_cast<double>(sims.size());
    MoneyMode total;
    double disc = 0;
    std::vector<MoneyMode> per(sc.campaigns.size());
    std::vector<double> per_disc(sc.campaigns.size(), 0.0);
    for (const auto* sim : sims) {
      for (std::size_t k = 0; k < sim->campaigns.size() && k < sc.campaigns.size(); ++k) {
        const core::CampaignSim& c = sim->campaigns[k];
        const core::CampaignFacts& f = sc.campaigns[k];
        MoneyMode x;
        x.hpc_usd = std::max(0.0, f.node_hour_usd) * c.node_hours;
        x.lab_usd = std::max(0.0, f.lab_hour_usd) * c.lab_hours;
        x.cloud_usd = c.burst.usd;
        for (auto* to : {&total, &per[k]}) {
          to->hpc_usd += w * x.hpc_usd;
          to->lab_usd += w * x.lab_usd;
          to->cloud_usd += w * x.cloud_usd;
        }
        disc += w * static_cast<double>(c.discoveries);
        per_disc[k] += w * static_cast<double>(c.discoveries);
      }
      total.people_usd += w * std::max(0.0, sc.people_usd_per_year) * sim->horizon_s / YEAR_S;
    }
    if (m.priced && disc > 0) total.per_discovery_usd = total.total_usd() / disc;
    m.modes[mode] = total;
    for (std::size_t k = 0; k < per.size(); ++k) {
      if (m.priced && per_disc[k] > 0) per[k].per_discovery_usd = per[k].total_usd() / per_disc[k];
      camps[k].second[mode] = per[k];
    }
  }
  m.campaigns = std::move(camps);
  return m;
}

ojson security_json(const Security& s) {
  ojson o;
  o["labels"] = ojson::array();
  for (core::Label l : core::ALL_LABELS) o["labels"].push_back(core::to_string(l));
  ojson camps = ojson::array();
  for (const auto& [name, label] : s.campaigns) camps.push_back({{"name", name}, {"classification", label}});
  o["campaigns"] = camps;
  ojson cl = ojson::array();
  for (const auto& f : s.clearances) cl.push_back({{"kind", f.kind}, {"name", f.name}, {"clearance", f.clearance}});
  o["clearances"] = cl;
  ojson placed;
  for (const auto& [mode, list] : s.placed) {
    ojson arr = ojson::array();
    for (const auto& p : list)
      arr.push_back({{"label", p.label}, {"kind", p.kind}, {"facility", p.facility}, {"items", r6(p.items)},
                     {"bytes", r6(p.bytes)}});
    placed[mode] = arr;
  }
  o["placed"] = placed;
  o["placed_basis"] = "what each facility counted for each campaign, by the campaign's label: jobs (hpc, cloud), "
                      "samples (lab), transfers crossing and bytes carried (link); means per replication";
  ojson ref;
  for (const auto& [mode, r] : s.refusals) {
    ojson x = refusals_json(r);
    ojson per = ojson::array();
    if (auto it = s.by_campaign.find(mode); it != s.by_campaign.end())
      for (const auto& [name, cr] : it->second) {
        ojson c = refusals_json(cr);
        c["campaign"] = name;
        per.push_back(c);
      }
    x["campaigns"] = per;
    ref[mode] = x;
  }
  o["refusals"] = ref;
  o["refusals_basis"] =
      "means per replication. placements: choices that skipped an HPC system or lab not cleared for the campaign's "
      "label; their time: waits while only facilities not cleared were up, and the rest of the run of a campaign "
      "stopped for want of a cleared one. transfers: refused (no route cleared for the label) and rerouted around a "
      "link not cleared; their time: the detours' nominal extra latency and transfer time. bursts: jobs that would "
      "have burst to a cloud not cleared for the label; their time: the queue waits they then had beyond the "
      "cloud's mean provisioning time";
  ojson stopped = ojson::array();
  for (const auto& [name, why] : s.stopped) stopped.push_back({{"campaign", name}, {"reason", why}});
  o["stopped"] = stopped;
  ojson cost;
  cost["closed_loop_discoveries_per_year"] = opt(s.with_rules_per_year);
  cost["unrestricted_discoveries_per_year"] = opt(s.without_rules_per_year);
  cost["discoveries_per_year_lost"] = s.with_rules_per_year ? mean_ci_json(s.lost_per_year) : ojson(nullptr);
  ojson cc = ojson::array();
  for (const auto& c : s.cost_by_campaign)
    cc.push_back({{"campaign", c.name},
                  {"discoveries_per_year_lost", mean_ci_json(c.lost_per_year)},
                  {"longer_cycle_h", mean_ci_json(c.longer_cycle_h)}});
  cost["campaigns"] = cc;
  cost["simulations"] = s.unrestricted_simulations;
  cost["basis"] = "the closed loop run again with every site, facility, cloud and link cleared for every label, with "
                  "the same seeds; each loss is the paired difference per replication (without the rules less with "
                  "them), with a 95 % t-interval; longer_cycle_h: the campaign's mean cycle with the rules less without";
  o["cost_of_rules"] = cost;
  o["checked"] = s.checked;
  o["violations"] = s.violations;
  ojson vl = ojson::array();
  for (const auto& v : s.violation_list)
    vl.push_back({{"mode", v.mode},        {"replication", v.replication}, {"kind", v.kind},
                  {"facility", v.facility}, {"campaign", v.owner},          {"label", v.label},
                  {"clearance", v.clearance}, {"items", v.items},           {"bytes", r6(v.bytes)}});
  o["violation_list"] = vl;
  o["check"] = "after the run, every job, sample and transfer each facility counted for a campaign (counted by the "
               "facility, not by the rules that placed it) against that facility's clearance; a placement above it is "
               "a violation";
  return o;
}

ojson bursting_json(const Bursting& b) {
  ojson o;
  o["enabled"] = b.any;
  ojson clouds = ojson::array();
  for (const auto& [name, per] : b.clouds) {
    ojson m;
    for (const auto& [mode, u] : per) m[mode] = use_json(u, false);
    clouds.push_back({{"name", name}, {"modes", m}});
  }
  o["clouds"] = clouds;
  ojson camps = ojson::array();
  for (const auto& [name, per] : b.campaigns) {
    ojson m;
    for (const auto& [mode, u] : per) m[mode] = use_json(u, true);
    camps.push_back({{"name", name}, {"modes", m}});
  }
  o["campaigns"] = camps;
  ojson bought;
  bought["closed_loop_discoveries_per_year"] = opt(b.with_per_year);
  bought["without_bursting_discoveries_per_year"] = opt(b.without_per_year);
  bought["discoveries_per_year_gained"] = b.with_per_year ? mean_ci_json(b.gained_per_year) : ojson(nullptr);
  ojson per = ojson::array();
  for (std::size_t i = 0; i < b.gained_by_campaign.size(); ++i)
    per.push_back({{"campaign", b.gained_by_campaign[i].first},
                   {"discoveries_per_year_gained", mean_ci_json(b.gained_by_campaign[i].second)},
                   {"cycle_queue_h_saved", mean_ci_json(b.queue_h_saved_by_campaign[i].second)}});
  bought["campaigns"] = per;
  bought["simulations"] = b.simulations;
  bought["basis"] = "the closed loop run again with no campaign bursting, with the same seeds; each gain is the paired "
                    "difference per replication, with a 95 % t-interval; cycle_queue_h_saved: the hours the campaign's "
                    "cycles waited on the HPC queue (on their critical path) without bursting, less with it";
  o["bought"] = bought;
  o["basis"] = "means per replication; wait_h: waiting for the quota and for provisioning; queue_time_saved_h: the HPC "
               "queue waits estimated when each job burst (conservative backfilling from requested times, which "
               "overstates waits where jobs end before their requested time), less its waits in the cloud, summed over "
               "jobs; bought.campaigns[].cycle_queue_h_saved measures the saving on the cycles instead";
  return o;
}

ojson money_json(const Money& m) {
  auto mode_json = [](const MoneyMode& x, bool people) {
    ojson o = {{"hpc_usd", r6(x.hpc_usd)}, {"lab_usd", r6(x.lab_usd)}};
    if (people) o["people_usd"] = r6(x.people_usd);
    o["cloud_usd"] = r6(x.cloud_usd);
    o["total_usd"] = r6(x.total_usd());
    o["per_discovery_usd"] = opt(x.per_discovery_usd);
    return o;
  };
  ojson o;
  o["priced"] = m.priced;
  ojson modes;
  for (const auto& [mode, x] : m.modes) modes[mode] = mode_json(x, true);
  o["modes"] = modes;
  ojson camps = ojson::array();
  for (const auto& [name, per] : m.campaigns) {
    ojson pm;
    for (const auto& [mode, x] : per) pm[mode] = mode_json(x, false);
    camps.push_back({{"name", name}, {"modes", pm}});
  }
  o["campaigns"] = camps;
  o["basis"] = "dollars over the horizon, means per replication: node-hours at the price of the campaign's first HPC "
               "system, lab-hours at its first lab's, the technicians of the labs campaigns use (per mode, not per "
               "campaign), and the clouds' bills for burst jobs; an unpriced quantity counts nothing";
  return o;
}

}  // namespace twin::reports
