#pragma once
// The checks of the `twin` program's numeric options and how scenario errors
// are printed; needs only CLI11 and the core, so a subcommand's tests can
// build it alone. The checks' messages state the bound ("expected an integer
// >= 0, got -2") where CLI11's own range checks print a double's bounds in
// 300 digits.
#include <CLI/CLI.hpp>

#include "twin/core/Errors.hpp"

namespace twin::cli {

/// One "error: FILE:POINTER: message" line per diagnostic, then (if
/// `with_count`) "N error(s)".
void print_scenario_errors(const core::ScenarioError& e, bool with_count = true);

/// A number >= `min` (or > `min` when `exclusive`); `integer` also requires a whole number.
CLI::Validator at_least(double min, bool integer, bool exclusive = false);
inline CLI::Validator positive_integer() { return at_least(1, true); }
inline CLI::Validator non_negative_integer() { return at_least(0, true); }
inline CLI::Validator positive_number() { return at_least(0, false, true); }
inline CLI::Validator non_negative_number() { return at_least(0, false); }

/// `--jobs N`: N processes at once; 0 (and the default) means the number of cores.
CLI::Validator jobs_check();
int jobs_or_cores(int jobs);

}  // namespace twin::cli
