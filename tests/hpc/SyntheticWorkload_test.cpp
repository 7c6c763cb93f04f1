#include <doctest/doctest.h>

#include <cmath>

#include "hpc/NodeFailures.hpp"
#include "hpc/Replay.hpp"
#include "hpc/SyntheticWorkload.hpp"

using namespace twin::hpc;
using twin::core::Rng;

TEST_CASE("synthetic workload: deterministic, ordered, within bounds") {
  SyntheticWorkloadSpec spec;
  spec.max_nodes = 128;
  SyntheticWorkload a(spec);
  SyntheticWorkload b(spec);
  Rng ra = Rng::stream(7, "hpc.background.x");
  Rng rb = Rng::stream(7, "hpc.background.x");
  auto ja = a.generate(ra, 30 * 86400.0);
  auto jb = b.generate(rb, 30 * 86400.0);
  REQUIRE(ja.size() == jb.size());
  // About 30 days / 600 s = 4,320 arrivals (Poisson: within 5 sd).
  CHECK(std::abs(static_cast<double>(ja.size()) - 4320.0) < 5 * std::sqrt(4320.0));
  double last = 0;
  double run_total = 0;
  for (std::size_t i = 0; i < ja.size(); ++i) {
    CHECK(ja[i].submit_s == jb[i].submit_s);
    CHECK(ja[i].nodes == jb[i].nodes);
    CHECK(ja[i].submit_s >= last);
    last = ja[i].submit_s;
    CHECK(ja[i].nodes >= 1);
    CHECK(ja[i].nodes <= 128);
    CHECK(ja[i].run_s >= 60);
    CHECK(ja[i].run_s <= 43200);
    CHECK(ja[i].requested_s >= ja[i].run_s);
    run_total += ja[i].run_s;
  }
  CHECK(ja.front().id == "bg-1");
  // Clamped lognormal(3600, 1.2): a mean of a few thousand seconds.
  CHECK(run_total / static_cast<double>(ja.size()) > 2000);
  CHECK(run_total / static_cast<double>(ja.size()) < 9000);
}

TEST_CASE("synthetic workload at a target load keeps a machine busy") {
  SyntheticWorkloadSpec spec;
  spec.max_nodes = 256;
  spec.nodes = twin::core::Distribution::uniform(1, 32);
  spec.run_s = twin::core::Distribution::uniform(600, 7200);
  spec.mean_interarrival_s = interarrival_for_load(spec, 0.7);
  // E[nodes] 16.5 x E[run] 3900 / (0.7 x 256) = 359 s.
  CHECK(spec.mean_interarrival_s == doctest::Approx(16.5 * 3900 / (0.7 * 256)));
  SyntheticWorkload w(spec);
  Rng rng = Rng::stream(1, "load");
  auto jobs = w.generate(rng, 60 * 86400.0);
  auto r = replay(jobs, 256, "easy");
  CHECK(r.summary.utilisation > 0.6);
  CHECK(r.summary.utilisation < 0.8);
  CHECK(r.summary.killed == 0);
}

TEST_CASE("node failures: per-node streams, sorted, rate as specified") {
  NodeFailureSpec spec;
  spec.node_mtbf_s = 100 * 86400.0;
  spec.repair_s = twin::core::Distribution::fixed(3600);
  const double year_s = 365 * 86400.0;
  auto f = node_failures(spec, 1000, year_s, 42);
  // 1,000 nodes x 365 / 100 = 3,650 failures expected.
  CHECK(std::abs(static_cast<double>(f.size()) - 3650.0) < 5 * std::sqrt(3650.0));
  for (std::size_t i = 1; i < f.size(); ++i) CHECK(f[i - 1].fail_s <= f[i].fail_s);
  for (const auto& e : f) CHECK(e.repaired_s == e.fail_s + 3600);
  // Node 3's failures do not depend on how many nodes the machine has.
  auto small = node_failures(spec, 10, year_s, 42);
  std::vector<double> a, b;
  for (const auto& e : f)
    if (e.node == 3) a.push_back(e.fail_s);
  for (const auto& e : small)
    if (e.node == 3) b.push_back(e.fail_s);
  CHECK(a == b);
  CHECK(node_failures(NodeFailureSpec{}, 10, year_s, 42).empty());
}

