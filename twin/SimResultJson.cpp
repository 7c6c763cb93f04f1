#include "twin/SimResultJson.hpp"

// The (de)serialisers live in the types' namespace so nlohmann finds them;
// every field is listed once, here.
namespace twin::core {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Conservation, created, finished, failed, discarded, in_flight, holds)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CycleTimes, agent_s, people_s, hpc_queue_s, hpc_run_s, transfer_s, lab_queue_s,
                                   lab_run_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CycleStage, cycle, stage, start_s, end_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AccessSim, placement_refusals, placement_wait_s, transfer_refusals, reroutes,
                                   reroute_s, burst_refusals, burst_refusal_s, stopped)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BurstSim, jobs, usd, gpu_hours, queue_saved_s, provisioning_s, energy_j)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TransferRef, id, what, bytes, links)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LineageStep, stage, what, start_s, end_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LineageRecord, campaign, problem, experiment, cycle, candidate, policy, model,
                                   model_version, decided_s, screening_system, screening_jobs, inference_system, inference_job, transfers,
                                   lab, sample, units, robot_moves, ok, value, discovery, end_s, timeline)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DataUseSim, stagings, hits, staged_bytes, staging_s, inference_jobs, ranked,
                                   inference_node_hours, model_cycles)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CampaignSim, name, discoveries, experiments, failed_experiments, simulations,
                                   failed_simulations, problems, cycles, discovery_times_s, first_discovery_s, best_t_s,
                                   best_experiments, best_value, node_hours, lab_hours, energy_j, cycle,
                                   first_cycles, stopped_s, stop_reason, access, burst, data, discovery_lineage)
// A facility's usage fields, shared by ResourceSim and the results built on it.
#define TWIN_RESOURCE_FIELDS                                                                                       \
  name, kind, parent, capacity, busy_integral, queue_integral, queue_max, waits, wait_sum_s, wait_max_s, energy_j, \
      online_s, daily_utilisation, daily_queue
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ResourceSim, TWIN_RESOURCE_FIELDS)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(HpcSim, TWIN_RESOURCE_FIELDS, node_failures, failure_kills, requeued,
                                   background_jobs, background_stated_load, background_offered_node_s,
                                   background_busy_node_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LabCounters, step_runs, step_failures, retries, failed_after_retries, breakdowns,
                                   interrupted_steps, robot_moves, robot_jams, restocks, maintenance_windows, setups,
                                   batches, discarded_offline, turnaround_sum_s, queue_sum_s, people_sum_s, hold_sum_s,
                                   run_sum_s, move_sum_s, downtime_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LabSim, TWIN_RESOURCE_FIELDS, pools, samples, counters)
#undef TWIN_RESOURCE_FIELDS
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CloudSim, name, quota_instances, jobs, instance_hours, gpu_hours, usd, energy_j,
                                   quota_wait_s, provisioning_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DatasetSim, name, requests, hits, local, full, deltas, refused, bytes, transfer_s,
                                   hold_s, wait_s, results, appended_bytes, final_bytes, link_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheSim, name, capacity, peak_bytes, held_bytes, evictions, held, evicted)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TrainingSim, version, requested_s, staged_s, submit_s, start_s, end_s, ok, failure,
                                   node_hours, gpu_hours, energy_j, data_bytes, error_sd, job_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ModelSim, name, trainings, inference_jobs, ranked, inference_node_hours,
                                   inference_energy_j)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Placement, kind, facility, owner, items, bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExperimentRecord, campaign, index, cycle, problem, submit_s, end_s, ok, value,
                                   discovery, best_so_far, failure, candidate)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(JobRecord, system, id, owner, nodes, submit_s, start_s, end_s, requested_s, state)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SampleRecord, lab, id, owner, created_s, end_s, state, steps, retries, queue_s, run_s,
                                   move_s, people_s, hold_s, failure)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Span, track, name, cat, start_s, end_s)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SimLog, experiments, jobs, samples, spans, lineage, spans_dropped, traced)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SimResult, mode, replication, seed, horizon_s, campaigns, hpc, labs, links, clouds,
                                   datasets, caches, models,
                                   jobs, samples, transfers, actors_started, placements, log)
}  // namespace twin::core

namespace twin {

nlohmann::json sim_result_to_json(const core::SimResult& r) { return r; }

core::SimResult sim_result_from_json(const nlohmann::json& j) {
  try {
    return j.get<core::SimResult>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed simulation result: ") + e.what());
  }
}

}  // namespace twin
