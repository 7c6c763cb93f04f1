#include "agents/CampaignLoop.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "agents/SpaceTools.hpp"
#include "twin/core/Log.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(twin_agents_campaign, twin_agents, "the campaign loop: each cycle's decisions");

namespace twin::agents {

namespace {
const std::uint64_t NATURE = core::stable_hash("nature");
const std::uint64_t LAB_SAMPLE = core::stable_hash("lab-sample");
const std::uint64_t INSTANCE = core::stable_hash("problem-instance");
const std::uint64_t MODEL_ERROR = core::stable_hash("model-error");
const std::uint64_t TRUTH_SCALE = core::stable_hash("truth-scale");
constexpr int SCALE_POINTS = 256;  ///< design points the truth's spread is measured on (box spaces)

/// A candidate's id: its pool row, or the hash of its parameters.
std::string candidate_id(const models::Candidate& c) {
  if (c.pool_index >= 0) return std::to_string(c.pool_index);
  char buf[24];
  std::snprintf(buf, sizeof buf, "x%016llx", static_cast<unsigned long long>(c.key()));
  return buf;
}
constexpr double YEAR_S = 365.25 * 86400.0;
}  // namespace

CampaignLoop::CampaignLoop(CampaignConfig config, CampaignServices services, std::uint64_t seed)
    : cfg_(std::move(config)),
      svc_(services),
      seed_(seed),
      rng_(core::Rng::stream(seed, "agent." + cfg_.name)) {
  result_.name = cfg_.name;
  models::prepare_kernel(cfg_.kernel);  // a pool's tables read once, not at every problem
}

double CampaignLoop::better(double a, double b) const {
  return kernel_->goal() == models::Goal::MINIMIZE ? std::min(a, b) : std::max(a, b);
}

void CampaignLoop::start_problem() {
  ++problem_;
  // The problem's instance is keyed by (seed, campaign, problem): the same in both modes.
  const std::uint64_t instance = core::mix_seed(
      core::mix_seed(core::mix_seed(seed_, INSTANCE), static_cast<std::uint64_t>(cfg_.index)),
      static_cast<std::uint64_t>(problem_));
  kernel_ = models::make_kernel(cfg_.kernel, problem_, instance);
  policy_ = make_policy(cfg_.policy, cfg_.policy_params);
  lab_observations_.clear();
  lab_values_ = 0;
  measured_.clear();
  tried_.clear();
  discovered_.clear();
  top_rows_.clear();
  truth_scale_ = -1;
  if (cfg_.top_percent && kernel_->space().is_pool()) {
    const std::vector<double> truths = kernel_->pool_truths();
    std::vector<std::size_t> order(truths.size());
    std::iota(order.begin(), order.end(), 0);
    const bool minimize = kernel_->goal() == models::Goal::MINIMIZE;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return minimize ? truths[a] < truths[b] : truths[a] > truths[b];
    });
    const auto k = static_cast<std::size_t>(std::ceil(*cfg_.top_percent / 100.0 * static_cast<double>(truths.size())));
    for (std::size_t i = 0; i < k && i < order.size(); ++i) top_rows_.insert(static_cast<std::int64_t>(order[i]));
  }
  result_.problems++;
}

void CampaignLoop::adopt() {
  static_cast<AgentSettings&>(cfg_) = cfg_.adoption->second;
  cfg_.adoption.reset();
  policy_ = make_policy(cfg_.policy, cfg_.policy_params);
  XBT_VERB("campaign %s adopts the closed loop at %.0f s: %s, batch %d", cfg_.name.c_str(), svc_.runtime->now(),
           cfg_.policy.c_str(), cfg_.batch);
}

double CampaignLoop::grown(double bytes) const {
  if (cfg_.data_growth_per_year == 0) return bytes;
  return bytes * std::pow(1.0 + cfg_.data_growth_per_year, svc_.runtime->now() / YEAR_S);
}

bool CampaignLoop::is_discovery(const models::Candidate& c, double measured) const {
  if (cfg_.top_percent) return top_rows_.count(c.pool_index) > 0;
  if (cfg_.threshold) {
    return kernel_->goal() == models::Goal::MINIMIZE ? measured <= *cfg_.threshold : measured >= *cfg_.threshold;
  }
  return false;
}

