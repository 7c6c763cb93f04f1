#pragma once
// `twin compare A B [--html FILE] [--json FILE] [--all]`: two report.json
// files (or folders holding one) side by side: the headline, then the
// campaign and resource metrics that differ, in the terminal; with --html an
// HTML page with charts, with --json the comparison as JSON (both written
// atomically).
#include <CLI/CLI.hpp>

namespace twin::cli {

/// Adds the `compare` subcommand to `app`; when it runs it sets `exit_code`:
/// 0 when both reports were read (whether or not they differ);
/// twin::core::ExitCode::SCENARIO (2) for a missing file, text that is not
/// JSON or a document that is not a twin report (the message names the file
/// and the JSON pointer), or an output that cannot be written.
void add_compare_command(CLI::App& app, int& exit_code);

}  // namespace twin::cli
