#pragma once
// The three kinds of error (STYLE.md): scenario errors carry file, JSON
// pointer and what was expected; modelled failures are values of the
// simulation (see Services.hpp), never exceptions; broken invariants abort
// through TWIN_ASSERT, which stays on in release builds.
#include <stdexcept>
#include <string>
#include <vector>

namespace twin::core {

/// Stable, documented process exit codes of the `twin` program.
enum class ExitCode : int {
  OK = 0,            // CLI11's own codes (100-120) are used for usage errors
  SCENARIO = 2,      // the scenario (or another input file) is invalid
  INTERNAL = 3,      // a broken invariant or an unexpected failure
  SIMULATION = 4,    // a child simulation process failed
};

/// `token` escaped for a JSON pointer ("~" -> "~0", "/" -> "~1", RFC 6901).
std::string escape_pointer_token(const std::string& token);

struct Diagnostic {
  std::string file;
  std::string pointer;  ///< JSON pointer, "" for the whole document
  std::string message;  ///< what was expected, and what was found
  std::string str() const;
};

/// One or more scenario errors, all found before any simulation starts.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  ScenarioError(std::string file, std::string pointer, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line, const std::string& message);

}  // namespace twin::core

#define TWIN_ASSERT(cond, msg)                                                          \
  do {                                                                                  \
    if (!(cond)) ::twin::core::assertion_failed(#cond, __FILE__, __LINE__, (msg));       \
  } while (0)