void CampaignLoop::wait_for_people(double& people_s) {
  core::Runtime& rt = *svc_.runtime;
  const double t0 = rt.now();
  if (cfg_.staffed_decisions) rt.sleep_until(std::min(cfg_.people.next_staffed(rt.now()), rt.horizon()));
  people_s += rt.now() - t0;
}

void CampaignLoop::stage(const char* stage, const std::string& what, double t0, double t1) {
  if (!(t1 > t0)) return;
  if (result_.cycles < core::GANTT_CYCLES) result_.first_cycles.push_back({result_.cycles, stage, t0, t1});
  if (cycle_ && tracking()) cycle_->steps.push_back({stage, what, t0, t1});
  if (svc_.recorder && svc_.recorder->tracing()) svc_.recorder->span("agent/" + cfg_.name, what, stage, t0, t1);
}

template <class F>
void CampaignLoop::timed(const char* stage_name, const std::string& what, double& bucket, F&& body) {
  core::Runtime& rt = *svc_.runtime;
  const double t0 = rt.now();
  body();
  bucket += rt.now() - t0;
  stage(stage_name, what, t0, rt.now());
}

void CampaignLoop::handoff(Cycle& cy, bool staffed) {
  core::Runtime& rt = *svc_.runtime;
  const double t0 = rt.now();
  const double d = cfg_.handoff_s.sample(rng_);
  if (d > 0) rt.sleep_until(rt.now() + d);
  cy.times.people_s += rt.now() - t0;
  if (staffed) wait_for_people(cy.times.people_s);
  stage("people", "hand-off", t0, rt.now());
}

void CampaignLoop::attribute(double t0, std::initializer_list<Part> waits, const char* run_stage,
                             const char* run_what, double* run_bucket) {
  const double now = svc_.runtime->now();
  double left = now - t0;
  double at = t0;
  for (const Part& p : waits) {
    const double d = std::min(left, p.want_s);
    *p.bucket += d;
    stage(p.stage, p.what, at, at + d);
    at = at + d;
    left = left - d;
  }
  *run_bucket += left;
  stage(run_stage, run_what, at, now);
}

std::uint64_t CampaignLoop::lab_measurements(const models::Candidate& c) const {
  auto it = measured_.find({c.pool_index, c.x});
  return it == measured_.end() ? 0 : it->second;
}

namespace {
/// The item of a phase that ended last: it sets the phase's pace.
template <class T>
std::size_t critical(const std::vector<T>& items) {
  std::size_t crit = 0;
  for (std::size_t i = 1; i < items.size(); ++i)
    if (items[i].end_s > items[crit].end_s) crit = i;
  return crit;
}
}  // namespace

// 1. The next planning meeting, with people at work.
CampaignLoop::Next CampaignLoop::meet(Cycle& cy) {
  core::Runtime& rt = *svc_.runtime;
  const double t0 = rt.now();
  if (cfg_.adoption && rt.now() >= cfg_.adoption->first) adopt();
  while (cfg_.cadence_s > 0) {
    const double since = rt.now() - cfg_.start_s;
    const double meeting = cfg_.start_s + std::ceil(since / cfg_.cadence_s) * cfg_.cadence_s;
    // Adopted before the meeting: the closed loop's own pace from that day.
    const bool adopts_first = cfg_.adoption && cfg_.adoption->first < meeting;
    rt.sleep_until(std::min(adopts_first ? cfg_.adoption->first : meeting, rt.horizon()));
    if (!adopts_first || rt.now() >= rt.horizon()) break;
    adopt();
  }
  cy.times.people_s += rt.now() - t0;
  wait_for_people(cy.times.people_s);
  stage("people", "waiting for the meeting and people", t0, rt.now());
  return rt.now() >= rt.horizon() ? Next::END : Next::PHASE;
}

