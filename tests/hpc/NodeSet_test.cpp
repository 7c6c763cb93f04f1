#include <doctest/doctest.h>

#include "hpc/NodeSet.hpp"

using twin::hpc::format_intervals;
using twin::hpc::NodeSet;

TEST_CASE("NodeSet picks the lowest free indices across word boundaries") {
  NodeSet s(130, true);
  CHECK(s.count() == 130);
  s.erase(std::vector<int>{0, 1, 63, 64});
  CHECK(s.count() == 126);
  CHECK(s.lowest(3) == std::vector<int>{2, 3, 4});
  NodeSet excl = NodeSet::of(130, {2, 3, 65});
  CHECK(s.count_excluding(excl) == 123);
  std::vector<int> high = NodeSet::of(130, {62, 65, 66, 129}).lowest_excluding(2, excl);
  CHECK(high == std::vector<int>{62, 66});
  CHECK(!s.contains(64));
  CHECK(s.contains(129));
}

TEST_CASE("format_intervals writes Batsim-style intervals") {
  CHECK(format_intervals({0, 1, 2, 3, 4, 5, 6, 7, 12}) == "0-7 12");
  CHECK(format_intervals({3}) == "3");
  CHECK(format_intervals({}).empty());
  CHECK(format_intervals({1, 2, 4, 5, 9}) == "1-2 4-5 9");
}

TEST_CASE("lowest_set_excluding takes the same nodes as lowest_excluding, word by word, on random sets") {
  // A small deterministic generator: sets of 1..300 nodes, members and
  // exclusions drawn with different densities, requests from 0 to past the count.
  std::uint64_t x = 12345;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  int partial_words = 0;
  for (int trial = 0; trial < 500; ++trial) {
    const int size = 1 + static_cast<int>(next() % 300);
    NodeSet s(size), ex(size);
    const std::uint64_t dens = 1 + next() % 7, exdens = next() % 5;
    for (int i = 0; i < size; ++i) {
      if (next() % 8 < dens) s.insert(i);
      if (exdens > 0 && next() % 8 < exdens) ex.insert(i);
    }
    const int allowed = s.count_excluding(ex);
    const int n = static_cast<int>(next() % static_cast<std::uint64_t>(allowed + 3));
    const std::vector<int> want = s.lowest_excluding(std::min(n, allowed), ex);
    const NodeSet got = s.lowest_set_excluding(n, ex);
    CHECK(got.members() == want);
    CHECK(got.count() == static_cast<int>(want.size()));
    CHECK(got.size() == size);
    CHECK(s.lowest_set_excluding(n, NodeSet()).members() == s.lowest(std::min(n, s.count())));  // no exclusions given
    partial_words += n > 0 && n < allowed && n % 64 != 0;
  }
  CHECK(partial_words > 100);  // most requests end inside a word, not on its boundary
}
