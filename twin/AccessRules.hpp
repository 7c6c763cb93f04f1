#pragma once
// Which of a campaign's options its label allows (twin/core/Label.hpp): an
// HPC system or lab is cleared when it, the campaign's home site and a
// route between them are cleared for the label; the data store by its
// classification; the burst cloud like an HPC system. The simulation places
// work by it; `twin validate` and `twin run` warn, before anything runs, of
// a campaign left with no cleared HPC system or lab.
#include <string>
#include <vector>

#include "twin/Scenario.hpp"

namespace twin {

struct CampaignAccess {
  std::vector<bool> hpc, lab;  ///< per entry of the campaign's hpc / lab preference list
  bool store = true;
  bool cloud = true;           ///< the burst cloud (true when none)
  std::string why;             ///< the options not cleared and why, e.g. "l: cleared for cui"
};

CampaignAccess campaign_access(const Scenario& sc, const CampaignSpec& cp);

/// What a planner should know before a run, one line each: a campaign with
/// no cleared HPC system or no cleared lab ("campaign c (classified): no lab
/// in its list is cleared for it (l: cleared for export_controlled)"), and a
/// dataset a campaign needs at an HPC system with no cache that holds it
/// (staged whole before every screening).
std::vector<std::string> access_warnings(const Scenario& sc);

}  // namespace twin