CampaignLoop::Next CampaignLoop::choose(bool need_hpc, bool need_lab) {
  core::Runtime& rt = *svc_.runtime;
  double t = rt.now();
  for (;;) {
    bool hpc_up = !need_hpc, lab_up = !need_lab;
    // An option not cleared for the label is never chosen; one that is up
    // ahead of the chosen one in the preference list is a refusal.
    bool refused = false;
    for (std::size_t i = 0; need_hpc && i < svc_.compute.size() && !hpc_up; ++i)
      if (svc_.compute[i]->up_at(t)) {
        if (!hpc_cleared(i)) {
          refused = true;
          continue;
        }
        hpc_ = i;
        hpc_up = true;
      }
    for (std::size_t i = 0; need_lab && i < svc_.labs.size() && !lab_up; ++i)
      if (svc_.labs[i]->up_at(t) && svc_.network->route_up_at(cfg_.home_site, cfg_.lab_sites[i], t, cfg_.label)) {
        if (!lab_cleared(i)) {
          refused = true;
          continue;
        }
        lab_ = i;
        lab_up = true;
      }
    if (refused) result_.access.placement_refusals++;
    if (hpc_up && lab_up) return Next::PHASE;
    // Nothing usable now: the earliest time each missing kind may be back.
    double when = t;
    std::string why;
    bool rules = false;  // nothing cleared is ever up again, though something else may be
    if (!hpc_up) {
      double next = core::NEVER;
      bool any = false;
      for (std::size_t i = 0; i < svc_.compute.size(); ++i)
        if (hpc_cleared(i)) {
          next = std::min(next, svc_.compute[i]->next_up(t));
          any = true;
        }
      when = std::max(when, next);
      if (next == core::NEVER) {
        why = any ? "no HPC system it may use is ever up again" : "no HPC system it may use is cleared for " + cfg_.not_cleared;
        rules = !any;
      }
    }
    if (!lab_up) {
      double next = core::NEVER;
      bool any = false;
      for (std::size_t i = 0; i < svc_.labs.size(); ++i)
        if (lab_cleared(i)) {
          next = std::min(next, std::max(svc_.labs[i]->next_up(t),
                                         svc_.network->route_next_up(cfg_.home_site, cfg_.lab_sites[i], t, cfg_.label)));
          any = true;
        }
      when = std::max(when, next);
      if (next == core::NEVER) {
        const std::string lab_why = any ? "no lab it may use is ever up again" : "no lab it may use is cleared for " + cfg_.not_cleared;
        why = why.empty() ? lab_why : why + "; " + lab_why;
        rules = rules || !any;
      }
    }
    if (when == core::NEVER) {
      result_.stopped_s = rt.now();
      result_.stop_reason = why;
      // A stop for want of a cleared facility costs the rest of the run.
      if (rules) {
        result_.access.stopped = true;
        result_.access.placement_wait_s += rt.horizon() - rt.now();
      }
      XBT_VERB("campaign %s stops at %.0f s: %s", cfg_.name.c_str(), rt.now(), why.c_str());
      return Next::END;
    }
    // Wait without simulated activity: one sleep until something may be back.
    const double t0 = rt.now();
    rt.sleep_until(std::min(when, rt.horizon()));
    if (refused) result_.access.placement_wait_s += rt.now() - t0;  // an uncleared option was up meanwhile
    if (rt.now() >= rt.horizon()) return Next::END;
    t = std::max(rt.now(), when);  // a timed wake-up may land an ulp short
  }
}

void CampaignLoop::move(Cycle& cy, const char* what, const std::string& from, const std::string& to, double bytes) {
  const core::TransferOutcome o = svc_.network->transfer(from, to, bytes, {cfg_.name, cfg_.label});
  if (tracking()) cy.transfers.push_back({o.id, what, bytes, o.links});
  if (o.refused) result_.access.transfer_refusals++;
  if (o.rerouted) {
    result_.access.reroutes++;
    result_.access.reroute_s += o.reroute_extra_s;
  }
}

