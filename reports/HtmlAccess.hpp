#pragma once
// The HTML report's section on access rules, clouds and money (see reports/HtmlAccess.cpp).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twin::reports {

/// Appends <section id="access"> to `out` when the report has labels above
/// public, bursting or prices; nothing otherwise.
void access_section(std::string& out, const nlohmann::ordered_json& report, const std::vector<std::string>& modes);

}  // namespace twin::reports
