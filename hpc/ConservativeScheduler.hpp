#pragma once
// Conservative backfilling (Mu'alem & Feitelson 2001) as batsched's
// conservative_bf does it, on named nodes. Every queued job holds a
// reservation: a start time and named nodes, the earliest slot where its
// requested time fits in the free-node profile left by running jobs (until
// their planned ends) and by the reservations of the others; among the
// nodes free throughout that slot it takes the lowest indices (batsched's
// basic selector). A new job is placed without moving anyone (batsched: no
// job ended, insert the released jobs first-fit). After any job ends, the
// schedule is compressed: in queue order, each job's reservation is taken
// out and put back at the earliest fit (never later than before), and, at
// the same start, on the lowest free nodes again
// (SchedulerOptions::conservative_refit, LOWEST as batsched; KEEP keeps a
// job's nodes unless it can start earlier). A job starts when its
// reservation falls due.
//
// Fast: the profile (hpc/FreeProfile) is kept up to date on starts, ends and
// moves, not rebuilt per pass, and a compression re-fits only the jobs it
// can change: a job's fit changes only if nodes were freed, since it was
// last placed, somewhere before its reserved end (an early end, a job that
// moved); even then it can start earlier only if the free counts allow it
// (the profile's index answers that), and take other nodes at the same
// start only if the nodes freed there include lower ones. Every other job
// provably keeps its slot, so it is not touched. The result is the same as
// re-fitting every job (SchedulerOptions::conservative_incremental = false,
// the reference the tests compare against).
//
// Under a priority or fair-share order, a job that ranks before jobs already
// holding reservations makes the whole queue be planned afresh in order, so
// rank wins over earlier reservations (the never-later guarantee is for the
// submit order). With overrun LET_RUN, a job past its planned end counts as
// ending now, and a reservation that falls due on its nodes is searched
// afresh at the next compression, so under many overruns large jobs can wait
// long: KILL is the mode the guarantees are stated for.
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hpc/FreeProfile.hpp"
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
    NodeSet nodes;  ///< empty: no slot (too few nodes up)
    std::uint64_t placed_seq = 0;  ///< freed_ entries up to this one were seen when it was last placed
    int highest_node = 0;
  };
  /// Nodes given back to the profile over [from_s, to_s): an early end, or a
  /// reservation that moved. Only these can make a placed job's fit change.
  struct Freed {
    std::uint64_t seq = 0;
    double from_s = 0, to_s = 0;
    NodeSet nodes;
  };
  /// What a run of Freed entries amounts to, for the test of a job.
  struct FreedSummary {
    bool any = false;
    double from_s = 0, to_s = 0;  ///< earliest from, latest to
    int lowest_node = 0;
    NodeSet nodes;                ///< union
    void add(double from, double to, const NodeSet& n);
    void add(const FreedSummary& o);
  };

  void rebuild_profile(double now_s);
  void compress(double now_s, bool all);
  void refit(const JobRequest& job, bool all, double now_s);
  void place(const JobRequest& job);
  void put(std::uint64_t id, Planned p);
  void unplace(std::uint64_t id);
  void log_freed(double from_s, double to_s, const NodeSet& nodes);
  /// Moves a placed job to `p` (another start or other nodes).
  void move(std::uint64_t id, Planned& old, Planned p);
  Planned slot(const FreeProfile::Fit& fit, double duration_s) const;

  FreeProfile profile_;
  std::unordered_map<std::uint64_t, Planned> planned_;  // looked up only; the sweep that iterates it does not depend on order
  std::set<std::pair<double, std::uint64_t>> by_start_;  ///< (reserved start, id)
  std::vector<Freed> freed_;  ///< since the oldest placement still current, in seq order
  /// During a compression: summaries of freed_[k..] as it was when the
  /// pass began, and of what the pass itself has freed so far.
  std::vector<FreedSummary> suffix_;
  FreedSummary pass_freed_;
  bool in_pass_ = false;
  std::uint64_t seq_ = 0;
  FreedSummary near_;  ///< scratch: what was freed since the job being re-fitted was placed
  bool rebuild_ = true;  ///< the profile must be rebuilt from the running and planned jobs
  double last_now_s_ = 0;
};

}  // namespace twin::hpc
