#pragma once
// The variants of a sweep: a grid (every combination, the first parameter
// varying slowest) or a seeded random or Latin-hypercube sample, and the
// scenario text of each variant (the base with every pointer patched).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twin/sweep/SweepSpec.hpp"

namespace twin::sweep {

struct Variant {
  int index = 0;
  std::vector<nlohmann::json> values;  ///< one per parameter, sweep order
};

/// The design's variants, indexed from 0. Random and LHS draws come from
/// core::Rng streams keyed by (design seed, parameter name), so adding a
/// parameter does not change another's values.
std::vector<Variant> make_design(const SweepSpec& spec);

/// Checks that every `set` and parameter pointer leads into the base
/// scenario (its parent exists; an array element exists). Throws
/// core::ScenarioError naming the sweep file and the sweep's own pointer.
void check_pointers(const SweepSpec& spec, const nlohmann::json& base_doc);

/// The base scenario with `set` and then the variant's values patched in,
/// as JSON text.
std::string variant_text(const SweepSpec& spec, const nlohmann::json& base_doc, const Variant& v);

/// "robots=2, nodes=16": a variant in words.
std::string variant_label(const SweepSpec& spec, const Variant& v);

/// The base scenario's text parsed as JSON (comments allowed).
nlohmann::json parse_base(const SweepSpec& spec);

}  // namespace twin::sweep
