// The batch engine on hand-computable timelines, with no SimGrid.
#include <doctest/doctest.h>

#include <vector>

#include "hpc/BatchEngine.hpp"
#include "hpc/NodeFailures.hpp"

using namespace twin;
using namespace twin::hpc;

namespace {

SystemConfig one_node() {
  SystemConfig c;
  c.name = "h";
  c.nodes = 1;
  c.power.idle_w = 100;
  c.power.busy_w = 300;
  return c;
}

JobSpec job(double run_s, double requested_s, int nodes = 1) {
  JobSpec j;
  j.owner = "c";
  j.nodes = nodes;
  j.run_s = run_s;
  j.requested_s = requested_s;
  return j;
}

/// Runs the engine to `until_s`, returning every job that ended.
std::vector<JobEnd> run_until(BatchEngine& e, double until_s) {
  std::vector<JobEnd> done;
  for (double t = e.next_event_time(); t <= until_s; t = e.next_event_time()) e.advance_to(t, done);
  e.advance_to(until_s, done);
  return done;
}

const JobEnd& by_ticket(const std::vector<JobEnd>& done, std::uint64_t ticket) {
  for (const JobEnd& e : done)
    if (!e.background && e.ticket == ticket) return e;
  FAIL("no end for ticket " << ticket);
  return done.front();
}

}  // namespace

TEST_CASE("2 jobs of 120 s on 1 node: the second waits for the first, both end by 240 s") {
  BatchEngine e(one_node(), 1, 1000);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(120, 200), 0, done);
  const auto b = e.submit(job(120, 200), 0, done);
  CHECK(done.empty());
  done = run_until(e, 1000);
  REQUIRE(done.size() == 2);
  const JobEnd& ja = by_ticket(done, a);
  const JobEnd& jb = by_ticket(done, b);
  CHECK(ja.state == JobState::DONE);
  CHECK(ja.start_s == 0);
  CHECK(ja.end_s == 120);
  CHECK(jb.start_s == 120);
  CHECK(jb.end_s == 240);
  CHECK(jb.node_hours == doctest::Approx(120.0 / 3600));
  CHECK(jb.energy_j == 300.0 * 120);  // busy power x 1 node x 120 s
  const core::HpcSim r = e.resource(1000);
  CHECK(r.busy_integral == 240);
  CHECK(r.waits == 2);
  CHECK(r.wait_sum_s == 120);
  CHECK(r.wait_max_s == 120);
  CHECK(r.queue_max == 1);
  CHECK(r.online_s == 1000);
  CHECK(r.energy_j == 300.0 * 240 + 100.0 * 760);  // busy 240 node-s, idle the rest
  const core::Conservation c = e.caller_jobs();
  CHECK(c.created == 2);
  CHECK(c.finished == 2);
  CHECK(c.in_flight == 0);
  CHECK(c.balanced());
}

TEST_CASE("a job that reaches its requested time is killed then, and counted failed") {
  BatchEngine e(one_node(), 1, 1000);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(100, 60), 10, done);
  done = run_until(e, 1000);
  REQUIRE(done.size() == 1);
  CHECK(by_ticket(done, a).state == JobState::WALLTIME);
  CHECK(by_ticket(done, a).end_s == 70);
  CHECK(e.caller_jobs().failed == 1);
  CHECK(e.caller_jobs().finished == 0);
  CHECK(e.caller_jobs().balanced());
}

TEST_CASE("a job submitted before the system is online is held until then") {
  SystemConfig c = one_node();
  c.online_from_s = 500;
  BatchEngine e(c, 1, 2000);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(100, 200), 100, done);
  CHECK(e.caller_jobs().holds == 1);
  CHECK(e.caller_jobs().in_flight == 1);  // counted while held
  done = run_until(e, 2000);
  const JobEnd& j = by_ticket(done, a);
  CHECK(j.hold_s == 400);
  CHECK(j.submit_s == 500);
  CHECK(j.start_s == 500);
  CHECK(j.end_s == 600);
  CHECK(e.resource(2000).online_s == 1500);
}

namespace {
// The drawn failures of node 0 of system "h" under seed 7 (one node, MTBF
// 1000 s, repair fixed 50 s): the test reads the first failure's time from
// the same generator the engine uses and builds the timeline by hand from it.
NodeFailure first_failure(const SystemConfig& c, double horizon_s) {
  auto f = node_failures(c.node_failures, c.nodes, horizon_s, core::mix_seed(7, core::stable_hash(c.name)));
  REQUIRE(f.size() >= 2);
  return f.front();
}
SystemConfig failing_node(OnFailure on_failure) {
  SystemConfig c = one_node();
  c.node_failures.node_mtbf_s = 1000;
  c.node_failures.repair_s = core::Distribution::fixed(50);
  c.on_failure = on_failure;
  return c;
}
}  // namespace

