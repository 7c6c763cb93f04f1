#pragma once
// The benchmark lab: 20 stations (5 kinds x 4) and 4 robots, with batches,
// breakdowns, jams, a retry and a shift of two technicians. Samples arrive
// at about 6 an hour (mean gap YEAR_LAB_GAP_S), the furnaces about 70 % busy.
// Shared by bench_lab (the engine alone) and bench_lab_simgrid (the engine
// behind its SimGrid actor, against raw SimGrid in the same run).
#include "lab/LabConfig.hpp"
#include "twin/core/Calendar.hpp"

namespace twin::bench {

constexpr double YEAR_LAB_GAP_S = 600.0;

inline lab::LabConfig year_lab() {
  lab::LabConfig c;
  c.name = "bench";
  c.robots = 4;
  c.robot_move_s = core::Distribution::uniform(60, 180);
  c.robot_jam_probability = 0.002;
  c.technicians = 2;
  c.people = core::Shift(core::days_from_civil(2026, 1, 5), -6, {true, true, true, true, true, false, false}, 8 * 60,
                         17 * 60, {});
  auto st = [](const char* kind, int slots, double median_min) {
    lab::StationConfig s;
    s.kind = kind;
    s.count = 4;
    s.slots = slots;
    s.duration_s = core::Distribution::lognormal(median_min * 60, 0.2);
    s.mtbf_s = 30 * 86400.0;
    return s;
  };
  c.stations = {st("dispense", 2, 10), st("furnace", 8, 180), st("mill", 1, 15), st("xrd", 1, 20),
                st("spectro", 1, 10)};
  c.stations[1].batch = 8;
  c.stations[1].batch_timeout_s = 3600;
  c.stations[3].success_probability = 0.9;
  c.max_retries = 1;
  return c;
}

}  // namespace twin::bench
