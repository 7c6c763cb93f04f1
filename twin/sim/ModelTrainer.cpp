#include "twin/sim/ModelTrainer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "twin/core/Log.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(twin_models, twin_run, "foundation models: trainings and versions");

namespace twin::sim {

ModelTrainer::ModelTrainer(const Scenario& sc, DataService& data, core::Runtime& runtime,
                           std::map<std::string, core::ComputeService*> systems)
    : sc_(sc), data_(data), runtime_(runtime), systems_(std::move(systems)) {
  for (const auto& m : sc.models) {
    by_name_[m.name] = models_.size();
    State s;
    s.spec = &m;
    s.sim.name = m.name;
    s.version.inference_flops_per_candidate = m.inference_flops_per_candidate;
    models_.push_back(std::move(s));
  }
}

core::ModelVersion ModelTrainer::current(const std::string& model) const {
  return models_[by_name_.at(model)].version;
}

void ModelTrainer::inferred(const std::string& model, const std::string& campaign, std::int64_t candidates,
                            double node_hours, double energy_j) {
  (void)campaign;
  core::ModelSim& s = models_[by_name_.at(model)].sim;
  s.inference_jobs++;
  s.ranked += candidates;
  s.inference_node_hours += node_hours;
  s.inference_energy_j += energy_j;
}

void ModelTrainer::run(const std::string& name) {
  State& st = models_[by_name_.at(name)];
  const ModelSpec& m = *st.spec;
  core::ComputeService& hpc = *systems_.at(m.train_system);
  core::Runtime& rt = runtime_;
  if (m.train_from_s > 0) rt.sleep_until(std::min(m.train_from_s, rt.horizon()));
  while (rt.now() < rt.horizon()) {
    // A system that is down waits; one that never comes back ends the model's trainings.
    if (!hpc.up_at(rt.now())) {
      const double up = hpc.next_up(rt.now());
      if (up == core::NEVER) break;
      rt.sleep_until(std::min(up, rt.horizon()));
      continue;
    }
    core::TrainingSim tr;
    tr.version = st.version.version + 1;
    tr.requested_s = rt.now();
    const std::int64_t results_before = data_.results_in(m.train_datasets);
    // Its datasets staged to the system, all at once.
    std::vector<std::function<void()>> tasks;
    for (const auto& d : m.train_datasets) tasks.emplace_back([this, &d, &m] { data_.stage(d, m.train_system); });
    if (!tasks.empty()) rt.run_parallel(std::move(tasks));
    if (rt.now() >= rt.horizon()) break;
    tr.staged_s = rt.now();
    for (const auto& d : m.train_datasets) tr.data_bytes += data_.size_at(d, rt.now());
    core::ComputeRequest req;
    req.owner = "model:" + m.name;
    req.flops = m.train_flops;
    req.nodes = m.train_nodes;
    req.requested_s = m.job_padding * m.train_flops / (m.train_nodes * hpc.node_speed_flops());
    // Listed before it ends, so one still queued or running at the horizon shows.
    st.sim.trainings.push_back(tr);
    XBT_VERB("model %s: training %d submitted to %s", m.name.c_str(), tr.version, m.train_system.c_str());
    const core::ComputeOutcome o = hpc.run_job(req);
    if (rt.now() >= rt.horizon() && !o.ok) break;
    core::TrainingSim& done = st.sim.trainings.back();
    done.submit_s = o.submit_s;
    done.start_s = o.start_s;
    done.end_s = o.end_s;
    done.ok = o.ok;
    done.failure = o.failure;
    done.node_hours = o.node_hours;
    const HpcSpec* h = sc_.hpc_system(m.train_system);
    done.gpu_hours = o.node_hours * (h ? h->gpus_per_node : 0);
    done.energy_j = o.energy_j;
    done.job_id = o.job_id;
    if (!o.ok) {
      XBT_VERB("model %s: training %d failed: %s", m.name.c_str(), tr.version, o.failure.c_str());
      if (!(rt.now() > tr.staged_s)) break;  // refused at once: it cannot run there
      continue;  // tried again at once (or when the system is back)
    }
    if (st.version.version == 0) st.first_bytes = tr.data_bytes;
    const double ratio = st.first_bytes > 0 && tr.data_bytes > 0 ? tr.data_bytes / st.first_bytes : 1.0;
    done.error_sd = m.error_sd * std::pow(ratio, -m.alpha);
    st.version = core::ModelVersion{tr.version, done.error_sd, rt.now(), m.inference_flops_per_candidate};
    XBT_VERB("model %s: version %d ready, error sd %.4g", m.name.c_str(), tr.version, done.error_sd);
    // The next training: on the schedule, or after enough new results, whichever first.
    const double every = m.retrain_every_s > 0 ? rt.now() + m.retrain_every_s : core::NEVER;
    if (m.retrain_after_results > 0) {
      data_.wait_for_results(m.train_datasets, results_before + m.retrain_after_results, std::min(every, rt.horizon()));
    } else if (every != core::NEVER) {
      rt.sleep_until(std::min(every, rt.horizon()));
    } else {
      break;
    }
  }
}

std::vector<core::ModelSim> ModelTrainer::result() const {
  std::vector<core::ModelSim> out;
  for (const auto& s : models_) out.push_back(s.sim);
  return out;
}

}  // namespace twin::sim
