// A scenario that validates -> a short simulation. The input's horizon is cut
// to at most SIM_DAYS days (the same rewrite as a sweep's "set" of
// /horizon_days, then the whole validation), its /limits/max_events to at most
// SIM_MAX_EVENTS; one simulation (replication 0, one of the scenario's modes,
// chosen by the input's bytes) runs in a child process, because SimGrid allows
// one engine per process, under a CPU, wall-time and memory bound.
//
// The child copies its coverage counters back to the fuzzer (through shared
// memory), so that libFuzzer is guided by what the simulation did, not only by
// the parser. A finding is: a crash or sanitizer report in the child, an
// exception other than the max_events stop (the program would call it an
// internal error), an unbalanced conservation of jobs, samples or transfers,
// or a child over its bounds (a hang or a memory blow-up of a short,
// event-capped run).
#include <signal.h>
#include <sanitizer/common_interface_defs.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "fuzz/CoverageCounters.hpp"
#include "fuzz/FuzzSupport.hpp"
#include "twin/Scenario.hpp"
#include "twin/SimResultJson.hpp"
#include "twin/sim/Simulation.hpp"

namespace {

constexpr double SIM_DAYS = 1;                   ///< the horizon a simulation is cut to, days
constexpr std::int64_t SIM_MAX_EVENTS = 20000;  ///< simulated instants per simulation at most

/// The child's bounds: CPU seconds, twice that in wall seconds (a child blocked without
/// using CPU), resident memory. TWIN_FUZZ_SIM_CPU_S overrides the CPU bound.
int cpu_bound_s() {
  const char* v = std::getenv("TWIN_FUZZ_SIM_CPU_S");
  const int s = v ? std::atoi(v) : 0;
  return s > 0 ? s : 8;
}
constexpr long RSS_BOUND_KB = 1536L * 1024;

enum ChildExit : int { SIM_OK = 0, SIM_STOPPED = 3, SIM_EXCEPTION = 5, SIM_UNBALANCED = 6 };

std::uint8_t* shared_counters() {
  static std::uint8_t* shm = [] {
    const std::size_t n = twin::fuzz::coverage_counter_count();
    if (n == 0) return static_cast<std::uint8_t*>(nullptr);
    void* p = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) __builtin_trap();
    return static_cast<std::uint8_t*>(p);
  }();
  return shm;
}

/// The scenario text with its horizon cut to SIM_DAYS, or "" if the text is
/// not JSON or has no number there to cut (the parser then reports it as it
/// would: scenario_fuzz covers that path).
std::string cut_horizon(const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false, true);
  if (doc.is_discarded() || !doc.is_object()) return {};
  auto h = doc.find("horizon_days");
  if (h == doc.end()) {
    doc["horizon_days"] = SIM_DAYS;  // the default would be a year
  } else if (h->is_number()) {
    if (!(h->get<double>() <= SIM_DAYS)) *h = SIM_DAYS;
  }
  return doc.dump();
}

