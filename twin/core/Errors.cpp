#include "twin/core/Errors.hpp"

#include <cstdio>
#include <cstdlib>

namespace twin::core {

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string Diagnostic::str() const {
  std::string s = file;
  s += ':';
  s += pointer.empty() ? "/" : pointer;
  s += ": ";
  s += message;
  return s;
}

static std::string join(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += '\n';
    s += d.str();
  }
  return s;
}

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

ScenarioError::ScenarioError(std::string file, std::string pointer, std::string message)
    : ScenarioError(std::vector<Diagnostic>{{std::move(file), std::move(pointer), std::move(message)}}) {}

void assertion_failed(const char* expr, const char* file, int line, const std::string& message) {
  std::fprintf(stderr, "twin: internal error: %s:%d: assertion '%s' failed: %s\n", file, line, expr, message.c_str());
  std::fflush(stderr);
  std::_Exit(static_cast<int>(ExitCode::INTERNAL));
}

}  // namespace twin::core
