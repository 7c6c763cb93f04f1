// reports_compare_cli compare A B ...: the `compare` subcommand alone, as the
// twin program runs it.
#include <CLI/CLI.hpp>

#include "twin/cli/CompareCommand.hpp"

int main(int argc, char** argv) {
  CLI::App app{"twin compare, alone"};
  app.require_subcommand(1);
  int exit_code = 0;
  twin::cli::add_compare_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
