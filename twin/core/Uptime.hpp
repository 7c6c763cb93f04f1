#pragma once
// When a facility is up: online from `online_from_s`, retired at
// `offline_from_s` (an outage without end), and down in each outage window
// [from, to). Windows are kept sorted and disjoint; a window may cross the
// horizon. Plain data with queries, so every part answers "is it up at t"
// and "when is it next up" the same way.
#include <algorithm>
#include <string>
#include <vector>

#include "twin/core/Calendar.hpp"
#include "twin/core/Rng.hpp"

namespace twin::core {

struct Outage {
  double from_s = 0;
  double to_s = NEVER;
  std::string reason;
};

struct Uptime {
  double online_from_s = 0;
  double offline_from_s = NEVER;
  std::vector<Outage> outages;  ///< sorted by start, disjoint

  bool up_at(double t) const { return t >= online_from_s && t < offline_from_s && !outage_at(t); }
  /// The window holding t, or null.
  const Outage* outage_at(double t) const {
    auto it = std::upper_bound(outages.begin(), outages.end(), t,
                               [](double v, const Outage& o) { return v < o.from_s; });
    if (it == outages.begin()) return nullptr;
    --it;
    return t < it->to_s ? &*it : nullptr;
  }
  /// The earliest time >= t at which the facility is up; NEVER if it never is again.
  double next_up(double t) const {
    t = std::max(t, online_from_s);
    for (;;) {
      if (t >= offline_from_s) return NEVER;
      const Outage* o = outage_at(t);
      if (!o) return t;
      t = o->to_s;
    }
  }
  /// The earliest time >= t at which the facility goes down (a window starts
  /// or it retires); t itself if it is down at t; NEVER if it never goes down.
  double next_down(double t) const {
    if (!up_at(t)) return t;
    auto it = std::upper_bound(outages.begin(), outages.end(), t,
                               [](double v, const Outage& o) { return v < o.from_s; });
    const double w = it == outages.end() ? NEVER : it->from_s;
    return std::min(w, offline_from_s);
  }
  /// Down whenever this or `other` is down (a facility at a site that is down).
  Uptime& merge(const Uptime& other) {
    online_from_s = std::max(online_from_s, other.online_from_s);
    offline_from_s = std::min(offline_from_s, other.offline_from_s);
    for (const Outage& o : other.outages) add(o);
    return *this;
  }
  /// Adds a window, merging it with the windows it overlaps or touches.
  void add(Outage o) {
    if (!(o.to_s > o.from_s)) return;
    std::vector<Outage> out;
    out.reserve(outages.size() + 1);
    for (const Outage& w : outages) {
      if (w.to_s < o.from_s || w.from_s > o.to_s) {
        out.push_back(w);
      } else {
        if (w.from_s < o.from_s) o.reason = w.reason;  // the earlier window names the merged one
        o.from_s = std::min(o.from_s, w.from_s);
        o.to_s = std::max(o.to_s, w.to_s);
      }
    }
    out.push_back(std::move(o));
    std::sort(out.begin(), out.end(), [](const Outage& a, const Outage& b) { return a.from_s < b.from_s; });
    outages = std::move(out);
  }
  /// Seconds up within [0, horizon).
  double up_seconds(double horizon_s) const {
    const double a = std::min(online_from_s, horizon_s), b = std::min(offline_from_s, horizon_s);
    double up = std::max(0.0, b - a);
    for (const Outage& o : outages) up -= std::max(0.0, std::min(o.to_s, b) - std::max(o.from_s, a));
    return std::max(0.0, up);
  }
};

/// Random whole-facility outages over [from_s, horizon_s): up for an
/// exponential time of mean `mtbf_s`, then down for an exponential time of
/// mean `repair_s`, drawn from `rng` (a stream named after the facility).
inline std::vector<Outage> random_outages(double mtbf_s, double repair_s, double from_s, double horizon_s, Rng rng) {
  std::vector<Outage> out;
  if (!(mtbf_s > 0)) return out;
  double t = from_s;
  for (;;) {
    t += rng.exponential(mtbf_s);
    if (t >= horizon_s) break;
    const double d = repair_s > 0 ? rng.exponential(repair_s) : 0.0;
    if (d > 0) out.push_back({t, t + d, "random outage"});
    t += d;
  }
  return out;
}

}  // namespace twin::core
