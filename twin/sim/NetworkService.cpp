#include "twin/sim/NetworkService.hpp"

#include <algorithm>
#include <cmath>

#include <simgrid/s4u.hpp>

#include "twin/core/Log.hpp"

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(twin_net);

namespace twin::sim {

namespace sg4 = simgrid::s4u;

NetworkService::NetworkService(const Scenario& sc, const Platform& platform, core::Recorder* recorder)
    : sc_(sc), platform_(platform), recorder_(recorder), bytes_per_link_(sc.network.links.size(), 0.0), daily_bytes_(sc.network.links.size()) {}

core::TransferOutcome NetworkService::transfer(const std::string& from, const std::string& to, double bytes) {
  core::TransferOutcome out;
  transfers_.created++;
  double now = sg4::Engine::get_clock();
  out.start_s = now;
  const auto& hops = platform_.route(from, to);
  // The earliest time every link of the route is online.
  double ready = now;
  for (const auto& h : hops) {
    const auto& a = sc_.network.links[h.link].availability;
    ready = std::max(ready, a.online_from_s);
  }
  for (const auto& h : hops) {
    const auto& a = sc_.network.links[h.link].availability;
    if (ready >= a.offline_from_s) {
      transfers_.discarded++;
      out.failure = "link " + sc_.network.links[h.link].name + " is offline";
      XBT_VERB("transfer %s to %s discarded: %s", from.c_str(), to.c_str(), out.failure.c_str());
      out.end_s = now;
      return out;
    }
  }
  if (ready > now) {
    transfers_.holds++;
    sg4::this_actor::sleep_until(ready);
    out.hold_s = ready - now;
    now = ready;
  }
  const auto size = static_cast<std::uint64_t>(std::llround(std::max(0.0, bytes)));
  XBT_VERB("transfer %s to %s starts: %.0f bytes over %zu link%s", from.c_str(), to.c_str(), bytes, hops.size(),
           hops.size() == 1 ? "" : "s");
  sg4::Comm::sendto(platform_.dtn(from), platform_.svc(to), size);
  out.end_s = sg4::Engine::get_clock();
  XBT_VERB("transfer %s to %s ends after %.3f s", from.c_str(), to.c_str(), out.end_s - now);
  out.ok = true;
  transfers_.finished++;
  const auto day = static_cast<std::size_t>(std::floor(now / 86400.0));
  for (const auto& h : hops) {
    bytes_per_link_[h.link] += static_cast<double>(size);
    auto& d = daily_bytes_[h.link];
    if (d.size() <= day) d.resize(day + 1, 0.0);
    d[day] += static_cast<double>(size);
    if (recorder_ && recorder_->tracing())
      recorder_->span("link/" + sc_.network.links[h.link].name, from + " to " + to, "transfer", now, out.end_s);
  }
  return out;
}

std::vector<core::ResourceSim> NetworkService::resources(double horizon_s) const {
  std::vector<core::ResourceSim> out;
  const auto days = static_cast<std::size_t>(std::ceil(horizon_s / 86400.0));
  for (std::size_t i = 0; i < sc_.network.links.size(); ++i) {
    const auto& l = sc_.network.links[i];
    core::ResourceSim r;
    r.name = l.name;
    r.kind = "link";
    r.capacity = l.bandwidth_bps;
    r.busy_integral = bytes_per_link_[i];
    r.online_s = std::max(0.0, std::min(horizon_s, l.availability.offline_from_s) - l.availability.online_from_s);
    r.daily_utilisation.assign(days, 0.0);
    // Both directions together have twice the bandwidth.
    for (std::size_t d = 0; d < days && d < daily_bytes_[i].size(); ++d)
      r.daily_utilisation[d] = daily_bytes_[i][d] / (2.0 * l.bandwidth_bps * 86400.0);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace twin::sim
