#include "twin/cli/OptionChecks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace twin::cli {

void print_scenario_errors(const core::ScenarioError& e, bool with_count) {
  for (const auto& d : e.diagnostics()) std::fprintf(stderr, "error: %s\n", d.str().c_str());
  if (with_count)
    std::fprintf(stderr, "%zu error%s\n", e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
}

namespace {
std::string bound_text(double min, bool integer, bool exclusive) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s %g", integer ? "an integer" : "a number", exclusive ? ">" : ">=", min);
  return buf;
}
}  // namespace

CLI::Validator at_least(double min, bool integer, bool exclusive) {
  const std::string expected = bound_text(min, integer, exclusive);
  return CLI::Validator(
      [=](std::string& input) -> std::string {
        const char* s = input.c_str();
        char* end = nullptr;
        const double v = std::strtod(s, &end);
        const bool read = end != s && *end == '\0' && std::isfinite(v);
        const bool whole = read && (!integer || std::floor(v) == v);
        if (!whole || (exclusive ? !(v > min) : !(v >= min))) return "expected " + expected + ", got " + input;
        return {};
      },
      integer ? "INT" : "NUMBER");
}

CLI::Validator jobs_check() {
  CLI::Validator v = at_least(0, true);
  v.description("INT (0: the number of cores)");
  return v;
}

int jobs_or_cores(int jobs) { return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace twin::cli
