#pragma once
// Shared by the libFuzzer targets (fuzz/*_fuzz.cpp): where the sources are,
// and a per-process scratch file for readers that take a path (gzip traces,
// report.json), so a target goes through the same entry point as the program.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "twin/core/Errors.hpp"

namespace twin::fuzz {

/// The repository root (set by fuzz/CMakeLists.txt): scenario text is parsed
/// as if it lived in scenarios/, so its relative data paths resolve.
inline std::string source_dir() { return TWIN_SOURCE_DIR; }

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A file in /dev/shm (else /tmp) named after the process, rewritten for
/// every input; `suffix` picks the reader (".json", ".swf").
inline const std::string& scratch_path(const std::string& suffix) {
  static const std::string path = [&] {
    const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(dir) + "/twin-fuzz-" + std::to_string(getpid()) + suffix;
  }();
  return path;
}

inline const std::string& write_scratch(const std::string& suffix, const std::uint8_t* data, std::size_t size) {
  const std::string& path = scratch_path(suffix);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) __builtin_trap();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) __builtin_trap();
  std::fclose(f);
  return path;
}

/// A diagnostic must name its file and say what was expected: an empty
/// message is as bad as a crash.
inline void check_error(const core::ScenarioError& e) {
  if (e.diagnostics().empty()) __builtin_trap();
  for (const auto& d : e.diagnostics()) {
    if (d.message.empty() || d.str().empty()) __builtin_trap();
  }
}

}  // namespace twin::fuzz
