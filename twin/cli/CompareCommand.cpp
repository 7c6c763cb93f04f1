#include "twin/cli/CompareCommand.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "reports/Compare.hpp"
#include "twin/Output.hpp"
#include "twin/cli/OptionChecks.hpp"
#include "twin/core/Errors.hpp"

namespace twin::cli {

namespace {

struct CompareArgs {
  std::string a;
  std::string b;
  std::string html;
  std::string json;
  bool all = false;
};

int run_compare(const CompareArgs& args) {
  using core::ExitCode;
  nlohmann::ordered_json ra, rb;
  try {
    ra = reports::load_report(args.a);
    rb = reports::load_report(args.b);
  } catch (const core::ScenarioError& e) {
    print_scenario_errors(e, false);
    return static_cast<int>(ExitCode::SCENARIO);
  }
  const nlohmann::ordered_json cmp = reports::compare_reports(ra, rb, args.a, args.b);
  std::fputs(reports::compare_text(cmp, args.all).c_str(), stdout);
  try {
    if (!args.html.empty()) {
      write_file_atomic(args.html, reports::render_html_compare(cmp, args.all));
      std::printf("HTML: %s\n", args.html.c_str());
    }
    if (!args.json.empty()) {
      write_file_atomic(args.json, cmp.dump(2) + "\n");
      std::printf("JSON: %s\n", args.json.c_str());
    }
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return static_cast<int>(ExitCode::SCENARIO);
  }
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "Compare two reports: headline, campaigns and resources, side by side");
  cmd->add_option("a", args->a, "Report A: a report.json, or a folder holding one")->required();
  cmd->add_option("b", args->b, "Report B: a report.json, or a folder holding one")->required();
  cmd->add_option("--html", args->html, "Also write the comparison as a self-contained HTML page to this file");
  cmd->add_option("--json", args->json, "Also write the comparison as JSON to this file");
  cmd->add_flag("--all", args->all, "Show unchanged campaign and resource rows too");
  cmd->callback([args, &exit_code]() { exit_code = run_compare(*args); });
}

}  // namespace twin::cli
