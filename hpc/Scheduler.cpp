#include "hpc/Scheduler.hpp"

#include <stdexcept>

#include "hpc/ConservativeScheduler.hpp"
#include "hpc/EasyScheduler.hpp"
#include "hpc/FcfsScheduler.hpp"

namespace twin::hpc {

namespace {

struct Suffix {
  const char* text;
  QueueOrder order;
};
constexpr Suffix ORDER_SUFFIXES[] = {
    {"-submit", QueueOrder::SUBMIT},
    {"-priority", QueueOrder::PRIORITY},
    {"-fairshare", QueueOrder::FAIR_SHARE},
};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::optional<std::uint64_t> Scheduler::job_on_node(int) const {
  throw std::logic_error("this scheduler does not model node failures");
}
void Scheduler::set_node_down(int, double) { throw std::logic_error("this scheduler does not model node failures"); }
void Scheduler::set_node_up(int, double) { throw std::logic_error("this scheduler does not model node failures"); }

std::unique_ptr<Scheduler> make_scheduler(const std::string& name, int nodes) {
  return make_scheduler(name, nodes, SchedulerOptions{});
}

std::unique_ptr<Scheduler> make_scheduler(const std::string& name, int nodes, const SchedulerOptions& options) {
  std::string base = name;
  SchedulerOptions opts = options;
  for (const Suffix& s : ORDER_SUFFIXES) {
    if (ends_with(name, s.text)) {
      base = name.substr(0, name.size() - std::string(s.text).size());
      opts.order = s.order;
    }
  }
  if (nodes < 1) throw std::invalid_argument("scheduler '" + name + "': nodes must be >= 1, got " + std::to_string(nodes));
  if (base == "fcfs") return std::make_unique<FcfsScheduler>(nodes, opts);
  if (base == "conservative") return std::make_unique<ConservativeScheduler>(nodes, opts);
  if (base == "easy") return std::make_unique<EasyScheduler>(nodes, opts);
  std::string known;
  for (const SchedulerInfo& info : scheduler_catalog()) known += (known.empty() ? "" : ", ") + info.kind;
  throw std::invalid_argument("unknown scheduler '" + name + "' (known: " + known +
                              "; each may end in -submit, -priority or -fairshare)");
}

std::vector<SchedulerInfo> scheduler_catalog() {
  // Only what a scenario can set (the HPC system's keys); `twin replay` has its
  // own options for the overrun policy and the fair-share half-life.
  const std::vector<SchedulerParam> common = {
      {"order", "", "submit",
       "queue order: submit = (submit time, id); priority = larger job priority first, then submit; "
       "fairshare = smaller decayed usage of the job's account first, then priority, then submit. "
       "Selected by a suffix of the `scheduler` key, e.g. easy-priority"},
      {"reserved_nodes", "nodes", "0",
       "size of a reserved slice (the highest-index nodes) that only jobs with reserved access, e.g. campaign "
       "jobs, may use: the HPC system's `reserved_nodes` key"},
  };
  std::vector<SchedulerInfo> out = {
      {"scheduler.conservative",
       "conservative backfilling as batsched's conservative_bf: every queued job holds a reservation on named nodes "
       "at the earliest slot where it fits, in queue order; after any job ends each is taken out and put back "
       "first-fit in queue order, so reservations only move earlier (`twin replay --refit` names our choice)",
       common},
      {"scheduler.easy",
       "EASY backfilling: the first job that does not fit holds a reservation on named nodes; later jobs start "
       "now if they end by its start or use none of its nodes; lowest free node index first",
       common},
      {"scheduler.fcfs", "first come, first served, no backfilling; lowest free node index first", common},
  };
  return out;
}

}  // namespace twin::hpc
