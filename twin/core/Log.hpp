#pragma once
// The twin's diagnostics: SimGrid's XBT log categories, one per part under
// the root category `twin`, stamped with simulated time when an engine runs:
//
//   twin            everything below
//   twin_run        a run: each simulation's start and end (twin/)
//   twin_hpc        HPC systems: job submissions, starts, ends (hpc/BatchEngine)
//   twin_lab        self-driving labs: samples' starts and ends (lab/)
//   twin_agents     campaigns' decisions (agents/)
//   twin_net        transfers over the network (twin/sim/NetworkService)
//
// `twin run --log=twin.thres:debug` shows them all, `--log=twin.lab.thres:debug`
// one part (the program turns the dotted path into XBT's name, twin_lab).
// Nothing is printed by default (the threshold is info). What the parts decide
// is logged with XBT_VERB, not XBT_DEBUG: xbt/log.h compiles every request below
// verbose out of a build with NDEBUG (the release preset), and a threshold of
// debug shows verbose requests too, so --log=twin.thres:debug and
// --log=twin.thres:verbose both show them in every build.
//
// A file of a part includes this header and names its part's category
// as its default, e.g. XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(twin_lab), or adds a
// subcategory of it with XBT_LOG_NEW_DEFAULT_SUBCATEGORY. Only the folders
// whose row of STYLE.md allows SimGrid or names this header use it: not
// models/ or reports/, which link no SimGrid.
#include <xbt/log.h>

XBT_LOG_EXTERNAL_CATEGORY(twin);
XBT_LOG_EXTERNAL_CATEGORY(twin_run);
XBT_LOG_EXTERNAL_CATEGORY(twin_hpc);
XBT_LOG_EXTERNAL_CATEGORY(twin_lab);
XBT_LOG_EXTERNAL_CATEGORY(twin_agents);
XBT_LOG_EXTERNAL_CATEGORY(twin_net);
