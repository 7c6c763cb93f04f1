#pragma once
// Conservative backfilling (Mu'alem & Feitelson 2001), on named nodes.
// Every queued job holds a reservation: a start time and named nodes, the
// earliest slot where its requested time fits in the free-node profile left
// by running jobs (until their planned ends) and by the reservations of the
// jobs before it; among the nodes free throughout that slot it takes the
// lowest indices. A new job is placed without moving anyone. When a job ends
// before its planned end, the schedule is compressed: in queue order, each
// job's reservation is taken out and put back at the earliest fit, which is
// never later than before. A job starts when its reservation falls due.
// Under a priority or fair-share order, a job that ranks before jobs already
// holding reservations makes the whole queue be planned afresh in order, so
// rank wins over earlier reservations (the never-later guarantee is for the
// submit order). With overrun LET_RUN, a job past its planned end counts as
// ending now, and a reservation that falls due on its nodes is searched
// afresh at the next compression (behind the jobs still holding slots), so
// under many overruns large jobs can wait long: KILL is the mode the
// guarantees are stated for.
#include <set>

#include "hpc/QueueScheduler.hpp"

namespace twin::hpc {

class ConservativeScheduler : public QueueScheduler {
 public:
  ConservativeScheduler(int nodes, const SchedulerOptions& options) : QueueScheduler(nodes, options) {}
  void finish(std::uint64_t id, double now_s) override;
  std::vector<Start> schedule(double now_s) override;
  std::vector<Reservation> reservations() const override;
  double next_wakeup_s() const override;

 private:
  struct Planned {
    double start_s = 0;
    double end_s = 0;
    std::vector<int> nodes;
    NodeSet mask;  ///< the same nodes, for word-wide profile updates
  };
  /// Free nodes from `t_s` until the next segment's time (the last: forever).
  struct Segment {
    double t_s = 0;
    NodeSet free;
  };

  void rebuild_profile(double now_s);
  void trim_profile(double now_s);
  /// Index of the segment that starts at `t_s`, splitting one if needed.
  std::size_t split_at(double t_s);
  void occupy(const Planned& p);
  void release(const Planned& p);
  /// The earliest slot of `nodes` nodes for `duration_s` from the profile's
  /// start that begins before `before_s`, outside `excluded`; empty nodes if
  /// there is none.
  Planned find_fit(int nodes, double duration_s, double before_s, const NodeSet& excluded);
  void place(const JobRequest& job);
  void put(std::uint64_t id, Planned p);
  void unplace(std::uint64_t id);

  std::vector<Segment> profile_;
  std::map<std::uint64_t, Planned> planned_;
  std::set<std::pair<double, std::uint64_t>> by_start_;  ///< (reserved start, id)
  bool compress_ = true;
  double last_now_s_ = 0;
  NodeSet scratch_;
};

}  // namespace twin::hpc
