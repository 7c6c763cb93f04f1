#pragma once
// Subcommands that live in their own files (twin/cli/<Name>Command.cpp).
#include <CLI/CLI.hpp>

namespace twin::cli {
void add_extra_commands(CLI::App& app, int& exit_code);
}
