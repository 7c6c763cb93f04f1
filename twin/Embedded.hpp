#pragma once
// Files compiled into the program: the national default scenario and the data
// it needs (the scenario JSON Schema is generated from the parameter tables:
// twin/ScenarioSchema.hpp), keyed by their path in the
// repository ("scenarios/genesis-national.json"). Generated at build time
// from the files themselves (cmake/embed.cmake), so they cannot drift.
#include <map>
#include <string>

namespace twin {
const std::map<std::string, std::string>& embedded_files();
}
