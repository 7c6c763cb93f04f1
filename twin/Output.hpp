#pragma once
// Outputs appear whole: written to a temporary file in the same folder,
// flushed, then renamed over the target. Inputs are read whole, with one
// message for a file that is missing, unreadable or a folder.
#include <string>

namespace twin {

/// Throws std::runtime_error naming the file on failure; the target is
/// untouched unless the whole new content was written.
void write_file_atomic(const std::string& path, const std::string& content);

/// Removes the temporary files that write_file_atomic left in `folder`
/// when its process was killed (NAME.tmp.PID of a process that no longer
/// exists); those of a live writer stay.
void remove_stale_temporaries(const std::string& folder);

/// Writes all of `s` to the descriptor (a pipe or a file), retrying short
/// writes and EINTR; false on any other error.
bool write_all(int fd, const std::string& s);

/// The whole content of `path`; throws core::ScenarioError naming the file
/// when it cannot be read ("cannot read the WHAT: no such file") or is a
/// folder ("a folder, not a WHAT").
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace twin
