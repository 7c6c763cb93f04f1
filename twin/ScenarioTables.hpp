#pragma once
// The parameter tables of every part of a scenario (twin/ParamTable.hpp):
// the top level, sites, the network and its links, HPC systems with their
// scheduler and background workload, labs with their stations, robots,
// technicians and staffed hours, workflow steps, data stores, campaigns and
// their agents (one table per mode). parse_scenario() reads a file through
// them; `twin models` lists them; `twin schema` is generated from them.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "twin/ParamTable.hpp"
#include "twin/Scenario.hpp"

namespace twin {

/// What the rows have read so far, for checks that look across parts.
struct ParseContext {
  std::string file;  ///< the scenario file; relative paths resolve against its folder
  Scenario* sc = nullptr;
  std::set<std::string> site_names;
  std::vector<std::string> site_list;  ///< sorted
  std::set<std::string> routers;
  /// The lab being read: its station kinds (index by kind), and its
  /// workflow's references by name, resolved once every step is read.
  std::string lab_name;
  std::map<std::string, int> station_index;
  int next_station = 0;
  struct StepRefs {
    std::string name, station, retry_from;
    std::vector<std::string> after;
  };
  std::vector<StepRefs> steps;
  /// Per campaign read: a threshold target's direction (true: value_at_least),
  /// checked against the kernel's goal once the kernel is built.
  std::vector<std::optional<bool>> target_maximize;
};

/// The top-level table; it holds every other one.
const Table<Scenario>& scenario_table();

/// Every table's documentation reachable from the top level, the top level
/// first, then depth first in key order (each table once).
std::vector<std::shared_ptr<const TableDoc>> scenario_table_docs();

}  // namespace twin