// 2. Decide: the policy learns from lab measurements (the truth it is judged
// on); simulations serve the screening step.
CampaignLoop::Next CampaignLoop::decide(Cycle& cy, Policy& random_policy) {
  core::Runtime& rt = *svc_.runtime;
  cy.n_lab = cfg_.batch;
  if (cfg_.budget_experiments > 0)
    cy.n_lab = static_cast<int>(std::min<std::int64_t>(cy.n_lab, cfg_.budget_experiments - result_.experiments));
  // A surrogate with a trained version ranks more candidates than the simulations could.
  if (!cfg_.surrogate_model.empty() && svc_.models) cy.model = svc_.models->current(cfg_.surrogate_model);
  const int n_propose = cy.model.version > 0 ? cfg_.surrogate_candidates : cfg_.screen > 0 ? cfg_.screen : cy.n_lab;
  Policy& chooser = lab_values_ < cfg_.initial_experiments ? random_policy : *policy_;
  PolicyContext ctx{&kernel_->space(), kernel_->goal(), &tried_};
  cy.proposals = chooser.propose(ctx, lab_observations_, n_propose, rng_);
  XBT_VERB("campaign %s, cycle %lld: %s proposes %zu candidate%s %s", cfg_.name.c_str(),
           static_cast<long long>(result_.cycles), chooser.name().c_str(), cy.proposals.size(),
           cy.proposals.size() == 1 ? "" : "s", cfg_.screen > 0 ? "to screen by simulation" : "for the lab");
  if (cy.proposals.empty()) {
    if (cfg_.next_problem) {
      start_problem();
      return Next::CYCLE;
    }
    XBT_VERB("campaign %s: the design space is exhausted; the campaign stops", cfg_.name.c_str());
    idle_ = true;  // the design space is exhausted
    return Next::END;
  }
  timed("agent", chooser.name(), cy.times.agent_s, [&] {
    rt.compute(chooser.last_flops());
    const double analysis = cfg_.decision_s.sample(rng_);
    if (analysis > 0) rt.sleep_until(rt.now() + analysis);
  });
  for (const auto& c : cy.proposals) tried_.push_back(c);
  cy.chosen = cy.proposals;
  cy.decided_s = rt.now();
  cy.policy = chooser.name();
  return Next::PHASE;
}

void CampaignLoop::stage_data(Cycle& cy) {
  if (cfg_.datasets.empty() || !svc_.data) return;
  core::Runtime& rt = *svc_.runtime;
  const double t0 = rt.now();
  std::vector<core::StageOutcome> outs(cfg_.datasets.size());
  std::vector<std::function<void()>> tasks;
  for (std::size_t i = 0; i < cfg_.datasets.size(); ++i)
    tasks.emplace_back([this, &outs, i] { outs[i] = svc_.data->stage(cfg_.datasets[i], cfg_.hpc_names[hpc_]); });
  rt.run_parallel(std::move(tasks));
  for (std::size_t i = 0; i < outs.size(); ++i) {
    const auto& o = outs[i];
    result_.data.stagings++;
    if (o.hit) result_.data.hits++;
    result_.data.staged_bytes += o.bytes;
    if (tracking())
      for (std::int64_t id : o.transfers)  // one per stream, each an equal share
        cy.transfers.push_back({id, "dataset " + cfg_.datasets[i], o.bytes / static_cast<double>(o.transfers.size()), o.links});
  }
  const double d = rt.now() - t0;
  result_.data.staging_s += d;
  cy.times.transfer_s += d;
  stage("transfer", "staging datasets", t0, rt.now());
}