/// CPU seconds (user + system) the process has used, from /proc/PID/stat.
double cpu_s(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  std::ifstream f(path);
  std::string line;
  if (!std::getline(f, line)) return 0;
  const auto close = line.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

long rss_kb(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  std::ifstream f(path);
  long pages = 0, resident = 0;
  if (!(f >> pages >> resident)) return 0;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

[[noreturn]] void child(const twin::Scenario& sc, const std::string& mode) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // libFuzzer's handlers and death callback belong to the parent: here a
  // crash or a bound is the child's end, which the parent reports.
  __sanitizer_set_death_callback(nullptr);
  for (int s : {SIGALRM, SIGXCPU, SIGINT, SIGTERM}) ::signal(s, SIG_DFL);
  const rlim_t cpu = static_cast<rlim_t>(cpu_bound_s());
  const rlimit lim{cpu, cpu + 1};
  ::setrlimit(RLIMIT_CPU, &lim);
  int code = SIM_OK;
  try {
    const twin::core::SimResult r = twin::sim::run_simulation(sc, mode, 0, "contexts/factory:thread");
    if (!r.jobs.balanced() || !r.samples.balanced() || !r.transfers.balanced()) {
      std::fprintf(stderr, "sim_fuzz: conservation broken (jobs %d, samples %d, transfers %d)\n",
                   r.jobs.balanced(), r.samples.balanced(), r.transfers.balanced());
      code = SIM_UNBALANCED;
    }
    for (const auto& c : r.campaigns)
      if (c.name.empty()) code = SIM_UNBALANCED;
    (void)twin::sim_result_to_json(r).dump();
  } catch (const std::exception& e) {
    if (std::strstr(e.what(), "/limits/max_events") != nullptr) {
      code = SIM_STOPPED;
    } else {
      std::fprintf(stderr, "sim_fuzz: simulation %s threw: %s\n", mode.c_str(), e.what());
      code = SIM_EXCEPTION;
    }
  }
  if (std::uint8_t* shm = shared_counters())
    std::memcpy(shm, twin::fuzz::coverage_counters(), twin::fuzz::coverage_counter_count());
  ::_exit(code);
}

/// Runs the simulation in a child; traps (a finding, the input kept) on any
/// end but a clean one.
void simulate(const twin::Scenario& sc, const std::string& mode) {
  std::uint8_t* shm = shared_counters();
  const std::size_t n = twin::fuzz::coverage_counter_count();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) __builtin_trap();
  if (pid == 0) child(sc, mode);
  // A child past twice its CPU bound in wall time that used almost no CPU is
  // blocked (a hang); one that used its share is starved by a loaded machine
  // (its CPU bound, RLIMIT_CPU, still holds it), and is only stopped at
  // eight times the bound.
  const double wall_bound_s = 2.0 * cpu_bound_s();
  const double hard_wall_bound_s = 8.0 * cpu_bound_s();
  timespec t0{};
  ::clock_gettime(CLOCK_MONOTONIC, &t0);
  int status = 0;
  long sleep_ns = 200000;
  for (int polls = 0;; ++polls) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0) __builtin_trap();
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    const double waited_s = static_cast<double>(t.tv_sec - t0.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec - t0.tv_nsec);
    const bool too_long =
        waited_s > hard_wall_bound_s || (waited_s > wall_bound_s && polls % 16 == 0 && cpu_s(pid) < 0.05 * waited_s);
    const bool too_big = polls % 16 == 0 && rss_kb(pid) > RSS_BOUND_KB;
    if (too_long || too_big) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      std::fprintf(stderr, "sim_fuzz: the simulation (%s) went over its bound: %s\n", mode.c_str(),
                   too_long ? "wall time" : "memory");
      __builtin_trap();
    }
    const timespec d{0, sleep_ns};
    ::nanosleep(&d, nullptr);
    sleep_ns = std::min(sleep_ns * 2, 5000000L);
  }
  if (WIFSIGNALED(status)) {
    std::fprintf(stderr, "sim_fuzz: the simulation (%s) died of signal %d%s\n", mode.c_str(), WTERMSIG(status),
                 WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL ? " (over its CPU bound)" : "");
    __builtin_trap();
  }
  const int code = WEXITSTATUS(status);
  if (code != SIM_OK && code != SIM_STOPPED) {
    std::fprintf(stderr, "sim_fuzz: the simulation (%s) ended with exit %d\n", mode.c_str(), code);
    __builtin_trap();
  }
  // The child's counters include the parent's at the fork: they replace them.
  if (shm != nullptr) std::memcpy(twin::fuzz::coverage_counters(), shm, n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string file = twin::fuzz::source_dir() + "/scenarios/fuzz-input.json";
  const std::string text = cut_horizon(std::string(twin::fuzz::as_text(data, size)));
  if (text.empty()) return 0;
  twin::Scenario sc;
  try {
    sc = twin::parse_scenario(text, file);
  } catch (const twin::core::ScenarioError& e) {
    twin::fuzz::check_error(e);
    return -1;  // not a valid scenario: not added to the corpus
  }
  if (sc.horizon_s > SIM_DAYS * 86400.0 || sc.modes.empty()) __builtin_trap();
  sc.limits.max_events = std::min(sc.limits.max_events, SIM_MAX_EVENTS);
  std::uint32_t h = 2166136261u;  // FNV-1a of the input: the mode, fixed per input
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  simulate(sc, sc.modes[h % sc.modes.size()]);
  return 0;
}
