#include <doctest/doctest.h>

#include <limits>
#include <vector>

#include "hpc/FreeProfile.hpp"
#include "twin/core/Rng.hpp"

using namespace twin::hpc;

namespace {

constexpr double INF = std::numeric_limits<double>::infinity();

// The plain definition, node by node and second by second: the earliest
// whole second t in [0, horizon) with n nodes free over [t, t + duration),
// lowest indices first. busy[node][second].
struct Grid {
  int nodes, horizon;
  std::vector<std::vector<char>> busy;
  Grid(int n, int h) : nodes(n), horizon(h), busy(static_cast<std::size_t>(n), std::vector<char>(static_cast<std::size_t>(h), 0)) {}
  void set(int from, int to, const std::vector<int>& which, char v) {
    for (int x : which)
      for (int t = from; t < to && t < horizon; ++t) busy[static_cast<std::size_t>(x)][static_cast<std::size_t>(t)] = v;
  }
  bool free_over(int x, int from, int to) const {
    for (int t = from; t < to; ++t)
      if (t >= horizon ? false : busy[static_cast<std::size_t>(x)][static_cast<std::size_t>(t)] != 0) return false;
    return true;
  }
  std::pair<int, std::vector<int>> fit(int n, int duration) const {
    for (int t = 0; t < horizon; ++t) {
      std::vector<int> got;
      for (int x = 0; x < nodes && static_cast<int>(got.size()) < n; ++x)
        if (free_over(x, t, t + duration)) got.push_back(x);
      if (static_cast<int>(got.size()) == n) return {t, got};
    }
    return {-1, {}};
  }
};

}  // namespace

TEST_CASE("FreeProfile: occupy, release and find_fit on a hand-drawn profile") {
  // 4 nodes. Nodes 0-1 busy [0,10), node 2 busy [5,20).
  FreeProfile p;
  p.assign({{0, NodeSet(4, true)}});
  p.occupy(0, 10, NodeSet::of(4, {0, 1}));
  p.occupy(5, 20, NodeSet::of(4, {2}));
  REQUIRE(p.size() == 4);  // 0, 5, 10, 20
  // 2 nodes for 10 s: at 0 only 2-3 are free and node 2 goes at 5; at 5
  // only node 3; at 10 nodes 0, 1, 3 -> the lowest two.
  auto f = p.find_fit(2, 10, INF, NodeSet());
  CHECK(f.found);
  CHECK(f.start_s == 10);
  CHECK(f.nodes.members() == std::vector<int>{0, 1});
  // 1 node for 5 s fits at 0 on node 2 (free until 5).
  f = p.find_fit(1, 5, INF, NodeSet());
  CHECK(f.start_s == 0);
  CHECK(f.nodes.members() == std::vector<int>{2});
  // Not before 10: none.
  CHECK(!p.find_fit(2, 10, 10, NodeSet()).found);
  // Releasing node 2 merges the segments back: 0, 10.
  p.release(5, 20, NodeSet::of(4, {2}));
  CHECK(p.size() == 2);
  // Trimming to 12 drops the past.
  p.trim(12);
  CHECK(p.front_s() == 12);
  CHECK(p.find_fit(4, 100, INF, NodeSet()).start_s == 12);
}

TEST_CASE("FreeProfile: find_fit agrees with the second-by-second definition under random occupancy") {
  auto rng = twin::core::Rng::stream(7, "test.free_profile");
  for (int round = 0; round < 40; ++round) {
    const int nodes = 3 + static_cast<int>(rng.below(70));  // crosses a 64-node word
    const int horizon = 1300;  // past 40 slots of at most 30 s end to end
    Grid g(nodes, horizon);
    FreeProfile p;
    p.assign({{0, NodeSet(nodes, true)}});
    struct Slot {
      int from, to;
      std::vector<int> which;
    };
    std::vector<Slot> held;
    for (int op = 0; op < 40; ++op) {
      if (!held.empty() && rng.below(3) == 0) {
        const std::size_t k = static_cast<std::size_t>(rng.below(held.size()));
        p.release(held[k].from, held[k].to, NodeSet::of(nodes, held[k].which));
        g.set(held[k].from, held[k].to, held[k].which, 0);
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        const int n = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(nodes)));
        const int duration = 1 + static_cast<int>(rng.below(30));
        auto want = g.fit(n, duration);
        auto got = p.find_fit(n, duration, INF, NodeSet());
        REQUIRE(want.first >= 0);  // the grid's horizon is past every slot
        CHECK(got.found);
        CHECK(got.start_s == want.first);
        CHECK(got.nodes.members() == want.second);
        p.occupy(got.start_s, got.start_s + duration, got.nodes);
        g.set(want.first, want.first + duration, want.second, 1);
        held.push_back({want.first, want.first + duration, want.second});
      }
    }
  }
}
