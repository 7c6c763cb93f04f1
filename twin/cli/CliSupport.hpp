#pragma once
// What the subcommands of the `twin` program share beyond the option checks
// (OptionChecks.hpp): errors mapped to exit codes, the `--log` settings, and
// the message for an unknown subcommand.
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "twin/cli/OptionChecks.hpp"

namespace twin::cli {

/// Runs `body`; a scenario error, a failed simulation or any other exception
/// becomes its message on stderr and its exit code (2, 4, 3).
int guarded(const std::function<int()>& body, bool with_count = true);

/// Checks and rewrites one `--log` setting for SimGrid's engine, e.g.
/// "twin.lab.thres:debug" -> "twin_lab.thres:debug": a category is named by
/// its dotted path under `twin` (or by its XBT name, as SimGrid's own are),
/// then `.thres`, `.fmt`, `.app` or `.add`, then `:` and the value. Unknown
/// categories, options and levels are refused with the list of the twin's
/// categories.
CLI::Validator log_setting_check();

/// When the first argument names no subcommand of `app` (and is not an
/// option), the message that names it and lists the commands (with a "did
/// you mean" where one is close); empty otherwise.
std::string unknown_command_message(const CLI::App& app, int argc, const char* const* argv);

}  // namespace twin::cli
