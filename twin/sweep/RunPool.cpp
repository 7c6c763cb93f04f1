#include "twin/sweep/RunPool.hpp"

#include <unistd.h>

namespace twin::sweep {

RunPool::RunPool(int jobs, int rank) : pool_(jobs), rank_(rank) {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) == 0) host_ = buf;
}

void RunPool::start(const RunTask& task) {
  ChildLaunch launch;
  launch.tag = next_tag_;
  launch.argv = {"twin",        "__sweep-run", "--file", task.scenario_file, "--variant", std::to_string(task.variant),
                 "--replication", std::to_string(task.replication)};
  launch.stdin_text = task.scenario_text;
  launch.capture_stderr = true;
  pool_.start(launch);
  running_[next_tag_++] = {task.variant, task.replication};
}

std::vector<RunOutcome> RunPool::collect(int timeout_ms) {
  std::vector<RunOutcome> done;
  for (auto& end : pool_.collect(timeout_ms)) {
    RunOutcome o;
    const auto it = running_.find(end.tag);
    o.variant = it->second.first;
    o.replication = it->second.second;
    running_.erase(it);
    o.exit_status = end.exit_status;
    o.signal = end.signal;
    o.out = std::move(end.out);
    o.err = std::move(end.err);
    o.wall_start_unix_s = end.wall_start_unix_s;
    o.wall_s = end.wall_s;
    o.host = host_;
    o.pid = end.pid;
    o.rank = rank_;
    done.push_back(std::move(o));
  }
  return done;
}

}  // namespace twin::sweep