double CampaignLoop::truth_scale() {
  if (truth_scale_ >= 0) return truth_scale_;
  std::vector<double> v;
  if (kernel_->space().is_pool()) {
    v = kernel_->pool_truths();
  } else {
    // A fixed sample of the space, from a stream of its own (the agent's draws are untouched).
    core::Rng r = core::Rng::keyed(seed_, {TRUTH_SCALE, static_cast<std::uint64_t>(cfg_.index), static_cast<std::uint64_t>(problem_)});
    for (int i = 0; i < SCALE_POINTS; ++i) v.push_back(kernel_->truth(random_box_point(kernel_->space(), r)));
  }
  double mean = 0, ss = 0;
  for (double x : v) mean += x;
  mean /= std::max<std::size_t>(1, v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  truth_scale_ = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return truth_scale_;
}

CampaignLoop::Next CampaignLoop::rank_by_model(Cycle& cy, std::vector<models::Candidate>& to_simulate) {
  core::Runtime& rt = *svc_.runtime;
  const std::vector<models::Candidate>& proposals = cy.proposals;
  core::ComputeRequest req;
  req.owner = cfg_.name;
  req.flops = cy.model.inference_flops_per_candidate * static_cast<double>(proposals.size());
  req.nodes = cfg_.job_nodes;
  req.priority = cfg_.job_priority;
  req.requested_s = cfg_.job_padding * req.flops / (cfg_.job_nodes * svc_.compute[hpc_]->node_speed_flops());
  const double t0 = rt.now();
  const core::ComputeOutcome o = svc_.compute[hpc_]->run_job(req);
  if (rt.now() >= rt.horizon()) return Next::END;
  attribute(t0, {{"hpc_queue", "model inference: waiting in the batch queue", &cy.times.hpc_queue_s,
                  o.start_s - o.submit_s + o.hold_s}},
            "hpc_run", "model inference running", &cy.times.hpc_run_s);
  result_.node_hours += o.node_hours;
  result_.energy_j += o.energy_j;
  result_.data.inference_jobs++;
  result_.data.inference_node_hours += o.node_hours;
  if (svc_.models) svc_.models->inferred(cfg_.surrogate_model, cfg_.name, static_cast<std::int64_t>(proposals.size()),
                                         o.node_hours, o.energy_j);
  cy.inference_system = cfg_.hpc_names[hpc_];
  cy.inference_job = o.job_id;
  // A failed inference job ranks nothing: the proposals go on as they are.
  std::vector<std::pair<double, std::size_t>> ranked;
  if (o.ok) {
    result_.data.ranked += static_cast<std::int64_t>(proposals.size());
    // The model's prediction: the truth plus its version's error (keyed by the
    // version and the candidate, the same in every mode).
    const double sd = cy.model.error_sd * truth_scale();
    const std::uint64_t model_key = core::stable_hash(cfg_.surrogate_model);
    for (std::size_t i = 0; i < proposals.size(); ++i) {
      core::Rng e = core::Rng::keyed(seed_, {MODEL_ERROR, model_key, static_cast<std::uint64_t>(cy.model.version),
                                             static_cast<std::uint64_t>(cfg_.index),
                                             static_cast<std::uint64_t>(problem_), proposals[i].key()});
      const double p = kernel_->truth(proposals[i]) + sd * e.normal();
      ranked.emplace_back(kernel_->goal() == models::Goal::MINIMIZE ? p : -p, i);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  } else {
    for (std::size_t i = 0; i < proposals.size(); ++i) ranked.emplace_back(0.0, i);
  }
  const int n_sim = cfg_.surrogate_simulate;
  const int keep = n_sim > 0 ? n_sim : cy.n_lab;
  std::vector<models::Candidate> best;
  for (const auto& [score, i] : ranked) {
    if (static_cast<int>(best.size()) >= keep) break;
    best.push_back(proposals[i]);
  }
  XBT_VERB("campaign %s: model %s v%d ranked %zu candidates, %zu go on to %s", cfg_.name.c_str(),
           cfg_.surrogate_model.c_str(), cy.model.version, proposals.size(), best.size(),
           n_sim > 0 ? "simulation" : "the lab");
  if (n_sim > 0) to_simulate = std::move(best);
  else cy.chosen = std::move(best);
  return Next::PHASE;
}

// 3. Screening: one HPC simulation per proposal; the best predicted go to the lab.
CampaignLoop::Next CampaignLoop::screen(Cycle& cy) {
  const bool model = cy.model.version > 0;
  const int n_sim = model ? cfg_.surrogate_simulate : cfg_.screen;
  if (!model && n_sim <= 0) return Next::PHASE;
  core::Runtime& rt = *svc_.runtime;
  std::vector<models::Candidate> to_simulate = cy.proposals;
  if (n_sim > 0) stage_data(cy);  // the simulations need the data where they run
  if (rt.now() >= rt.horizon()) return Next::END;
  if (model) {
    result_.data.model_cycles++;
    if (rank_by_model(cy, to_simulate) == Next::END) return Next::END;
    if (n_sim <= 0) {
      // The model chose the lab's batch: people hand it on as after a screening.
      handoff(cy, true);
      if (cy.chosen.empty() || rt.now() >= rt.horizon()) return Next::CYCLE;
      return Next::PHASE;
    }
  }
  const std::vector<models::Candidate>& proposals = to_simulate;
  const double t0 = rt.now();
  std::vector<core::ComputeOutcome> outcomes(proposals.size());
  // Bursting: per job, whether it went to the cloud (and the queue wait
  // estimated when it was sent), or would have but the cloud is not cleared.
  std::vector<char> on_cloud(proposals.size(), 0), refused(proposals.size(), 0);
  std::vector<double> estimated(proposals.size(), 0.0);
  std::vector<std::function<void()>> tasks;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    tasks.emplace_back([&, i] {
      core::ComputeRequest req;
      req.owner = cfg_.name;
      req.flops = kernel_->simulation_flops(proposals[i]);
      req.nodes = cfg_.job_nodes;
      req.priority = cfg_.job_priority;
      req.requested_s = cfg_.job_padding * req.flops / (cfg_.job_nodes * svc_.compute[hpc_]->node_speed_flops());
      if (cfg_.burst && svc_.cloud) {
        const double wait = svc_.compute[hpc_]->estimated_wait_s(req);
        if (wait > cfg_.burst->when_queue_wait_s) {
          if (!cfg_.burst->cleared) {
            refused[i] = 1;
          } else if (cloud_instances_ + req.nodes <= cfg_.burst->max_instances) {
            on_cloud[i] = 1;
            estimated[i] = wait;
          }
        }
      }
      if (!on_cloud[i]) {
        outcomes[i] = svc_.compute[hpc_]->run_job(req);
        return;
      }
      cloud_instances_ += req.nodes;
      outcomes[i] = svc_.cloud->run_job(req);
      cloud_instances_ -= req.nodes;
    });
  }
  rt.run_parallel(std::move(tasks));
  if (rt.now() >= rt.horizon()) return Next::END;
  const core::ComputeOutcome& crit = outcomes[critical(outcomes)];
  attribute(t0, {{"hpc_queue", "screening: waiting in the batch queue", &cy.times.hpc_queue_s,
                  crit.start_s - crit.submit_s + crit.hold_s}},
            "hpc_run", "screening: simulations running", &cy.times.hpc_run_s);
  std::size_t n_cloud = 0;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const auto& o = outcomes[i];
    const double waited = o.start_s - o.submit_s + o.hold_s;
    if (refused[i]) {
      result_.access.burst_refusals++;
      result_.access.burst_refusal_s += std::max(0.0, waited - cfg_.burst->provisioning_mean_s);
    }
    if (!on_cloud[i]) continue;
    ++n_cloud;
    core::BurstSim& b = result_.burst;
    b.jobs++;
    b.usd += o.usd;
    b.gpu_hours += o.gpu_hours;
    b.energy_j += o.energy_j;
    b.provisioning_s += waited;
    b.queue_saved_s += estimated[i] - waited;
  }
  std::vector<std::pair<double, std::size_t>> ranked;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const auto& o = outcomes[i];
    result_.simulations++;
    result_.node_hours += o.node_hours;
    result_.energy_j += o.energy_j;
    if (!o.ok) {
      result_.failed_simulations++;
      continue;
    }
    const double v = kernel_->simulate(proposals[i]);
    ranked.emplace_back(kernel_->goal() == models::Goal::MINIMIZE ? v : -v, i);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  cy.chosen.clear();
  cy.chosen_jobs.clear();
  for (const auto& [score, i] : ranked) {
    if (static_cast<int>(cy.chosen.size()) >= cy.n_lab) break;
    cy.chosen.push_back(proposals[i]);
    if (tracking()) cy.chosen_jobs.emplace_back(on_cloud[i] ? cfg_.burst->name : cfg_.hpc_names[hpc_], outcomes[i].job_id);
  }
  XBT_VERB("campaign %s: screened %zu by simulation (%zu failed), %zu chosen for the lab", cfg_.name.c_str(),
           proposals.size(), proposals.size() - ranked.size(), cy.chosen.size());
  // Simulation outputs travel to the campaign's home; people hand them on.
  timed("transfer", "simulation outputs home", cy.times.transfer_s, [&] {
    const std::size_t n_hpc = proposals.size() - n_cloud;
    if (n_hpc > 0 || n_cloud == 0)
      move(cy, "simulation outputs", cfg_.hpc_sites[hpc_], cfg_.home_site,
           grown(cfg_.sim_output_bytes) * static_cast<double>(n_hpc));
    if (n_cloud > 0)
      move(cy, "simulation outputs", cfg_.burst->site, cfg_.home_site,
           grown(cfg_.sim_output_bytes) * static_cast<double>(n_cloud));
  });
  handoff(cy, true);
  if (cy.chosen.empty() || rt.now() >= rt.horizon()) return Next::CYCLE;
  return Next::PHASE;
}

