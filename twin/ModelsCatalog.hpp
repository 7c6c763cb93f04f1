#pragma once
// Every kind the twin can model (schedulers, policies, kernels,
// distributions) with its documented parameters, and every scenario table
// (scenario.lab.station, ...) with its keys' units, defaults, ranges and
// docs, sorted: `twin models`.
#include <string>

namespace twin {
/// The catalog as text (human) or JSON (`as_json`).
std::string models_catalog(bool as_json);
}  // namespace twin