TEST_CASE("a down node is not allocated until it comes back") {
  for (const char* policy : {"fcfs", "easy", "conservative"}) {
    INFO(std::string(policy));
    auto s = make_scheduler(policy, 4);
    JobRequest a;
    a.id = 1;
    a.nodes = 2;
    a.requested_s = 10;
    s->submit(a);
    auto st = s->schedule(0);
    REQUIRE(st.size() == 1);
    CHECK(s->job_on_node(1) == std::optional<std::uint64_t>(1));
    CHECK(!s->job_on_node(2).has_value());
    CHECK_THROWS_AS(s->set_node_down(0, 1), std::invalid_argument);
    s->set_node_down(2, 1);
    CHECK(s->down_nodes() == 1);
    JobRequest b;
    b.id = 2;
    b.nodes = 3;
    b.requested_s = 5;
    b.submit_s = 1;
    s->submit(b);
    CHECK(s->schedule(1).empty());
    s->finish(1, 10);
    // Nodes 0, 1, 3 are up and free: J2 takes them, skipping node 2.
    auto at10 = s->schedule(10);
    REQUIRE(at10.size() == 1);
    CHECK(at10[0].nodes == std::vector<int>{0, 1, 3});
    JobRequest c;
    c.id = 3;
    c.nodes = 4;
    c.requested_s = 5;
    c.submit_s = 11;
    s->submit(c);
    s->finish(2, 12);
    CHECK(s->schedule(12).empty());  // only 3 nodes up
    s->set_node_up(2, 13);
    auto at13 = s->schedule(13);
    REQUIRE(at13.size() == 1);
    CHECK(at13[0].nodes == std::vector<int>{0, 1, 2, 3});
  }
}

TEST_CASE("a stated load is the node-seconds offered over the capacity, after the clamps, for any size distribution") {
  using twin::core::Distribution;
  struct Case {
    const char* what;
    int max_nodes;
    Distribution nodes, run_s;
  };
  // Sizes: heavy-tailed, exponential, and uniform past the machine (half the
  // draws clamped to it). Run times clamped at 60 s and 12 h: the national
  // default's lognormal of median 4 h passes 12 h for 14 % of jobs.
  const Case cases[] = {
      {"national: lognormal sizes (median 256, sigma 1.2) on 9,408 nodes", 9408, Distribution::lognormal(256, 1.2),
       Distribution::lognormal(240 * 60.0, 1.0)},
      {"exponential sizes (mean 64) on 1,024 nodes, run lognormal sigma 2", 1024, Distribution::exponential(64),
       Distribution::lognormal(3600, 2.0)},
      {"uniform sizes 1-2,048 on 1,024 nodes, exponential runs", 1024, Distribution::uniform(1, 2048),
       Distribution::exponential(20000)},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    SyntheticWorkloadSpec spec;
    spec.max_nodes = c.max_nodes;
    spec.nodes = c.nodes;
    spec.run_s = c.run_s;
    const double load = 0.85;
    spec.mean_interarrival_s = interarrival_for_load(spec, load);
    // About 300,000 jobs: the sampling error of the offered load is ~0.6 %.
    const double horizon_s = 300000 * spec.mean_interarrival_s;
    SyntheticWorkload w(spec);
    Rng rng = Rng::stream(16, "offered");
    double node_s = 0;
    for (const WorkloadJob& j : w.generate(rng, horizon_s)) {
      CHECK(j.requested_s >= j.run_s);  // never killed: what is offered runs
      node_s += static_cast<double>(j.nodes) * j.run_s;
    }
    const double offered = node_s / (c.max_nodes * horizon_s);
    CHECK(offered == doctest::Approx(load).epsilon(0.02));
    // The unclamped means (the formula before) overstate a job by more than 2 %.
    CHECK(c.nodes.mean() * c.run_s.mean() > 1.02 * offered_node_s_per_job(spec));
  }
}
