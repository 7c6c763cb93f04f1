#include "twin/ProcessPool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "twin/Output.hpp"
#include "twin/WallClock.hpp"

namespace twin {

namespace {

constexpr std::size_t ERR_KEEP_BYTES = 64 * 1024;

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string(what) + ": " + std::strerror(errno)); }

void close_all(std::initializer_list<int> fds) {
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
}

}  // namespace

std::string ChildEnd::why() const {
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  if (exit_status != 0) return "exit status " + std::to_string(exit_status);
  return {};
}

ProcessPool::ProcessPool(int jobs) : jobs_(jobs < 1 ? 1 : jobs) {}

ProcessPool::~ProcessPool() { kill_all(); }

void ProcessPool::start(const ChildLaunch& launch) {
  const bool exec = !launch.body;
  // An exec'ed child's stdin is an anonymous memory file holding the text:
  // nothing to write after fork, no pipe to keep fed.
  int in_fd = -1;
  if (exec) {
    in_fd = ::memfd_create("twin-child-stdin", MFD_CLOEXEC);
    if (in_fd < 0) fail("memfd_create");
    if (!write_all(in_fd, launch.stdin_text) || ::lseek(in_fd, 0, SEEK_SET) != 0) {
      ::close(in_fd);
      fail("cannot stage a child's input");
    }
  }
  int out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
  if (::pipe2(out_p, O_CLOEXEC) != 0) {
    close_all({in_fd});
    fail("pipe");
  }
  if (launch.capture_stderr && ::pipe2(err_p, O_CLOEXEC) != 0) {
    close_all({in_fd, out_p[0], out_p[1]});
    fail("pipe");
  }
  // Everything an exec'ed child needs is built before fork (no allocation after it).
  std::vector<const char*> argv;
  for (const auto& a : launch.argv) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    close_all({in_fd, out_p[0], out_p[1], err_p[0], err_p[1]});
    errno = e;
    fail("fork");
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    if (launch.capture_stderr) ::dup2(err_p[1], STDERR_FILENO);
    if (exec) {
      ::dup2(in_fd, STDIN_FILENO);
      ::dup2(out_p[1], STDOUT_FILENO);
      ::execv("/proc/self/exe", const_cast<char* const*>(argv.data()));
      const char msg[] = "twin: cannot exec /proc/self/exe\n";
      (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
      ::_exit(127);
    }
    // A forked child keeps only its own output: the other children's pipes close.
    for (auto& [other, c] : children_) close_all({c.out_fd, c.err_fd});
    close_all({out_p[0], err_p[0], err_p[1]});
    int status = 3;
    try {
      status = launch.body(out_p[1]);
    } catch (...) {
      status = 3;
    }
    ::close(out_p[1]);
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(status);
  }
  close_all({in_fd, out_p[1], err_p[1]});
  Child c;
  c.pid = pid;
  c.out_fd = out_p[0];
  c.err_fd = err_p[0];
  c.t0 = wallclock::monotonic_s();
  c.end.tag = launch.tag;
  c.end.wall_start_unix_s = wallclock::unix_s();
  c.end.pid = pid;
  children_[pid] = std::move(c);
}

std::vector<ChildEnd> ProcessPool::collect(int timeout_ms) {
  std::vector<ChildEnd> done;
  const double deadline = wallclock::monotonic_s() + timeout_ms / 1000.0;
  while (!children_.empty()) {
    std::vector<pollfd> fds;
    std::vector<std::pair<pid_t, bool>> who;  // (child, is its output)
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
      if (n < 0 && errno != EINTR) fail("poll");
      for (std::size_t i = 0; n > 0 && i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        Child& c = children_.at(who[i].first);
        char buf[65536];
        const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        std::string& sink = who[i].second ? c.end.out : c.end.err;
        if (got > 0) {
          sink.append(buf, static_cast<std::size_t>(got));
          if (!who[i].second && sink.size() > 2 * ERR_KEEP_BYTES) sink.erase(0, sink.size() - ERR_KEEP_BYTES);
          continue;
        }
        ::close(fds[i].fd);
        (who[i].second ? c.out_fd : c.err_fd) = -1;
      }
    }
    // Reap the children whose pipes are closed.
    for (auto it = children_.begin(); it != children_.end();) {
      Child& c = it->second;
      if (c.out_fd >= 0 || c.err_fd >= 0) {
        ++it;
        continue;
      }
      int status = 0;
      while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
      }
      c.end.wall_s = wallclock::monotonic_s() - c.t0;
      if (WIFSIGNALED(status)) {
        c.end.exit_status = -1;
        c.end.signal = WTERMSIG(status);
      } else {
        c.end.exit_status = WEXITSTATUS(status);
      }
      if (c.end.err.size() > ERR_KEEP_BYTES) c.end.err.erase(0, c.end.err.size() - ERR_KEEP_BYTES);
      done.push_back(std::move(c.end));
      it = children_.erase(it);
    }
    if (!done.empty()) break;
    if (timeout_ms >= 0 && wallclock::monotonic_s() >= deadline) break;
  }
  return done;
}

void ProcessPool::kill_all() {
  for (auto& [pid, c] : children_) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    close_all({c.out_fd, c.err_fd});
  }
  children_.clear();
}

}  // namespace twin
