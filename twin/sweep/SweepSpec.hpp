#pragma once
// A sweep file (JSON, comments allowed): a base scenario, the parameters to
// vary (each a JSON pointer into the scenario with a list or a range of
// values), a design (grid, or a seeded random or Latin-hypercube sample),
// replications, and extra outputs to collect from each run's report.
//
//   {
//     "sweep_version": 1,
//     "name": "single-lab-whatif",
//     "base": "../single-lab.json",        // relative to this file; omitted: the embedded default
//     "set": {"/horizon_days": 30},         // fixed overrides applied to every variant
//     "replications": 3,
//     "design": {"kind": "grid"},           // or {"kind": "lhs"|"random", "samples": 20, "seed": 7}
//     "parameters": [
//       {"name": "robots", "pointer": "/labs/0/robots", "values": [1, 2]},
//       {"name": "nodes", "pointer": "/hpc/0/nodes", "range": {"from": 8, "to": 32, "step": 8}}
//     ],
//     "outputs": [{"name": "oer_cl", "pointer": "/campaigns/0/modes/closed_loop/discoveries/mean"}]
//   }
//
// A grid range needs `step` or `count`; a sampled design draws a range as a
// continuous interval [from, to] (`integer`: rounded, `log`: uniform in log).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace twin::sweep {

struct RangeSpec {
  double from = 0, to = 0;
  std::optional<double> step;
  std::optional<int> count;
  bool integer = false;
  bool log = false;
};

struct ParameterSpec {
  std::string name;
  std::string pointer;                 ///< into the scenario
  std::vector<nlohmann::json> values;  ///< a list; empty when `range` is used
  std::optional<RangeSpec> range;
};

struct OutputSpec {
  std::string name;
  std::string pointer;  ///< into one run's report.json (one replication)
};

enum class DesignKind { GRID, RANDOM, LHS };

struct SweepSpec {
  std::string file;       ///< the sweep file, as given
  std::string name;
  std::string base_file;  ///< path the base scenario resolves its own relative paths against
  std::string base_label; ///< as written in the sweep file ("<embedded>" for the default)
  std::string base_text;  ///< the base scenario's text
  std::vector<std::pair<std::string, nlohmann::json>> set;  ///< fixed overrides, file order
  int replications = 0;   ///< 0 = the base scenario's
  DesignKind design = DesignKind::GRID;
  int samples = 0;        ///< random / lhs
  std::uint64_t design_seed = 1;
  std::vector<ParameterSpec> parameters;
  std::vector<OutputSpec> outputs;
};

/// Parses sweep text; `file` names it in errors and anchors the base path.
/// Throws core::ScenarioError with every problem found (file:pointer: message).
SweepSpec parse_sweep(const std::string& text, const std::string& file);
/// Reads and parses a sweep file (and reads its base scenario's text).
SweepSpec load_sweep(const std::string& path);

/// The values a grid takes for one parameter (list, or range by step/count).
std::vector<nlohmann::json> grid_values(const ParameterSpec& p);

std::string design_name(DesignKind k);

}  // namespace twin::sweep
