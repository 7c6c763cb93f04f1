#include "twin/sim/Simulation.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>

#include <simgrid/s4u.hpp>

#include "agents/CampaignLoop.hpp"
#include "lab/RoboticLab.hpp"
#include "twin/OperatingMode.hpp"
#include "twin/core/Errors.hpp"
#include "twin/core/Log.hpp"
#include "twin/AccessRules.hpp"
#include "twin/sim/CloudService.hpp"
#include "twin/sim/DataService.hpp"
#include "twin/sim/ModelTrainer.hpp"
#include "twin/sim/HpcService.hpp"
#include "twin/sim/NetworkService.hpp"
#include "twin/sim/Platform.hpp"
#include "twin/sim/SimRuntime.hpp"

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(twin_run);

namespace twin::sim {

namespace sg4 = simgrid::s4u;

namespace {

/// The lab as the twin runs it: its planned windows, its random outages
/// (drawn from the lab's own stream, so both modes see the same) and its
/// site's windows, merged.
lab::LabConfig lab_config(const Scenario& sc, const LabSpec& spec, std::uint64_t seed) {
  lab::LabConfig c = spec;
  core::Uptime up = c.uptime();
  for (auto& o : core::random_outages(spec.mtbf_s, spec.repair_s, spec.online_from_s, sc.horizon_s,
                                      core::Rng::stream(seed, "lab." + spec.name + ".outages")))
    up.add(std::move(o));
  for (const auto& site : sc.sites)
    if (site.name == spec.site)
      for (const auto& o : site.outages) up.add(o);
  c.outages = up.outages;
  return c;
}

/// The HPC system as the twin runs it: its site's outage windows merged
/// into its own (the batch engine's hpc::Outage: sorted, disjoint).
HpcSpec hpc_with_site(const Scenario& sc, const HpcSpec& h) {
  HpcSpec out = h;
  core::Uptime up;
  for (const auto& o : h.outages) up.add(core::Outage{o.from_s, o.to_s, o.reason});
  for (const auto& site : sc.sites)
    if (site.name == h.site)
      for (const auto& o : site.outages) up.add(o);
  out.outages.clear();
  for (const auto& o : up.outages) out.outages.push_back(hpc::Outage{o.from_s, o.to_s, o.reason});
  return out;
}

/// Test only: TWIN_TEST_MISPLACE=1 counts every facility and link as
/// cleared for every campaign, so that the independent access check after
/// the run must find the placements the rules would have refused.
bool misplace_for_test() {
  const char* v = std::getenv("TWIN_TEST_MISPLACE");
  return v && std::strcmp(v, "1") == 0;
}

/// The access rules of a campaign's options (twin/AccessRules.hpp).
void clear_options(const Scenario& sc, const CampaignSpec& cp, agents::CampaignConfig& c) {
  const CampaignAccess a = campaign_access(sc, cp);
  c.label = cp.classification;
  c.hpc_cleared = a.hpc;
  c.lab_cleared = a.lab;
  c.store_cleared = a.store;
  c.not_cleared = std::string(core::to_string(cp.classification)) + (a.why.empty() ? "" : " (" + a.why + ")");
  if (cp.burst) {
    const CloudSpec* cloud = sc.cloud(cp.burst->to);
    agents::CampaignConfig::Burst b;
    b.when_queue_wait_s = cp.burst->when_queue_wait_s;
    b.max_instances = cp.burst->max_instances;
    b.name = cloud->name;
    b.site = cloud->site;
    b.provisioning_mean_s = cloud->provisioning.mean();
    b.cleared = a.cloud;
    c.burst = b;
  }
  if (misplace_for_test()) {
    c.label = core::Label::PUBLIC;
    c.hpc_cleared.assign(c.hpc_names.size(), true);
    c.lab_cleared.assign(c.lab_names.size(), true);
    c.store_cleared = true;
    if (c.burst) c.burst->cleared = true;
  }
}

agents::CampaignConfig campaign_config(const Scenario& sc, const CampaignSpec& cp, std::size_t index,
                                       const std::string& mode) {
  // The mode as its ingredients: each from the closed loop's or the baseline's spec.
  const unsigned ingredients = mode_ingredients(mode);
  // Before adoption (closed_loop_from_day) the campaign works as in baseline.
  const bool adopts_later = cp.closed_loop_from_s > 0 && (ingredients & ~bit(STAFFED_LAB)) != 0;
  const ModeAgentSpec m = mode_agent(cp, adopts_later ? 0u : ingredients);
  const LabSpec* lab = sc.lab(cp.lab);
  agents::CampaignConfig c;
  c.name = cp.name;
  c.index = static_cast<int>(index);
  c.kernel = cp.kernel;
  c.top_percent = cp.target.top_percent;
  c.threshold = cp.target.threshold;
  c.next_problem = cp.on_discovery == "next_problem";
  c.budget_experiments = cp.budget_experiments;
  static_cast<agents::AgentSettings&>(c) = m;
  if (adopts_later) c.adoption = std::make_pair(cp.closed_loop_from_s, agents::AgentSettings(mode_agent(cp, ingredients)));
  c.initial_experiments = cp.initial_experiments;
  c.end_s = cp.end_s;
  c.data_growth_per_year = cp.data_growth_percent / 100.0;
  c.people = sc.shift_of(lab->staffed, cp.home_site);
  c.staffed_lab = staffed_lab(ingredients);
  c.job_nodes = cp.job_nodes;
  c.job_priority = cp.job_priority;
  c.job_padding = cp.job_padding;
  c.sim_output_bytes = cp.sim_output_bytes;
  c.lab_output_bytes = cp.lab_output_bytes;
  c.recipe_bytes = cp.recipe_bytes;
  const std::vector<std::string> hpcs = cp.hpc_list.empty() ? std::vector<std::string>{cp.hpc} : cp.hpc_list;
  const std::vector<std::string> labs = cp.lab_list.empty() ? std::vector<std::string>{cp.lab} : cp.lab_list;
  for (const auto& h : hpcs) {
    c.hpc_names.push_back(h);
    c.hpc_sites.push_back(sc.hpc_system(h)->site);
  }
  for (const auto& l : labs) {
    c.lab_names.push_back(l);
    c.lab_sites.push_back(sc.lab(l)->site);
    c.lab_autonomous_from_s.push_back(sc.lab(l)->autonomous_from_s);
  }
  c.home_site = cp.home_site;
  for (const auto& s : sc.stores)
    if (s.name == cp.store) c.store_site = s.site;
  c.start_s = cp.start_s;
  c.datasets = cp.datasets;
  c.results_dataset = cp.results_dataset;
  clear_options(sc, cp, c);
  return c;
}


/// Test only: TWIN_TEST_LOSE=samples|transfers loses one item still in
/// flight at the horizon, so that its conservation check must fail.
bool lose_for_test(const char* what) {
  const char* v = std::getenv("TWIN_TEST_LOSE");
  return v && std::strcmp(v, what) == 0;
}

}  // namespace

core::SimResult run_simulation(const Scenario& sc, const std::string& mode, int replication,
                               const std::string& simgrid_cfg, const core::RecordOptions& record,
                               volatile double* clock_out, const std::vector<std::string>& log) {
  // SimGrid's own messages are silenced; the user's --log settings come after, so they win.
  std::vector<std::string> args = {"twin", "--log=root.thresh:critical"};
  for (const auto& l : log) args.push_back("--log=" + l);
  if (!simgrid_cfg.empty()) args.push_back("--cfg=" + simgrid_cfg);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  // The engine and everything the actors use live until the process ends:
  // actors still blocked at the horizon are never unwound.
  auto* engine = new sg4::Engine(&argc, argv.data());
  if (clock_out) sg4::Engine::on_time_advance_cb([clock_out](double) { *clock_out = sg4::Engine::get_clock(); });
  // Every instant at which something happens is counted; past the scenario's
  // limit the simulation stops (the exception leaves engine->run_until from
  // the maestro, and the child reports it), so that no scenario runs for days
  // or grows without bound.
  std::int64_t events = 0;
  sg4::Engine::on_time_advance_cb([&sc, &mode, replication, &events](double) {
    if (++events <= sc.limits.max_events) return;
    char day[64];
    std::snprintf(day, sizeof day, "%.3f", sg4::Engine::get_clock() / 86400.0);
    throw std::runtime_error(sc.file + ": /limits/max_events: the simulation (" + mode + ", replication " +
                             std::to_string(replication) + ") reached " + std::to_string(sc.limits.max_events) +
                             " simulated instants on day " + day + " of " +
                             std::to_string(static_cast<long long>(sc.horizon_s / 86400.0)) +
                             "; the scenario asks for more work than its limit: shorten the horizon, lengthen the "
                             "shortest steps, or raise /limits/max_events");
  });

  const std::uint64_t seed = core::replication_seed(sc.seed, replication);
  XBT_VERB("simulation %s, replication %d (seed %llu) starts: %.1f days", mode.c_str(), replication,
           static_cast<unsigned long long>(seed), sc.horizon_s / 86400.0);
  auto* platform = new Platform(sc);
  auto* recorder = new core::Recorder(record);
  auto* runtime = new SimRuntime(sc.horizon_s);
  auto* network = new NetworkService(sc, *platform, seed, recorder);
  std::map<std::string, HpcService*> hpcs;
  for (const auto& h : sc.hpc) {
    hpcs[h.name] = new HpcService(hpc_with_site(sc, h), platform->hpc(h.name), seed, sc.horizon_s, recorder);
    hpcs[h.name]->start(platform->svc(h.site));
  }
  std::map<std::string, lab::RoboticLab*> labs;
  for (const auto& l : sc.labs) labs[l.name] = new lab::RoboticLab(lab_config(sc, l, seed), seed, recorder);
  std::map<std::string, CloudService*> clouds;
  for (const auto& cl : sc.clouds) clouds[cl.name] = new CloudService(cl, seed, recorder);

  auto* data = new DataService(sc, *network, *runtime);
  std::map<std::string, core::ComputeService*> systems;
  for (const auto& [name, h] : hpcs) systems[name] = h;
  auto* trainer = new ModelTrainer(sc, *data, *runtime, systems);
  std::set<std::string> used_models;  // the models some campaign uses in this mode: only they are trained

  std::vector<agents::CampaignLoop*> loops;
  for (std::size_t i = 0; i < sc.campaigns.size(); ++i) {
    const auto& cp = sc.campaigns[i];
    agents::CampaignConfig cfg = campaign_config(sc, cp, i, mode);
    if (!cfg.surrogate_model.empty()) used_models.insert(cfg.surrogate_model);
    if (cfg.adoption && !cfg.adoption->second.surrogate_model.empty()) used_models.insert(cfg.adoption->second.surrogate_model);
    agents::CampaignServices svc{runtime, {}, network, {}, nullptr, data, trainer, recorder};
    for (const auto& h : cfg.hpc_names) svc.compute.push_back(hpcs.at(h));
    for (const auto& l : cfg.lab_names) svc.labs.push_back(labs.at(l));
    if (cp.burst) svc.cloud = clouds.at(cp.burst->to);
    auto* loop = new agents::CampaignLoop(std::move(cfg), svc, seed);
    loops.push_back(loop);
    sg4::Actor::create("agent." + cp.name, platform->svc(cp.home_site), [loop] { loop->run(); });
  }
  for (const auto& m : sc.models)
    if (used_models.count(m.name))
      sg4::Actor::create("model." + m.name, platform->svc(sc.hpc_system(m.train_system)->site),
                         [trainer, name = m.name] { trainer->run(name); });
  engine->run_until(sc.horizon_s);
  XBT_VERB("simulation %s, replication %d reached its horizon after %lld simulated instants", mode.c_str(),
           replication, static_cast<long long>(events));

  core::SimResult r;
  r.mode = mode;
  r.replication = replication;
  r.seed = seed;
  r.horizon_s = sc.horizon_s;
  for (auto* loop : loops) r.campaigns.push_back(loop->result());
  for (const auto& h : sc.hpc) {
    hpcs.at(h.name)->record_unfinished(sc.horizon_s);
    r.hpc.push_back(hpcs.at(h.name)->resource(sc.horizon_s));
    r.jobs += hpcs.at(h.name)->jobs();
  }
  if (lose_for_test("samples"))
    for (const auto& l : sc.labs)
      if (labs.at(l.name)->lose_sample_for_test()) break;
  if (lose_for_test("transfers")) network->lose_transfer_for_test();
  for (const auto& l : sc.labs) {
    labs.at(l.name)->record_in_flight(sc.horizon_s);
    r.labs.push_back(labs.at(l.name)->result(sc.horizon_s));
    r.samples += labs.at(l.name)->samples();
  }
  for (const auto& cl : sc.clouds) {
    clouds.at(cl.name)->record_unfinished();
    r.clouds.push_back(clouds.at(cl.name)->result());
    r.jobs += clouds.at(cl.name)->jobs();
  }
  r.links = network->resources(sc.horizon_s);
  r.datasets = data->datasets(sc.horizon_s);
  r.caches = data->caches();
  r.models = trainer->result();
  r.transfers = network->transfers();
  // What every facility held or carried, counted by itself (not by the
  // placement rules), for the independent access check.
  for (const auto& h : sc.hpc)
    for (auto& p : hpcs.at(h.name)->placements()) r.placements.push_back(std::move(p));
  for (const auto& cl : sc.clouds)
    for (auto& p : clouds.at(cl.name)->placements()) r.placements.push_back(std::move(p));
  for (const auto& l : sc.labs)
    for (auto& p : labs.at(l.name)->placements()) r.placements.push_back(std::move(p));
  for (auto& p : network->placements()) r.placements.push_back(std::move(p));
  // Every term is counted where it is: jobs by the batch engines
  // (HpcService::jobs()), samples in the labs' queues, stations and robots,
  // transfers among the network's active ones; so each balance is a check
  // that can fail.
  r.actors_started = runtime->actors_started() + static_cast<std::int64_t>(loops.size());
  r.log = recorder->take();
  return r;
}

}  // namespace twin::sim
