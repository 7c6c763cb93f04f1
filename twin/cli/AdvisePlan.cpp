#include "twin/cli/AdvisePlan.hpp"

#include <cmath>
#include <map>
#include <set>

#include "twin/Routing.hpp"

namespace twin::cli {

namespace {

using nlohmann::json;

std::string count_text(long long from, long long to, const char* one, const char* many) {
  return std::to_string(from) + " -> " + std::to_string(to) + " " + (to == 1 ? one : many);
}

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

/// Every campaign that may use facility `name` through the list `list_of`.
template <class ListOf>
std::vector<const CampaignSpec*> users(const Scenario& sc, const std::string& name, ListOf list_of) {
  std::vector<const CampaignSpec*> out;
  for (const auto& c : sc.campaigns)
    for (const auto& n : list_of(c))
      if (n == name) {
        out.push_back(&c);
        break;
      }
  return out;
}

std::vector<std::string> lab_list(const CampaignSpec& c) { return c.lab_list.empty() ? std::vector<std::string>{c.lab} : c.lab_list; }
std::vector<std::string> hpc_list(const CampaignSpec& c) { return c.hpc_list.empty() ? std::vector<std::string>{c.hpc} : c.hpc_list; }

/// A name not yet taken among `taken`: "<name>-2", "<name>-3", ...
std::string fresh_name(const std::string& name, const std::set<std::string>& taken) {
  for (int k = 2;; ++k) {
    const std::string n = name + "-" + std::to_string(k);
    if (!taken.count(n)) return n;
  }
}

/// Whether some link can go down (then routes change during a run).
bool links_can_fail(const Scenario& sc) {
  for (const auto& l : sc.network.links) {
    const Availability& a = l.availability;
    if (!a.outages.empty() || a.mtbf_s > 0 || a.online_from_s > 0 || a.offline_from_s < core::NEVER) return true;
  }
  for (const auto& s : sc.sites)
    if (!s.outages.empty()) return true;
  return routes_may_change(sc);  // a link not cleared for some campaign's label: detours
}

/// The links on the fixed route between any two sites of one campaign.
std::set<std::size_t> campaign_links(const Scenario& sc) {
  const auto routes = compute_routes(sc);
  std::set<std::size_t> used;
  for (const auto& c : sc.campaigns) {
    std::set<std::string> sites{c.home_site};
    for (const auto& h : hpc_list(c))
      if (const HpcSpec* s = sc.hpc_system(h)) sites.insert(s->site);
    for (const auto& l : lab_list(c))
      if (const LabSpec* s = sc.lab(l)) sites.insert(s->site);
    for (const auto& st : sc.stores)
      if (st.name == c.store) sites.insert(st.site);
    if (c.burst)
      if (const CloudSpec* cl = sc.cloud(c.burst->to)) sites.insert(cl->site);
    for (const auto& a : sites)
      for (const auto& b : sites) {
        if (a == b) continue;
        const auto it = routes.find({a, b});
        if (it == routes.end()) continue;
        for (const Hop& h : it->second) used.insert(h.link);
      }
  }
  return used;
}

}  // namespace

json advise_base(json base, double horizon_days, int replications) {
  base["modes"] = json::array({"closed_loop"});
  if (horizon_days > 0) base["horizon_days"] = horizon_days;
  if (replications > 0) base["replications"] = replications;
  return base;
}

std::vector<AdviceOption> advice_options(const json& base, const Scenario& sc) {
  std::vector<AdviceOption> out;
  auto add = [&](AdviceOption o, bool used, const std::string& why) {
    if (!used) {
      o.simulate = false;
      o.note = why;
      o.scenario = json();
    }
    out.push_back(std::move(o));
  };

  // Labs.
  std::set<std::string> lab_names, campaign_names;
  for (const auto& l : sc.labs) lab_names.insert(l.name);
  for (const auto& c : sc.campaigns) campaign_names.insert(c.name);
  for (std::size_t i = 0; i < sc.labs.size(); ++i) {
    const LabSpec& lab = sc.labs[i];
    const json& lj = base.at("labs").at(i);
    const auto who = users(sc, lab.name, lab_list);
    const bool used = !who.empty();
    const std::string unused = "no campaign uses lab " + lab.name;
    // One more of a counted thing of the lab: `pointer` is its count in the scenario, `now` its value.
    auto one_more = [&](std::string resource, const char* kind, std::string change, const std::string& pointer,
                        int now, double usd, const char* cost_text) {
      AdviceOption o;
      o.resource = std::move(resource);
      o.kind = kind;
      o.change = std::move(change);
      o.scenario = base;
      o.scenario[json::json_pointer(pointer)] = now + 1;
      if (usd >= 0) {
        o.cost_usd = usd;
        o.cost_text = cost_text;
      }
      add(std::move(o), used, unused);
    };
    const std::string at = "/labs/" + std::to_string(i);
    for (std::size_t k = 0; k < lab.stations.size(); ++k) {
      const auto& st = lab.stations[k];
      one_more(lab.name + "." + st.kind + " station", "station", count_text(st.count, st.count + 1, "station", "stations"),
               at + "/stations/" + std::to_string(k) + "/count", st.count, st.capital_usd, "one station at capital_usd");
    }
    one_more(lab.name + " robots", "robot", count_text(lab.robots, lab.robots + 1, "robot", "robots"), at + "/robots",
             lab.robots, lab.capital_per_robot_usd, "one robot at capital_per_robot_usd");
    one_more(lab.name + " technicians", "technician",
             count_text(lab.technicians, lab.technicians + 1, "technician", "technicians") + " on shift",
             at + "/technicians", lab.technicians, lab.technician_year_usd,
             "a technician for a year at technician_year_usd");
    {
      AdviceOption o;
      o.resource = "lab " + lab.name;
      o.kind = "lab";
      const std::string copy = fresh_name(lab.name, lab_names);
      o.scenario = base;
      json lc = lj;
      lc["name"] = copy;
      o.scenario["labs"].push_back(lc);
      std::string names;
      std::set<std::string> taken = campaign_names;
      for (std::size_t c = 0; c < sc.campaigns.size(); ++c) {
        const auto& cp = sc.campaigns[c];
        bool uses = false;
        for (const auto& n : lab_list(cp)) uses = uses || n == lab.name;
        if (!uses) continue;
        json cc = base.at("campaigns").at(c);
        const std::string cn = fresh_name(cp.name, taken);
        taken.insert(cn);
        cc["name"] = cn;
        if (cc.at("lab").is_string()) {
          cc["lab"] = copy;
        } else {
          for (auto& n : cc["lab"])
            if (n == lab.name) n = copy;
        }
        o.scenario["campaigns"].push_back(cc);
        names += (names.empty() ? "" : ", ") + cn;
      }
      // Its first year: every station and robot bought, its technicians for a year; unpriced if any part is.
      double usd = 0;
      bool priced = lab.technician_year_usd >= 0 && (lab.robots == 0 || lab.capital_per_robot_usd >= 0);
      for (const auto& st : lab.stations) {
        priced = priced && st.capital_usd >= 0;
        usd += st.count * std::max(0.0, st.capital_usd);
      }
      usd += lab.robots * std::max(0.0, lab.capital_per_robot_usd) + lab.technicians * std::max(0.0, lab.technician_year_usd);
      if (priced) {
        o.cost_usd = usd;
        o.cost_text = "its stations and robots at their capital prices, its technicians for a year";
      }
      o.change = "a second " + lab.name + " (" + copy + ", at " + lab.site + ") running a copy of each of its campaigns" +
                 (names.empty() ? "" : " (" + names + ")");
      add(std::move(o), used, unused);
    }
  }

  // HPC systems.
  for (std::size_t i = 0; i < sc.hpc.size(); ++i) {
    const HpcSpec& h = sc.hpc[i];
    const bool used = !users(sc, h.name, hpc_list).empty();
    AdviceOption o;
    o.resource = h.name + " nodes";
    o.kind = "hpc_nodes";
    const long long n = h.nodes;
    const long long more = std::max(n + 1, static_cast<long long>(std::llround(static_cast<double>(n) * 1.1)));
    o.change = count_text(n, more, "node", "nodes") + " (+" + number_text(100.0 * static_cast<double>(more - n) /
                                                                          static_cast<double>(n)) + " %), the same background work";
    o.scenario = base;
    json& hj = o.scenario["hpc"][i];
    hj["nodes"] = more;
    if (hj.contains("background") && hj["background"].is_object() && hj["background"].contains("synthetic") &&
        hj["background"]["synthetic"].is_object() && hj["background"]["synthetic"].contains("load")) {
      json& load = hj["background"]["synthetic"]["load"];
      load = load.get<double>() * static_cast<double>(n) / static_cast<double>(more);
    }
    if (h.capital_per_node_usd >= 0) {
      o.cost_usd = static_cast<double>(more - n) * h.capital_per_node_usd;
      o.cost_text = std::to_string(more - n) + " nodes at capital_per_node_usd";
    }
    add(std::move(o), used, "no campaign uses HPC system " + h.name);
  }

  // Clouds: twice the quota.
  for (std::size_t i = 0; i < sc.clouds.size(); ++i) {
    const CloudSpec& cl = sc.clouds[i];
    bool used = false;
    for (const auto& c : sc.campaigns) used = used || (c.burst && c.burst->to == cl.name);
    AdviceOption o;
    o.resource = "cloud " + cl.name + " quota";
    o.kind = "cloud_quota";
    o.change = count_text(cl.quota_instances, 2LL * cl.quota_instances, "instance", "instances") +
               " at once (paid per GPU-hour used, no capital)";
    o.scenario = base;
    o.scenario["clouds"][i]["quota_instances"] = 2 * cl.quota_instances;
    add(std::move(o), used, "no campaign bursts to cloud " + cl.name);
  }

  // Links.
  const bool fixed_routes = !links_can_fail(sc);
  const std::set<std::size_t> on_routes = fixed_routes ? campaign_links(sc) : std::set<std::size_t>{};
  for (std::size_t i = 0; i < sc.network.links.size(); ++i) {
    const LinkSpec& l = sc.network.links[i];
    AdviceOption o;
    o.resource = "link " + l.name;
    o.kind = "link_bandwidth";
    o.scenario = base;
    json& lj = o.scenario["network"]["links"][i];
    const double gbps = lj.at("bandwidth_gbps").get<double>();
    o.change = number_text(gbps) + " -> " + number_text(2 * gbps) + " Gb/s" + (l.upgrades.empty() ? "" : " (and each upgrade x2)");
    lj["bandwidth_gbps"] = 2 * lj.at("bandwidth_gbps").get<double>();
    if (lj.contains("upgrades"))
      for (auto& u : lj["upgrades"]) u["bandwidth_gbps"] = 2 * u.at("bandwidth_gbps").get<double>();
    add(std::move(o), !fixed_routes || on_routes.count(i) > 0,
        "on no route between the sites of a campaign (and no link goes down, so routes never change)");
  }
  return out;
}

}  // namespace twin::cli
