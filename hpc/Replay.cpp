#include "hpc/Replay.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "hpc/BatchEngine.hpp"
#include "hpc/NodeSet.hpp"

namespace twin::hpc {

namespace {

void append_number(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

ReplayResult replay(const std::vector<WorkloadJob>& jobs, int nodes, const std::string& policy, const ReplayOptions& options) {
  ReplayResult result;
  result.jobs.resize(jobs.size());
  result.summary.policy = policy;
  result.summary.nodes = nodes;
  result.summary.slowdown_tau_s = options.slowdown_tau_s;
  result.summary.warmup_s = options.warmup_s;

  // The batch engine with the trace as its background workload: jobs
  // larger than the nodes trace jobs may use (the machine less any reserved
  // slice) are skipped; a pass also runs when a reservation falls due.
  SystemConfig config;
  config.name = "replay";
  config.nodes = nodes;
  config.scheduler = policy;
  config.scheduler_options = options.scheduler;
  config.background.kind = BackgroundConfig::Kind::TRACE;
  config.background.trace = std::shared_ptr<const std::vector<WorkloadJob>>(&jobs, [](const std::vector<WorkloadJob>*) {});
  config.background.oversize = Oversize::SKIP;
  EngineOptions engine_options;
  engine_options.wake_on_reservations = true;
  engine_options.trace_index_ids = true;
  engine_options.on_pass = options.on_pass;
  BatchEngine engine(config, 0, 0, engine_options);
  std::vector<JobEnd> done;
  for (double t = engine.next_event_time(); t != core::NEVER; t = engine.next_event_time()) {
    engine.advance_to(t, done);
    for (JobEnd& e : done) {
      ReplayJobResult& out = result.jobs[e.trace_index];
      if (e.state == JobState::SKIPPED) {
        out.skipped = true;
        ++result.summary.skipped;
        continue;
      }
      out.start_s = e.start_s;
      out.end_s = e.end_s;
      out.killed = e.state == JobState::WALLTIME;
      out.nodes = std::move(e.nodes);
    }
    done.clear();
  }

  // Metrics.
  ReplaySummary& sum = result.summary;
  if (jobs.empty()) return result;
  const double first_submit_s = jobs.front().submit_s;
  const double measure_from_s = first_submit_s + options.warmup_s;
  double last_end_s = first_submit_s;
  double wait_total = 0;
  double slowdown_total = 0;
  double busy_node_s = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const ReplayJobResult& r = result.jobs[i];
    if (r.skipped) continue;
    ++sum.jobs;
    if (r.killed) ++sum.killed;
    last_end_s = std::max(last_end_s, r.end_s);
    const double run_s = r.end_s - r.start_s;
    busy_node_s += std::max(0.0, r.end_s - std::max(r.start_s, measure_from_s)) * static_cast<double>(r.nodes.size());
    if (jobs[i].submit_s < measure_from_s) continue;
    ++sum.measured;
    const double wait_s = r.start_s - jobs[i].submit_s;
    wait_total += wait_s;
    sum.max_wait_s = std::max(sum.max_wait_s, wait_s);
    slowdown_total += std::max(1.0, (wait_s + run_s) / std::max(run_s, options.slowdown_tau_s));
  }
  if (sum.measured > 0) {
    sum.mean_wait_s = wait_total / static_cast<double>(sum.measured);
    sum.mean_bounded_slowdown = slowdown_total / static_cast<double>(sum.measured);
  }
  sum.makespan_s = last_end_s - first_submit_s;
  if (options.node_power.busy_w > 0 || options.node_power.idle_w > 0) {
    double all_busy_node_s = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const ReplayJobResult& r = result.jobs[i];
      if (r.skipped) continue;
      sum.jobs_energy_j += job_energy_j(options.node_power, static_cast<int>(r.nodes.size()), r.end_s - r.start_s);
      all_busy_node_s += (r.end_s - r.start_s) * static_cast<double>(r.nodes.size());
    }
    sum.system_energy_j = system_energy_j(options.node_power, nodes, all_busy_node_s, sum.makespan_s);
    sum.has_energy = true;
  }
  const double span_s = last_end_s - measure_from_s;
  if (span_s > 0) sum.utilisation = busy_node_s / (static_cast<double>(nodes) * span_s);
  return result;
}

std::string jobs_csv(const std::vector<WorkloadJob>& jobs, const ReplayResult& result) {
  std::string out;
  out.reserve(jobs.size() * 64 + 100);
  out += "job_id,submit_s,start_s,end_s,wait_s,nodes_requested,nodes_allocated,killed\n";
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const ReplayJobResult& r = result.jobs[i];
    if (r.skipped) continue;
    out += jobs[i].id;
    out += ',';
    append_number(out, jobs[i].submit_s);
    out += ',';
    append_number(out, r.start_s);
    out += ',';
    append_number(out, r.end_s);
    out += ',';
    append_number(out, r.start_s - jobs[i].submit_s);
    out += ',';
    out += std::to_string(jobs[i].nodes);
    out += ',';
    out += format_intervals(r.nodes);
    out += r.killed ? ",1\n" : ",0\n";
  }
  return out;
}

std::string summary_json(const ReplaySummary& s, const WorkloadInfo& info) {
  nlohmann::ordered_json j;
  j["trace"] = info.source;
  j["format"] = info.format;
  j["policy"] = s.policy;
  j["nodes"] = s.nodes;
  j["jobs"] = s.jobs;
  j["measured_jobs"] = s.measured;
  j["warmup_s"] = s.warmup_s;
  j["mean_wait_s"] = s.mean_wait_s;
  j["max_wait_s"] = s.max_wait_s;
  j["mean_bounded_slowdown"] = s.mean_bounded_slowdown;
  j["slowdown_tau_s"] = s.slowdown_tau_s;
  j["utilisation"] = s.utilisation;
  j["makespan_s"] = s.makespan_s;
  j["killed"] = s.killed;
  if (s.has_energy) {
    j["jobs_energy_j"] = s.jobs_energy_j;
    j["system_energy_j"] = s.system_energy_j;
  }
  j["skipped"] = s.skipped + info.skipped();
  j["skipped_by_reason"] = {
      {"no_runtime", info.skipped_no_runtime},
      {"no_size", info.skipped_no_size},
      {"unsupported_profile", info.skipped_unsupported},
      {"larger_than_machine", info.skipped_too_large + s.skipped},
  };
  j["outside_selection"] = info.outside_selection;
  j["requested_from_run"] = info.requested_from_run;
  j["run_exceeds_request"] = info.run_exceeds_request;
  return j.dump(2) + "\n";
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + tmp);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    f.flush();
    if (!f) throw std::runtime_error("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
}

}  // namespace twin::hpc
