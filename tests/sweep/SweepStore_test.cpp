// The sweep database: whole rows per run, replaced not duplicated, and the
// recorded runs are what --resume skips.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "twin/sweep/SweepStore.hpp"

using twin::sweep::RunRecord;
using twin::sweep::SweepStore;

namespace {

std::string temp_db() {
  const auto dir = std::filesystem::temp_directory_path() / ("twin-sweepstore-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "sweep.sqlite").string();
}

RunRecord run(int v, int r, const std::string& status) {
  RunRecord x;
  x.variant = v;
  x.replication = r;
  x.status = status;
  x.multiplier = 2.5;
  x.campaigns.push_back({"closed_loop", "oer", 3, 10, 1, 20, 5, 1.5, 2, 3, 4});
  x.outputs.emplace_back("e", "10");
  x.host = "h";
  return x;
}

}  // namespace

TEST_CASE("runs are recorded whole, replaced on a second write, and survive reopening") {
  const std::string path = temp_db();
  {
    SweepStore s(path);
    CHECK(s.definition().empty());
    s.initialise("def", {{"robots", "/labs/0/robots", "{}"}}, {{0, "robots=1", "{\"robots\":1}", "valid", ""}},
                 {{"1"}}, {{1.0}});
    s.record_run(run(0, 0, "ok"));
    s.record_run(run(0, 1, "failed"));
    s.record_run(run(0, 1, "failed"));  // written again: replaced
  }
  SweepStore s(path);
  CHECK(s.definition() == "def");
  CHECK(s.recorded_runs(true).size() == 2);
  CHECK(s.recorded_runs(false).size() == 1);
  const auto runs = s.runs(false, true);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].multiplier == doctest::Approx(2.5));
  CHECK(runs[1].status == "failed");
  CHECK(runs[0].outputs.size() == 1);
  CHECK(runs[0].host == "h");
  s.forget_failed_runs();
  CHECK(s.recorded_runs(true).size() == 1);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}
