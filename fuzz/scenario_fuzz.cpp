// Scenario text -> parse and validate (twin/ScenarioParser, the parameter
// tables), then the facts a report and a sweep take from a valid scenario.
// Any exception other than core::ScenarioError is a finding: the program
// would report it as an internal error instead of a clear message.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/FuzzSupport.hpp"
#include "twin/Facts.hpp"
#include "twin/Scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string file = twin::fuzz::source_dir() + "/scenarios/fuzz-input.json";
  const std::string text(twin::fuzz::as_text(data, size));
  try {
    const twin::Scenario sc = twin::parse_scenario(text, file);
    (void)twin::scenario_facts(sc);
  } catch (const twin::core::ScenarioError& e) {
    twin::fuzz::check_error(e);
  }
  return 0;
}
