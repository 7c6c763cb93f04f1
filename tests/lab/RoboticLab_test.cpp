// The SimGrid adapter: campaign actors block on run_experiment and see the
// same times as the pure engine computes.
#include <doctest/doctest.h>

#include <simgrid/s4u.hpp>

#include "lab/RoboticLab.hpp"

using namespace twin;
namespace sg4 = simgrid::s4u;

TEST_CASE("requesters on the simulated clock get the engine's times") {
  int argc = 2;
  char a0[] = "t", a1[] = "--log=root.thresh:critical";
  char* argv[] = {a0, a1};
  sg4::Engine engine(&argc, argv);
  auto* zone = sg4::create_full_zone("z");
  auto* host = zone->create_host("h", 1e9);
  zone->seal();
  lab::LabConfig c;
  c.name = "t";
  c.robots = 1;
  c.robot_move_s = core::Distribution::fixed(120);
  lab::StationConfig s;
  s.kind = "synth";
  s.slots = 2;
  s.duration_s = core::Distribution::fixed(3600);
  c.stations.push_back(s);
  lab::RoboticLab labx(c, 1);
  std::vector<core::ExperimentResult> out(3);
  for (int i = 0; i < 3; ++i)
    sg4::Actor::create("agent" + std::to_string(i), host, [&, i] {
      sg4::this_actor::sleep_for(10.0 * i);
      core::ExperimentRequest r;
      r.owner = "c";
      r.key = static_cast<std::uint64_t>(i);
      r.measure = [i] { return 1.0 * i; };
      out[static_cast<std::size_t>(i)] = labx.run_experiment(r);
    });
  engine.run_until(1e6);
  // Moves 0-120 (s0), 120-240 (s1), 240-360 (s2 after a slot frees at 3720? no: s2 waits for a slot).
  CHECK(out[0].end_s == 120 + 3600);
  CHECK(out[1].end_s == 240 + 3600);
  CHECK(out[2].end_s == 120 + 3600 + 120 + 3600);
  CHECK(out[2].value.value() == 2.0);
  CHECK(labx.samples().finished == 3);
}
