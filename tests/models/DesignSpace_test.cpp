#include "models/DesignSpace.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace twin::models;

TEST_CASE("Candidate::key is the pool index for a pool row") {
  Candidate c;
  c.x = {1.0, 2.0};
  c.pool_index = 17;
  CHECK(c.key() == 17U);
}

TEST_CASE("Candidate::key of a box point is FNV-1a over the bits of x, pinned") {
  Candidate c;
  c.x = {1.0, 2.0};
  Candidate d;
  d.x = {2.0, 1.0};
  CHECK(c.key() != d.key());
  CHECK(c.key() == Candidate{{1.0, 2.0}, -1}.key());
  // Pinned so that a change of hash (which would change nature's noise) is
  // noticed: FNV-1a 64 over the little-endian bytes of 1.0 then 2.0
  // (computed independently with Python's struct.pack("<dd", 1.0, 2.0)).
  CHECK(c.key() == 0x2f121cea1c5c97f8ULL);
  // -0.0 == 0.0, so they must share a key.
  CHECK(Candidate{{-0.0}, -1}.key() == Candidate{{0.0}, -1}.key());
  CHECK(Candidate{{}, -1}.key() == 14695981039346656037ULL);
}

TEST_CASE("DesignSpace::pool keeps the rows and bounds each feature by its range") {
  Eigen::MatrixXd f(3, 2);
  f << 1, 10, 3, 20, 2, 15;
  const auto s = DesignSpace::pool({"a", "b"}, f);
  CHECK(s.is_pool());
  CHECK(s.pool_size() == 3);
  REQUIRE(s.dimension_count() == 2);
  CHECK(s.dimensions()[0].name == "a");
  CHECK(s.dimensions()[0].low == 1);
  CHECK(s.dimensions()[0].high == 3);
  CHECK(s.dimensions()[1].high == 20);
  const Candidate c = s.pool_candidate(1);
  CHECK(c.pool_index == 1);
  CHECK(c.x == std::vector<double>{3, 20});
  CHECK_THROWS_AS(s.pool_candidate(3), std::out_of_range);
  CHECK_THROWS_AS(DesignSpace::pool({"a"}, f), std::invalid_argument);
}

TEST_CASE("DesignSpace::box keeps its dimensions and the simplex flag") {
  Dimension a{"a", Dimension::Kind::CONTINUOUS, 0, 2, 0};
  Dimension b{"b", Dimension::Kind::CATEGORICAL, 0, 0, 4};
  const auto s = DesignSpace::box({a, b}, true);
  CHECK_FALSE(s.is_pool());
  CHECK(s.simplex());
  CHECK(s.dimension_count() == 2);
  CHECK(s.dimensions()[1].levels == 4);
  CHECK_THROWS_AS(s.pool_candidate(0), std::logic_error);
  Dimension bad{"bad", Dimension::Kind::CONTINUOUS, 3, 1, 0};
  CHECK_THROWS_AS(DesignSpace::box({bad}), std::invalid_argument);
}
