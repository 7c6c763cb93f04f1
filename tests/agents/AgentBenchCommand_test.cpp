// Runs `bench-agent` through CLI11 as the `twin` program will, on the shipped
// P3HT pool, and checks the files it writes.
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "twin/cli/AgentBenchCommand.hpp"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int run_cli(std::vector<std::string> args) {
  CLI::App app("twin");
  int exit_code = -1;
  twin::cli::add_agent_bench_command(app, exit_code);
  std::vector<const char*> argv = {"twin"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return exit_code;
}

}  // namespace

TEST_CASE("bench-agent writes the picks and the curves, and the same seed gives the same bytes") {
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "twin_agents_bench_cli";
  std::filesystem::remove_all(out);
  const std::string data = std::string(TWIN_SOURCE_DIR) + "/scenarios/data/P3HT.csv";
  REQUIRE(run_cli({"bench-agent", data, "--goal", "max", "--policy", "random", "--runs", "3", "--seed", "5", "--out",
                   (out / "a").string()}) == 0);
  REQUIRE(run_cli({"bench-agent", data, "--goal", "max", "--policy", "random", "--runs", "3", "--seed", "5", "--out",
                   (out / "b").string(), "--threads", "2"}) == 0);
  for (const char* f : {"picks.csv", "top_percent.csv", "ef.csv", "af.csv"}) {
    CHECK(std::filesystem::exists(out / "a" / f));
    CHECK(slurp(out / "a" / f) == slurp(out / "b" / f));
    CHECK(!std::filesystem::exists(out / "a" / (std::string(f) + ".tmp")));
  }
  const std::string picks = slurp(out / "a" / "picks.csv");
  CHECK(picks.rfind("run,step,row,value\n", 0) == 0);
  CHECK(picks.find("\n1,1,") != std::string::npos);
  const std::string top = slurp(out / "a" / "top_percent.csv");
  CHECK(top.rfind("i,top_agent,top_random\n", 0) == 0);
  CHECK(top.find("\n178,1.000000,1.000000\n") != std::string::npos);  // P3HT: 178 unique inputs
  // a different seed gives different picks
  REQUIRE(run_cli({"bench-agent", data, "--goal", "max", "--policy", "random", "--runs", "3", "--seed", "6", "--out",
                   (out / "c").string()}) == 0);
  CHECK(slurp(out / "c" / "picks.csv") != picks);
  // the scenarios' words for a goal mean the same as max and min
  REQUIRE(run_cli({"bench-agent", data, "--goal", "maximize", "--policy", "random", "--runs", "3", "--seed", "5",
                   "--out", (out / "m").string()}) == 0);
  CHECK(slurp(out / "m" / "picks.csv") == picks);
  REQUIRE(run_cli({"bench-agent", data, "--goal", "minimize", "--policy", "random", "--runs", "3", "--seed", "5",
                   "--out", (out / "n").string()}) == 0);
  REQUIRE(run_cli({"bench-agent", data, "--goal", "min", "--policy", "random", "--runs", "3", "--seed", "5",
                   "--out", (out / "o").string()}) == 0);
  CHECK(slurp(out / "n" / "top_percent.csv") == slurp(out / "o" / "top_percent.csv"));
  CHECK(slurp(out / "n" / "top_percent.csv") != top);  // minimizing seeks other candidates
  // selecting columns: the objective by name, two inputs by name
  REQUIRE(run_cli({"bench-agent", data, "--goal", "max", "--policy", "grid", "--runs", "1", "--out",
                   (out / "d").string(), "--inputs", "2,3", "--objective", "Conductivity (measured) (S/cm)"}) == 0);
  // errors: unknown policy, bad column
  CHECK_THROWS_AS(run_cli({"bench-agent", data, "--goal", "max", "--policy", "nope", "--out", (out / "e").string()}),
                  CLI::ValidationError);
  CHECK_THROWS_AS(run_cli({"bench-agent", data, "--goal", "sideways", "--out", (out / "e").string()}), CLI::ValidationError);
  CHECK(run_cli({"bench-agent", data, "--goal", "max", "--objective", "nope", "--out", (out / "e").string()}) == 2);
  std::filesystem::remove_all(out);
}
