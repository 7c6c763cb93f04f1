#pragma once
// A counted resource (station slots, robots, technicians) that simulated
// actors acquire one unit at a time, first come first served with
// priorities: waiters are served by (priority, arrival sequence), never by
// address or timing. Records busy units and queue length over time.
#include <cstdint>
#include <map>
#include <string>

#include <simgrid/s4u.hpp>

#include "twin/core/Gauge.hpp"

namespace twin::core {

class SlotPool {
 public:
  SlotPool(std::string name, int capacity);
  /// Blocks until a unit is free; returns the time waited. Lower priority
  /// values are served first.
  double acquire(int priority = 0);
  void release();
  int capacity() const { return capacity_; }
  const std::string& name() const { return name_; }
  const Gauge& busy() const { return busy_; }
  const Gauge& queue() const { return queue_; }
  std::int64_t waits() const { return waits_; }
  double wait_sum_s() const { return wait_sum_s_; }
  double wait_max_s() const { return wait_max_s_; }

 private:
  std::string name_;
  int capacity_;
  int free_;
  std::uint64_t next_ticket_ = 0;
  std::map<std::pair<int, std::uint64_t>, bool> waiting_;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr cv_;
  Gauge busy_, queue_;
  std::int64_t waits_ = 0;
  double wait_sum_s_ = 0, wait_max_s_ = 0;
};

}  // namespace twin::core
