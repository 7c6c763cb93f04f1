#include <doctest/doctest.h>

#include "twin/core/Distribution.hpp"

using namespace twin::core;

TEST_CASE("unit scaling keeps a distribution's shape") {
  auto d = Distribution::lognormal(90, 0.3).scaled(60);
  CHECK(d.a() == doctest::Approx(5400));
  CHECK(d.b() == doctest::Approx(0.3));
  CHECK(Distribution::uniform(1, 2).scaled(60).mean() == doctest::Approx(90));
  CHECK(Distribution::exponential(30).scaled(2).mean() == doctest::Approx(60));
}

TEST_CASE("sample means match the stated means") {
  Rng r(5);
  for (auto d : {Distribution::fixed(3), Distribution::exponential(10), Distribution::lognormal(5, 0.5),
                 Distribution::uniform(2, 4)}) {
    double s = 0;
    for (int i = 0; i < 100000; ++i) s += d.sample(r);
    CHECK(s / 100000 == doctest::Approx(d.mean()).epsilon(0.02));
  }
}

TEST_CASE("normal is truncated at zero") {
  Rng r(1);
  for (int i = 0; i < 10000; ++i) CHECK(Distribution::normal(0.1, 1).sample(r) >= 0);
}
