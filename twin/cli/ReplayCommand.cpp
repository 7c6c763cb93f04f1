#include "twin/cli/ReplayCommand.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "hpc/Power.hpp"
#include "hpc/Replay.hpp"
#include "hpc/Scheduler.hpp"
#include "hpc/Workload.hpp"
#include "twin/cli/OptionChecks.hpp"
#include "twin/core/Errors.hpp"

namespace twin::cli {

namespace {

struct ReplayArgs {
  std::string trace;
  int nodes = 0;
  std::string policy;
  std::string out = ".";
  std::string order = "submit";
  std::string overrun = "kill";
  std::string refit = "lowest";
  double tau_s = 10;
  double warmup_s = 0;
  /// --from, --to, --first, --arrival-scale and --scale-to-nodes, as read.
  hpc::WorkloadOptions workload;
  std::string power;
  double idle_w = 0;
  double busy_w = 0;
};

int run_replay(const ReplayArgs& a) {
  using core::ExitCode;
  hpc::WorkloadOptions wo = a.workload;
  wo.machine_nodes = a.nodes;
  hpc::Workload w = hpc::load_workload(a.trace, wo);
  const int nodes = a.nodes > 0 ? a.nodes : (wo.scale_to_nodes > 0 ? wo.scale_to_nodes : w.info.machine_nodes());
  if (nodes <= 0) {
    std::fprintf(stderr, "error: %s states no machine size (MaxProcs, MaxNodes or nb_res): give --nodes\n", a.trace.c_str());
    return static_cast<int>(CLI::ExitCodes::ValidationError);
  }
  if (w.jobs.empty()) {
    // Nothing to replay is an input error, not an empty success.
    const auto& i = w.info;
    std::fprintf(stderr,
                 "error: %s: no job to replay: %zu records read; skipped %zu with run time <= 0, %zu without a size, "
                 "%zu of an unsupported kind, %zu larger than the machine (%d nodes); %zu outside --from/--to/--first\n",
                 a.trace.c_str(), i.records, i.skipped_no_runtime, i.skipped_no_size, i.skipped_unsupported,
                 i.skipped_too_large, nodes, i.outside_selection);
    return static_cast<int>(ExitCode::SCENARIO);
  }
  hpc::ReplayOptions ro;
  ro.slowdown_tau_s = a.tau_s;
  ro.warmup_s = a.warmup_s;
  ro.scheduler.overrun = a.overrun == "kill" ? hpc::OverrunPolicy::KILL : hpc::OverrunPolicy::LET_RUN;
  ro.scheduler.conservative_refit = a.refit == "keep" ? hpc::RefitNodes::KEEP : hpc::RefitNodes::LOWEST;
  ro.scheduler.order = a.order == "priority"    ? hpc::QueueOrder::PRIORITY
                       : a.order == "fairshare" ? hpc::QueueOrder::FAIR_SHARE
                                                : hpc::QueueOrder::SUBMIT;
  if (!a.power.empty()) ro.node_power = hpc::power_preset(a.power).node;
  if (a.idle_w > 0) ro.node_power.idle_w = a.idle_w;
  if (a.busy_w > 0) ro.node_power.busy_w = a.busy_w;
  hpc::ReplayResult r = hpc::replay(w.jobs, nodes, a.policy, ro);
  const std::string summary = hpc::summary_json(r.summary, w.info);
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot create output folder %s: %s\n", a.out.c_str(), ec.message().c_str());
    return static_cast<int>(ExitCode::SCENARIO);
  }
  hpc::write_file_atomically(a.out + "/jobs.csv", hpc::jobs_csv(w.jobs, r));
  hpc::write_file_atomically(a.out + "/summary.json", summary);
  std::fputs(summary.c_str(), stdout);
  return 0;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Replay a batch workload trace (SWF, plain or .gz; Batsim .json) under one scheduling policy; "
      "write jobs.csv and summary.json and print the summary. Conventions: one trace processor = one node; "
      "SWF job size is field 5, or field 8 where field 5 is -1; jobs with run time <= 0 are skipped; a "
      "requested time of -1 means the run time; jobs in (submit, id) order; jobs larger than the machine "
      "are skipped and counted");
  cmd->add_option("trace", args->trace, "Workload trace file")->required();
  cmd->add_option("--nodes", args->nodes, "Machine size in nodes (default: the trace's MaxProcs, or nb_res)")
      ->check(positive_integer());
  cmd->add_option("--policy", args->policy,
                  "Scheduling policy: fcfs, easy or conservative (optionally suffixed -priority or -fairshare)")
      ->required()
      ->check(CLI::Validator(
          [](std::string& name) -> std::string {
            try {
              hpc::make_scheduler(name, 1);
            } catch (const std::invalid_argument& e) {
              return e.what();
            }
            return {};
          },
          "POLICY"));
  cmd->add_option("--out", args->out, "Output folder for jobs.csv and summary.json (default: .)");
  cmd->add_option("--order", args->order, "Queue order: submit, priority or fairshare (default: submit)")
      ->check(CLI::IsMember({"submit", "priority", "fairshare"}));
  cmd->add_option("--overrun", args->overrun,
                  "A job reaching its requested time: kill (default) or let-run")
      ->check(CLI::IsMember({"kill", "let-run"}));
  cmd->add_option("--refit", args->refit,
                  "Conservative: a job the compression cannot start earlier goes back on the lowest nodes free "
                  "throughout its slot (lowest, default, as batsched's conservative_bf) or keeps its own (keep)")
      ->check(CLI::IsMember({"lowest", "keep"}));
  cmd->add_option("--tau", args->tau_s, "Bound of the bounded slowdown, s (default: 10)")->check(positive_number());
  cmd->add_option("--warmup", args->warmup_s,
                  "Jobs submitted in the first WARMUP s are scheduled but left out of the metrics (default: 0)")
      ->check(non_negative_number());
  cmd->add_option("--from", args->workload.from_s, "Keep jobs submitted at or after this trace time, s");
  cmd->add_option("--to", args->workload.to_s, "Keep jobs submitted before this trace time, s");
  cmd->add_option("--first", args->workload.first_n, "Keep only the first N jobs (default: all)");
  cmd->add_option("--arrival-scale", args->workload.arrival_rate_scale, "Multiply the arrival rate by this factor (default: 1)")
      ->check(positive_number());
  cmd->add_option("--scale-to-nodes", args->workload.scale_to_nodes,
                  "Rescale job sizes from the trace's machine to this many nodes (default: keep sizes)")
      ->check(positive_integer());
  cmd->add_option("--power", args->power,
                  "Node power preset for energy figures: aurora, frontier or perlmutter (RAPS idle/busy watts)")
      ->check(CLI::IsMember({"aurora", "frontier", "perlmutter"}));
  cmd->add_option("--idle-w", args->idle_w, "Node idle power, W (overrides --power)")->check(positive_number());
  cmd->add_option("--busy-w", args->busy_w, "Node busy power, W (overrides --power)")->check(positive_number());
  cmd->callback([args, &exit_code]() {
    try {
      exit_code = run_replay(*args);
    } catch (const core::ScenarioError& e) {
      print_scenario_errors(e, false);
      exit_code = static_cast<int>(core::ExitCode::SCENARIO);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      exit_code = static_cast<int>(CLI::ExitCodes::ValidationError);
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      exit_code = static_cast<int>(core::ExitCode::SCENARIO);
    }
  });
}

}  // namespace twin::cli
