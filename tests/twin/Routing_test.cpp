#include <doctest/doctest.h>

#include "twin/Routing.hpp"

using namespace twin;

TEST_CASE("routes follow the lowest latency, through routers, in both directions") {
  const Scenario sc = parse_scenario(R"({
    "schema_version": 1, "name": "r",
    "sites": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
    "network": {"routers": ["R"], "links": [
      {"from": "A", "to": "B", "bandwidth_gbps": 10, "latency_ms": 50},
      {"from": "A", "to": "R", "bandwidth_gbps": 10, "latency_ms": 5},
      {"from": "R", "to": "B", "bandwidth_gbps": 10, "latency_ms": 5},
      {"from": "C", "to": "B", "bandwidth_gbps": 10, "latency_ms": 1}]},
    "hpc": [{"name": "h", "site": "A", "nodes": 1, "node_speed_gflops": 1}],
    "labs": [{"name": "l", "site": "C", "stations": [{"kind": "s", "duration_min": 5}]}],
    "campaigns": [{"name": "c", "kernel": {"branin": {}}, "target": {"value_at_most": 1}, "hpc": "h", "lab": "l"}]
  })", "r.json");
  const auto routes = compute_routes(sc);
  const auto& ab = routes.at({"A", "B"});
  REQUIRE(ab.size() == 2);  // A-R-B (10 ms) beats the direct 50 ms link
  CHECK(ab[0].link == 1);
  CHECK(ab[0].forward);
  CHECK(ab[1].link == 2);
  const auto& ca = routes.at({"C", "A"});
  REQUIRE(ca.size() == 3);
  CHECK(ca[0].link == 3);
  CHECK(ca[0].forward);  // C -> B is the link's own direction
  CHECK(ca[1].link == 2);
  CHECK_FALSE(ca[1].forward);  // B -> R against R -> B
  CHECK(routes.size() == 6);
}
