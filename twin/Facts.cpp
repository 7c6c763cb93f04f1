#include "twin/Facts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/Kernel.hpp"
#include "models/PoolKernel.hpp"
#include "twin/cli/Inventory.hpp"

namespace twin {

namespace {
std::string g(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}
std::string staffed_text(const StaffedHours& s) {
  if (s.always) return "24/7";
  static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::string days;
  for (int i = 0; i < 7; ++i)
    if (s.weekdays[static_cast<std::size_t>(i)]) {
      if (!days.empty()) days += ',';
      days += names[i];
    }
  char buf[64];
  std::snprintf(buf, sizeof buf, " %02d:%02d-%02d:%02d", s.start_min / 60, s.start_min % 60, s.end_min / 60, s.end_min % 60);
  return days + buf;
}
std::string policy_text(const ModeAgentSpec& m) {
  std::string s = m.policy + ", batch " + std::to_string(m.batch);
  if (m.screen > 0) s += ", screens " + std::to_string(m.screen) + " by simulation";
  if (m.cadence_s > 0) s += ", decides every " + g(m.cadence_s / 86400.0, 3) + " d";
  if (m.decision_s.mean() > 0) s += ", analysis " + g(m.decision_s.mean() / 3600.0, 3) + " h mean";
  if (m.handoff_s.mean() > 0) s += ", hand-offs " + g(m.handoff_s.mean() / 3600.0, 3) + " h mean";
  if (m.staffed_decisions) s += ", staffed hours only";
  return s;
}
std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// What meets the campaign's target, in plain words.
std::string target_words(const CampaignSpec& c) {
  if (c.target.top_percent)
    return "a candidate whose true value is among the best " + g(*c.target.top_percent) + " % of its problem's table";
  if (c.target.threshold) {
    // The direction follows the kernel's goal (the parser checked they agree).
    const bool minimize = models::make_kernel(c.kernel, 0)->goal() == models::Goal::MINIMIZE;
    return std::string("a measured value ") + (minimize ? "at most " : "at least ") + g(*c.target.threshold);
  }
  return "nothing (no target)";
}

/// What the campaign does after a discovery, in plain words.
std::string after_words(const CampaignSpec& c) {
  if (c.on_discovery != "next_problem")
    return "it goes on in the same problem, and each distinct candidate that meets the target counts once";
  const auto& k = c.kernel;
  std::string next;
  if (k.kind == "pool") {
    // What a generated instance holds, from one (the first after the tables).
    const auto inst = models::make_kernel(k, static_cast<int>(k.csv_texts.size()), 1);
    const auto* pool = dynamic_cast<const models::PoolKernel*>(inst.get());
    const std::string instance =
        pool ? "a random " + std::to_string(pool->pool_truths().size()) + " of the " +
                   std::to_string(pool->table_entries()) + " candidates of a table, each value drawn again " +
                   (pool->instance_spread() <= 0         ? std::string("(none: stream_noise 0)")
                    : pool->spread_from_replicates() ? std::string("from resamples of each candidate's replicates (a candidate measured once keeps its value)")
                                                     : std::string("with the lab's noise (the table has no replicates)"))
             : std::string("a generated instance");
    if (k.csv_texts.size() > 1) {
      next = "the next of its " + std::to_string(k.csv_texts.size()) + " tables (";
      for (std::size_t i = 0; i < k.csv_names.size(); ++i) next += (i ? ", " : "") + k.csv_names[i];
      next += ") in turn, then new instances of them in turn: " + instance;
    } else {
      next = "a new instance of its table: " + instance;
    }
  } else if (k.kind == "kinetics") {
    next = "the next of the 5 MIT kinetics cases in turn, then new instances of them: the same case with the "
           "catalysts' roles permuted (another catalyst the best, the reachable yields unchanged)";
  } else if (k.kind == "branin" || k.kind == "michalewicz") {
    next = "the same " + k.kind + " surface shifted by a pseudo-random offset of its own (the optimum value unchanged)";
  } else if (k.kind == "snar") {
    next = "a new instance of the reaction: every rate constant times one factor and every activation energy plus "
           "one offset, drawn from stated ranges (the optimum moves; the selectivities, and so the reachable "
           "yield, stay)";
  } else {
    next = "the same " + k.kind + " problem again";
  }
  return "after the cycle of a discovery it starts on " + next +
         ", with the measurement noise drawn again and nothing learned kept";
}

/// headline.discovery_definition: what one discovery is, campaigns with the
/// same rule grouped.
std::string discovery_definition(const Scenario& sc) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rules;  // (rule, campaigns)
  for (const auto& c : sc.campaigns) {
    const std::string rule = target_words(c) + "; " + after_words(c);
    auto it = std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.first == rule; });
    if (it == rules.end()) rules.push_back({rule, {c.name}});
    else it->second.push_back(c.name);
  }
  std::string s =
      "A discovery is a lab measurement that returned a value for a candidate meeting its campaign's target, counted "
      "once per candidate and problem. ";
  bool restarts = false;
  for (const auto& [rule, names] : rules) {
    std::string who;
    for (std::size_t i = 0; i < names.size(); ++i) who += (i ? ", " : "") + names[i];
    s += who + ": " + rule + ". ";
    restarts = restarts || rule.find(" again, with") != std::string::npos;
  }
  if (restarts)
    s += "So discoveries per year count problems solved, and a table solved again counts again.";
  else if (!s.empty())
    s.pop_back();
  return s;
}

}  // namespace

