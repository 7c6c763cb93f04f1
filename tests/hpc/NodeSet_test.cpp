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
