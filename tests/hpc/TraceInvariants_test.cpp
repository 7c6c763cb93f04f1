// Invariants of the policies on a whole real trace (LANL-CM5, 122,055 jobs on
// 1,024 nodes), jobs killed at their requested time.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "hpc/Replay.hpp"
#include "hpc/Workload.hpp"

using namespace twin::hpc;

namespace {

const std::string LANL = std::string(TWIN_TEST_DATA_DIR) + "/swf/LANL-CM5-1994-4.1-cln.swf.gz";

/// No node held by two jobs at once: sweep starts and ends in time order
/// (ends first at equal times, as the replay frees before it starts).
bool no_overallocation(const std::vector<WorkloadJob>& jobs, const ReplayResult& r, int nodes) {
  struct Event {
    double t_s;
    int kind;  // 0 end, 1 start
    std::size_t job;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (r.jobs[i].skipped) continue;
    events.push_back({r.jobs[i].start_s, 1, i});
    events.push_back({r.jobs[i].end_s, 0, i});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.t_s != b.t_s ? a.t_s < b.t_s : (a.kind != b.kind ? a.kind < b.kind : a.job < b.job);
  });
  std::vector<char> busy(static_cast<std::size_t>(nodes), 0);
  for (const Event& e : events) {
    for (int n : r.jobs[e.job].nodes) {
      if (n < 0 || n >= nodes) return false;
      char& b = busy[static_cast<std::size_t>(n)];
      if (e.kind == 1) {
        if (b) return false;
        b = 1;
      } else {
        b = 0;
      }
    }
  }
  return true;
}

struct ReservationLog {
  std::map<std::uint64_t, double> latest;  ///< last reserved start seen per job
  std::size_t delayed = 0;                 ///< a reservation that moved later
  void observe(const Scheduler& s) {
    for (const auto& res : s.reservations()) {
      auto [it, fresh] = latest.emplace(res.id, res.start_s);
      if (!fresh) {
        if (res.start_s > it->second) ++delayed;
        it->second = res.start_s;
      }
    }
  }
};

void check_trace(const std::string& policy, bool check_reservations) {
  Workload w = load_workload(LANL);
  const int nodes = w.info.machine_nodes();
  REQUIRE(nodes == 1024);
  ReservationLog log;
  ReplayOptions o;
  if (check_reservations) o.on_pass = [&log](double, const Scheduler& s) { log.observe(s); };
  ReplayResult r = replay(w.jobs, nodes, policy, o);

  // Every record accounted: replayed + skipped by the reader or the replay.
  CHECK(r.summary.jobs + r.summary.skipped + w.info.skipped() + w.info.outside_selection == w.info.records);
  CHECK(r.summary.jobs == w.jobs.size());
  std::size_t bad_start = 0, bad_size = 0, bad_end = 0, late_vs_reservation = 0;
  for (std::size_t i = 0; i < w.jobs.size(); ++i) {
    const ReplayJobResult& j = r.jobs[i];
    if (j.start_s < w.jobs[i].submit_s) ++bad_start;
    if (static_cast<int>(j.nodes.size()) != w.jobs[i].nodes) ++bad_size;
    if (j.end_s != j.start_s + std::min(w.jobs[i].run_s, w.jobs[i].requested_s)) ++bad_end;
    auto it = log.latest.find(i);
    if (it != log.latest.end() && j.start_s > it->second) ++late_vs_reservation;
  }
  CHECK(bad_start == 0);
  CHECK(bad_size == 0);
  CHECK(bad_end == 0);
  CHECK(no_overallocation(w.jobs, r, nodes));
  if (check_reservations) {
    CHECK(!log.latest.empty());
    CHECK(log.delayed == 0);
    CHECK(late_vs_reservation == 0);
  }
  CHECK(r.summary.utilisation > 0.3);
  CHECK(r.summary.utilisation < 1.0);
  MESSAGE(policy << ": mean wait " << r.summary.mean_wait_s << " s, bounded slowdown " << r.summary.mean_bounded_slowdown
                 << ", utilisation " << r.summary.utilisation << ", killed " << r.summary.killed);
}

}  // namespace

TEST_CASE("LANL-CM5 whole trace under FCFS: no node over-allocated, every job accounted") {
  check_trace("fcfs", false);
}

TEST_CASE("LANL-CM5 whole trace under EASY: the head's reservation is never delayed") {
  check_trace("easy", true);
}

TEST_CASE("LANL-CM5 whole trace under conservative: no reservation is ever delayed") {
  check_trace("conservative", true);
}

TEST_CASE("LANL-CM5, 20,000 jobs let run past their requests: still no node over-allocated") {
  WorkloadOptions wo;
  wo.first_n = 20000;
  Workload w = load_workload(LANL, wo);
  REQUIRE(w.info.run_exceeds_request > 1000);
  ReplayOptions o;
  o.scheduler.overrun = OverrunPolicy::LET_RUN;
  for (const char* policy : {"fcfs", "easy", "conservative", "easy-fairshare", "conservative-priority"}) {
    INFO(std::string(policy));
    ReplayResult r = replay(w.jobs, 1024, policy, o);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < w.jobs.size(); ++i) {
      if (r.jobs[i].start_s < w.jobs[i].submit_s) ++bad;
      if (r.jobs[i].end_s != r.jobs[i].start_s + w.jobs[i].run_s) ++bad;
    }
    CHECK(bad == 0);
    CHECK(r.summary.killed == 0);
    CHECK(no_overallocation(w.jobs, r, 1024));
  }
}
