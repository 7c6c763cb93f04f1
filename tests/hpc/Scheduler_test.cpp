#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "hpc/Scheduler.hpp"

using namespace twin::hpc;

namespace {

JobRequest job(std::uint64_t id, double submit_s, int nodes, double requested_s, int priority = 0) {
  JobRequest j;
  j.id = id;
  j.submit_s = submit_s;
  j.nodes = nodes;
  j.requested_s = requested_s;
  j.priority = priority;
  return j;
}

std::map<std::uint64_t, std::vector<int>> as_map(const std::vector<Start>& starts) {
  std::map<std::uint64_t, std::vector<int>> m;
  for (const Start& s : starts) m[s.id] = s.nodes;
  return m;
}

}  // namespace

TEST_CASE("FCFS on 4 nodes: a blocked job blocks the ones behind it") {
  // Gantt (nodes 0-3), each job runs exactly its requested time:
  //   J1 [0,10)  nodes 0-1
  //   J2 [10,15) nodes 0-2   (needs 3, only 2 free before t=10)
  //   J3 [10,12) node 3      (fits at t=1 but FCFS keeps it behind J2)
  auto s = make_scheduler("fcfs", 4);
  CHECK(s->total_nodes() == 4);
  s->submit(job(1, 0, 2, 10));
  s->submit(job(2, 0, 3, 5));
  auto at0 = s->schedule(0);
  REQUIRE(at0.size() == 1);
  CHECK(at0[0].id == 1);
  CHECK(at0[0].nodes == std::vector<int>{0, 1});
  CHECK(s->free_nodes() == 2);
  s->submit(job(3, 1, 1, 2));
  CHECK(s->schedule(1).empty());
  CHECK(s->queued() == 2);
  s->finish(1, 10);
  auto at10 = s->schedule(10);
  REQUIRE(at10.size() == 2);
  CHECK(at10[0].id == 2);
  CHECK(at10[0].nodes == std::vector<int>{0, 1, 2});
  CHECK(at10[1].id == 3);
  CHECK(at10[1].nodes == std::vector<int>{3});
  CHECK(s->queued() == 0);
  CHECK(s->free_nodes() == 0);
  CHECK(s->reservations().empty());
}

TEST_CASE("FCFS allocates the lowest free indices, also after holes open") {
  auto s = make_scheduler("fcfs", 6);
  s->submit(job(1, 0, 2, 10));
  s->submit(job(2, 0, 2, 10));
  s->submit(job(3, 0, 2, 10));
  CHECK(s->schedule(0).size() == 3);
  s->finish(2, 4);  // frees 2-3
  s->submit(job(4, 4, 1, 10));
  auto st = s->schedule(4);
  REQUIRE(st.size() == 1);
  CHECK(st[0].nodes == std::vector<int>{2});
}

TEST_CASE("EASY backfills a short job onto a free node before the head's reservation") {
  // Same jobs as the FCFS case: J3 (1 node, 2 s) ends at 3 <= 10, the head's
  // reserved start, so it runs [1,3) on node 2, the lowest free node.
  auto s = make_scheduler("easy", 4);
  s->submit(job(1, 0, 2, 10));
  s->submit(job(2, 0, 3, 5));
  CHECK(s->schedule(0).size() == 1);
  auto res = s->reservations();
  REQUIRE(res.size() == 1);
  CHECK(res[0].id == 2);
  CHECK(res[0].start_s == 10);
  CHECK(res[0].nodes == std::vector<int>{0, 1, 2});
  s->submit(job(3, 1, 1, 2));
  auto at1 = as_map(s->schedule(1));
  REQUIRE(at1.size() == 1);
  CHECK(at1[3] == std::vector<int>{2});
}

TEST_CASE("schedulers reject what they cannot run") {
  CHECK_THROWS_AS(make_scheduler("round-robin", 4), std::invalid_argument);
  CHECK_THROWS_AS(make_scheduler("fcfs", 0), std::invalid_argument);
  auto s = make_scheduler("fcfs", 4);
  CHECK_THROWS_AS(s->submit(job(1, 0, 5, 10)), std::invalid_argument);
  CHECK_THROWS_AS(s->submit(job(1, 0, 0, 10)), std::invalid_argument);
  s->submit(job(1, 0, 1, 10));
  CHECK_THROWS_AS(s->submit(job(1, 0, 1, 10)), std::invalid_argument);
  CHECK_THROWS_AS(s->finish(1, 0), std::invalid_argument);
}

