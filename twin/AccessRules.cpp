#include "twin/AccessRules.hpp"

#include <algorithm>

#include "twin/Routing.hpp"

namespace twin {

namespace {
std::vector<std::string> list_or(const std::vector<std::string>& list, const std::string& first) {
  return list.empty() ? std::vector<std::string>{first} : list;
}
}  // namespace

CampaignAccess campaign_access(const Scenario& sc, const CampaignSpec& cp) {
  CampaignAccess a;
  const core::Label label = cp.classification;
  const SiteSpec* home = sc.site(cp.home_site);
  const bool home_ok = home && core::cleared_for(home->clearance, label);
  auto check = [&](const std::string& name, core::Label clearance, const std::string& site) {
    std::string no;
    if (!home_ok) no = "home site " + cp.home_site + " is cleared for " + core::to_string(home ? home->clearance : core::Label::PUBLIC);
    else if (!core::cleared_for(clearance, label)) no = "cleared for " + std::string(core::to_string(clearance));
    else if (!cleared_route(sc, site, cp.home_site, label) || !cleared_route(sc, cp.home_site, site, label))
      no = "no route to " + cp.home_site + " cleared for it";
    if (!no.empty()) a.why += (a.why.empty() ? "" : "; ") + name + ": " + no;
    return no.empty();
  };
  for (const auto& h : list_or(cp.hpc_list, cp.hpc)) {
    const HpcSpec* spec = sc.hpc_system(h);
    a.hpc.push_back(spec && check(h, spec->clearance, spec->site));
  }
  for (const auto& l : list_or(cp.lab_list, cp.lab)) {
    const LabSpec* spec = sc.lab(l);
    a.lab.push_back(spec && check(l, spec->clearance, spec->site));
  }
  for (const auto& st : sc.stores)
    if (st.name == cp.store) a.store = core::cleared_for(st.classification, label);
  if (cp.burst)
    if (const CloudSpec* cloud = sc.cloud(cp.burst->to))
      a.cloud = home_ok && core::cleared_for(cloud->clearance, label) &&
                cleared_route(sc, cloud->site, cp.home_site, label);
  return a;
}

std::vector<std::string> access_warnings(const Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& cp : sc.campaigns) {
    const CampaignAccess a = campaign_access(sc, cp);
    const bool hpc = std::find(a.hpc.begin(), a.hpc.end(), true) != a.hpc.end();
    const bool lab = std::find(a.lab.begin(), a.lab.end(), true) != a.lab.end();
    if (hpc && lab) continue;
    std::string what = !hpc && !lab ? "no HPC system and no lab" : !hpc ? "no HPC system" : "no lab";
    out.push_back("campaign " + cp.name + " (" + core::to_string(cp.classification) + "): " + what +
                  " in its lists is cleared for it (" + a.why + "); it will stop at once");
  }
  // Datasets needed where nothing keeps them: every screening stages them whole.
  for (const auto& cp : sc.campaigns)
    for (const auto& hn : cp.hpc_list.empty() ? std::vector<std::string>{cp.hpc} : cp.hpc_list) {
      const HpcSpec* h = sc.hpc_system(hn);
      const SiteSpec* site = h ? sc.site(h->site) : nullptr;
      if (!h || cp.datasets.empty()) continue;
      const double cache = h->cache_bytes >= 0 ? h->cache_bytes : site ? site->cache_bytes : 0.0;
      for (const auto& dn : cp.datasets) {
        const DatasetSpec* d = sc.dataset(dn);
        if (!d || d->site == h->site || (cache > 0 && d->size_bytes <= cache)) continue;
        out.push_back("campaign " + cp.name + ": dataset " + dn + " is staged whole to " + hn + " before every screening: " +
                      (cache > 0 ? "it is larger than the cache there" : "no cache_tb at " + hn + " or its site " + h->site));
      }
    }
  return out;
}

}  // namespace twin
