#pragma once
// Routes between sites: shortest paths by latency (ties: fewer hops, then
// the lower link index) over the scenario's network graph of sites and
// routers, computed with Boost.Graph's Dijkstra on vecS storage so the
// result never depends on addresses.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "twin/Scenario.hpp"

namespace twin {

struct Hop {
  std::size_t link = 0;  ///< index in scenario.network.links
  bool forward = true;   ///< traversed from `from` to `to`
};

/// For every ordered pair of distinct sites, the hops of its route.
/// Throws core::ScenarioError if some pair is not connected.
std::map<std::pair<std::string, std::string>, std::vector<Hop>> compute_routes(const Scenario& sc);

/// The shortest route from `from` to `to` (same rules) over only the links
/// with usable[link] true, in `hops`; false if there is none.
bool route_over(const Scenario& sc, const std::string& from, const std::string& to, const std::vector<bool>& usable,
                std::vector<Hop>& hops);

/// Per link of the scenario: whether it is cleared for `label`.
std::vector<bool> links_cleared(const Scenario& sc, core::Label label);

/// Whether data labelled `label` can ever go from `from` to `to` (the same
/// site, or some route over links cleared for it, up or not).
bool cleared_route(const Scenario& sc, const std::string& from, const std::string& to, core::Label label);

/// Whether some transfer may leave the fixed routes: a link can go down, or
/// some link is not cleared for the highest label of a campaign.
bool routes_may_change(const Scenario& sc);

}  // namespace twin
