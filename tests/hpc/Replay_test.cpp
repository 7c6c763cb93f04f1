#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hpc/NodeSet.hpp"
#include "hpc/Replay.hpp"

using namespace twin::hpc;

namespace {

WorkloadJob wj(const std::string& id, double submit_s, int nodes, double requested_s, double run_s = -1) {
  WorkloadJob j;
  j.id = id;
  j.submit_s = submit_s;
  j.nodes = nodes;
  j.requested_s = requested_s;
  j.run_s = run_s < 0 ? requested_s : run_s;
  return j;
}

struct Slot {
  double start_s, end_s;
  std::vector<int> nodes;
};

void check_gantt(const ReplayResult& r, const std::vector<Slot>& expected) {
  REQUIRE(r.jobs.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("job J" << i + 1);
    CHECK(r.jobs[i].start_s == expected[i].start_s);
    CHECK(r.jobs[i].end_s == expected[i].end_s);
    CHECK(r.jobs[i].nodes == expected[i].nodes);
  }
}

// Four nodes, every job runs exactly its requested time:
//   J1 t=0 2 nodes 10 s;  J2 t=0 3 nodes 10 s;  J3 t=0 4 nodes 10 s;
//   J4 t=1 1 node 30 s;   J5 t=2 1 node 5 s.
// J1 runs [0,10) on 0-1. J2 (head) cannot start before 10 and reserves
// nodes 0-2 from 10; node 3 lies outside that reservation.
std::vector<WorkloadJob> classic() {
  return {wj("1", 0, 2, 10), wj("2", 0, 3, 10), wj("3", 0, 4, 10), wj("4", 1, 1, 30), wj("5", 2, 1, 5)};
}

}  // namespace

TEST_CASE("FCFS Gantt: nothing passes the blocked head") {
  // J2 [10,20) 0-2, J3 [20,30) 0-3, then J4 [30,60) on 0 and J5 [30,35) on 1.
  auto r = replay(classic(), 4, "fcfs");
  check_gantt(r, {{0, 10, {0, 1}}, {10, 20, {0, 1, 2}}, {20, 30, {0, 1, 2, 3}}, {30, 60, {0}}, {30, 35, {1}}});
  CHECK(r.summary.makespan_s == 60);
}

TEST_CASE("EASY Gantt: backfills J4 past the second job's start, delaying J3") {
  // t=1: J4 (30 s) would end at 31 > 10, J2's reserved start, but node 3 is
  // outside J2's reservation, so J4 runs [1,31) on node 3. t=2: J5 ends at
  // 7 <= 10, so it backfills onto node 2. J2 starts at 10 as reserved. J3
  // needs all 4 nodes: node 3 is busy until 31, so J3 runs [31,41) —
  // delayed 11 s by J4, which EASY allows (only the head is protected).
  auto r = replay(classic(), 4, "easy");
  check_gantt(r, {{0, 10, {0, 1}}, {10, 20, {0, 1, 2}}, {31, 41, {0, 1, 2, 3}}, {1, 31, {3}}, {2, 7, {2}}});
}

TEST_CASE("conservative Gantt: J4 may not delay J3's reservation, J5 still backfills") {
  // Reservations at t=1: J2 [10,20) on 0-2, J3 [20,30) on 0-3. J4 needs one
  // node for 30 s: node 3 is free only until 20, so J4 is reserved at 30 on
  // node 0. J5 (5 s) fits at once on node 2 ([2,7) ends before J2 needs it).
  auto r = replay(classic(), 4, "conservative");
  check_gantt(r, {{0, 10, {0, 1}}, {10, 20, {0, 1, 2}}, {20, 30, {0, 1, 2, 3}}, {30, 60, {0}}, {2, 7, {2}}});
}

// Four nodes, requested times in brackets, run times where they differ:
//   J1 t=0 2 nodes [20] runs 5;  J2 t=0 2 nodes [20];  J3 t=0 2 nodes [15];
//   J4 t=0 2 nodes [10];         J5 t=0 4 nodes [10].
// At t=0: J1 runs on 0-1, J2 on 2-3 (both planned to 20). Reservations:
//   J3 [20,35) on 0-1;  J4 [20,30) on 2-3;  J5 [35,45) on 0-3.
// J1 ends at 5, 15 s early: the compression, in queue order, moves J3 to
// [5,20) on 0-1 (free now for 15 s), then J4 stays at 20 (nothing is free
// before it), then J5 moves up to [30,40) (J3 now ends at 20, J4 at 30).
// J4 at 20: nodes 0-3 are all free throughout [20,30) now, so batsched's
// re-insertion (refit LOWEST) puts it on 0-1; KEEP leaves it on 2-3.
//
//   nodes  0    5   10   15   20   25   30   35   40
//   0-1    [J1][J3------------][J4------][J5------]
//   2-3    [J2----------------]          [J5------]
std::vector<WorkloadJob> early_end() {
  return {wj("1", 0, 2, 20, 5), wj("2", 0, 2, 20), wj("3", 0, 2, 15), wj("4", 0, 2, 10), wj("5", 0, 4, 10)};
}

