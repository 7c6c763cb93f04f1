#include "twin/Routing.hpp"

#include <algorithm>

#include "twin/core/Errors.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace twin {

namespace {

struct EdgeProps {
  double weight = 0;
  std::size_t link = 0;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, EdgeProps>;

/// The scenario's network as a graph of sites then routers; links for
/// which `usable` says false are left out.
struct Net {
  std::vector<std::string> nodes;
  std::map<std::string, std::size_t> index;
  Graph g;
  Net(const Scenario& sc, const std::vector<bool>* usable) {
    for (const auto& s : sc.sites) {
      index[s.name] = nodes.size();
      nodes.push_back(s.name);
    }
    for (const auto& r : sc.network.routers) {
      index[r] = nodes.size();
      nodes.push_back(r);
    }
    g = Graph(nodes.size());
    const auto& links = sc.network.links;
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (usable && !(*usable)[i]) continue;
      // Latency first; one nanosecond per hop prefers fewer hops among equals,
      // and a vanishing index term makes every tie deterministic.
      const double w = links[i].latency_s + 1e-9 + 1e-15 * static_cast<double>(i);
      boost::add_edge(index.at(links[i].from), index.at(links[i].to), EdgeProps{w, i}, g);
    }
  }
  std::vector<Graph::vertex_descriptor> tree(std::size_t s) const {
    std::vector<Graph::vertex_descriptor> pred(nodes.size());
    std::vector<double> dist(nodes.size());
    boost::dijkstra_shortest_paths(g, s,
                                   boost::predecessor_map(pred.data())
                                       .distance_map(dist.data())
                                       .weight_map(boost::get(&EdgeProps::weight, g)));
    return pred;
  }
  /// The hops from s to v along the tree; false if v is not reached.
  bool path(const Scenario& sc, const std::vector<Graph::vertex_descriptor>& pred, std::size_t s, std::size_t v,
            std::vector<Hop>& hops) const {
    const auto& links = sc.network.links;
    hops.clear();
    while (v != s) {
      const std::size_t u = pred[v];
      if (u == v) return false;
      // The cheapest edge between u and v (parallel links possible).
      std::size_t best = SIZE_MAX;
      double best_w = 0;
      for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
        if (boost::target(*e, g) != v) continue;
        if (best == SIZE_MAX || g[*e].weight < best_w) {
          best = g[*e].link;
          best_w = g[*e].weight;
        }
      }
      hops.push_back(Hop{best, links[best].from == nodes[u]});
      v = u;
    }
    std::reverse(hops.begin(), hops.end());
    return true;
  }
};

}  // namespace

std::map<std::pair<std::string, std::string>, std::vector<Hop>> compute_routes(const Scenario& sc) {
  const Net net(sc, nullptr);
  std::map<std::pair<std::string, std::string>, std::vector<Hop>> routes;
  for (const auto& src : sc.sites) {
    const std::size_t s = net.index.at(src.name);
    const auto pred = net.tree(s);
    for (const auto& dst : sc.sites) {
      if (dst.name == src.name) continue;
      std::vector<Hop> hops;
      if (!net.path(sc, pred, s, net.index.at(dst.name), hops))
        throw core::ScenarioError(sc.file, "/network", "no route from '" + src.name + "' to '" + dst.name + "'");
      routes[{src.name, dst.name}] = std::move(hops);
    }
  }
  return routes;
}

bool route_over(const Scenario& sc, const std::string& from, const std::string& to, const std::vector<bool>& usable,
                std::vector<Hop>& hops) {
  const Net net(sc, &usable);
  const std::size_t s = net.index.at(from);
  return net.path(sc, net.tree(s), s, net.index.at(to), hops);
}

std::vector<bool> links_cleared(const Scenario& sc, core::Label label) {
  std::vector<bool> out;
  for (const auto& l : sc.network.links) out.push_back(core::cleared_for(l.clearance, label));
  return out;
}

bool cleared_route(const Scenario& sc, const std::string& from, const std::string& to, core::Label label) {
  if (from == to) return true;
  std::vector<Hop> hops;
  return route_over(sc, from, to, links_cleared(sc, label), hops);
}

bool routes_may_change(const Scenario& sc) {
  core::Label top = core::Label::PUBLIC;
  for (const auto& c : sc.campaigns)
    if (static_cast<int>(c.classification) > static_cast<int>(top)) top = c.classification;
  for (const auto& l : sc.network.links)
    if (!l.availability.outages.empty() || l.availability.mtbf_s > 0 || l.availability.offline_from_s != core::NEVER ||
        l.availability.online_from_s > 0 || !core::cleared_for(l.clearance, top))
      return true;
  return false;
}

}  // namespace twin
