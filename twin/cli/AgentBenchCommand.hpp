#pragma once
// `twin bench-agent`: the field's offline pool benchmark (Liang et al. 2021)
// of a proposal policy on a CSV of real measurements. The protocol itself is
// agents/PoolBenchmark.hpp; this file only reads the file, parses flags and
// writes the outputs (each through a temporary file and a rename).
namespace CLI {
class App;
}

namespace twin::cli {

/// Registers the subcommand; on completion it stores the process exit code
/// (twin::core::ExitCode) in `exit_code`.
void add_agent_bench_command(CLI::App& app, int& exit_code);

}  // namespace twin::cli
