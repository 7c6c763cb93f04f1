#include "twin/cli/InventoryCommand.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "twin/Output.hpp"
#include "twin/Scenario.hpp"
#include "twin/cli/CliSupport.hpp"
#include "twin/cli/Inventory.hpp"
#include "twin/core/Errors.hpp"

namespace twin::cli {

namespace {

struct InventoryArgs {
  std::string scenario;
  int day = 90;
  std::string out;
};

int run_inventory(const InventoryArgs& a) {
  using core::ExitCode;
  const Scenario sc = a.scenario.empty() ? default_scenario() : load_scenario(a.scenario);
  const Inventory inv = inventory_of(sc, a.day);
  const std::string out = a.out.empty() ? "out/" + sc.name : a.out;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot create output folder %s: %s\n", out.c_str(), ec.message().c_str());
    return static_cast<int>(ExitCode::SCENARIO);
  }
  const std::string json_path = (std::filesystem::path(out) / "inventory.json").string();
  const std::string csv_path = (std::filesystem::path(out) / "inventory.csv").string();
  try {
    write_file_atomic(json_path, inventory_json(inv).dump(2) + "\n");
    write_file_atomic(csv_path, inventory_csv(inv));
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return static_cast<int>(ExitCode::SCENARIO);
  }
  std::fputs(inventory_text(inv).c_str(), stdout);
  std::printf("\nInventory: %s\nAlso: %s\n", json_path.c_str(), csv_path.c_str());
  return 0;
}

}  // namespace

void add_inventory_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<InventoryArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inventory",
      "What the platform holds on day D (at 00:00 of the day; planned windows only, no simulation): HPC systems "
      "online (nodes, GPUs, Rmax or peak, power), data stores, network links and their capacity with the upgrades "
      "in force, robotic labs online (stations, robots, AI-directed readiness = the share of workflow steps that "
      "run without people), campaigns active, and what is not there that day and why. Writes DIR/inventory.json "
      "and DIR/inventory.csv");
  cmd->add_option("scenario", args->scenario, "Scenario file (default: the embedded national default)");
  cmd->add_option("--day", args->day, "Day since the scenario's start date (default: 90)")
      ->check(non_negative_integer());
  cmd->add_option("--out", args->out, "Output folder (default: ./out/<scenario name>/)");
  cmd->callback([args, &exit_code]() { exit_code = guarded([&] { return run_inventory(*args); }, false); });
}

}  // namespace twin::cli
