#pragma once
// EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001), on named nodes.
// Jobs start in queue order while they fit. The first that does not (the
// head) gets a reservation: the earliest planned end of running jobs at which
// enough nodes are free, on the lowest-index nodes free by then. A later job
// may start now, on the lowest free nodes, if it fits and its requested time
// ends by the reservation's start; a job that would run past it may start on
// free nodes outside the reservation. Planned ends use requested times; a
// running job past its requested time (overrun let run) counts as ending now.
#include "hpc/QueueScheduler.hpp"

namespace twin::hpc {

class EasyScheduler : public QueueScheduler {
 public:
  EasyScheduler(int nodes, const SchedulerOptions& options)
      : QueueScheduler(nodes, options), reserved_(nodes), reserved_or_slice_(nodes) {}
  std::vector<Start> schedule(double now_s) override;
  std::vector<Reservation> reservations() const override;

 private:
  /// Tries `job` as a backfill candidate against the current reservation.
  bool try_backfill(const JobRequest& job, double now_s, std::vector<Start>& starts);
  void full_pass(double now_s, std::vector<Start>& starts);
  /// Computes the head's reserved nodes if not yet done since the last full
  /// pass (only backfill candidates running past the shadow need them).
  void ensure_reserved() const;

  bool blocked_ = false;  ///< the last pass left a head job with a reservation
  std::uint64_t head_id_ = 0;
  int head_nodes_ = 0;
  bool head_access_ = false;  ///< the head may use the reserved slice
  double shadow_s_ = 0;   ///< the head's reserved start
  mutable bool reserved_valid_ = false;
  mutable NodeSet reserved_;      ///< the head's reserved nodes
  mutable NodeSet reserved_or_slice_;  ///< off limits past the shadow for jobs without slice access
};

}  // namespace twin::hpc