// 4. The lab: recipes out, samples through stations, data back.
CampaignLoop::Next CampaignLoop::run_lab(Cycle& cy) {
  core::Runtime& rt = *svc_.runtime;
  const std::vector<models::Candidate>& chosen = cy.chosen;
  // The lab chosen at the start of the cycle may have gone down since.
  if (choose(false, true) == Next::END) return Next::END;
  timed("transfer", "recipes to the lab", cy.times.transfer_s, [&] {
    move(cy, "recipes", cfg_.home_site, cfg_.lab_sites[lab_], grown(cfg_.recipe_bytes) * static_cast<double>(chosen.size()));
  });
  const double t0 = rt.now();
  cy.results.assign(chosen.size(), core::ExperimentResult{});
  std::vector<std::function<void()>> tasks;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const models::Candidate& c = chosen[i];
    const std::uint64_t k = lab_measurements(c);
    core::ExperimentRequest req;
    req.owner = cfg_.name;
    req.key = core::mix_seed(core::mix_seed(LAB_SAMPLE, static_cast<std::uint64_t>(cfg_.index)),
                             core::mix_seed(static_cast<std::uint64_t>(problem_), core::mix_seed(c.key(), k)));
    // A lab not yet autonomous works staffed hours in every mode.
    req.staffed_only = cfg_.staffed_lab || (lab_ < cfg_.lab_autonomous_from_s.size() && rt.now() < cfg_.lab_autonomous_from_s[lab_]);
    const int problem = problem_;
    req.measure = [this, c, k, problem] {
      core::Rng noise = core::Rng::keyed(
          seed_, {NATURE, static_cast<std::uint64_t>(cfg_.index), static_cast<std::uint64_t>(problem), c.key(), k});
      return kernel_->truth(c) + kernel_->lab_noise_sd() * noise.normal();
    };
    tasks.emplace_back([this, &cy, i, req = std::move(req)] { cy.results[i] = svc_.labs[lab_]->run_experiment(req); });
  }
  rt.run_parallel(std::move(tasks));
  if (rt.now() >= rt.horizon()) return Next::END;
  // The critical sample's waits, then its runs (the lab interleaves them).
  const core::ExperimentResult& crit = cy.results[critical(cy.results)];
  attribute(t0,
            {{"lab_queue", "lab: waiting for stations and robots", &cy.times.lab_queue_s, crit.queue_s + crit.hold_s},
             {"people", "lab: waiting for a technician", &cy.times.people_s, crit.people_s}},
            "lab_run", "lab: samples in stations and robots", &cy.times.lab_run_s);
  timed("transfer", "lab data home", cy.times.transfer_s, [&] {
    const double bytes = grown(cfg_.lab_output_bytes) * static_cast<double>(chosen.size());
    move(cy, "lab data", cfg_.lab_sites[lab_], cfg_.home_site, bytes);
    if (!cfg_.store_site.empty()) {
      if (cfg_.store_cleared) {
        move(cy, "store copy", cfg_.lab_sites[lab_], cfg_.store_site, bytes);
        // The results land in the campaign's dataset, which grows by them.
        if (!cfg_.results_dataset.empty() && svc_.data) {
          std::int64_t n = 0;
          for (const auto& r : cy.results) n += r.value.has_value() ? 1 : 0;
          svc_.data->append(cfg_.results_dataset, bytes, n);
        }
      } else {
        result_.access.transfer_refusals++;  // the store may not hold the label: no copy
      }
    }
  });
  handoff(cy, false);
  return rt.now() >= rt.horizon() ? Next::END : Next::PHASE;
}

