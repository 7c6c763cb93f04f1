#include "twin/core/SlotPool.hpp"

#include <algorithm>

namespace twin::core {

namespace sg4 = simgrid::s4u;

SlotPool::SlotPool(std::string name, int capacity)
    : name_(std::move(name)),
      capacity_(capacity),
      free_(capacity),
      mutex_(sg4::Mutex::create()),
      cv_(sg4::ConditionVariable::create()) {}

double SlotPool::acquire(int priority) {
  const double t0 = sg4::Engine::get_clock();
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  const auto key = std::make_pair(priority, next_ticket_++);
  if (free_ > 0 && waiting_.empty()) {
    --free_;
  } else {
    waiting_.emplace(key, true);
    queue_.set(t0, static_cast<double>(waiting_.size()));
    while (!(free_ > 0 && waiting_.begin()->first == key)) cv_->wait(lock);
    waiting_.erase(waiting_.begin());
    --free_;
    queue_.set(sg4::Engine::get_clock(), static_cast<double>(waiting_.size()));
    if (free_ > 0 && !waiting_.empty()) cv_->notify_all();
  }
  const double now = sg4::Engine::get_clock();
  busy_.set(now, static_cast<double>(capacity_ - free_));
  const double waited = now - t0;
  ++waits_;
  wait_sum_s_ += waited;
  wait_max_s_ = std::max(wait_max_s_, waited);
  return waited;
}

void SlotPool::release() {
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  ++free_;
  busy_.set(sg4::Engine::get_clock(), static_cast<double>(capacity_ - free_));
  if (!waiting_.empty()) cv_->notify_all();
}

}  // namespace twin::core
