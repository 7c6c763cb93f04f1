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

CycleTimes& CycleTimes::operator+=(const CycleTimes& o) {
  agent_s += o.agent_s;
  people_s += o.people_s;
  hpc_queue_s += o.hpc_queue_s;
  hpc_run_s += o.hpc_run_s;
  transfer_s += o.transfer_s;
  lab_queue_s += o.lab_queue_s;
  lab_run_s += o.lab_run_s;
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
