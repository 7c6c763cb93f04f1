// Sweep file -> parse (twin/sweep/SweepSpec), the base scenario, the pointer
// checks and the design, as `twin sweep --check` plans it; the first
// variants' scenario text is parsed too (a sweep validates every variant).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/FuzzSupport.hpp"
#include "twin/Scenario.hpp"
#include "twin/sweep/Design.hpp"
#include "twin/sweep/SweepSpec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace twin;
  static const std::string file = fuzz::source_dir() + "/scenarios/sweeps/fuzz-input.json";
  const std::string text(fuzz::as_text(data, size));
  try {
    const sweep::SweepSpec spec = sweep::parse_sweep(text, file);
    const nlohmann::json base = sweep::parse_base(spec);
    sweep::check_pointers(spec, base);
    const std::vector<sweep::Variant> variants = sweep::make_design(spec);
    // Two variants are enough to reach the patching and the variant labels;
    // parsing every variant's scenario would only repeat the scenario target.
    for (std::size_t i = 0; i < variants.size() && i < 2; ++i) {
      (void)sweep::variant_label(spec, variants[i]);
      const std::string vt = sweep::variant_text(spec, base, variants[i]);
      try {
        (void)parse_scenario(vt, spec.base_file);
      } catch (const core::ScenarioError& e) {
        fuzz::check_error(e);
      }
    }
  } catch (const core::ScenarioError& e) {
    fuzz::check_error(e);
  }
  return 0;
}
