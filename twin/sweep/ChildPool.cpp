#include "twin/sweep/ChildPool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "twin/Output.hpp"
#include "twin/WallClock.hpp"

namespace twin::sweep {

namespace {

constexpr std::size_t ERR_KEEP_BYTES = 64 * 1024;


}  // namespace

ChildPool::ChildPool(int jobs, int rank) : jobs_(jobs < 1 ? 1 : jobs), rank_(rank) {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) == 0) host_ = buf;
}

ChildPool::~ChildPool() { kill_all(); }

void ChildPool::start(const RunTask& task) {
  // The scenario text goes in an anonymous memory file that becomes the
  // child's stdin: nothing to write after fork, no pipe to keep fed.
  const int in_fd = ::memfd_create("twin-sweep-scenario", 0);
  if (in_fd < 0) throw std::runtime_error(std::string("memfd_create: ") + std::strerror(errno));
  if (!write_all(in_fd, task.scenario_text) || ::lseek(in_fd, 0, SEEK_SET) != 0) {
    ::close(in_fd);
    throw std::runtime_error(std::string("cannot stage a scenario: ") + std::strerror(errno));
  }
  int out_p[2], err_p[2];
  if (::pipe2(out_p, O_CLOEXEC) != 0) {
    ::close(in_fd);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(err_p, O_CLOEXEC) != 0) {
    ::close(in_fd);
    ::close(out_p[0]);
    ::close(out_p[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  // Everything the child needs is built before fork (no allocation after it).
  const std::string variant = std::to_string(task.variant);
  const std::string replication = std::to_string(task.replication);
  const char* argv[] = {"twin",        "__sweep-run",       "--file", task.scenario_file.c_str(), "--variant",
                        variant.c_str(), "--replication", replication.c_str(), nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(in_fd);
    for (int fd : {out_p[0], out_p[1], err_p[0], err_p[1]}) ::close(fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the sweep died before prctl
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_p[1], STDOUT_FILENO);
    ::dup2(err_p[1], STDERR_FILENO);
    ::execv("/proc/self/exe", const_cast<char* const*>(argv));
    const char msg[] = "twin sweep: cannot exec /proc/self/exe\n";
    (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(in_fd);
  ::close(out_p[1]);
  ::close(err_p[1]);
  Child c;
  c.pid = pid;
  c.out_fd = out_p[0];
  c.err_fd = err_p[0];
  c.t0 = wallclock::monotonic_s();
  c.outcome.variant = task.variant;
  c.outcome.replication = task.replication;
  c.outcome.wall_start_unix_s = wallclock::unix_s();
  c.outcome.host = host_;
  c.outcome.pid = pid;
  c.outcome.rank = rank_;
  children_[pid] = std::move(c);
}

std::vector<RunOutcome> ChildPool::collect(int timeout_ms) {
  std::vector<RunOutcome> done;
  const double deadline = wallclock::monotonic_s() + timeout_ms / 1000.0;
  while (!children_.empty()) {
    std::vector<pollfd> fds;
    std::vector<std::pair<pid_t, bool>> who;  // (child, is stdout)
    for (auto& [pid, c] : children_) {
      if (c.out_fd >= 0) {
        fds.push_back(pollfd{c.out_fd, POLLIN, 0});
        who.emplace_back(pid, true);
      }
      if (c.err_fd >= 0) {
        fds.push_back(pollfd{c.err_fd, POLLIN, 0});
        who.emplace_back(pid, false);
      }
    }
    int wait_ms = -1;
    if (timeout_ms >= 0) {
      const double left = deadline - wallclock::monotonic_s();
      wait_ms = left <= 0 ? 0 : static_cast<int>(left * 1000.0) + 1;
    }
    if (!fds.empty()) {
      const int n = ::poll(fds.data(), fds.size(), done.empty() ? wait_ms : 0);
      if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
      for (std::size_t i = 0; n > 0 && i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        Child& c = children_.at(who[i].first);
        char buf[65536];
        const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        std::string& sink = who[i].second ? c.outcome.out : c.outcome.err;
        if (got > 0) {
          sink.append(buf, static_cast<std::size_t>(got));
          if (!who[i].second && sink.size() > 2 * ERR_KEEP_BYTES) sink.erase(0, sink.size() - ERR_KEEP_BYTES);
          continue;
        }
        ::close(fds[i].fd);
        (who[i].second ? c.out_fd : c.err_fd) = -1;
      }
    }
    // Reap children whose output is closed.
    for (auto it = children_.begin(); it != children_.end();) {
      Child& c = it->second;
      if (c.out_fd >= 0 || c.err_fd >= 0) {
        ++it;
        continue;
      }
      int status = 0;
      while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
      }
      c.outcome.wall_s = wallclock::monotonic_s() - c.t0;
      if (WIFSIGNALED(status)) {
        c.outcome.exit_status = -1;
        c.outcome.signal = WTERMSIG(status);
      } else {
        c.outcome.exit_status = WEXITSTATUS(status);
      }
      if (c.outcome.err.size() > ERR_KEEP_BYTES) c.outcome.err.erase(0, c.outcome.err.size() - ERR_KEEP_BYTES);
      done.push_back(std::move(c.outcome));
      it = children_.erase(it);
    }
    if (!done.empty()) break;
    if (timeout_ms >= 0 && wallclock::monotonic_s() >= deadline) break;
  }
  return done;
}

void ChildPool::kill_all() {
  for (auto& [pid, c] : children_) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    if (c.out_fd >= 0) ::close(c.out_fd);
    if (c.err_fd >= 0) ::close(c.err_fd);
  }
  children_.clear();
}

}  // namespace twin::sweep
