#pragma once
// The scenario JSON Schema, generated from the parameter tables: `twin
// schema` prints it, and scenarios/scenario.schema.json is its output (a test
// fails when they differ; regenerate with
// `twin schema > scenarios/scenario.schema.json`).
#include <string>

#include <nlohmann/json.hpp>

#include "twin/ParamTable.hpp"

namespace twin {

/// The schema of one table's objects.
nlohmann::ordered_json table_schema(const TableDoc& t);
/// The schema of one key's value (its description, default and range included).
nlohmann::ordered_json param_schema(const ParamDoc& p);
/// The whole scenario schema, as text (2-space indents, a final newline).
std::string generate_scenario_schema();

}  // namespace twin
