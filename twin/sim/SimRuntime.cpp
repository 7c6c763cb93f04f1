#include "twin/sim/SimRuntime.hpp"

#include <memory>

namespace twin::sim {

namespace sg4 = simgrid::s4u;

void SimRuntime::sleep_until(double t_s) {
  if (t_s > now()) sg4::this_actor::sleep_until(t_s);
}

void SimRuntime::compute(double flops) {
  if (flops > 0) sg4::this_actor::execute(flops);
}

void SimRuntime::run_parallel(std::vector<std::function<void()>> tasks) {
  if (tasks.empty()) return;
  if (tasks.size() == 1) {
    tasks[0]();
    return;
  }
  struct Join {
    sg4::MutexPtr mutex = sg4::Mutex::create();
    sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
    std::size_t remaining = 0;
  };
  auto join = std::make_shared<Join>();
  join->remaining = tasks.size();
  sg4::Host* host = sg4::this_actor::get_host();
  const std::string base = sg4::this_actor::get_name();
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    ++actors_started_;
    sg4::Actor::create(base + "/" + std::to_string(i), host, [join, task = std::move(tasks[i])] {
      task();
      std::unique_lock<sg4::Mutex> lock(*join->mutex);
      if (--join->remaining == 0) join->cv->notify_all();
    });
  }
  std::unique_lock<sg4::Mutex> lock(*join->mutex);
  while (join->remaining > 0) join->cv->wait(lock);
}

}  // namespace twin::sim
