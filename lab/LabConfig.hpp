#pragma once
// A robotic lab as the scenario describes it (plain data, SI units).
#include <string>
#include <vector>

#include "twin/core/Calendar.hpp"
#include "twin/core/Distribution.hpp"

namespace twin::lab {

struct StationConfig {
  std::string kind;
  int count = 1;
  int slots = 1;  ///< samples one station holds at once
  core::Distribution duration_s;
  double success_probability = 1.0;
  bool manual = false;  ///< needs a technician on shift in every mode
};

struct LabConfig {
  std::string name;
  std::vector<StationConfig> stations;  ///< workflow order: each sample visits each kind once
  int robots = 1;                       ///< 0: no robot moves
  core::Distribution robot_move_s;
  core::Shift people;                   ///< technicians' hours (site local time)
  double station_power_w = 0;           ///< draw per busy station slot
  double online_from_s = 0;
  double offline_from_s = core::NEVER;
};

}  // namespace twin::lab
