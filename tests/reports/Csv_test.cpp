#include <doctest/doctest.h>

#include <cmath>

#include "reports/Csv.hpp"

namespace {

using twin::core::RunResult;
using twin::core::SimResult;

SimResult sim(const std::string& mode, int rep) {
  SimResult s;
  s.mode = mode;
  s.replication = rep;
  s.horizon_s = 2 * 86400.0;
  twin::core::CampaignSim c;
  c.name = "p3ht";
  c.experiments = 2;
  c.discoveries = 1;
  c.first_discovery_s = 4000;
  c.discovery_times_s = {4000};
  s.campaigns.push_back(c);
  twin::core::ExperimentRecord ok;
  ok.campaign = "p3ht";
  ok.index = 0;
  ok.submit_s = 100;
  ok.end_s = 3700.5;
  ok.ok = true;
  ok.value = 0.25;
  ok.discovery = true;
  ok.best_so_far = 0.25;
  ok.candidate = "17";
  twin::core::ExperimentRecord bad = ok;
  bad.index = 1;
  bad.candidate = "x00000000000000ff";
  bad.ok = false;
  bad.discovery = false;
  bad.failure = "synthesis failed, \"furnace\"";
  s.log.experiments = {ok, bad};
  twin::core::JobRecord j;
  j.system = "frontier";
  j.id = 7;
  j.owner = "p3ht";
  j.nodes = 4;
  j.submit_s = 10;
  j.start_s = 70;
  j.end_s = 1000;
  j.requested_s = 2000;
  j.state = "done";
  twin::core::JobRecord q = j;
  q.id = 8;
  q.start_s = -1;
  q.end_s = -1;
  q.state = "queued";
  s.log.jobs = {j, q};
  twin::core::HpcSim r;
  r.name = "frontier";
  r.kind = "hpc";
  r.daily_utilisation = {0.5, 0.25};
  r.daily_queue = {3};  // shorter than the utilisation series: the rest is empty
  s.hpc.push_back(r);
  return s;
}

const std::string& file(const std::vector<std::pair<std::string, std::string>>& files, const std::string& name) {
  for (const auto& [n, text] : files)
    if (n == name) return text;
  FAIL("no file " << name);
  static const std::string none;
  return none;
}

}  // namespace

TEST_CASE("csv fields are quoted only when needed, numbers carry 10 digits") {
  CHECK(twin::reports::csv_field("plain") == "plain");
  CHECK(twin::reports::csv_field("a,b") == "\"a,b\"");
  CHECK(twin::reports::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(twin::reports::csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(twin::reports::csv_number(0.1 + 0.2) == "0.3");
  CHECK(twin::reports::csv_number(-0.0) == "0");
  CHECK(twin::reports::csv_number(123456789012.0) == "1.23456789e+11");
  CHECK(twin::reports::csv_number(1.0 / 3.0) == "0.3333333333");
  CHECK(twin::reports::csv_number(std::nan("")) == "");
}

TEST_CASE("csv tables: rows in run order with the documented columns") {
  RunResult run;
  run.sims = {sim("closed_loop", 0), sim("baseline", 0)};
  run.scenario.horizon_s = 2 * 86400.0;
  run.scenario.start_date = "2026-01-05";
  // Day 0: one system of 100 nodes, one lab, a 10 Gb/s link; day 1: the system doubles, a second lab comes online.
  twin::core::CapacityStep day0{0, 1, 100, 400, 2e15, 1, 3, 2, 1, 1.25e9};
  twin::core::CapacityStep day1{1, 1, 200, 800, 4e15, 2, 5, 3, 1, 1.25e9};
  run.scenario.capacity = {day0, day1};
  const auto files = twin::reports::build_csv_files(run);
  REQUIRE(files.size() == 6);
  CHECK(file(files, "years.csv") ==
        "mode,replication,year,start_date,days,discoveries,hpc_systems,nodes,gpus,rmax_pflops,labs,stations,robots,"
        "links,link_capacity_gbps\n"
        "closed_loop,0,2026,2026-01-05,2,1,1,150,600,3,1.5,4,2.5,1,10\n"
        "baseline,0,2026,2026-01-05,2,1,1,150,600,3,1.5,4,2.5,1,10\n");
  CHECK(files[0].first == "experiments.csv");
  CHECK(file(files, "experiments.csv") ==
        "mode,replication,campaign,index,cycle,problem,submit_s,end_s,ok,value,discovery,best_so_far,failure,candidate\n"
        "closed_loop,0,p3ht,0,0,0,100,3700.5,1,0.25,1,0.25,,17\n"
        "closed_loop,0,p3ht,1,0,0,100,3700.5,0,,0,0.25,\"synthesis failed, \"\"furnace\"\"\",x00000000000000ff\n"
        "baseline,0,p3ht,0,0,0,100,3700.5,1,0.25,1,0.25,,17\n"
        "baseline,0,p3ht,1,0,0,100,3700.5,0,,0,0.25,\"synthesis failed, \"\"furnace\"\"\",x00000000000000ff\n");
  CHECK(file(files, "jobs.csv") ==
        "mode,replication,system,id,owner,nodes,submit_s,start_s,end_s,wait_s,requested_s,state\n"
        "closed_loop,0,frontier,7,p3ht,4,10,70,1000,60,2000,done\n"
        "closed_loop,0,frontier,8,p3ht,4,10,-1,-1,-1,2000,queued\n"
        "baseline,0,frontier,7,p3ht,4,10,70,1000,60,2000,done\n"
        "baseline,0,frontier,8,p3ht,4,10,-1,-1,-1,2000,queued\n");
  CHECK(file(files, "utilisation.csv") ==
        "mode,replication,resource,kind,parent,day,utilisation,queue\n"
        "closed_loop,0,frontier,hpc,,0,0.5,3\n"
        "closed_loop,0,frontier,hpc,,1,0.25,\n"
        "baseline,0,frontier,hpc,,0,0.5,3\n"
        "baseline,0,frontier,hpc,,1,0.25,\n");
  const std::string& camps = file(files, "campaigns.csv");
  CHECK(camps.find("\nclosed_loop,0,p3ht,1,2,0,0,0,0,0,4000,") != std::string::npos);
  // No sample records: the header alone.
  CHECK(file(files, "samples.csv").find('\n') == file(files, "samples.csv").size() - 1);
}
