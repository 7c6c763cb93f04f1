#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "hpc/BatsimReader.hpp"
#include "hpc/SwfReader.hpp"
#include "hpc/Workload.hpp"
#include "twin/core/Errors.hpp"

using namespace twin::hpc;

namespace {
const std::string DATA = std::string(TWIN_TEST_DATA_DIR) + "/swf/";
}

TEST_CASE("SWF: LANL-CM5 gzip, record counts and header fields") {
  Workload w = read_swf(DATA + "LANL-CM5-1994-4.1-cln.swf.gz");
  CHECK(w.info.format == "swf");
  CHECK(w.info.records == 122060);
  CHECK(w.info.max_procs == 1024);
  CHECK(w.info.max_nodes == 1024);
  CHECK(w.info.unix_start_time == 781275672);
  CHECK(w.info.machine_nodes() == 1024);
  // Run time <= 0: 2 records; neither size field > 0: 3 records.
  CHECK(w.info.skipped_no_runtime == 2);
  CHECK(w.info.skipped_no_size == 3);
  CHECK(w.jobs.size() == 122055);
  // Requested time -1 -> run time (11,286 kept jobs; the data README counts
  // 11,290 records including skipped ones).
  CHECK(w.info.requested_from_run == 11286);
  // The first job: "1 0 0 3691 128 3436 6676 -1 3600 5904 1 2 ..."
  CHECK(w.jobs[0].id == "1");
  CHECK(w.jobs[0].submit_s == 0);
  CHECK(w.jobs[0].run_s == 3691);
  CHECK(w.jobs[0].requested_s == 3600);
  CHECK(w.jobs[0].nodes == 128);
  CHECK(w.jobs[0].account == "2");
}

TEST_CASE("SWF: SDSC-BLUE gzip, header and skipped jobs") {
  Workload w = load_workload(DATA + "SDSC-BLUE-2000-4.2-cln.swf.gz");
  CHECK(w.info.records == 243306);
  CHECK(w.info.max_procs == 1152);
  CHECK(w.info.max_nodes == 144);
  CHECK(w.info.unix_start_time == 956700003);
  CHECK(w.info.machine_nodes() == 1152);  // MaxProcs: one processor = one node
  CHECK(w.info.skipped_no_runtime == 10770);
  CHECK(w.jobs.size() == 232536);
  CHECK(w.info.run_exceeds_request == 23434);
  bool sorted = true;
  for (std::size_t i = 1; i < w.jobs.size(); ++i) sorted = sorted && w.jobs[i - 1].submit_s <= w.jobs[i].submit_s;
  CHECK(sorted);
  CHECK(w.jobs.front().id == "9");
  CHECK(w.jobs.back().id == "250440");
}

TEST_CASE("SWF: plain text, size from field 8 where field 5 is -1") {
  Workload w = read_swf(DATA + "LANL-CM5-head.swf");
  CHECK(w.info.records == 255);
  CHECK(w.jobs.size() == 255);
  CHECK(w.info.requested_from_run == 21);
  Workload inline_w = parse_swf(
      "; MaxProcs: 64\n"
      "1 10 0 100 -1 -1 -1 16 -1 -1 1 7 -1 -1 -1 -1 -1 -1\n"
      "2 20 0 -1 8 -1 -1 8 50 -1 1 7 -1 -1 -1 -1 -1 -1\n"
      "3 30 0 5 -1 -1 -1 -1 50 -1 1 -1 -1 -1 -1 -1 -1 -1\n",
      "inline.swf");
  CHECK(inline_w.info.max_procs == 64);
  CHECK(inline_w.info.max_nodes == -1);
  CHECK(inline_w.info.unix_start_time == -1);
  REQUIRE(inline_w.jobs.size() == 1);
  CHECK(inline_w.jobs[0].nodes == 16);
  CHECK(inline_w.jobs[0].requested_s == 100);
  CHECK(inline_w.info.skipped_no_runtime == 1);
  CHECK(inline_w.info.skipped_no_size == 1);
  CHECK_THROWS_AS(parse_swf("1 x 0 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n", "bad.swf"), twin::core::ScenarioError);
  CHECK_THROWS_AS(read_swf(DATA + "no-such-file.swf"), twin::core::ScenarioError);
}

TEST_CASE("workload options: window, first N, arrival and size scaling, too-large jobs") {
  WorkloadOptions o;
  o.from_s = 465;
  o.to_s = 5000;
  Workload win = load_workload(DATA + "LANL-CM5-head.swf", o);
  for (const WorkloadJob& j : win.jobs) CHECK((j.submit_s >= 465 && j.submit_s < 5000));
  CHECK(win.jobs.front().id == "2");
  CHECK(win.info.outside_selection == 255 - win.jobs.size());

  WorkloadOptions first;
  first.first_n = 10;
  first.arrival_rate_scale = 2;
  Workload f = load_workload(DATA + "LANL-CM5-head.swf", first);
  REQUIRE(f.jobs.size() == 10);
  CHECK(f.jobs[1].submit_s == 465.0 / 2);  // from the first kept job at 0

  WorkloadOptions scale;
  scale.scale_to_nodes = 256;  // 1024 -> 256: sizes / 4, at least 1
  Workload s = load_workload(DATA + "LANL-CM5-head.swf", scale);
  CHECK(s.jobs[0].nodes == 32);
  CHECK(s.jobs[2].nodes == 128);

  WorkloadOptions small;
  small.machine_nodes = 64;
  Workload m = load_workload(DATA + "LANL-CM5-head.swf", small);
  CHECK(m.info.skipped_too_large > 0);
  CHECK(m.jobs.size() + m.info.skipped_too_large == 255);
  for (const WorkloadJob& j : m.jobs) CHECK(j.nodes <= 64);
}

