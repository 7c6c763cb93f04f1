#include "twin/sim/NetworkService.hpp"

#include <algorithm>
#include <cmath>

#include <simgrid/s4u.hpp>

#include "twin/core/Log.hpp"

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(twin_net);

namespace twin::sim {

namespace sg4 = simgrid::s4u;

NetworkService::NetworkService(const Scenario& sc, const Platform& platform, std::uint64_t seed,
                               core::Recorder* recorder)
    : sc_(sc),
      platform_(platform),
      recorder_(recorder),
      links_fail_(!sc.network.links.empty() && platform.link_end(0, true) != nullptr),
      bytes_per_link_(sc.network.links.size(), 0.0),
      daily_bytes_(sc.network.links.size()) {
  for (core::Label l : core::ALL_LABELS) cleared_[static_cast<std::size_t>(l)] = links_cleared(sc, l);
  for (const auto& l : sc.network.links) {
    core::Uptime u = l.availability.uptime();
    for (auto& o : core::random_outages(l.availability.mtbf_s, l.availability.repair_s, l.availability.online_from_s,
                                        sc.horizon_s, core::Rng::stream(seed, "link." + l.name + ".outages")))
      u.add(std::move(o));
    links_up_.push_back(std::move(u));
  }
  // Link upgrades: each direction takes its new bandwidth on its day.
  for (std::size_t i = 0; i < sc.network.links.size(); ++i) {
    const auto& l = sc.network.links[i];
    if (l.upgrades.empty()) continue;
    sg4::SplitDuplexLink* link = platform.backbone(i);
    sg4::Actor::create("upgrade." + l.name, platform.svc(sc.sites.front().name), [link, ups = l.upgrades] {
      for (const auto& u : ups) {
        sg4::this_actor::sleep_until(u.from_s);
        XBT_DEBUG("link %s: %g Gb/s from now on", link->get_cname(), u.bandwidth_bps * 8 / 1e9);
        link->get_link_up()->set_bandwidth(u.bandwidth_bps);
        link->get_link_down()->set_bandwidth(u.bandwidth_bps);
      }
    })->daemonize();
  }
}

bool NetworkService::route_at(const std::string& from, const std::string& to, double t, core::Label label,
                              std::vector<Hop>& hops, bool& direct) const {
  const auto& fixed = platform_.route(from, to);
  const std::vector<bool>& cleared = cleared_[static_cast<std::size_t>(label)];
  direct = true;
  bool up = true;
  for (const auto& h : fixed) up = up && links_up_[h.link].up_at(t) && cleared[h.link];
  if (up) {
    hops = fixed;
    return true;
  }
  direct = false;
  std::vector<bool> usable(links_up_.size());
  for (std::size_t i = 0; i < links_up_.size(); ++i) usable[i] = links_up_[i].up_at(t) && cleared[i];
  return route_over(sc_, from, to, usable, hops);
}

bool NetworkService::ever_cleared(const std::string& from, const std::string& to, core::Label label) const {
  const auto key = std::make_pair(std::make_pair(from, to), static_cast<int>(label));
  auto it = ever_cleared_.find(key);
  if (it == ever_cleared_.end()) it = ever_cleared_.emplace(key, cleared_route(sc_, from, to, label)).first;
  return it->second;
}

bool NetworkService::fixed_route_blocked(const std::string& from, const std::string& to, core::Label label) const {
  const std::vector<bool>& cleared = cleared_[static_cast<std::size_t>(label)];
  for (const auto& h : platform_.route(from, to))
    if (!cleared[h.link]) return true;
  return false;
}

double NetworkService::nominal_s(const std::vector<Hop>& hops, double bytes, double t) const {
  double latency = 0, slowest = core::NEVER;
  for (const auto& h : hops) {
    latency += sc_.network.links[h.link].latency_s;
    slowest = std::min(slowest, sc_.network.links[h.link].bandwidth_at(t));
  }
  return hops.empty() ? 0.0 : latency + bytes / slowest;
}

bool NetworkService::route_up_at(const std::string& from, const std::string& to, double t, core::Label label) const {
  if (!links_fail_) return true;
  std::vector<Hop> hops;
  bool direct = true;
  return route_at(from, to, t, label, hops, direct);
}

double NetworkService::route_next_up(const std::string& from, const std::string& to, double t,
                                     core::Label label) const {
  if (!links_fail_) return t;
  if (!ever_cleared(from, to, label)) return core::NEVER;
  // The route can only come back when some link does.
  std::vector<double> times{t};
  for (const auto& u : links_up_) {
    if (u.online_from_s > t) times.push_back(u.online_from_s);
    for (const auto& o : u.outages)
      if (o.to_s > t && o.to_s != core::NEVER) times.push_back(o.to_s);
  }
  std::sort(times.begin(), times.end());
  for (double c : times)
    if (route_up_at(from, to, c, label)) return c;
  return core::NEVER;
}

void NetworkService::account(const std::vector<Hop>& hops, const std::string& from, const std::string& to,
                             double bytes, double t0, double t1, const std::string& owner) {
  const auto day = static_cast<std::size_t>(std::floor(t0 / 86400.0));
  for (const auto& h : hops) {
    bytes_per_link_[h.link] += bytes;
    auto& d = daily_bytes_[h.link];
    if (d.size() <= day) d.resize(day + 1, 0.0);
    d[day] += bytes;
    auto& c = carried_[{h.link, owner}];
    c.first++;
    c.second += bytes;
    if (recorder_ && recorder_->tracing())
      recorder_->span("link/" + sc_.network.links[h.link].name, from + " to " + to, "transfer", t0, t1);
  }
}

void NetworkService::note_links(const std::vector<Hop>& hops, std::vector<std::string>& links) const {
  for (const auto& h : hops) {
    const std::string& n = sc_.network.links[h.link].name;
    if (std::find(links.begin(), links.end(), n) == links.end()) links.push_back(n);
  }
}

std::vector<core::Placement> NetworkService::placements() const {
  std::vector<core::Placement> out;
  for (const auto& [key, c] : carried_)
    out.push_back({"link", sc_.network.links[key.first].name, key.second, c.first, c.second});
  return out;
}

core::TransferOutcome NetworkService::transfer(const std::string& from, const std::string& to, double bytes,
                                               const core::TransferTag& tag) {
  core::TransferOutcome out;
  out.id = transfers_.created;
  transfers_.created++;
  active_++;
  out.start_s = sg4::Engine::get_clock();
  const auto size = static_cast<std::uint64_t>(std::llround(std::max(0.0, bytes)));
  XBT_VERB("transfer %s to %s starts: %.0f bytes", from.c_str(), to.c_str(), bytes);
  if (links_fail_ && !ever_cleared(from, to, tag.label)) {
    // No route is ever cleared for the label: refused, nothing moves.
    active_--;
    transfers_.discarded++;
    out.refused = true;
    out.failure = "no route from " + from + " to " + to + " is cleared for " + core::to_string(tag.label);
    out.end_s = out.start_s;
    XBT_VERB("transfer %s to %s refused: %s", from.c_str(), to.c_str(), out.failure.c_str());
    return out;
  }
  if (links_fail_ && fixed_route_blocked(from, to, tag.label)) {
    std::vector<Hop> around;
    if (route_over(sc_, from, to, cleared_[static_cast<std::size_t>(tag.label)], around)) {
      out.rerouted = true;
      out.reroute_extra_s = std::max(0.0, nominal_s(around, static_cast<double>(size), out.start_s) -
                                              nominal_s(platform_.route(from, to), static_cast<double>(size), out.start_s));
    }
  }
  if (!links_fail_) {
    sg4::Comm::sendto(platform_.dtn(from), platform_.svc(to), size);
    out.end_s = sg4::Engine::get_clock();
    account(platform_.route(from, to), from, to, static_cast<double>(size), out.start_s, out.end_s, tag.owner);
    note_links(platform_.route(from, to), out.links);
  } else {
    double remaining = static_cast<double>(size);
    bool held = false, started = false;
    for (;;) {
      const double t = sg4::Engine::get_clock();
      std::vector<Hop> hops;
      bool direct = true;
      if (!route_at(from, to, t, tag.label, hops, direct)) {
        const double up = route_next_up(from, to, t, tag.label);
        if (up == core::NEVER) {
          active_--;
          if (started) transfers_.failed++;
          else transfers_.discarded++;
          out.failure = "no route from " + from + " to " + to + ": a link is offline";
          XBT_VERB("transfer %s to %s %s: %s", from.c_str(), to.c_str(), started ? "failed" : "discarded",
                   out.failure.c_str());
          out.end_s = t;
          return out;
        }
        if (!held) transfers_.holds++;
        XBT_VERB("transfer %s to %s held: no route up until %.0f s", from.c_str(), to.c_str(), up);
        held = true;
        sg4::this_actor::sleep_until(up);
        out.hold_s += up - t;
        continue;
      }
      double down = core::NEVER;
      for (const auto& h : hops) down = std::min(down, links_up_[h.link].next_down(t));
      const auto n = static_cast<std::uint64_t>(std::llround(remaining));
      std::vector<sg4::CommPtr> comms;
      if (direct) {
        comms.push_back(sg4::Comm::sendto_async(platform_.dtn(from), platform_.svc(to), n));
      } else {
        for (const auto& h : hops)
          comms.push_back(sg4::Comm::sendto_async(platform_.link_end(h.link, h.forward),
                                                  platform_.link_end(h.link, !h.forward), n));
      }
      started = true;
      bool done = true;
      if (down == core::NEVER) {
        sg4::Comm::wait_all(comms);
      } else {
        done = sg4::Comm::wait_all_for(comms, down - t) == comms.size();
      }
      double left = 0;
      if (!done) {
        // A link of the route went down: stall, keep what is not yet sent.
        for (auto& c : comms)
          if (!c->test()) {
            left = std::max(left, c->get_remaining());
            c->cancel();
          }
      }
      account(hops, from, to, static_cast<double>(n) - left, t, sg4::Engine::get_clock(), tag.owner);
      note_links(hops, out.links);
      remaining = left;
      if (done || !(remaining > 0)) break;
    }
    out.end_s = sg4::Engine::get_clock();
  }
  XBT_VERB("transfer %s to %s ends after %.3f s", from.c_str(), to.c_str(), out.end_s - out.start_s);
  out.ok = true;
  transfers_.finished++;
  active_--;
  return out;
}

core::Conservation NetworkService::transfers() const {
  core::Conservation c = transfers_;
  c.in_flight = active_;
  return c;
}

bool NetworkService::lose_transfer_for_test() {
  if (active_ == 0) return false;
  active_--;
  return true;
}

std::vector<core::ResourceSim> NetworkService::resources(double horizon_s) const {
  std::vector<core::ResourceSim> out;
  const auto days = static_cast<std::size_t>(std::ceil(horizon_s / 86400.0));
  for (std::size_t i = 0; i < sc_.network.links.size(); ++i) {
    const auto& l = sc_.network.links[i];
    core::ResourceSim r;
    r.name = l.name;
    r.kind = "link";
    // With upgrades, the capacity is the mean over the horizon; each day's
    // utilisation is against that day's own capacity.
    r.capacity = l.upgrades.empty() || !(horizon_s > 0) ? l.bandwidth_bps : l.capacity_between(0, horizon_s) / horizon_s;
    r.busy_integral = bytes_per_link_[i];
    r.online_s = links_up_[i].up_seconds(horizon_s);
    r.daily_utilisation.assign(days, 0.0);
    // Both directions together have twice the bandwidth.
    for (std::size_t d = 0; d < days && d < daily_bytes_[i].size(); ++d) {
      const double from = static_cast<double>(d) * 86400.0;
      r.daily_utilisation[d] = daily_bytes_[i][d] / (2.0 * l.capacity_between(from, from + 86400.0));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace twin::sim