// 5. Learn and count.
void CampaignLoop::learn(Cycle& cy) {
  core::Runtime& rt = *svc_.runtime;
  bool found = false;
  for (std::size_t i = 0; i < cy.chosen.size(); ++i) {
    const models::Candidate& c = cy.chosen[i];
    const auto& r = cy.results[i];
    result_.experiments++;
    measured_[{c.pool_index, c.x}]++;
    bool new_discovery = false;
    core::ExperimentRecord rec;
    if (svc_.recorder && svc_.recorder->items()) {
      rec.campaign = cfg_.name;
      rec.index = result_.experiments - 1;
      rec.cycle = result_.cycles;
      rec.problem = problem_;
      rec.submit_s = r.submit_s;
      rec.end_s = r.end_s;
      rec.ok = r.value.has_value();
      rec.value = r.value.value_or(0.0);
      rec.failure = r.failure;
      rec.candidate = candidate_id(c);
    }
    result_.lab_hours += r.lab_hours;
    result_.energy_j += r.energy_j;
    lab_observations_.push_back({c, r.value, r.value ? "" : r.failure, true});
    if (!r.value) {
      result_.failed_experiments++;
    } else {
      lab_values_++;
      const double v = *r.value;
      if (!has_best_ || better(v, best_) != best_) {
        best_ = has_best_ ? better(v, best_) : v;
        has_best_ = true;
        result_.best_t_s.push_back(rt.now());
        result_.best_experiments.push_back(static_cast<double>(result_.experiments));
        result_.best_value.push_back(best_);
      }
      if (is_discovery(c, v) && discovered_.insert(c.key()).second) {
        result_.discoveries++;
        result_.discovery_times_s.push_back(rt.now());
        if (result_.first_discovery_s < 0) result_.first_discovery_s = rt.now();
        found = true;
        new_discovery = true;
        rec.discovery = true;
        XBT_VERB("campaign %s: discovery %lld (measured %g)", cfg_.name.c_str(),
                 static_cast<long long>(result_.discoveries), v);
      }
    }
    if (lineage() || (new_discovery && tracking())) {
      core::LineageRecord l;
      l.campaign = cfg_.name;
      l.problem = problem_;
      l.experiment = result_.experiments - 1;
      l.cycle = result_.cycles;
      l.candidate = candidate_id(c);
      l.policy = cy.policy;
      if (cy.model.version > 0) {
        l.model = cfg_.surrogate_model;
        l.model_version = cy.model.version;
      }
      l.decided_s = cy.decided_s;
      if (i < cy.chosen_jobs.size()) {
        l.screening_system = cy.chosen_jobs[i].first;
        l.screening_jobs.push_back(cy.chosen_jobs[i].second);
      }
      l.inference_system = cy.inference_system;
      l.inference_job = cy.inference_job;
      l.transfers = cy.transfers;
      l.lab = cfg_.lab_names[lab_];
      l.sample = r.sample_id;
      l.units = r.units;
      l.robot_moves = r.robot_moves;
      l.ok = r.value.has_value();
      l.value = r.value.value_or(0.0);
      l.end_s = r.end_s;
      l.timeline = cy.steps;
      l.discovery = new_discovery;
      if (new_discovery && result_.discovery_lineage.size() < static_cast<std::size_t>(core::DISCOVERY_LINEAGE))
        result_.discovery_lineage.push_back(l);
      if (svc_.recorder) svc_.recorder->lineage_record(std::move(l));
    }
    if (svc_.recorder) {
      rec.best_so_far = best_;
      svc_.recorder->experiment(std::move(rec));
    }
  }
  end_cycle(cy);
  if (found && cfg_.next_problem) start_problem();
}