TEST_CASE("Batsim JSON workload: delay profiles, walltime, ids, nb_res") {
  Workload w = load_workload(DATA + "batsim_small.json");
  CHECK(w.info.format == "batsim");
  CHECK(w.info.nb_res == 4);
  CHECK(w.info.machine_nodes() == 4);
  CHECK(w.info.records == 5);
  CHECK(w.info.skipped_unsupported == 1);  // parallel_homogeneous
  CHECK(w.info.skipped_too_large == 1);    // 8 > nb_res
  REQUIRE(w.jobs.size() == 3);
  // (submit, id) order: 1 and 2 at 0, then "w0!3" at 5.
  CHECK(w.jobs[0].id == "1");
  CHECK(w.jobs[0].run_s == 80);
  CHECK(w.jobs[0].requested_s == 100);
  CHECK(w.jobs[1].id == "2");
  CHECK(w.jobs[1].requested_s == 10);  // no walltime -> run time
  CHECK(w.jobs[2].id == "w0!3");
  CHECK(w.jobs[2].nodes == 1);
  CHECK_THROWS_AS(parse_batsim("{\"jobs\": [{\"id\": 1}], \"profiles\": {}}", "bad.json"), twin::core::ScenarioError);
  CHECK_THROWS_AS(parse_batsim("{not json", "bad.json"), twin::core::ScenarioError);
}

// Found by batsim_fuzz: the JSON parser reports a number beyond a double as
// out_of_range, not parse_error; it escaped as an internal error.
TEST_CASE("Batsim: a number beyond a double is a clear error naming the file") {
  try {
    (void)parse_batsim("-7e308@", "big.json");  // the input batsim_fuzz found
    FAIL("no error");
  } catch (const twin::core::ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].file == "big.json");
    CHECK(e.diagnostics()[0].message.find("not valid JSON") == 0);
  }
  try {
    (void)parse_batsim("{\"nb_res\": 1e400, \"jobs\": [], \"profiles\": {}}", "big.json");
    FAIL("no error");
  } catch (const twin::core::ScenarioError& e) {
    CHECK(e.diagnostics()[0].message.find("number overflow parsing '1e400'") != std::string::npos);
  }
}

namespace {
twin::core::Diagnostic error_of(const std::string& text, bool batsim) {
  try {
    if (batsim) (void)parse_batsim(text, "t");
    else (void)parse_swf(text, "t");
  } catch (const twin::core::ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    return e.diagnostics()[0];
  }
  FAIL("no error for: " << text);
  return {};
}
}  // namespace

// Found through the fuzz targets (tests/fuzz/swf_fuzz-*, batsim_fuzz-*): a size
// beyond int's range was cast to int (undefined behaviour), and SWF's numbers
// read "inf" and "nan".
TEST_CASE("trace sizes beyond a processor count and non-finite SWF fields are clear errors") {
  const std::string tail = " -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n";
  twin::core::Diagnostic d = error_of("1 0 0 10 1e308" + tail, false);
  CHECK(d.pointer == "line 1");
  CHECK(d.message == "field 5 is not a processor count (at most 2147483647): '1e308'");
  d = error_of("1 0 0 10 -1 -1 -1 3e9 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n", false);
  CHECK(d.message == "field 8 is not a processor count (at most 2147483647): '3e9'");
  d = error_of("\n1 inf 0 10 4" + tail, false);
  CHECK(d.pointer == "line 2");
  CHECK(d.message == "field 2 is not a number: 'inf'");
  d = error_of("1 0 0 nan 4" + tail, false);
  CHECK(d.message == "field 4 is not a number: 'nan'");

  d = error_of("{\"nb_res\": 1e300, \"jobs\": [], \"profiles\": {}}", true);
  CHECK(d.pointer == "/nb_res");
  CHECK(d.message == "expected a number of resources of at most 2147483647");
  d = error_of("{\"jobs\": [{\"id\": 1, \"subtime\": 0, \"res\": 1e30, \"profile\": \"p\"}], "
               "\"profiles\": {\"p\": {\"type\": \"delay\", \"delay\": 5}}}", true);
  CHECK(d.pointer == "/jobs/0/res");
}

TEST_CASE("scaling sizes up past int's range skips the job as too large") {
  Workload w = parse_swf("; MaxProcs: 1\n1 0 0 10 2147483647 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n"
                         "2 0 0 10 1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n", "t");
  WorkloadOptions o;
  o.scale_to_nodes = 128;
  apply_workload_options(w, o);
  REQUIRE(w.jobs.size() == 1);
  CHECK(w.jobs[0].id == "2");
  CHECK(w.jobs[0].nodes == 128);
  CHECK(w.info.skipped_too_large == 1);
}

// Found by swf_fuzz in CI (tests/fuzz/swf_fuzz-fraction-of-a-processor): a
// size of 1.3e-7 processors became a job on 0 nodes.
TEST_CASE("a fraction of a processor is no size: the job is skipped as one without a size") {
  Workload w = parse_swf("1 0 0 10 13e-08 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n"
                         "2 0 0 10 0.5 -1 -1 2 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n"
                         "3 0 0 10 4 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n", "t");
  REQUIRE(w.jobs.size() == 2);
  CHECK(w.jobs[0].id == "2");
  CHECK(w.jobs[0].nodes == 2);  // field 8, the requested processors, stands in
  CHECK(w.jobs[1].nodes == 4);
  CHECK(w.info.skipped_no_size == 1);
}
