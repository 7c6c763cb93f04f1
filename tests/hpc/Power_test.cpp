#include <doctest/doctest.h>

#include <stdexcept>

#include "hpc/Power.hpp"

using namespace twin::hpc;

TEST_CASE("node power from RAPS components (Frontier)") {
  // 1 CPU (90/280 W) + 4 GPUs (88/560 W) + memory 74.26 + 4 NICs x 20 + NVMe 30.
  const PowerPreset& f = power_preset("frontier");
  CHECK(f.nodes == 9408);
  CHECK(f.node.idle_w == doctest::Approx(90 + 4 * 88 + 74.26 + 80 + 30));
  CHECK(f.node.busy_w == doctest::Approx(280 + 4 * 560 + 74.26 + 80 + 30));
  CHECK(power_preset("aurora").node.busy_w == doctest::Approx(2 * 350 + 6 * 600 + 184.26));
  CHECK(power_preset("perlmutter").node.idle_w == doctest::Approx(626.26));
  CHECK_THROWS_AS(power_preset("summit"), std::invalid_argument);
  auto presets = power_presets();
  for (std::size_t i = 1; i < presets.size(); ++i) CHECK(presets[i - 1].system < presets[i].system);
}

TEST_CASE("job and system energy") {
  NodePower p{100, 300};
  CHECK(job_energy_j(p, 4, 10) == 12000);
  CHECK(job_dynamic_energy_j(p, 4, 10) == 8000);
  // 2 nodes for 10 s, 5 busy node-seconds: 5 x 300 + 15 x 100.
  CHECK(system_energy_j(p, 2, 5, 10) == 3000);
}
