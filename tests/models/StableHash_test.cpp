#include "models/StableHash.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace twin::models;

// Values pinned against an independent Python computation: a change here
// changes every simulation error and every key of nature's noise.
TEST_CASE("SplitMix64 and the pseudo-normal numbers are pinned") {
  CHECK(splitmix64(0) == 0xe220a8397b1dcdafULL);
  CHECK(pseudo_normal(42) == 0.3935564607893123);
  CHECK(unit_uniform(0) == 0.0);
  CHECK(unit_uniform(~0ULL) < 1.0);
}

TEST_CASE("pseudo_normal has mean 0 and variance 1 over many keys") {
  double sum = 0, sum_sq = 0, max_abs = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double z = pseudo_normal(static_cast<std::uint64_t>(i));
    sum += z;
    sum_sq += z * z;
    max_abs = std::max(max_abs, std::abs(z));
  }
  CHECK(std::abs(sum / n) < 0.01);
  CHECK(std::abs(sum_sq / n - 1.0) < 0.01);
  CHECK(max_abs <= 2 * std::sqrt(3.0));
}
