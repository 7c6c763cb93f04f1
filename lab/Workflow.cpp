// The workflow DAG: Boost.Graph holds the steps and their `after` edges,
// orders them topologically and finds a step on a cycle for the error.
#include <algorithm>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include "lab/LabConfig.hpp"

namespace twin::lab {

std::vector<StepConfig> default_workflow(const std::vector<StationConfig>& stations) {
  std::vector<StepConfig> steps;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    StepConfig s;
    s.name = stations[i].kind;
    s.station = static_cast<int>(i);
    s.manual = stations[i].manual;
    s.success_probability = stations[i].success_probability;
    if (i > 0) s.after.push_back(static_cast<int>(i) - 1);
    steps.push_back(s);
  }
  return steps;
}

bool workflow_order(const std::vector<StepConfig>& steps, std::vector<int>& order, std::string& error) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  const int n = static_cast<int>(steps.size());
  Graph g(static_cast<std::size_t>(n));
  for (int v = 0; v < n; ++v)
    for (int u : steps[static_cast<std::size_t>(v)].after) {
      if (u < 0 || u >= n) {
        error = "step '" + steps[static_cast<std::size_t>(v)].name + "' comes after a step that does not exist";
        return false;
      }
      if (u == v) {
        error = "step '" + steps[static_cast<std::size_t>(v)].name + "' comes after itself";
        return false;
      }
      boost::add_edge(static_cast<std::size_t>(u), static_cast<std::size_t>(v), g);
    }
  std::vector<int> comp(static_cast<std::size_t>(n));
  const int ncomp = boost::strong_components(g, comp.data());
  if (ncomp < n) {
    std::vector<int> size(static_cast<std::size_t>(ncomp), 0);
    for (int c : comp) ++size[static_cast<std::size_t>(c)];
    for (int v = 0; v < n; ++v)
      if (size[static_cast<std::size_t>(comp[static_cast<std::size_t>(v)])] > 1) {
        error = "the workflow has a cycle through step '" + steps[static_cast<std::size_t>(v)].name + "'";
        return false;
      }
  }
  std::vector<std::size_t> rev;
  boost::topological_sort(g, std::back_inserter(rev));
  order.clear();
  for (auto it = rev.rbegin(); it != rev.rend(); ++it) order.push_back(static_cast<int>(*it));
  return true;
}

}  // namespace twin::lab