TEST_CASE("scheduler catalog is sorted and documents its parameters") {
  auto cat = scheduler_catalog();
  REQUIRE(cat.size() >= 2);
  for (std::size_t i = 1; i < cat.size(); ++i) CHECK(cat[i - 1].kind < cat[i].kind);
  for (const auto& info : cat) {
    CHECK(!info.description.empty());
    CHECK(!info.params.empty());
    // Every kind in the catalog can be built.
    CHECK(make_scheduler(info.kind.substr(std::string("scheduler.").size()), 8) != nullptr);
  }
}

TEST_CASE("a reserved slice runs only jobs with access to it, under the backfilling policies") {
  // Four nodes, node 3 reserved. Background J1 (3 nodes, 10 s) takes 0-2;
  // background J2 (1 node) must wait although node 3 is free; campaign C3
  // (1 node, access) starts at once on node 3 (backfilled: it ends at 7,
  // and J2 cannot use node 3 anyway). At 10 J2 gets node 0. Strict FCFS
  // would keep C3 behind J2 (use fcfs-priority with a campaign priority).
  for (const char* policy : {"easy", "conservative", "fcfs-priority"}) {
    INFO(std::string(policy));
    SchedulerOptions o;
    o.reserved_nodes = 1;
    auto s = make_scheduler(policy, 4, o);
    CHECK_THROWS_AS(s->submit(job(9, 0, 4, 10)), std::invalid_argument);  // background cannot use 4
    s->submit(job(1, 0, 3, 10));
    CHECK(s->schedule(0).size() == 1);
    s->submit(job(2, 1, 1, 5));
    CHECK(s->schedule(1).empty());
    JobRequest c = job(3, 2, 1, 5, 1);
    c.reserved_access = true;
    s->submit(c);
    auto at2 = s->schedule(2);
    REQUIRE(at2.size() == 1);
    CHECK(at2[0].id == 3);
    CHECK(at2[0].nodes == std::vector<int>{3});
    s->finish(1, 10);
    auto at10 = s->schedule(10);
    REQUIRE(at10.size() == 1);
    CHECK(at10[0].id == 2);
    CHECK(at10[0].nodes == std::vector<int>{0});
  }
  SchedulerOptions bad;
  bad.reserved_nodes = 4;
  CHECK_THROWS_AS(make_scheduler("easy", 4, bad), std::invalid_argument);
}

TEST_CASE("EASY with a slice: a campaign head reserves across it, background backfills outside it") {
  // Four nodes, node 3 reserved. J1 (background, 2 nodes, 10 s) on 0-1.
  // Campaign C2 needs 4 nodes: head, reserved at 10 on 0-3. Background J3
  // (1 node, 30 s) would run past 10 and its only usable free node (2) is
  // in C2's reservation: it waits. Campaign C4 (1 node, 5 s) ends by 10 and
  // backfills on node 2.
  SchedulerOptions o;
  o.reserved_nodes = 1;
  auto s = make_scheduler("easy", 4, o);
  s->submit(job(1, 0, 2, 10));
  CHECK(s->schedule(0).size() == 1);
  JobRequest c2 = job(2, 0, 4, 10);
  c2.reserved_access = true;
  s->submit(c2);
  s->submit(job(3, 1, 1, 30));
  CHECK(s->schedule(1).empty());
  auto res = s->reservations();
  REQUIRE(res.size() == 1);
  CHECK(res[0].nodes == std::vector<int>{0, 1, 2, 3});
  JobRequest c4 = job(4, 2, 1, 5);
  c4.reserved_access = true;
  s->submit(c4);
  auto at2 = s->schedule(2);
  REQUIRE(at2.size() == 1);
  CHECK(at2[0].id == 4);
  CHECK(at2[0].nodes == std::vector<int>{2});
}
