#include "twin/Routing.hpp"

#include <algorithm>

#include "twin/core/Errors.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace twin {

std::map<std::pair<std::string, std::string>, std::vector<Hop>> compute_routes(const Scenario& sc) {
  std::vector<std::string> nodes;
  std::map<std::string, std::size_t> index;
  for (const auto& s : sc.sites) {
    index[s.name] = nodes.size();
    nodes.push_back(s.name);
  }
  for (const auto& r : sc.network.routers) {
    index[r] = nodes.size();
    nodes.push_back(r);
  }
  struct EdgeProps {
    double weight;
    std::size_t link;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, EdgeProps>;
  Graph g(nodes.size());
  const auto& links = sc.network.links;
  for (std::size_t i = 0; i < links.size(); ++i) {
    // Latency first; one nanosecond per hop prefers fewer hops among equals,
    // and a vanishing index term makes every tie deterministic.
    const double w = links[i].latency_s + 1e-9 + 1e-15 * static_cast<double>(i);
    boost::add_edge(index.at(links[i].from), index.at(links[i].to), EdgeProps{w, i}, g);
  }
  std::map<std::pair<std::string, std::string>, std::vector<Hop>> routes;
  for (const auto& src : sc.sites) {
    const std::size_t s = index.at(src.name);
    std::vector<Graph::vertex_descriptor> pred(nodes.size());
    std::vector<double> dist(nodes.size());
    boost::dijkstra_shortest_paths(g, s,
                                   boost::predecessor_map(pred.data())
                                       .distance_map(dist.data())
                                       .weight_map(boost::get(&EdgeProps::weight, g)));
    for (const auto& dst : sc.sites) {
      if (dst.name == src.name) continue;
      std::size_t v = index.at(dst.name);
      std::vector<Hop> hops;
      while (v != s) {
        const std::size_t u = pred[v];
        if (u == v) throw core::ScenarioError(sc.file, "/network", "no route from '" + src.name + "' to '" + dst.name + "'");
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
      routes[{src.name, dst.name}] = std::move(hops);
    }
  }
  return routes;
}

}  // namespace twin
