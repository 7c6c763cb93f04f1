#include "twin/cli/Commands.hpp"

namespace twin::cli {

void add_extra_commands(CLI::App& app, int& exit_code) {
  (void)app;
  (void)exit_code;
}

}  // namespace twin::cli
