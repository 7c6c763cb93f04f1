#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "twin/cli/ReplayCommand.hpp"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int run(std::vector<std::string> args) {
  CLI::App app("twin");
  int exit_code = -1;
  twin::cli::add_replay_command(app, exit_code);
  std::vector<const char*> argv = {"twin"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return exit_code;
}

const std::string DATA = std::string(TWIN_TEST_DATA_DIR) + "/swf/";

}  // namespace

TEST_CASE("twin replay writes jobs.csv and summary.json with the trace's defaults") {
  const std::string out = (std::filesystem::temp_directory_path() / "twin_replay_cmd_test").string();
  std::filesystem::remove_all(out);
  CHECK(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "easy", "--out", out}) == 0);
  const std::string csv = slurp(out + "/jobs.csv");
  CHECK(csv.rfind("job_id,submit_s,start_s,end_s,wait_s,nodes_requested,nodes_allocated,killed\n", 0) == 0);
  // Job 1 starts at once on the first 128 nodes of 1,024 (MaxProcs).
  CHECK(csv.find("\n1,0,0,3600,0,128,0-127,1\n") != std::string::npos);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 256);
  auto summary = nlohmann::json::parse(slurp(out + "/summary.json"));
  CHECK(summary["nodes"] == 1024);
  CHECK(summary["policy"] == "easy");
  CHECK(summary["jobs"] == 255);
  CHECK(summary["slowdown_tau_s"] == 10.0);
  CHECK(summary["skipped"] == 0);
  CHECK(summary.contains("mean_wait_s"));
  CHECK(summary.contains("max_wait_s"));
  CHECK(summary.contains("mean_bounded_slowdown"));
  CHECK(summary.contains("utilisation"));
  CHECK(summary.contains("makespan_s"));
  CHECK(summary["killed"].get<int>() > 0);
  CHECK(!std::filesystem::exists(out + "/jobs.csv.tmp"));

  // Overrides: a smaller machine skips the larger jobs and counts them.
  CHECK(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "conservative", "--nodes", "256", "--tau", "60",
             "--overrun", "let-run", "--out", out}) == 0);
  auto small = nlohmann::json::parse(slurp(out + "/summary.json"));
  CHECK(small["nodes"] == 256);
  CHECK(small["slowdown_tau_s"] == 60.0);
  CHECK(small["killed"] == 0);
  CHECK(small["skipped"].get<int>() > 0);
  CHECK(small["jobs"].get<int>() + small["skipped"].get<int>() == 255);
  CHECK(!small.contains("system_energy_j"));

  // Energy with Frontier's node power (RAPS: 626.26 W idle, 2,704.26 W busy).
  CHECK(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "fcfs", "--power", "frontier", "--out", out}) == 0);
  auto energy = nlohmann::json::parse(slurp(out + "/summary.json"));
  CHECK(energy["system_energy_j"].get<double>() > energy["jobs_energy_j"].get<double>());
  CHECK(energy["system_energy_j"].get<double>() >= 626.26 * 1024 * energy["makespan_s"].get<double>());
  std::filesystem::remove_all(out);
}

TEST_CASE("twin replay reports an unreadable trace and an unknown policy") {
  CHECK(run({"replay", DATA + "no-such.swf", "--policy", "easy", "--out", "/tmp/twin_replay_none"}) == 2);
  CHECK_THROWS_AS(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "sjf", "--out", "/tmp/twin_replay_none"}),
                  CLI::ValidationError);
  std::filesystem::remove_all("/tmp/twin_replay_none");
}

TEST_CASE("twin replay with no job left to replay is an input error, and writes nothing") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "twin_replay_cmd_empty";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // Every job has a run time of -1 (unknown): all are skipped.
  const std::string trace = (dir / "unknown-runtimes.swf").string();
  {
    std::ofstream f(trace);
    f << "; MaxProcs: 8\n"
      << "1 0 0 -1 2 -1 -1 2 100 -1 1 1 1 1 1 1 -1 -1\n"
      << "2 5 0 -1 4 -1 -1 4 100 -1 1 1 1 1 1 1 -1 -1\n";
  }
  CHECK(run({"replay", trace, "--policy", "fcfs", "--out", (dir / "a").string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "a" / "summary.json"));
  // A window after the last submission keeps none either.
  CHECK(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "easy", "--from", "1e12", "--out",
             (dir / "b").string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "b" / "jobs.csv"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("twin replay's numeric options say what they expect") {
  CHECK_THROWS_WITH_AS(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "easy", "--nodes", "0"}),
                       "--nodes: expected an integer >= 1, got 0", CLI::ValidationError);
  CHECK_THROWS_WITH_AS(run({"replay", DATA + "LANL-CM5-head.swf", "--policy", "easy", "--tau", "-1"}),
                       "--tau: expected a number > 0, got -1", CLI::ValidationError);
}
