// The `twin` program: run, validate, schema, models (and the subcommands in
// twin/cli/). Exit codes: 0 success; CLI11's own codes for usage errors;
// 2 scenario or input errors; 3 internal errors; 4 a simulation failed.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "reports/Csv.hpp"
#include "reports/Data.hpp"
#include "reports/HtmlReport.hpp"
#include "reports/Report.hpp"
#include "reports/Trace.hpp"
#include "twin/Facts.hpp"
#include "twin/ModelsCatalog.hpp"
#include "twin/Output.hpp"
#include "twin/WallClock.hpp"
#include "twin/Runner.hpp"
#include "twin/AccessRules.hpp"
#include "twin/Scenario.hpp"
#include "twin/cli/CliSupport.hpp"
#include "twin/cli/Commands.hpp"
#include "twin/core/Errors.hpp"

namespace {

using twin::core::ExitCode;

int code(ExitCode c) { return static_cast<int>(c); }

using twin::cli::print_scenario_errors;

struct RunArgs {
  std::string scenario;
  std::int64_t seed = -1;
  int replications = 0;
  std::string out;
  int jobs = 0;
  bool quiet = false;
  bool progress = false;
  std::vector<std::string> outputs = {"json", "html"};
  bool trace = false;
  std::string trace_window;  ///< "FROM:TO" in days
  std::int64_t trace_max_spans = 50000;
  int trace_replication = 0;
  bool background_jobs = false;
  std::vector<std::string> log;  ///< XBT settings, as SimGrid's engine reads them (see CliSupport.hpp)
  std::string attribution = "ladder";
};

bool wants(const RunArgs& a, const char* what) {
  return std::find(a.outputs.begin(), a.outputs.end(), what) != a.outputs.end() ||
         (std::string(what) == "trace" && a.trace);
}

std::string clock_text(double s) {
  const auto t = static_cast<long long>(std::max(0.0, s) + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", t / 60, t % 60);
  return buf;
}

/// Progress on stderr: simulated time reached, simulated-to-wall ratio, ETA.
/// On a terminal one line rewritten in place; otherwise a line every 10 s.
std::function<void(const twin::RunProgress&)> progress_printer(bool tty) {
  const double t0 = twin::wallclock::monotonic_s();
  double last = t0 - 3600;
  return [tty, t0, last](const twin::RunProgress& p) mutable {
    const double now = twin::wallclock::monotonic_s();
    const bool end = p.done == p.total;
    if (!end && now - last < (tty ? 0 : 10)) return;
    last = now;
    const double wall = now - t0;
    const double rate = wall > 0 ? p.simulated_s / wall : 0;
    const double frac = p.simulated_total_s > 0 ? p.simulated_s / p.simulated_total_s : 0;
    std::string eta = end ? "done in " + clock_text(wall)
                          : rate > 0 ? "ETA " + clock_text((p.simulated_total_s - p.simulated_s) / rate) : "ETA -";
    std::fprintf(stderr, "%ssimulations %d/%d, simulated %.1f of %.1f days (%.0f %%), %.3g simulated s per wall s, %s%s",
                 tty ? "\r\033[K" : "", p.done, p.total, p.simulated_s / 86400.0, p.simulated_total_s / 86400.0,
                 100.0 * frac, rate, eta.c_str(), tty && !end ? "" : "\n");
    std::fflush(stderr);
  };
}

int cmd_run(const RunArgs& a) {
  // Options checked before anything is written.
  double window_from_s = 0, window_to_s = 1e300;
  if (!a.trace_window.empty()) {
    double from_d = 0, to_d = 0;
    char tail = 0;
    if (std::sscanf(a.trace_window.c_str(), "%lf:%lf%c", &from_d, &to_d, &tail) != 2 || !(from_d >= 0) ||
        !(to_d > from_d)) {
      std::fprintf(stderr, "error: --trace-window %s: expected FROM:TO in days with 0 <= FROM < TO, e.g. 0:30\n",
                   a.trace_window.c_str());
      return code(ExitCode::SCENARIO);
    }
    window_from_s = from_d * 86400.0;
    window_to_s = to_d * 86400.0;
  }
  twin::Scenario sc = a.scenario.empty() ? twin::default_scenario() : twin::load_scenario(a.scenario);
  if (a.seed >= 0) sc.seed = static_cast<std::uint64_t>(a.seed);
  if (a.replications > 0) sc.replications = a.replications;
  for (const auto& w : twin::access_warnings(sc)) std::fprintf(stderr, "warning: %s\n", w.c_str());
  const std::string out = a.out.empty() ? "out/" + sc.name : a.out;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot create output folder %s: %s\n", out.c_str(), ec.message().c_str());
    return code(ExitCode::SCENARIO);
  }
  twin::remove_stale_temporaries(out);
  twin::RunOptions opt;
  opt.jobs = twin::cli::jobs_or_cores(a.jobs);
  if (const char* cfg = std::getenv("TWIN_SIMGRID_CFG")) opt.simgrid_cfg = cfg;
  opt.log = a.log;
  opt.attribution = a.attribution;
  const bool tty = ::isatty(STDERR_FILENO);
  if (a.progress || (tty && !a.quiet)) opt.on_progress = progress_printer(tty);
  opt.record.items = wants(a, "csv");
  opt.record.background_jobs = a.background_jobs;
  opt.record.trace = wants(a, "trace");
  opt.record.lineage = wants(a, "lineage");
  opt.record.trace_max_spans = a.trace_max_spans;
  opt.record.trace_replication = a.trace_replication;
  opt.record.trace_from_s = window_from_s;
  opt.record.trace_to_s = window_to_s;
  // Wall-clock time goes to run-info.json only, never into the simulation or report.json.
  const double t0 = twin::wallclock::monotonic_s();
  twin::core::RunResult rr = twin::run_scenario(sc, opt);
  rr.scenario = twin::scenario_facts(sc);
  const double wall = twin::wallclock::monotonic_s() - t0;
  const auto report = twin::reports::build_report(rr);
  const auto path = [&](const char* name) { return (std::filesystem::path(out) / name).string(); };
  const std::string report_path = path("report.json");
  std::vector<std::string> written;
  if (wants(a, "json")) {
    twin::write_file_atomic(report_path, report.dump(2) + "\n");
    written.push_back(report_path);
  }
  if (wants(a, "html")) {
    twin::write_file_atomic(path("report.html"), twin::reports::render_html_report(report));
    written.push_back(path("report.html"));
  }
  if (wants(a, "csv"))
    for (const auto& [name, text] : twin::reports::build_csv_files(rr)) {
      twin::write_file_atomic(path(name.c_str()), text);
      written.push_back(path(name.c_str()));
    }
  if (wants(a, "trace")) {
    twin::write_file_atomic(path("trace.json"), twin::reports::build_trace(rr));
    written.push_back(path("trace.json"));
  }
  if (wants(a, "lineage")) {
    twin::write_file_atomic(path("lineage.jsonl"), twin::reports::build_lineage(rr));
    written.push_back(path("lineage.jsonl"));
  }
  std::int64_t experiments = 0;
  for (const auto& s : rr.sims)
    for (const auto& c : s.campaigns) experiments += c.experiments;
  nlohmann::ordered_json info;
  info["program"] = "twin";
  info["version"] = "0.1.0";
  info["scenario_file"] = sc.file;
  info["jobs"] = opt.jobs;
  info["simulations"] = rr.sims.size();
  info["attribution"] = a.attribution;
  info["attribution_simulations"] = rr.attribution.simulations;
  info["wall_s"] = wall;
  info["simulated_experiments"] = experiments;
  info["experiments_per_wall_s"] = wall > 0 ? static_cast<double>(experiments) / wall : 0.0;
  twin::write_file_atomic((std::filesystem::path(out) / "run-info.json").string(), info.dump(2) + "\n");
  if (!a.quiet) std::cout << twin::reports::summary_text(report);
  if (wants(a, "json")) std::cout << "Report: " << report_path << "\n";
  else if (!written.empty()) std::cout << "Report: " << written.front() << "\n";
  if (!a.quiet)
    for (const auto& w : written)
      if (w != report_path && w != written.front()) std::cout << "Also: " << w << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Genesis Twin: a deterministic digital twin of a national closed-loop AI science platform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "twin 0.1.0");
  int exit_code = 0;

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Run every simulation of a scenario and write the report");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (default: the embedded national default)");
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed")->check(twin::cli::non_negative_integer());
  run_cmd->add_option("--replications", run.replications, "Override the number of replications")
      ->check(twin::cli::positive_integer());
  run_cmd->add_option("--out", run.out, "Output folder (default: ./out/<scenario name>/)");
  run_cmd->add_option("--jobs,-j", run.jobs, "Simulations run at once (default, and 0: the number of cores)")
      ->check(twin::cli::jobs_check());
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print only the report's path; no progress");
  run_cmd->add_flag("--progress", run.progress,
                    "Show progress on stderr even when it is not a terminal (default: only on a terminal)");
  run_cmd->add_option("--outputs", run.outputs, "Files to write, comma-separated: json, html, csv, trace, lineage")
      ->delimiter(',')
      ->check(CLI::IsMember({"json", "html", "csv", "trace", "lineage"}))
      ->default_str("json,html");
  run_cmd->add_flag("--trace", run.trace, "Also write trace.json (same as adding trace to --outputs)");
  run_cmd->add_option("--trace-window", run.trace_window,
                      "Trace only slices overlapping FROM:TO (simulated days since the start), e.g. 0:30");
  run_cmd->add_option("--trace-max-spans", run.trace_max_spans,
                      "Slices kept per traced simulation; later ones are counted, not kept (default 50000)")
      ->check(twin::cli::positive_integer());
  run_cmd->add_option("--trace-replication", run.trace_replication,
                      "The replication traced (both modes); -1 traces every one (default 0)")
      ->check(CLI::Range(-1, 1000000));
  run_cmd->add_option("--attribution", run.attribution,
                      "What each ingredient adds to the multiplier: ladder (default: baseline, + AI choice, + "
                      "continuous decisions, + automated hand-offs, + labs 24/7; 3 more modes per replication), "
                      "shapley (Shapley values over the 5 ingredients: up to 30 more modes per replication), off")
      ->check(CLI::IsMember({"ladder", "shapley", "off"}))
      ->default_str("ladder");
  run_cmd->add_flag("--background-jobs", run.background_jobs,
                    "jobs.csv also lists the facilities' own background jobs (large)");
  run_cmd->add_option("--log", run.log,
                      "Diagnostics on stderr, through SimGrid's log categories (repeatable): e.g. "
                      "--log=twin.thres:debug shows what every part decides, --log=twin.lab.thres:debug the labs "
                      "only (categories: twin.run, twin.hpc, twin.lab, twin.agents, twin.net). Never in report.json")
      ->transform(twin::cli::log_setting_check())
      ->allow_extra_args(false);

  std::vector<std::string> to_validate;
  auto* val_cmd = app.add_subcommand("validate", "Check scenario files; report every error found");
  val_cmd->add_option("scenarios", to_validate, "Scenario files")->required();

  auto* schema_cmd = app.add_subcommand("schema", "Print the scenario JSON Schema");
  bool models_json = false;
  auto* models_cmd = app.add_subcommand("models", "List every kind the twin can model, with its parameters");
  models_cmd->add_flag("--json", models_json, "As JSON");

  twin::cli::add_extra_commands(app, exit_code);

  try {
    const std::string unknown = twin::cli::unknown_command_message(app, argc, argv);
    if (!unknown.empty()) throw CLI::ParseError(unknown, CLI::ExitCodes::ExtrasError);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return twin::cli::guarded([&]() -> int {
    if (run_cmd->parsed()) return cmd_run(run);
    if (val_cmd->parsed()) {
      int bad = 0;
      for (const auto& f : to_validate) {
        try {
          const twin::Scenario sc = twin::load_scenario(f);
          std::printf("%s: valid (%zu sites, %zu HPC systems, %zu labs, %zu campaigns)\n", f.c_str(), sc.sites.size(),
                      sc.hpc.size(), sc.labs.size(), sc.campaigns.size());
          for (const auto& w : twin::access_warnings(sc)) std::fprintf(stderr, "warning: %s: %s\n", f.c_str(), w.c_str());
        } catch (const twin::core::ScenarioError& e) {
          print_scenario_errors(e);
          ++bad;
        }
      }
      return bad ? code(ExitCode::SCENARIO) : 0;
    }
    if (schema_cmd->parsed()) {
      std::cout << twin::scenario_schema_text();
      return 0;
    }
    if (models_cmd->parsed()) {
      std::cout << twin::models_catalog(models_json);
      return 0;
    }
    return exit_code;
  });
}
