// The `twin` program: run, validate, schema, models (and the subcommands in
// twin/cli/). Exit codes: 0 success; CLI11's own codes for usage errors;
// 2 scenario or input errors; 3 internal errors; 4 a simulation failed.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "reports/HtmlReport.hpp"
#include "reports/Report.hpp"
#include "twin/Facts.hpp"
#include "twin/ModelsCatalog.hpp"
#include "twin/Output.hpp"
#include "twin/Runner.hpp"
#include "twin/Scenario.hpp"
#include "twin/cli/Commands.hpp"
#include "twin/core/Errors.hpp"

namespace {

using twin::core::ExitCode;

int code(ExitCode c) { return static_cast<int>(c); }

void print_scenario_errors(const twin::core::ScenarioError& e) {
  for (const auto& d : e.diagnostics()) std::fprintf(stderr, "error: %s\n", d.str().c_str());
  std::fprintf(stderr, "%zu error%s\n", e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
}

struct RunArgs {
  std::string scenario;
  std::int64_t seed = -1;
  int replications = 0;
  std::string out;
  int jobs = 0;
  bool quiet = false;
};

int cmd_run(const RunArgs& a) {
  twin::Scenario sc = a.scenario.empty() ? twin::default_scenario() : twin::load_scenario(a.scenario);
  if (a.seed >= 0) sc.seed = static_cast<std::uint64_t>(a.seed);
  if (a.replications > 0) sc.replications = a.replications;
  const std::string out = a.out.empty() ? "out/" + sc.name : a.out;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot create output folder %s: %s\n", out.c_str(), ec.message().c_str());
    return code(ExitCode::SCENARIO);
  }
  twin::RunOptions opt;
  opt.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (const char* cfg = std::getenv("TWIN_SIMGRID_CFG")) opt.simgrid_cfg = cfg;
  const bool tty = ::isatty(STDERR_FILENO) && !a.quiet;
  if (tty)
    opt.on_progress = [](int done, int total) {
      std::fprintf(stderr, "\rsimulations: %d/%d", done, total);
      if (done == total) std::fprintf(stderr, "\n");
    };
  // Wall-clock time goes to run-info.json only, never into the simulation or report.json.
  const auto t0 = std::chrono::steady_clock::now();
  twin::core::RunResult rr = twin::run_scenario(sc, opt);
  rr.scenario = twin::scenario_facts(sc);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto report = twin::reports::build_report(rr);
  const std::string report_path = (std::filesystem::path(out) / "report.json").string();
  twin::write_file_atomic(report_path, report.dump(2) + "\n");
  twin::write_file_atomic((std::filesystem::path(out) / "report.html").string(), twin::reports::render_html_report(report));
  std::int64_t experiments = 0;
  for (const auto& s : rr.sims)
    for (const auto& c : s.campaigns) experiments += c.experiments;
  nlohmann::ordered_json info;
  info["program"] = "twin";
  info["version"] = "0.1.0";
  info["scenario_file"] = sc.file;
  info["jobs"] = opt.jobs;
  info["simulations"] = rr.sims.size();
  info["wall_s"] = wall;
  info["simulated_experiments"] = experiments;
  info["experiments_per_wall_s"] = wall > 0 ? static_cast<double>(experiments) / wall : 0.0;
  twin::write_file_atomic((std::filesystem::path(out) / "run-info.json").string(), info.dump(2) + "\n");
  if (!a.quiet) std::cout << twin::reports::summary_text(report);
  std::cout << "Report: " << report_path << "\n";
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
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed")->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--replications", run.replications, "Override the number of replications")->check(CLI::PositiveNumber);
  run_cmd->add_option("--out", run.out, "Output folder (default: ./out/<scenario name>/)");
  run_cmd->add_option("--jobs,-j", run.jobs, "Simulations run at once (default: the number of cores)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print only the report's path");

  std::vector<std::string> to_validate;
  auto* val_cmd = app.add_subcommand("validate", "Check scenario files; report every error found");
  val_cmd->add_option("scenarios", to_validate, "Scenario files")->required();

  auto* schema_cmd = app.add_subcommand("schema", "Print the scenario JSON Schema");
  bool models_json = false;
  auto* models_cmd = app.add_subcommand("models", "List every kind the twin can model, with its parameters");
  models_cmd->add_flag("--json", models_json, "As JSON");

  twin::cli::add_extra_commands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (run_cmd->parsed()) return cmd_run(run);
    if (val_cmd->parsed()) {
      int bad = 0;
      for (const auto& f : to_validate) {
        try {
          const twin::Scenario sc = twin::load_scenario(f);
          std::printf("%s: valid (%zu sites, %zu HPC systems, %zu labs, %zu campaigns)\n", f.c_str(), sc.sites.size(),
                      sc.hpc.size(), sc.labs.size(), sc.campaigns.size());
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
  } catch (const twin::core::ScenarioError& e) {
    print_scenario_errors(e);
    return code(ExitCode::SCENARIO);
  } catch (const twin::SimulationFailure& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return code(ExitCode::SIMULATION);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return code(ExitCode::INTERNAL);
  }
}
