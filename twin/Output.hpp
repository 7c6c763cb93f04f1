#pragma once
// Outputs appear whole: written to a temporary file in the same folder,
// flushed, then renamed over the target.
#include <string>

namespace twin {

/// Throws std::runtime_error naming the file on failure; the target is
/// untouched unless the whole new content was written.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace twin
