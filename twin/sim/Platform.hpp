#pragma once
// Builds the SimGrid platform of a scenario: one NetZone per site (a
// gateway router, a data-transfer host "<site>.dtn", a service host
// "<site>.svc" for agents and lab controllers, and the HPC node hosts),
// the backbone links (split-duplex: each direction has the full bandwidth)
// and the routes between sites from compute_routes().
#include <map>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "twin/Routing.hpp"
#include "twin/Scenario.hpp"

namespace twin::sim {

struct HpcHosts {
  std::vector<simgrid::s4u::Host*> hosts;
  int nodes_per_host = 1;
};

class Platform {
 public:
  /// Builds into the current engine (which must exist and have no platform yet).
  explicit Platform(const Scenario& sc);
  simgrid::s4u::Host* dtn(const std::string& site) const { return dtn_.at(site); }
  simgrid::s4u::Host* svc(const std::string& site) const { return svc_.at(site); }
  const HpcHosts& hpc(const std::string& name) const { return hpc_.at(name); }
  /// Scenario link indices on the route between two sites (empty within a site).
  const std::vector<Hop>& route(const std::string& from, const std::string& to) const;
  /// Backbone link `link` (in the scenario's order).
  simgrid::s4u::SplitDuplexLink* backbone(std::size_t link) const { return backbone_[link]; }
  /// The hosts at the two ends of backbone link `link` (its `from` side when
  /// `from_side`), joined by that link alone: a rerouted transfer crosses its
  /// route hop by hop. Built only when routes may change (twin/Routing.hpp:
  /// routes_may_change); else null.
  simgrid::s4u::Host* link_end(std::size_t link, bool from_side) const;

 private:
  std::map<std::string, simgrid::s4u::Host*> dtn_, svc_;
  std::map<std::string, HpcHosts> hpc_;
  std::map<std::pair<std::string, std::string>, std::vector<Hop>> routes_;
  std::vector<Hop> none_;
  std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>> link_ends_;
  std::vector<simgrid::s4u::SplitDuplexLink*> backbone_;
};

}  // namespace twin::sim
