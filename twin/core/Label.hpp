#pragma once
// Access labels and clearances. Data, campaigns and the work they send carry
// a label; facilities (sites, HPC systems, clouds, labs, data stores, links)
// a clearance: the highest label they may hold. The labels are ordered:
//
//   public < cui < export_controlled < classified
//
// so "cleared for" is a comparison. Scenario files, reports and the command
// line spell them as below.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::core {

enum class Label : int { PUBLIC = 0, CUI, EXPORT_CONTROLLED, CLASSIFIED };

/// Every label, lowest first.
inline constexpr std::array<Label, 4> ALL_LABELS = {Label::PUBLIC, Label::CUI, Label::EXPORT_CONTROLLED,
                                                    Label::CLASSIFIED};

constexpr const char* to_string(Label l) {
  switch (l) {
    case Label::PUBLIC: return "public";
    case Label::CUI: return "cui";
    case Label::EXPORT_CONTROLLED: return "export_controlled";
    case Label::CLASSIFIED: return "classified";
  }
  return "public";
}

constexpr std::optional<Label> label_from_string(std::string_view s) {
  for (Label l : ALL_LABELS)
    if (s == to_string(l)) return l;
  return std::nullopt;
}

/// Whether a facility of clearance `clearance` may hold work or data labelled `label`.
constexpr bool cleared_for(Label clearance, Label label) { return static_cast<int>(label) <= static_cast<int>(clearance); }

/// The labels as (name, value) pairs, for the scenario's choice keys.
inline std::vector<std::pair<std::string, Label>> label_choices() {
  std::vector<std::pair<std::string, Label>> out;
  for (Label l : ALL_LABELS) out.emplace_back(to_string(l), l);
  return out;
}

}  // namespace twin::core
