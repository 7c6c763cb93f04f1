#pragma once
// The HTML report's section on data, models and lineage (see reports/HtmlData.cpp).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twin::reports {

/// Appends <section id="data"> to `out`: datasets and caches when the
/// scenario has datasets, foundation models when it has models, and the
/// lineage of each campaign's first discoveries as a timeline (always,
/// where there is one).
void data_section(std::string& out, const nlohmann::ordered_json& report, const std::vector<std::string>& modes);

}  // namespace twin::reports