void CampaignLoop::end_cycle(Cycle& cy) {
  result_.cycles++;
  result_.cycle += cy.times;
}

void CampaignLoop::run() {
  core::Runtime& rt = *svc_.runtime;
  if (cfg_.start_s > 0) rt.sleep_until(cfg_.start_s);
  start_problem();
  auto random_policy = make_policy("random");
  // A campaign past its end_day starts no cycle; the one under way finishes and counts.
  while (rt.now() < rt.horizon() && rt.now() < cfg_.end_s) {
    if (cfg_.budget_experiments > 0 && result_.experiments >= cfg_.budget_experiments) break;
    Cycle cy;
    cycle_ = &cy;
    if (meet(cy) == Next::END || rt.now() >= cfg_.end_s) break;
    if (choose(cfg_.screen > 0, true) == Next::END || rt.now() >= cfg_.end_s) break;
    const Next d = decide(cy, *random_policy);
    if (d == Next::END) break;
    if (d == Next::CYCLE) continue;  // a new problem, nothing counted
    const Next s = screen(cy);
    if (s == Next::END) break;
    if (s == Next::CYCLE) {
      end_cycle(cy);
      continue;
    }
    if (run_lab(cy) == Next::END) break;
    learn(cy);
  }
  cycle_ = nullptr;
}

}  // namespace twin::agents
