#pragma once
// Transfers between sites as SimGrid communications from the source site's
// data-transfer host to the destination's service host, so concurrent
// transfers share link bandwidth. A transfer whose route crosses a link not
// yet online (or no longer online) waits until every link of it is online
// (a hold); if that never happens within the horizon it fails.
#include <vector>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/sim/Platform.hpp"

namespace twin::sim {

class NetworkService : public core::TransferService {
 public:
  /// `recorder` (may be null) receives a trace slice per transfer on each link it crosses.
  NetworkService(const Scenario& sc, const Platform& platform, core::Recorder* recorder = nullptr);
  core::TransferOutcome transfer(const std::string& from_site, const std::string& to_site, double bytes) override;
  const core::Conservation& transfers() const { return transfers_; }
  std::vector<core::ResourceSim> resources(double horizon_s) const;

 private:
  const Scenario& sc_;
  const Platform& platform_;
  core::Recorder* recorder_;
  core::Conservation transfers_;
  std::vector<double> bytes_per_link_;  ///< both directions
  std::vector<std::vector<double>> daily_bytes_;
};

}  // namespace twin::sim