namespace {

core::CapacityStep capacity_on(const Scenario& sc, int day) {
  const cli::Inventory inv = cli::inventory_of(sc, day);
  core::CapacityStep c;
  c.from_day = day;
  for (const auto& h : inv.hpc) {
    c.hpc_systems += 1;
    c.nodes += h.nodes;
    c.gpus += h.gpus;
    c.speed_flops += h.speed_flops;
  }
  for (const auto& l : inv.labs) {
    c.labs += 1;
    c.stations += l.stations;
    c.robots += l.robots;
  }
  for (const auto& k : inv.links) {
    c.links += 1;
    c.link_bps += k.bandwidth_bps;
  }
  return c;
}

bool same_capacity(const core::CapacityStep& a, const core::CapacityStep& b) {
  return a.hpc_systems == b.hpc_systems && a.nodes == b.nodes && a.gpus == b.gpus && a.speed_flops == b.speed_flops &&
         a.labs == b.labs && a.stations == b.stations && a.robots == b.robots && a.links == b.links &&
         a.link_bps == b.link_bps;
}

/// The days (0 <= day < days) on which some schedule the capacity depends on
/// may flip: every time a facility comes online or retires, an outage window
/// of a site, system, link, lab or station kind opens or closes, or a link
/// upgrade takes effect. A predicate "t >= T" (or "t < T") on day d, t = d
/// days, first changes on day ceil(T / day); the floor is added too.
std::vector<int> schedule_days(const Scenario& sc, int days) {
  std::vector<double> times;
  auto add_outages = [&times](const auto& outages) {
    for (const auto& o : outages) {
      times.push_back(o.from_s);
      times.push_back(o.to_s);
    }
  };
  for (const SiteSpec& site : sc.sites) add_outages(site.outages);
  for (const HpcSpec& h : sc.hpc) {
    times.push_back(h.online_from_s);
    times.push_back(h.offline_from_s);
    add_outages(h.outages);
  }
  for (const LinkSpec& l : sc.network.links) {
    times.push_back(l.availability.online_from_s);
    times.push_back(l.availability.offline_from_s);
    add_outages(l.availability.outages);
    for (const LinkUpgrade& u : l.upgrades) times.push_back(u.from_s);
  }
  for (const LabSpec& lab : sc.labs) {
    times.push_back(lab.online_from_s);
    times.push_back(lab.offline_from_s);
    add_outages(lab.outages);
    for (const lab::StationConfig& st : lab.stations) add_outages(st.outages);
  }
  std::vector<int> out{0};
  for (double t : times) {
    if (!std::isfinite(t)) continue;
    const double d = t / 86400.0;
    for (double k : {std::floor(d), std::ceil(d)}) {
      if (k > 0 && k < days) out.push_back(static_cast<int>(k));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// The inventory of every day of the horizon, kept where it changes: the
/// capacity is constant between the days of schedule_days, so only those are
/// evaluated (the same steps as evaluating every day; tests/twin compare the two).
std::vector<core::CapacityStep> capacity_steps(const Scenario& sc) {
  std::vector<core::CapacityStep> out;
  const int days = std::max(1, static_cast<int>(std::ceil(sc.horizon_s / 86400.0 - 1e-9)));
  for (int d : schedule_days(sc, days)) {
    core::CapacityStep c = capacity_on(sc, d);
    if (out.empty() || !same_capacity(out.back(), c)) out.push_back(c);
  }
  return out;
}

}  // namespace

core::ScenarioFacts scenario_facts(const Scenario& sc) {
  core::ScenarioFacts f;
  f.name = sc.name;
  f.file = sc.file;
  f.start_date = sc.start_date;
  f.seed = sc.seed;
  f.horizon_s = sc.horizon_s;
  f.replications = sc.replications;
  f.modes = sc.modes;
  f.discovery_definition = discovery_definition(sc);
  f.capacity = capacity_steps(sc);
  for (const auto& c : sc.campaigns) {
    core::CampaignFacts cf;
    cf.name = c.name;
    cf.kernel = c.kernel_label;
    if (c.target.top_percent) cf.target = "top " + g(*c.target.top_percent) + " % of the pool";
    else if (c.target.threshold) cf.target = "value past " + g(*c.target.threshold);
    cf.target += c.on_discovery == "next_problem" ? ", then the next problem" : ", every distinct candidate";
    // The preference lists, in order ("polybot, backup-lab"): every facility a campaign may use counts as used.
    cf.hpc = join(c.hpc_list.empty() ? std::vector<std::string>{c.hpc} : c.hpc_list);
    cf.lab = join(c.lab_list.empty() ? std::vector<std::string>{c.lab} : c.lab_list);
    cf.start_s = c.start_s;
    if (const HpcSpec* h = sc.hpc_system(c.hpc); h && h->price_per_node_hour_usd >= 0) cf.node_hour_usd = h->price_per_node_hour_usd;
    if (const LabSpec* l = sc.lab(c.lab); l && l->price_per_lab_hour_usd >= 0) cf.lab_hour_usd = l->price_per_lab_hour_usd;
    cf.closed_loop_from_s = c.closed_loop_from_s;
    cf.classification = core::to_string(c.classification);
    if (c.burst) cf.burst_to = c.burst->to;
    cf.policy["closed_loop"] = policy_text(c.closed_loop);
    cf.policy["baseline"] = policy_text(c.baseline);
    f.campaigns.push_back(cf);
    f.assumptions.emplace_back("campaign " + c.name + ", closed_loop agent", policy_text(c.closed_loop));
    f.assumptions.emplace_back("campaign " + c.name + ", baseline agent", policy_text(c.baseline));
    if (c.closed_loop_from_s > 0)
      f.assumptions.emplace_back("campaign " + c.name + ", adoption",
                                 "works as in baseline in every mode until day " + g(c.closed_loop_from_s / 86400.0) +
                                     " (closed_loop_from_day)");
    if (c.end_s < core::NEVER)
      f.assumptions.emplace_back("campaign " + c.name + ", end",
                                 "starts no cycle from day " + g(c.end_s / 86400.0) + " (end_day)");
    if (c.data_growth_percent > 0)
      f.assumptions.emplace_back("campaign " + c.name + ", data growth",
                                 "transfer sizes grow " + g(c.data_growth_percent) + " % per year from day 0");
  }
  for (const auto& l : sc.labs) {
    bool used = false;
    for (const auto& c : sc.campaigns) {
      const std::vector<std::string> labs = c.lab_list.empty() ? std::vector<std::string>{c.lab} : c.lab_list;
      used = used || std::find(labs.begin(), labs.end(), l.name) != labs.end();
    }
    if (used && l.technician_year_usd >= 0)
      f.people_usd_per_year = std::max(0.0, f.people_usd_per_year) + l.technicians * l.technician_year_usd;
  }
  if (f.priced())
    f.assumptions.emplace_back(
        "prices (cost per discovery in dollars)",
        "a campaign's node-hours at the price of its first HPC system, its lab-hours at its first lab's, wherever they "
        "ran; the technicians of the labs campaigns use: $" +
            g(std::max(0.0, f.people_usd_per_year)) + " a year, in every mode; an unpriced quantity counts nothing");
  for (const auto& l : sc.labs) {
    f.assumptions.emplace_back("lab " + l.name + " staffed hours (baseline steps, repairs)", staffed_text(l.staffed));
    const std::string adoption =
        l.autonomous_from_s > 0 ? "staffed hours until day " + g(l.autonomous_from_s / 86400.0) + " (autonomous_from_day), then " : "";
    f.assumptions.emplace_back("lab " + l.name + " in closed_loop", adoption + "robot steps 24/7; manual steps in staffed hours");
  }
  f.assumptions.emplace_back("HPC scheduling", "campaign jobs in each system's batch queue, priority 0");
  auto clear = [&f](const char* kind, const std::string& name, core::Label l) {
    f.clearances.push_back({kind, name, core::to_string(l)});
  };
  for (const auto& s : sc.sites) clear("site", s.name, s.clearance);
  for (const auto& h : sc.hpc) clear("hpc", h.name, h.clearance);
  for (const auto& c : sc.clouds) clear("cloud", c.name, c.clearance);
  for (const auto& l : sc.labs) clear("lab", l.name, l.clearance);
  for (const auto& s : sc.stores) clear("store", s.name, s.classification);
  for (const auto& l : sc.network.links) clear("link", l.name, l.clearance);
  for (const auto& c : sc.clouds) {
    f.clouds.push_back(c.name);
    f.assumptions.emplace_back("cloud " + c.name,
                               g(c.gpus) + " GPUs per instance at $" + g(c.price_per_gpu_hour_usd) +
                                   " per GPU-hour while running a job (provisioning, " +
                                   g(c.provisioning.mean() / 60.0, 3) + " min mean, not billed); quota " +
                                   std::to_string(c.quota_instances) + " instances");
  }
  for (const auto& st : sc.stores)
    for (const auto& d : st.datasets) {
      core::DatasetFacts x{d.name, st.name, st.site, core::to_string(d.classification), d.size_bytes, d.growth_bytes_per_year, {}};
      for (const auto& c : sc.campaigns) {
        if (std::find(c.datasets.begin(), c.datasets.end(), d.name) != c.datasets.end()) x.used_by.push_back(c.name);
        if (c.results_dataset == d.name) x.used_by.push_back(c.name + " (results)");
      }
      for (const auto& m : sc.models)
        if (std::find(m.train_datasets.begin(), m.train_datasets.end(), d.name) != m.train_datasets.end())
          x.used_by.push_back("model " + m.name);
      f.owner_labels.emplace_back("dataset:" + d.name, core::to_string(d.classification));
      f.datasets.push_back(std::move(x));
    }
  for (const auto& m : sc.models) {
    core::ModelFacts x;
    x.name = m.name;
    x.domain = m.domain;
    x.system = m.train_system;
    x.classification = core::to_string(m.label);
    x.datasets = m.train_datasets;
    x.gpu_hours = m.train_gpu_hours;
    x.flops = m.train_flops;
    x.nodes = m.train_nodes;
    std::string r;
    if (m.retrain_every_s > 0) r = "every " + g(m.retrain_every_s / 86400.0) + " days after the last training";
    if (m.retrain_after_results > 0)
      r += (r.empty() ? "" : ", or sooner ") + std::string("after ") + std::to_string(m.retrain_after_results) +
           " new lab results in its datasets";
    x.retrain = r.empty() ? "trained once" : r;
    x.error_sd = m.error_sd;
    x.alpha = m.alpha;
    for (const auto& c : sc.campaigns)
      for (core::Mode mode : core::ALL_MODES)
        if (c.agent(mode).surrogate_model == m.name) x.used_by.push_back(c.name + " (" + core::to_string(mode) + ")");
    f.owner_labels.emplace_back("model:" + m.name, x.classification);
    f.assumptions.emplace_back("model " + m.name,
                               "trained on " + m.train_system + " (" + std::to_string(m.train_nodes) + " nodes, " +
                                   (m.train_gpu_hours > 0 ? g(m.train_gpu_hours) + " GPU-hours" : g(m.train_flops) + " flop") +
                                   ") " + x.retrain + "; predictions are the truth plus a normal error of sd " +
                                   g(m.error_sd) + " x (training data / the first version's)^-" + g(m.alpha) +
                                   " in units of the sd of the problem's truth");
    f.models.push_back(std::move(x));
  }
  for (const auto& c : sc.campaigns)
    if (c.burst)
      f.assumptions.emplace_back("campaign " + c.name + ", bursting",
                                 "a screening job the queue of its HPC system would hold more than " +
                                     g(c.burst->when_queue_wait_s / 3600.0, 3) +
                                     " h (conservative-backfilling estimate from requested times) runs in cloud " +
                                     c.burst->to + ", at most " + std::to_string(c.burst->max_instances) +
                                     " instances at once; in every mode");
  return f;
}

}  // namespace twin