TEST_CASE("conservative Gantt: a job ends early, reservations move up, and at the same start take the lowest nodes") {
  ReplayOptions o;
  std::vector<std::string> at5;
  o.on_pass = [&at5](double now_s, const Scheduler& s) {
    if (now_s != 5) return;
    for (const auto& r : s.reservations()) at5.push_back(std::to_string(r.id) + "@" + std::to_string(static_cast<int>(r.start_s)) + ":" + format_intervals(r.nodes));
  };
  auto r = replay(early_end(), 4, "conservative", o);
  check_gantt(r, {{0, 5, {0, 1}}, {0, 20, {2, 3}}, {5, 20, {0, 1}}, {20, 30, {0, 1}}, {30, 40, {0, 1, 2, 3}}});
  // After the pass at 5 (trace indices: J4 is 3, J5 is 4): J3 has started.
  CHECK(at5 == std::vector<std::string>{"3@20:0-1", "4@30:0-3"});

  ReplayOptions keep;
  keep.scheduler.conservative_refit = RefitNodes::KEEP;
  auto k = replay(early_end(), 4, "conservative", keep);
  check_gantt(k, {{0, 5, {0, 1}}, {0, 20, {2, 3}}, {5, 20, {0, 1}}, {20, 30, {2, 3}}, {30, 40, {0, 1, 2, 3}}});
}

TEST_CASE("conservative: re-fitting only the jobs that can move gives the schedule of re-fitting every job") {
  // 20,000 jobs of each shipped trace, both refit choices: the incremental
  // compression against the reference that takes out and puts back every
  // queued job at every pass, as batsched does.
  for (const char* trace : {"LANL-CM5-1994-4.1-cln.swf.gz", "SDSC-BLUE-2000-4.2-cln.swf.gz"}) {
    WorkloadOptions wo;
    wo.first_n = 20000;
    Workload w = load_workload(std::string(TWIN_TEST_DATA_DIR) + "/swf/" + trace, wo);
    for (RefitNodes refit : {RefitNodes::LOWEST, RefitNodes::KEEP}) {
      INFO(trace << (refit == RefitNodes::LOWEST ? " lowest" : " keep"));
      ReplayOptions fast, full;
      fast.scheduler.conservative_refit = full.scheduler.conservative_refit = refit;
      full.scheduler.conservative_incremental = false;
      auto a = replay(w.jobs, w.info.machine_nodes(), "conservative", fast);
      auto b = replay(w.jobs, w.info.machine_nodes(), "conservative", full);
      std::size_t differ = 0;
      for (std::size_t i = 0; i < w.jobs.size(); ++i)
        if (a.jobs[i].start_s != b.jobs[i].start_s || a.jobs[i].nodes != b.jobs[i].nodes) ++differ;
      CHECK(differ == 0);
      CHECK(a.summary.mean_wait_s == b.summary.mean_wait_s);
      CHECK(a.summary.mean_wait_s > 0);  // a queue to compress: not a trivial comparison
    }
  }
}

TEST_CASE("a job past its estimate is killed at its requested time, or let run") {
  // Two nodes. J1 asks 10 s but needs 25; J2 (2 nodes) waits for it.
  std::vector<WorkloadJob> jobs = {wj("1", 0, 1, 10, 25), wj("2", 0, 2, 5), wj("3", 1, 1, 8)};
  SUBCASE("kill") {
    // J1 killed at 10. J2 reserved at 10 on 0-1; J3 (8 s from 1 ends at 9 <= 10)
    // backfills on node 1. J2 then runs [10,15).
    auto r = replay(jobs, 2, "easy");
    check_gantt(r, {{0, 10, {0}}, {10, 15, {0, 1}}, {1, 9, {1}}});
    CHECK(r.jobs[0].killed);
    CHECK(!r.jobs[1].killed);
    CHECK(r.summary.killed == 1);
  }
  SUBCASE("let run") {
    // J1 runs to 25; J3 still backfills (planned ends say 10); J2 waits to 25.
    ReplayOptions o;
    o.scheduler.overrun = OverrunPolicy::LET_RUN;
    for (const char* policy : {"easy", "conservative"}) {
      INFO(std::string(policy));
      auto r = replay(jobs, 2, policy, o);
      check_gantt(r, {{0, 25, {0}}, {25, 30, {0, 1}}, {1, 9, {1}}});
      CHECK(r.summary.killed == 0);
    }
  }
}

