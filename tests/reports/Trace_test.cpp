#include <doctest/doctest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "reports/Trace.hpp"

namespace {

twin::core::SimResult traced(const std::string& mode, int rep, bool on) {
  twin::core::SimResult s;
  s.mode = mode;
  s.replication = rep;
  s.log.traced = on;
  // Three jobs on one system: the first two overlap (two lanes), the third fits after the first.
  s.log.spans = {{"hpc/frontier", "job 1", "job", 0, 10},
                 {"hpc/frontier", "job 2", "job", 5, 15},
                 {"hpc/frontier", "job 3", "job", 10, 12},
                 {"agent/p3ht", "gp-ard", "decision", 1, 2}};
  s.log.spans_dropped = on ? 3 : 0;
  twin::core::HpcSim r;
  r.name = "frontier";
  r.kind = "hpc";
  r.daily_utilisation = {0.5, 0.75};
  s.hpc.push_back(r);
  return s;
}

}  // namespace

TEST_CASE("trace: one process per traced simulation, lanes for overlapping slices, counters") {
  twin::core::RunResult run;
  run.scenario.name = "tiny";
  run.sims = {traced("closed_loop", 0, true), traced("baseline", 0, true), traced("closed_loop", 1, false)};
  const auto t = nlohmann::json::parse(twin::reports::build_trace(run));
  const auto& ev = t.at("traceEvents");
  std::set<std::string> procs;
  std::map<std::pair<int, int>, std::string> threads;
  std::map<std::string, std::pair<int, int>> slice_at;
  int counters = 0, dropped_notes = 0;
  for (const auto& e : ev) {
    const std::string ph = e.at("ph");
    if (ph == "M" && e.at("name") == "process_name") procs.insert(e.at("args").at("name").get<std::string>());
    if (ph == "M" && e.at("name") == "thread_name")
      threads[{e.at("pid").get<int>(), e.at("tid").get<int>()}] = e.at("args").at("name").get<std::string>();
    if (ph == "X" && e.at("pid") == 1) slice_at[e.at("name")] = {e.at("tid").get<int>(), e.at("ts").get<int>()};
    if (ph == "C") ++counters;
    if (ph == "i") ++dropped_notes;
  }
  CHECK(procs == std::set<std::string>{"closed_loop replication 0", "baseline replication 0"});
  CHECK(counters == 4);       // two days x two traced simulations
  CHECK(dropped_notes == 2);  // each traced simulation says what it left out
  REQUIRE(slice_at.size() == 4);
  CHECK(slice_at["job 1"].second == 0);
  CHECK(slice_at["job 2"].second == 5000000);  // microseconds
  CHECK(threads[{1, slice_at["job 1"].first}] == "hpc/frontier #1");
  CHECK(threads[{1, slice_at["job 2"].first}] == "hpc/frontier #2");
  CHECK(slice_at["job 3"].first == slice_at["job 1"].first);  // lane 1 is free again at t = 10
  CHECK(threads[{1, slice_at["gp-ard"].first}] == "agent/p3ht");
  // Pure: the same input, the same bytes.
  CHECK(twin::reports::build_trace(run) == twin::reports::build_trace(run));
}
