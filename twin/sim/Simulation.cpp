#include "twin/sim/Simulation.hpp"

#include <memory>

#include <simgrid/s4u.hpp>

#include "agents/CampaignLoop.hpp"
#include "lab/RoboticLab.hpp"
#include "twin/core/Errors.hpp"
#include "twin/core/Log.hpp"
#include "twin/sim/HpcService.hpp"
#include "twin/sim/NetworkService.hpp"
#include "twin/sim/Platform.hpp"
#include "twin/sim/SimRuntime.hpp"

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(twin_run);

namespace twin::sim {

namespace sg4 = simgrid::s4u;

namespace {

agents::CampaignConfig campaign_config(const Scenario& sc, const CampaignSpec& cp, std::size_t index,
                                       core::Mode mode) {
  const ModeAgentSpec& m = cp.agent(mode);
  const LabSpec* lab = sc.lab(cp.lab);
  const HpcSpec* hpc = sc.hpc_system(cp.hpc);
  agents::CampaignConfig c;
  c.name = cp.name;
  c.index = static_cast<int>(index);
  c.kernel = cp.kernel;
  c.top_percent = cp.target.top_percent;
  c.threshold = cp.target.threshold;
  c.next_problem = cp.on_discovery == "next_problem";
  c.budget_experiments = cp.budget_experiments;
  c.policy = m.policy;
  c.policy_params = m.policy_params;
  c.batch = m.batch;
  c.screen = m.screen;
  c.initial_experiments = cp.initial_experiments;
  c.cadence_s = m.cadence_s;
  c.decision_s = m.decision_s;
  c.staffed_decisions = m.staffed_decisions;
  c.handoff_s = m.handoff_s;
  c.people = sc.shift_of(lab->staffed, cp.home_site);
  c.staffed_lab = mode == core::Mode::BASELINE;
  c.job_nodes = cp.job_nodes;
  c.job_priority = cp.job_priority;
  c.job_padding = cp.job_padding;
  c.sim_output_bytes = cp.sim_output_bytes;
  c.lab_output_bytes = cp.lab_output_bytes;
  c.recipe_bytes = cp.recipe_bytes;
  c.hpc_site = hpc->site;
  c.lab_site = lab->site;
  c.home_site = cp.home_site;
  for (const auto& s : sc.stores)
    if (s.name == cp.store) c.store_site = s.site;
  c.start_s = cp.start_s;
  return c;
}

void finish_conservation(core::Conservation& c) { c.in_flight = c.created - c.finished - c.failed - c.discarded; }

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

  const std::uint64_t seed = core::replication_seed(sc.seed, replication);
  XBT_VERB("simulation %s, replication %d (seed %llu) starts: %.1f days", mode.c_str(), replication,
           static_cast<unsigned long long>(seed), sc.horizon_s / 86400.0);
  auto* platform = new Platform(sc);
  auto* recorder = new core::Recorder(record);
  auto* runtime = new SimRuntime(sc.horizon_s);
  auto* network = new NetworkService(sc, *platform, recorder);
  std::map<std::string, HpcService*> hpcs;
  for (const auto& h : sc.hpc) {
    hpcs[h.name] = new HpcService(h, platform->hpc(h.name), seed, sc.horizon_s, recorder);
    hpcs[h.name]->start(platform->svc(h.site));
  }
  std::map<std::string, lab::RoboticLab*> labs;
  for (const auto& l : sc.labs) labs[l.name] = new lab::RoboticLab(l, seed, recorder);

  std::vector<agents::CampaignLoop*> loops;
  for (std::size_t i = 0; i < sc.campaigns.size(); ++i) {
    const auto& cp = sc.campaigns[i];
    agents::CampaignServices svc{runtime, hpcs.at(cp.hpc), network, labs.at(cp.lab), recorder};
    auto* loop = new agents::CampaignLoop(campaign_config(sc, cp, i, *core::mode_from_string(mode)), svc, seed);
    loops.push_back(loop);
    sg4::Actor::create("agent." + cp.name, platform->svc(cp.home_site), [loop] { loop->run(); });
  }
  engine->run_until(sc.horizon_s);
  XBT_VERB("simulation %s, replication %d reached its horizon", mode.c_str(), replication);

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
  for (const auto& l : sc.labs) {
    labs.at(l.name)->record_in_flight(sc.horizon_s);
    r.labs.push_back(labs.at(l.name)->result(sc.horizon_s));
    r.samples += labs.at(l.name)->samples();
  }
  r.links = network->resources(sc.horizon_s);
  r.transfers = network->transfers();
  // Jobs: in_flight counted by the batch engines (HpcService::jobs()).
  finish_conservation(r.samples);
  finish_conservation(r.transfers);
  TWIN_ASSERT(r.jobs.in_flight >= 0 && r.samples.in_flight >= 0 && r.transfers.in_flight >= 0,
              "more items ended than were created");
  r.actors_started = runtime->actors_started() + static_cast<std::int64_t>(loops.size());
  r.log = recorder->take();
  return r;
}

}  // namespace twin::sim