TEST_CASE("priority order lets an urgent job jump the queue, under either backfill") {
  // Two nodes, J1 holds both until 10. J2 and J3 (both 2 nodes) queue; J3
  // has priority 5 so it runs first at 10, then J2 at 20.
  std::vector<WorkloadJob> jobs = {wj("1", 0, 2, 10), wj("2", 1, 2, 10), wj("3", 2, 2, 10)};
  jobs[2].priority = 5;
  for (const char* policy : {"fcfs-priority", "easy-priority", "conservative-priority"}) {
    INFO(std::string(policy));
    auto r = replay(jobs, 2, policy);
    check_gantt(r, {{0, 10, {0, 1}}, {20, 30, {0, 1}}, {10, 20, {0, 1}}});
  }
  auto plain = replay(jobs, 2, "easy");
  CHECK(plain.jobs[1].start_s == 10);
}

TEST_CASE("fair-share order favours the account that used less") {
  // One node. Alice's J1 runs [0,100). At 100, Alice's J2 (submitted first)
  // and Bob's J3 wait; Bob has used nothing, so J3 goes first.
  std::vector<WorkloadJob> jobs = {wj("1", 0, 1, 100), wj("2", 1, 1, 10), wj("3", 2, 1, 10)};
  jobs[0].account = "alice";
  jobs[1].account = "alice";
  jobs[2].account = "bob";
  auto fair = replay(jobs, 1, "easy-fairshare");
  CHECK(fair.jobs[2].start_s == 100);
  CHECK(fair.jobs[1].start_s == 110);
  auto fifo = replay(jobs, 1, "easy");
  CHECK(fifo.jobs[1].start_s == 100);
}

TEST_CASE("replay metrics on a hand-checked schedule") {
  // EASY classic case: waits 0, 10, 31, 0, 0 -> mean 8.2, max 31.
  // Bounded slowdown (tau 10): J1 1, J2 (10+10)/10 = 2, J3 (31+10)/10 = 4.1,
  // J4 1, J5 max(1, 5/10) = 1 -> mean 1.82. Busy node-seconds:
  // 20+30+40+30+5 = 125 over 4 nodes x 41 s.
  auto r = replay(classic(), 4, "easy");
  CHECK(r.summary.mean_wait_s == doctest::Approx(8.2));
  CHECK(r.summary.max_wait_s == 31);
  CHECK(r.summary.mean_bounded_slowdown == doctest::Approx(1.82));
  CHECK(r.summary.utilisation == doctest::Approx(125.0 / (4 * 41)));
  CHECK(r.summary.makespan_s == 41);
  std::string csv = jobs_csv(classic(), r);
  CHECK(csv.rfind("job_id,submit_s,start_s,end_s,wait_s,nodes_requested,nodes_allocated,killed\n", 0) == 0);
  CHECK(csv.find("\n3,0,31,41,31,4,0-3,0\n") != std::string::npos);
  CHECK(csv.find("\n4,1,1,31,0,1,3,0\n") != std::string::npos);
}

TEST_CASE("warm-up jobs are scheduled but left out of the metrics") {
  ReplayOptions o;
  o.warmup_s = 1.5;  // J1-J4 are submitted before 1.5
  auto r = replay(classic(), 4, "easy", o);
  CHECK(r.summary.measured == 1);
  CHECK(r.summary.mean_wait_s == 0);
  CHECK(r.summary.jobs == 5);
}

TEST_CASE("jobs larger than the machine are skipped and counted") {
  std::vector<WorkloadJob> jobs = {wj("1", 0, 2, 10), wj("2", 0, 9, 10)};
  auto r = replay(jobs, 4, "conservative");
  CHECK(r.jobs[1].skipped);
  CHECK(r.summary.skipped == 1);
  CHECK(r.summary.jobs == 1);
  CHECK(jobs_csv(jobs, r).find("\n2,") == std::string::npos);
}

TEST_CASE("replay energy from node power") {
  // EASY classic case: 125 busy node-seconds over 4 nodes x 41 s.
  ReplayOptions o;
  o.node_power = NodePower{100, 300};
  auto r = replay(classic(), 4, "easy", o);
  CHECK(r.summary.has_energy);
  CHECK(r.summary.jobs_energy_j == doctest::Approx(125 * 300));
  CHECK(r.summary.system_energy_j == doctest::Approx(125 * 300 + (4 * 41 - 125) * 100));
  CHECK(summary_json(r.summary, WorkloadInfo{}).find("\"system_energy_j\"") != std::string::npos);
  CHECK(summary_json(replay(classic(), 4, "easy").summary, WorkloadInfo{}).find("energy") == std::string::npos);
}
