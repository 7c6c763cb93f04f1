#pragma once
// SimResult to and from JSON: how a child simulation process hands its
// result to the parent. Doubles round-trip exactly (shortest repr).
#include <nlohmann/json.hpp>

#include "twin/core/RunResult.hpp"

namespace twin {

nlohmann::json sim_result_to_json(const core::SimResult& r);
/// Throws std::runtime_error on malformed input.
core::SimResult sim_result_from_json(const nlohmann::json& j);

}  // namespace twin
