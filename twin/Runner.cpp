#include "twin/Runner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "twin/Output.hpp"
#include "twin/SimResultJson.hpp"
#include "twin/sim/Simulation.hpp"

namespace twin {

namespace {

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::size_t task = 0;
  std::string data;
};

[[noreturn]] void child_main(const Scenario& sc, const std::string& mode, int rep, const RunOptions& opt, int fd,
                             volatile double* clock_out) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  int status = 0;
  try {
    core::RecordOptions rec = opt.record;
    if (rec.trace_replication >= 0 && rep != rec.trace_replication) rec.trace = false;
    const core::SimResult r = sim::run_simulation(sc, mode, rep, opt.simgrid_cfg, rec, clock_out, opt.log);
    if (!write_all(fd, sim_result_to_json(r).dump())) status = 4;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "twin: simulation %s/%d failed: %s\n", mode.c_str(), rep, e.what());
    status = 4;
  }
  ::close(fd);
  std::fflush(stderr);
  ::_exit(status);
}

}  // namespace

core::RunResult run_scenario(const Scenario& sc, const RunOptions& options) {
  struct Task {
    int rep;
    std::string mode;
  };
  std::vector<Task> tasks;
  const int first = std::max(0, options.replication_first);
  const int count = options.replication_count > 0 ? options.replication_count : sc.replications;
  for (int r = first; r < first + count; ++r)
    for (const auto& m : sc.modes) tasks.push_back({r, m});
  std::vector<core::SimResult> results(tasks.size());
  std::map<int, Child> running;  // by fd
  std::size_t next = 0, finished = 0;
  const int jobs = std::max(1, options.jobs);
  // Each child keeps its simulated clock in a slot of memory shared with the
  // parent, read only for progress.
  const std::size_t map_bytes = std::max<std::size_t>(1, tasks.size()) * sizeof(double);
  void* map = options.on_progress ? ::mmap(nullptr, map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                                  : MAP_FAILED;
  auto* clocks = map == MAP_FAILED ? nullptr : static_cast<volatile double*>(map);
  struct Unmap {
    void* p;
    std::size_t n;
    ~Unmap() {
      if (p != MAP_FAILED) ::munmap(p, n);
    }
  } unmap{map, map_bytes};
  std::vector<char> ended(tasks.size(), 0);
  auto report_progress = [&] {
    if (!options.on_progress) return;
    RunProgress p;
    p.done = static_cast<int>(finished);
    p.total = static_cast<int>(tasks.size());
    p.simulated_total_s = sc.horizon_s * static_cast<double>(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const double reached = clocks ? clocks[i] : 0.0;
      p.simulated_s += ended[i] ? sc.horizon_s : std::min(sc.horizon_s, reached);
    }
    options.on_progress(p);
  };
  std::fflush(stdout);
  std::fflush(stderr);

  auto kill_all = [&] {
    for (auto& [fd, c] : running) {
      ::kill(c.pid, SIGKILL);
      ::waitpid(c.pid, nullptr, 0);
      ::close(fd);
    }
    running.clear();
  };

  while (finished < tasks.size()) {
    while (next < tasks.size() && static_cast<int>(running.size()) < jobs) {
      int p[2];
      if (::pipe(p) != 0) {
        kill_all();
        throw SimulationFailure(std::string("cannot create a pipe: ") + std::strerror(errno));
      }
      const pid_t pid = ::fork();
      if (pid < 0) {
        ::close(p[0]);
        ::close(p[1]);
        kill_all();
        throw SimulationFailure(std::string("cannot fork: ") + std::strerror(errno));
      }
      if (pid == 0) {
        ::close(p[0]);
        for (auto& [fd, c] : running) ::close(fd);
        child_main(sc, tasks[next].mode, tasks[next].rep, options, p[1], clocks ? clocks + next : nullptr);
      }
      ::close(p[1]);
      running[p[0]] = Child{pid, p[0], next, {}};
      ++next;
    }
    std::vector<pollfd> fds;
    for (auto& [fd, c] : running) fds.push_back(pollfd{fd, POLLIN, 0});
    const int ready = ::poll(fds.data(), fds.size(), options.on_progress ? 500 : -1);
    if (ready == 0) report_progress();
    if (ready < 0) {
      if (errno == EINTR) continue;
      kill_all();
      throw SimulationFailure(std::string("poll failed: ") + std::strerror(errno));
    }
    for (const auto& p : fds) {
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Child& c = running.at(p.fd);
      char buf[65536];
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n > 0) {
        c.data.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      // End of output: collect the child.
      int status = 0;
      ::waitpid(c.pid, &status, 0);
      ::close(p.fd);
      const Task& t = tasks[c.task];
      std::string why;
      if (WIFSIGNALED(status)) why = "killed by signal " + std::to_string(WTERMSIG(status));
      else if (WEXITSTATUS(status) != 0) why = "exit status " + std::to_string(WEXITSTATUS(status));
      if (why.empty()) {
        try {
          results[c.task] = sim_result_from_json(nlohmann::json::parse(c.data));
        } catch (const std::exception& e) {
          why = e.what();
        }
      }
      running.erase(p.fd);
      if (!why.empty()) {
        kill_all();
        throw SimulationFailure("simulation " + t.mode + " replication " + std::to_string(t.rep) + " failed: " + why);
      }
      ++finished;
      ended[c.task] = 1;
      report_progress();
    }
  }
  core::RunResult rr;
  rr.sims = std::move(results);
  return rr;
}

}  // namespace twin
