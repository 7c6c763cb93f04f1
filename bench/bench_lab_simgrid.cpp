// The lab on the simulated clock, against raw SimGrid in the same run.
//
//   bench_lab_simgrid [ROUNDS=3]
//
// `lab`: the benchmark lab (bench/YearLab.hpp) behind its SimGrid adapter
// (lab::RoboticLab, one actor for the lab) over a simulated year; samples
// arrive from one actor, each sample's requester is an actor blocked in
// run_experiment until the sample's life ends. Figure: sample-steps run per
// wall second of the engine's run.
// `raw`: the same arrivals on raw SimGrid s4u, each sample an actor doing as
// many sleeps as a lab sample has steps on average (from the `lab` run of
// the same round). Figure: activities per wall second.
// Each is its own process (SimGrid allows one engine per process), ROUNDS
// times, alternating; the ratio lab/raw of the medians is the figure to
// report: 1 means a sample-step costs what one raw SimGrid activity costs.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "bench/YearLab.hpp"
#include "lab/RoboticLab.hpp"
#include "twin/core/Rng.hpp"

namespace {

using namespace twin;
namespace sg4 = simgrid::s4u;

constexpr double YEAR_S = 365 * 86400.0;

struct Figures {
  double items = 0, samples = 0, wall_s = 0;
};

/// One engine in this process: `lab` or `raw` (with `steps` sleeps per sample).
Figures run_one(const std::string& what, int steps) {
  int argc = 2;
  char a0[] = "bench_lab_simgrid", a1[] = "--log=root.thresh:critical";
  char* argv[] = {a0, a1};
  sg4::Engine engine(&argc, argv);
  auto* zone = sg4::create_full_zone("z");
  auto* host = zone->create_host("h", 1e9);
  zone->seal();
  // Not destroyed: requesters are still blocked on it at the horizon (the
  // twin's simulations leave their labs to the process's end the same way).
  auto& labx = *new lab::RoboticLab(bench::year_lab(), 42);
  double samples = 0;
  sg4::Actor::create("arrivals", host, [&] {
    core::Rng arrivals(7);
    double t = 0;
    std::uint64_t key = 0;
    while ((t += arrivals.exponential(bench::YEAR_LAB_GAP_S)) < YEAR_S) {
      sg4::this_actor::sleep_until(t);
      const std::uint64_t k = key++;
      samples += 1;
      if (what == "lab") {
        sg4::Actor::create("s", host, [&labx, k] {
          core::ExperimentRequest r;
          r.owner = k % 3 == 0 ? "a" : "b";
          r.key = k;
          r.measure = [] { return 1.0; };
          labx.run_experiment(r);
        });
      } else {
        sg4::Actor::create("s", host, [k, steps] {
          core::Rng d(k);
          for (int i = 0; i < steps; ++i) sg4::this_actor::sleep_for(d.exponential(1800.0));
        });
      }
    }
  });
  const auto t0 = std::chrono::steady_clock::now();
  engine.run_until(YEAR_S);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Figures f;
  f.samples = samples;
  f.wall_s = wall;
  f.items = what == "lab" ? static_cast<double>(labx.engine().counters().step_runs) : samples * steps;
  return f;
}

/// Runs `self --one WHAT STEPS` in a child process and reads its figures.
Figures child(const char* self, const std::string& what, int steps) {
  int fd[2];
  if (pipe(fd) != 0) std::exit(1);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    close(fd[0]);
    close(fd[1]);
    const std::string s = std::to_string(steps);
    execl(self, self, "--one", what.c_str(), s.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fd[1]);
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Figures f;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      std::sscanf(out.c_str(), "%lf %lf %lf", &f.items, &f.samples, &f.wall_s) != 3) {
    std::fprintf(stderr, "bench_lab_simgrid: the %s run failed\n", what.c_str());
    std::exit(1);
  }
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--one") {
    const Figures f = run_one(argv[2], std::atoi(argv[3]));
    std::printf("%.0f %.0f %.6f\n", f.items, f.samples, f.wall_s);
    return 0;
  }
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  std::vector<double> lab_rate, raw_rate;
  for (int r = 0; r < rounds; ++r) {
    const Figures l = child("/proc/self/exe", "lab", 0);
    const int steps = std::max(1, static_cast<int>(l.items / std::max(1.0, l.samples) + 0.5));
    const Figures w = child("/proc/self/exe", "raw", steps);
    lab_rate.push_back(l.items / l.wall_s);
    raw_rate.push_back(w.items / w.wall_s);
    std::printf("round %d: lab %.0f sample-steps (%.0f samples) in %.3f s = %.0f/s; raw %.0f activities in %.3f s = "
                "%.0f/s\n",
                r + 1, l.items, l.samples, l.wall_s, lab_rate.back(), w.items, w.wall_s, raw_rate.back());
  }
  const double lm = median(lab_rate), rm = median(raw_rate);
  std::printf("median: lab %.0f sample-steps/s, raw SimGrid %.0f activities/s, ratio lab/raw %.2f\n", lm, rm, lm / rm);
  return 0;
}