TEST_CASE("a node failure kills the running job, which is requeued and starts again at the repair") {
  const SystemConfig c = failing_node(OnFailure::REQUEUE);
  const NodeFailure f = first_failure(c, 1e6);
  auto all = node_failures(c.node_failures, c.nodes, 1e6, core::mix_seed(7, core::stable_hash(c.name)));
  const double second_fail_s = all[1].fail_s;
  // A job just long enough to be hit, short enough to end before the second failure.
  const double run_s = f.fail_s + 1;
  REQUIRE(f.repaired_s + run_s < second_fail_s);
  BatchEngine e(c, 7, 1e6);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(run_s, 1e9), 0, done);
  done = run_until(e, f.fail_s);
  CHECK(done.empty());  // killed, but requeued: not ended
  CHECK(e.counters().failure_kills == 1);
  CHECK(e.counters().requeued == 1);
  CHECK(e.caller_jobs().in_flight == 1);
  done = run_until(e, 1e6);
  const JobEnd& j = by_ticket(done, a);
  CHECK(j.state == JobState::DONE);
  CHECK(j.attempts == 2);
  CHECK(j.start_s == f.repaired_s);  // node down for its repair, then the job starts again
  CHECK(j.end_s == f.repaired_s + run_s);
  CHECK(j.node_hours == doctest::Approx((f.fail_s + run_s) / 3600));
  CHECK(e.caller_jobs().finished == 1);
  CHECK(e.caller_jobs().balanced());
}

TEST_CASE("a node failure kills the running job, which is lost when the scenario says so") {
  const SystemConfig c = failing_node(OnFailure::LOSE);
  const NodeFailure f = first_failure(c, 1e6);
  BatchEngine e(c, 7, 1e6);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(f.fail_s + 10, 1e9), 0, done);
  done = run_until(e, 1e6);
  const JobEnd& j = by_ticket(done, a);
  CHECK(j.state == JobState::NODE_FAILURE);
  CHECK(j.end_s == f.fail_s);
  CHECK(e.counters().requeued == 0);
  const core::Conservation cj = e.caller_jobs();
  CHECK(cj.failed == 1);
  CHECK(cj.in_flight == 0);
  CHECK(cj.balanced());
}

TEST_CASE("jobs in flight at the horizon are counted, and a job lost on purpose breaks the balance") {
  BatchEngine e(one_node(), 1, 1000);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(5000, 6000), 0, done);
  e.submit(job(5000, 6000), 0, done);
  done = run_until(e, 1000);
  CHECK(done.empty());
  core::Conservation c = e.caller_jobs();
  CHECK(c.created == 2);
  CHECK(c.in_flight == 2);  // one running, one queued
  CHECK(c.balanced());
  e.lose_job_for_test(a);
  c = e.caller_jobs();
  CHECK(c.in_flight == 1);
  CHECK_FALSE(c.balanced());
}

TEST_CASE("a caller-timed job starts through on_start, ends by finish(), and is told of its kill") {
  SystemConfig c = failing_node(OnFailure::REQUEUE);
  const NodeFailure f = first_failure(c, 1e6);
  std::vector<double> starts;
  int kills = 0;
  EngineOptions o;
  o.on_start = [&starts](std::uint64_t, double t, const std::vector<int>& nodes) {
    CHECK(nodes == std::vector<int>{0});
    starts.push_back(t);
  };
  o.on_kill = [&kills](std::uint64_t) { ++kills; };
  BatchEngine e(c, 7, 1e6, o);
  JobSpec j = job(0, 1e9);
  j.caller_timed = true;
  std::vector<JobEnd> done;
  const auto a = e.submit(j, 0, done);
  REQUIRE(starts == std::vector<double>{0});
  CHECK(e.next_event_time() == f.fail_s);  // no end of its own: the next event is the failure
  done = run_until(e, f.repaired_s);
  CHECK(kills == 1);
  REQUIRE(starts.size() == 2);
  CHECK(starts[1] == f.repaired_s);
  e.finish(a, f.repaired_s + 5, false, done);
  REQUIRE(done.size() == 1);
  CHECK(done[0].state == JobState::DONE);
  CHECK(done[0].end_s == f.repaired_s + 5);
  CHECK(done[0].attempts == 2);
  CHECK(e.caller_jobs().finished == 1);
  CHECK(e.caller_jobs().balanced());
  CHECK_THROWS(e.finish(a, f.repaired_s + 6, false, done));
}

