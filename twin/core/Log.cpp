#include "twin/core/Log.hpp"

// The root of the twin's categories and one category per part (see Log.hpp).
XBT_LOG_NEW_CATEGORY(twin, "Genesis Twin: what the parts of the twin decide");
XBT_LOG_NEW_SUBCATEGORY(twin_run, twin, "a run: simulations' starts and ends");
XBT_LOG_NEW_SUBCATEGORY(twin_hpc, twin, "HPC systems: job submissions, starts and ends");
XBT_LOG_NEW_SUBCATEGORY(twin_lab, twin, "self-driving labs: samples' starts and ends");
XBT_LOG_NEW_SUBCATEGORY(twin_agents, twin, "campaigns: each cycle's decisions");
XBT_LOG_NEW_SUBCATEGORY(twin_net, twin, "the network: transfers");
