#include "twin/core/RunResult.hpp"

namespace twin::core {

Conservation& Conservation::operator+=(const Conservation& o) {
  created += o.created;
  finished += o.finished;
  failed += o.failed;
  discarded += o.discarded;
  in_flight += o.in_flight;
  holds += o.holds;
  return *this;
}

std::vector<Placement> owner_placements(const std::string& kind, const std::string& facility,
                                        const std::map<std::string, std::int64_t>& items) {
  std::vector<Placement> out;
  for (const auto& [owner, n] : items) out.push_back({kind, facility, owner, n, 0.0});
  return out;
}

AccessSim& AccessSim::operator+=(const AccessSim& o) {
  placement_refusals += o.placement_refusals;
  placement_wait_s += o.placement_wait_s;
  transfer_refusals += o.transfer_refusals;
  reroutes += o.reroutes;
  reroute_s += o.reroute_s;
  burst_refusals += o.burst_refusals;
  burst_refusal_s += o.burst_refusal_s;
  stopped = stopped || o.stopped;
  return *this;
}

double CycleTimes::total() const {
  double t = 0;
  for (const auto stage : CYCLE_STAGES) t += this->*stage;
  return t;
}

CycleTimes& CycleTimes::operator+=(const CycleTimes& o) {
  for (const auto stage : CYCLE_STAGES) this->*stage += o.*stage;
  return *this;
}

std::vector<const ResourceSim*> SimResult::facilities() const {
  std::vector<const ResourceSim*> out;
  for (const auto& h : hpc) out.push_back(&h);
  for (const auto& l : labs) {
    out.push_back(&l);
    for (const auto& p : l.pools) out.push_back(&p);
  }
  for (const auto& k : links) out.push_back(&k);
  return out;
}

}  // namespace twin::core
