#pragma once
// Transfers between sites as SimGrid communications from the source site's
// data-transfer host to the destination's service host, so concurrent
// transfers share link bandwidth.
//
// Links go down: not yet online, retired (`offline_from_day`), in an outage
// window, or in a random outage (`mtbf_h`/`repair_h`, drawn per simulation
// from the link's own stream). A transfer uses its route when every link of
// it is up; else the shortest route over the links that are up, crossed hop
// by hop (one flow per link, all at once, so each hop shares its link's
// bandwidth). With no route up it is held until one is; when a link of the
// route it is on goes down mid-way, it stalls (the bytes not yet sent are
// kept) and resumes over whatever route is up next. A transfer with no
// route ever again fails (discarded if it had not started).
//
// Access rules: a transfer carries its owner's label and crosses only links
// cleared for it (twin/core/Label.hpp). Where the fixed route crosses a link
// that is not, it goes hop by hop around it (a detour, its nominal extra
// time reported); with no cleared route at all it is refused at once
// (discarded, nothing moves). Every byte is counted per link and owner,
// for the independent access check after the run.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/core/Uptime.hpp"
#include "twin/sim/Platform.hpp"

namespace twin::sim {

class NetworkService : public core::TransferService {
 public:
  /// `seed` is the replication's (random link outages); `recorder` (may be
  /// null) receives a trace slice per transfer on each link it crosses.
  NetworkService(const Scenario& sc, const Platform& platform, std::uint64_t seed, core::Recorder* recorder = nullptr);
  core::TransferOutcome transfer(const std::string& from_site, const std::string& to_site, double bytes,
                                 const core::TransferTag& tag) override;
  bool route_up_at(const std::string& from_site, const std::string& to_site, double t, core::Label label) const override;
  double route_next_up(const std::string& from_site, const std::string& to_site, double t,
                       core::Label label) const override;
  /// What each link carried for each owner (kind "link"), by (link, owner).
  std::vector<core::Placement> placements() const;
  /// Transfers created, ended and (counted from the active ones) in flight.
  core::Conservation transfers() const;
  std::vector<core::ResourceSim> resources(double horizon_s) const;
  /// Each link's uptime (planned windows and random outages).
  const core::Uptime& link_uptime(std::size_t link) const { return links_up_[link]; }
  /// Test only: forgets one active transfer, so that the conservation check must fail.
  bool lose_transfer_for_test();

 private:
  /// The route at t for `label`: the fixed one if every link of it is up and
  /// cleared, else the shortest over the links up at t and cleared; false
  /// if none. `direct` says which.
  bool route_at(const std::string& from, const std::string& to, double t, core::Label label, std::vector<Hop>& hops,
                bool& direct) const;
  /// Whether some route from `from` to `to` is ever cleared for `label` (cached).
  bool ever_cleared(const std::string& from, const std::string& to, core::Label label) const;
  /// Whether the fixed route crosses a link not cleared for `label`.
  bool fixed_route_blocked(const std::string& from, const std::string& to, core::Label label) const;
  /// Latency plus bytes over the slowest link, at the links' bandwidth at t.
  double nominal_s(const std::vector<Hop>& hops, double bytes, double t) const;
  void account(const std::vector<Hop>& hops, const std::string& from, const std::string& to, double bytes, double t0,
               double t1, const std::string& owner);

  /// Adds the names of the links of `hops` not yet in `links`.
  void note_links(const std::vector<Hop>& hops, std::vector<std::string>& links) const;

  const Scenario& sc_;
  const Platform& platform_;
  core::Recorder* recorder_;
  std::vector<core::Uptime> links_up_;
  bool links_fail_ = false;  ///< routes may change (a link can go down, or is not cleared for some label): routes are checked
  std::array<std::vector<bool>, core::ALL_LABELS.size()> cleared_;  ///< per label, per link
  std::map<std::pair<std::size_t, std::string>, std::pair<std::int64_t, double>> carried_;
  mutable std::map<std::pair<std::pair<std::string, std::string>, int>, bool> ever_cleared_;  ///< (link, owner) -> (transfers, bytes)
  core::Conservation transfers_;  ///< in_flight unused: active_ counts it
  std::int64_t active_ = 0;
  std::vector<double> bytes_per_link_;  ///< both directions
  std::vector<std::vector<double>> daily_bytes_;
};

}  // namespace twin::sim
