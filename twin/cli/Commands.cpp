#include "twin/cli/Commands.hpp"

#include "twin/cli/AdviseCommand.hpp"
#include "twin/cli/AgentBenchCommand.hpp"
#include "twin/cli/CompareCommand.hpp"
#include "twin/cli/InventoryCommand.hpp"
#include "twin/cli/ReplayCommand.hpp"
#include "twin/cli/SweepCommand.hpp"

namespace twin::cli {

void add_extra_commands(CLI::App& app, int& exit_code) {
  add_replay_command(app, exit_code);
  add_agent_bench_command(app, exit_code);
  add_compare_command(app, exit_code);
  add_sweep_command(app, exit_code);
  add_advise_command(app, exit_code);
  add_inventory_command(app, exit_code);
}

}  // namespace twin::cli
