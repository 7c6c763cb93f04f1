#include "twin/sim/Platform.hpp"

#include <algorithm>
#include <cmath>

namespace twin::sim {

namespace sg4 = simgrid::s4u;

Platform::Platform(const Scenario& sc) : routes_(compute_routes(sc)) {
  sg4::NetZone* root = sg4::create_full_zone("genesis");
  std::map<std::string, sg4::NetZone*> zones;
  std::map<std::string, simgrid::kernel::routing::NetPoint*> gateways;
  for (const auto& site : sc.sites) {
    sg4::NetZone* z = sg4::create_full_zone(site.name);
    z->set_parent(root);
    auto* gw = z->create_router(site.name + ".gw");
    sg4::Host* dtn = z->create_host(site.name + ".dtn", 1e12);
    sg4::Host* svc = z->create_host(site.name + ".svc", sc.agent_speed_flops);
    svc->set_core_count(64);
    dtn->seal();
    svc->seal();
    const sg4::Link* l_dtn = z->create_link(site.name + ".lan.dtn", site.lan_bandwidth_bps)->set_latency(site.lan_latency_s)->seal();
    const sg4::Link* l_svc = z->create_link(site.name + ".lan.svc", site.lan_bandwidth_bps)->set_latency(site.lan_latency_s)->seal();
    z->add_route(dtn->get_netpoint(), gw, nullptr, nullptr, {sg4::LinkInRoute(l_dtn)}, true);
    z->add_route(svc->get_netpoint(), gw, nullptr, nullptr, {sg4::LinkInRoute(l_svc)}, true);
    z->add_route(dtn->get_netpoint(), svc->get_netpoint(), nullptr, nullptr,
                 {sg4::LinkInRoute(l_dtn), sg4::LinkInRoute(l_svc)}, true);
    dtn_[site.name] = dtn;
    svc_[site.name] = svc;
    zones[site.name] = z;
    gateways[site.name] = gw;
  }
  for (const auto& h : sc.hpc) {
    // Node groups: one host per group of nodes, one core per node, so a job
    // on k nodes of a group runs at k nodes' speed and never shares a core.
    int group = h.node_group > 0 ? h.node_group : std::max(1, (h.nodes + 63) / 64);
    group = std::min(group, h.nodes);
    HpcHosts hh;
    hh.nodes_per_host = group;
    sg4::NetZone* z = zones.at(h.site);
    const int hosts = (h.nodes + group - 1) / group;
    for (int i = 0; i < hosts; ++i) {
      const int cores = std::min(group, h.nodes - i * group);
      sg4::Host* host = z->create_host(h.name + ".g" + std::to_string(i), h.node_speed_flops);
      host->set_core_count(cores);
      host->seal();
      hh.hosts.push_back(host);
    }
    hpc_[h.name] = std::move(hh);
  }
  std::vector<sg4::SplitDuplexLink*> backbone;
  for (const auto& l : sc.network.links) {
    auto* link = root->create_split_duplex_link("bb." + l.name, l.bandwidth_bps);
    link->set_latency(l.latency_s);
    link->seal();
    backbone.push_back(link);
  }
  backbone_ = backbone;
  if (routes_may_change(sc)) {
    // A zone of its own holds the two ends of every backbone link.
    sg4::NetZone* ends = sg4::create_full_zone("genesis.link-ends");
    ends->set_parent(root);
    for (std::size_t i = 0; i < sc.network.links.size(); ++i) {
      sg4::Host* a = ends->create_host("bb." + sc.network.links[i].name + ".a", 1e12);
      sg4::Host* b = ends->create_host("bb." + sc.network.links[i].name + ".b", 1e12);
      a->seal();
      b->seal();
      ends->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr,
                      {sg4::LinkInRoute(backbone[i], sg4::LinkInRoute::Direction::UP)}, false);
      ends->add_route(b->get_netpoint(), a->get_netpoint(), nullptr, nullptr,
                      {sg4::LinkInRoute(backbone[i], sg4::LinkInRoute::Direction::DOWN)}, false);
      link_ends_.emplace_back(a, b);
    }
    ends->seal();
  }
  for (auto& [site, z] : zones) z->seal();
  for (const auto& [pair, hops] : routes_) {
    std::vector<sg4::LinkInRoute> links;
    for (const auto& hop : hops)
      links.emplace_back(backbone[hop.link],
                         hop.forward ? sg4::LinkInRoute::Direction::UP : sg4::LinkInRoute::Direction::DOWN);
    root->add_route(zones.at(pair.first)->get_netpoint(), zones.at(pair.second)->get_netpoint(),
                    gateways.at(pair.first), gateways.at(pair.second), links, false);
  }
  root->seal();
}

sg4::Host* Platform::link_end(std::size_t link, bool from_side) const {
  if (link >= link_ends_.size()) return nullptr;
  return from_side ? link_ends_[link].first : link_ends_[link].second;
}

const std::vector<Hop>& Platform::route(const std::string& from, const std::string& to) const {
  auto it = routes_.find({from, to});
  return it == routes_.end() ? none_ : it->second;
}

}  // namespace twin::sim