TEST_CASE("an outage window kills the running job, which is requeued and starts again when the window ends") {
  SystemConfig c = one_node();
  c.outages = {{50, 80, "planned upgrade"}};
  BatchEngine e(c, 1, 300);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(100, 200), 0, done);
  done = run_until(e, 60);
  CHECK(done.empty());
  CHECK(e.counters().outages == 1);
  CHECK(e.counters().outage_kills == 1);
  CHECK(e.counters().requeued == 1);
  CHECK_FALSE(e.up_at(60));
  CHECK(e.next_up(60) == 80);
  const auto b = e.submit(job(10, 20), 60, done);  // queued: nothing starts in the window
  done = run_until(e, 300);
  REQUIRE(done.size() == 2);
  CHECK(by_ticket(done, a).start_s == 80);
  CHECK(by_ticket(done, a).end_s == 180);
  CHECK(by_ticket(done, a).attempts == 2);
  CHECK(by_ticket(done, b).start_s == 180);
  CHECK(by_ticket(done, b).end_s == 190);
  CHECK(e.up_at(80));
  const core::HpcSim r = e.resource(300);
  CHECK(r.online_s == 270);
  CHECK(r.busy_integral == 50 + 100 + 10);
  CHECK(r.failure_kills == 1);
  CHECK(r.energy_j == 300.0 * 160 + 100.0 * (270 - 160));  // no power while down
  CHECK(e.caller_jobs().finished == 2);
  CHECK(e.caller_jobs().balanced());
}

TEST_CASE("an outage window kills the running job, which is lost when the scenario says so") {
  SystemConfig c = one_node();
  c.outages = {{50, 80, ""}, {100, 120, ""}};
  c.on_failure = OnFailure::LOSE;
  BatchEngine e(c, 1, 300);
  std::vector<JobEnd> done;
  const auto a = e.submit(job(100, 200), 0, done);
  done = run_until(e, 300);
  REQUIRE(done.size() == 1);
  CHECK(by_ticket(done, a).state == JobState::OUTAGE);
  CHECK(by_ticket(done, a).end_s == 50);
  CHECK(e.counters().outages == 2);
  CHECK(e.next_up(90) == 90);
  CHECK(e.next_up(100) == 120);
  CHECK(e.resource(300).online_s == 250);
  const core::Conservation cj = e.caller_jobs();
  CHECK(cj.failed == 1);
  CHECK(cj.balanced());
}

TEST_CASE("a retired system discards new jobs and says it will never be up again") {
  SystemConfig c = one_node();
  c.offline_from_s = 200;
  BatchEngine e(c, 1, 1000);
  std::vector<JobEnd> done;
  e.submit(job(500, 600), 0, done);  // runs past the retirement: work already submitted completes
  done = run_until(e, 250);
  CHECK(e.next_up(250) == core::NEVER);
  CHECK_FALSE(e.up_at(250));
  const auto b = e.submit(job(10, 20), 250, done);
  REQUIRE(done.size() == 1);
  CHECK(by_ticket(done, b).state == JobState::DISCARDED);
  done = run_until(e, 1000);
  REQUIRE(done.size() == 1);
  CHECK(done[0].end_s == 500);
  const core::Conservation cj = e.caller_jobs();
  CHECK(cj.discarded == 1);
  CHECK(cj.finished == 1);
  CHECK(cj.balanced());
  CHECK(e.resource(1000).online_s == 200);
}

TEST_CASE("random whole-system outages: no job starts while down, and downtime is not online time") {
  SystemConfig c = one_node();
  c.mtbf_s = 10 * 3600.0;
  c.repair_s = core::Distribution::fixed(3600);
  const double horizon_s = 30 * 86400.0;
  EngineOptions o;
  BatchEngine* engine = nullptr;
  int starts = 0, starts_while_down = 0;
  o.on_start = [&](std::uint64_t, double t, const std::vector<int>&) {
    ++starts;
    if (!engine->up_at(t)) ++starts_while_down;
  };
  BatchEngine e(c, 3, horizon_s, o);
  engine = &e;
  std::vector<JobEnd> done;
  for (double t = 0; t < horizon_s; t += 3600) {
    e.advance_to(t, done);
    e.submit(job(1800, 3600), t, done);
  }
  e.advance_to(horizon_s, done);
  CHECK(e.counters().outages > 30);  // about one in 11 h over 30 days
  CHECK(e.counters().outage_kills > 0);
  CHECK(starts_while_down == 0);
  CHECK(starts > 600);
  const core::HpcSim r = e.resource(horizon_s);
  CHECK(r.online_s < horizon_s - 30 * 3600.0);
  CHECK(r.online_s > horizon_s - 90 * 3600.0);
  CHECK(e.caller_jobs().balanced());
}
