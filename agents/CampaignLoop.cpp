#include "agents/CampaignLoop.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "twin/core/Log.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(twin_agents_campaign, twin_agents, "the campaign loop: each cycle's decisions");

namespace twin::agents {

namespace {
const std::uint64_t NATURE = core::stable_hash("nature");
const std::uint64_t LAB_SAMPLE = core::stable_hash("lab-sample");
}  // namespace

CampaignLoop::CampaignLoop(CampaignConfig config, CampaignServices services, std::uint64_t seed)
    : cfg_(std::move(config)),
      svc_(services),
      seed_(seed),
      rng_(core::Rng::stream(seed, "agent." + cfg_.name)) {
  result_.name = cfg_.name;
}

double CampaignLoop::better(double a, double b) const {
  return kernel_->goal() == models::Goal::MINIMIZE ? std::min(a, b) : std::max(a, b);
}

void CampaignLoop::start_problem() {
  ++problem_;
  kernel_ = models::make_kernel(cfg_.kernel, problem_);
  policy_ = make_policy(cfg_.policy, cfg_.policy_params);
  observations_.clear();
  tried_.clear();
  discovered_.clear();
  top_rows_.clear();
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
  if (svc_.recorder && svc_.recorder->tracing()) svc_.recorder->span("agent/" + cfg_.name, what, stage, t0, t1);
}

void CampaignLoop::run() {
  core::Runtime& rt = *svc_.runtime;
  if (cfg_.start_s > 0) rt.sleep_until(cfg_.start_s);
  start_problem();
  auto random_policy = make_policy("random");
  while (rt.now() < rt.horizon()) {
    if (cfg_.budget_experiments > 0 && result_.experiments >= cfg_.budget_experiments) break;
    core::CycleTimes cyc;

    // 1. Decision time: at the next planning meeting, with people at work.
    {
      const double t0 = rt.now();
      if (cfg_.cadence_s > 0) {
        const double since = rt.now() - cfg_.start_s;
        const double meeting = cfg_.start_s + std::ceil(since / cfg_.cadence_s) * cfg_.cadence_s;
        rt.sleep_until(std::min(meeting, rt.horizon()));
      }
      cyc.people_s += rt.now() - t0;
      wait_for_people(cyc.people_s);
      stage("people", "waiting for the meeting and people", t0, rt.now());
      if (rt.now() >= rt.horizon()) break;
    }

    // 2. Decide.
    int n_lab = cfg_.batch;
    if (cfg_.budget_experiments > 0)
      n_lab = static_cast<int>(std::min<std::int64_t>(n_lab, cfg_.budget_experiments - result_.experiments));
    const int n_propose = cfg_.screen > 0 ? cfg_.screen : n_lab;
    // The policy learns from lab measurements (the truth it is judged on);
    // simulations serve the screening step.
    std::vector<Observation> lab_obs;
    std::int64_t lab_values = 0;
    for (const auto& o : observations_)
      if (o.lab) {
        lab_obs.push_back(o);
        lab_values += o.value ? 1 : 0;
      }
    Policy& chooser = lab_values < cfg_.initial_experiments ? *random_policy : *policy_;
    PolicyContext ctx{&kernel_->space(), kernel_->goal(), &tried_};
    std::vector<models::Candidate> proposals = chooser.propose(ctx, lab_obs, n_propose, rng_);
    XBT_VERB("campaign %s, cycle %lld: %s proposes %zu candidate%s %s", cfg_.name.c_str(),
             static_cast<long long>(result_.cycles), chooser.name().c_str(), proposals.size(),
             proposals.size() == 1 ? "" : "s", cfg_.screen > 0 ? "to screen by simulation" : "for the lab");
    if (proposals.empty()) {
      if (cfg_.next_problem) {
        start_problem();
        continue;
      }
      XBT_VERB("campaign %s: the design space is exhausted; the campaign stops", cfg_.name.c_str());
      idle_ = true;  // the design space is exhausted
      break;
    }
    {
      const double t0 = rt.now();
      rt.compute(chooser.last_flops());
      const double analysis = cfg_.decision_s.sample(rng_);
      if (analysis > 0) rt.sleep_until(rt.now() + analysis);
      cyc.agent_s += rt.now() - t0;
      stage("agent", chooser.name(), t0, rt.now());
    }
    for (const auto& c : proposals) tried_.push_back(c);

    // 3. Screening: one HPC simulation per proposal; the best predicted go to the lab.
    std::vector<models::Candidate> chosen = proposals;
    if (cfg_.screen > 0) {
      const double t0 = rt.now();
      std::vector<core::ComputeOutcome> outcomes(proposals.size());
      std::vector<std::function<void()>> tasks;
      for (std::size_t i = 0; i < proposals.size(); ++i) {
        tasks.emplace_back([&, i] {
          core::ComputeRequest req;
          req.owner = cfg_.name;
          req.flops = kernel_->simulation_flops(proposals[i]);
          req.nodes = cfg_.job_nodes;
          req.priority = cfg_.job_priority;
          req.requested_s = cfg_.job_padding * req.flops / (cfg_.job_nodes * svc_.compute->node_speed_flops());
          outcomes[i] = svc_.compute->run_job(req);
        });
      }
      rt.run_parallel(std::move(tasks));
      if (rt.now() >= rt.horizon()) break;
      // The job that ended last sets the pace: its wait is queueing, the rest running.
      std::size_t crit = 0;
      for (std::size_t i = 1; i < outcomes.size(); ++i)
        if (outcomes[i].end_s > outcomes[crit].end_s) crit = i;
      const double phase = rt.now() - t0;
      const double queued = std::min(phase, outcomes[crit].start_s - outcomes[crit].submit_s + outcomes[crit].hold_s);
      cyc.hpc_queue_s += queued;
      cyc.hpc_run_s += phase - queued;
      stage("hpc_queue", "screening: waiting in the batch queue", t0, t0 + queued);
      stage("hpc_run", "screening: simulations running", t0 + queued, rt.now());
      std::vector<std::pair<double, std::size_t>> ranked;
      for (std::size_t i = 0; i < proposals.size(); ++i) {
        const auto& o = outcomes[i];
        result_.simulations++;
        result_.node_hours += o.node_hours;
        result_.energy_j += o.energy_j;
        if (!o.ok) {
          result_.failed_simulations++;
          observations_.push_back({proposals[i], std::nullopt, o.failure, false});
          continue;
        }
        const double v = kernel_->simulate(proposals[i]);
        observations_.push_back({proposals[i], v, "", false});
        ranked.emplace_back(kernel_->goal() == models::Goal::MINIMIZE ? v : -v, i);
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      chosen.clear();
      for (const auto& [score, i] : ranked) {
        if (static_cast<int>(chosen.size()) >= n_lab) break;
        chosen.push_back(proposals[i]);
      }
      XBT_VERB("campaign %s: screened %zu by simulation (%zu failed), %zu chosen for the lab", cfg_.name.c_str(),
               proposals.size(), proposals.size() - ranked.size(), chosen.size());
      // Simulation outputs travel to the campaign's home; people hand them on.
      const double t1 = rt.now();
      svc_.network->transfer(cfg_.hpc_site, cfg_.home_site, cfg_.sim_output_bytes * static_cast<double>(proposals.size()));
      cyc.transfer_s += rt.now() - t1;
      stage("transfer", "simulation outputs home", t1, rt.now());
      const double t2 = rt.now();
      const double handoff = cfg_.handoff_s.sample(rng_);
      if (handoff > 0) rt.sleep_until(rt.now() + handoff);
      cyc.people_s += rt.now() - t2;
      wait_for_people(cyc.people_s);
      stage("people", "hand-off", t2, rt.now());
      if (chosen.empty() || rt.now() >= rt.horizon()) {
        result_.cycles++;
        result_.cycle += cyc;
        continue;
      }
    }

    // 4. The lab: recipes out, samples through stations, data back.
    {
      const double t1 = rt.now();
      svc_.network->transfer(cfg_.home_site, cfg_.lab_site, cfg_.recipe_bytes * static_cast<double>(chosen.size()));
      cyc.transfer_s += rt.now() - t1;
      stage("transfer", "recipes to the lab", t1, rt.now());
    }
    const double lab_t0 = rt.now();
    std::vector<core::ExperimentResult> results(chosen.size());
    {
      std::vector<std::function<void()>> tasks;
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        tasks.emplace_back([&, i] {
          const models::Candidate& c = chosen[i];
          std::uint64_t k = 0;
          for (const auto& o : observations_)
            if (o.lab && o.candidate == c) ++k;
          core::ExperimentRequest req;
          req.owner = cfg_.name;
          req.key = core::mix_seed(core::mix_seed(LAB_SAMPLE, static_cast<std::uint64_t>(cfg_.index)),
                                   core::mix_seed(static_cast<std::uint64_t>(problem_), core::mix_seed(c.key(), k)));
          req.staffed_only = cfg_.staffed_lab;
          const int problem = problem_;
          req.measure = [this, c, k, problem] {
            core::Rng noise = core::Rng::keyed(
                seed_, {NATURE, static_cast<std::uint64_t>(cfg_.index), static_cast<std::uint64_t>(problem), c.key(), k});
            return kernel_->truth(c) + kernel_->lab_noise_sd() * noise.normal();
          };
          results[i] = svc_.lab->run_experiment(req);
        });
      }
      rt.run_parallel(std::move(tasks));
    }
    if (rt.now() >= rt.horizon()) break;
    {
      std::size_t crit = 0;
      for (std::size_t i = 1; i < results.size(); ++i)
        if (results[i].end_s > results[crit].end_s) crit = i;
      const double phase = rt.now() - lab_t0;
      const double q = std::min(phase, results[crit].queue_s + results[crit].hold_s);
      const double p = std::min(phase - q, results[crit].people_s);
      cyc.lab_queue_s += q;
      cyc.people_s += p;
      cyc.lab_run_s += phase - q - p;
      // The critical sample's waits, then its runs (the lab interleaves them).
      stage("lab_queue", "lab: waiting for stations and robots", lab_t0, lab_t0 + q);
      stage("people", "lab: waiting for a technician", lab_t0 + q, lab_t0 + q + p);
      stage("lab_run", "lab: samples in stations and robots", lab_t0 + q + p, rt.now());
    }
    {
      const double t1 = rt.now();
      const double bytes = cfg_.lab_output_bytes * static_cast<double>(chosen.size());
      svc_.network->transfer(cfg_.lab_site, cfg_.home_site, bytes);
      if (!cfg_.store_site.empty()) svc_.network->transfer(cfg_.lab_site, cfg_.store_site, bytes);
      cyc.transfer_s += rt.now() - t1;
      stage("transfer", "lab data home", t1, rt.now());
      const double t2 = rt.now();
      const double handoff = cfg_.handoff_s.sample(rng_);
      if (handoff > 0) rt.sleep_until(rt.now() + handoff);
      cyc.people_s += rt.now() - t2;
      stage("people", "hand-off", t2, rt.now());
    }
    if (rt.now() >= rt.horizon()) break;

    // 5. Learn and count.
    bool found = false;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      const auto& r = results[i];
      result_.experiments++;
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
      }
      result_.lab_hours += r.lab_hours;
      result_.energy_j += r.energy_j;
      if (!r.value) {
        result_.failed_experiments++;
        observations_.push_back({chosen[i], std::nullopt, r.failure, true});
        if (svc_.recorder) {
          rec.best_so_far = best_;
          svc_.recorder->experiment(std::move(rec));
        }
        continue;
      }
      observations_.push_back({chosen[i], r.value, "", true});
      const double v = *r.value;
      if (!has_best_ || better(v, best_) != best_) {
        best_ = has_best_ ? better(v, best_) : v;
        has_best_ = true;
        result_.best_t_s.push_back(rt.now());
        result_.best_experiments.push_back(static_cast<double>(result_.experiments));
        result_.best_value.push_back(best_);
      }
      if (is_discovery(chosen[i], v) && discovered_.insert(chosen[i].key()).second) {
        result_.discoveries++;
        result_.discovery_times_s.push_back(rt.now());
        if (result_.first_discovery_s < 0) result_.first_discovery_s = rt.now();
        found = true;
        rec.discovery = true;
        XBT_VERB("campaign %s: discovery %lld (measured %g)", cfg_.name.c_str(),
                 static_cast<long long>(result_.discoveries), v);
      }
      if (svc_.recorder) {
        rec.best_so_far = best_;
        svc_.recorder->experiment(std::move(rec));
      }
    }
    result_.cycles++;
    result_.cycle += cyc;
    if (found && cfg_.next_problem) start_problem();
  }
}

}  // namespace twin::agents
