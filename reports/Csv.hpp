#pragma once
// The analysts' files: one CSV text per table, built from a RunResult (pure:
// same RunResult, same bytes). Column names are a contract documented in
// the README ("CSV files"); rows are ordered by replication, then mode (the
// run's fixed order), then the item's own order. Numbers carry 10
// significant digits; -1 marks a time not reached within the horizon.
#include <string>
#include <utility>
#include <vector>

#include "twin/core/RunResult.hpp"

namespace twin::reports {

/// (file name, contents) for experiments.csv, jobs.csv, samples.csv,
/// campaigns.csv, utilisation.csv and years.csv, in that order.
std::vector<std::pair<std::string, std::string>> build_csv_files(const core::RunResult& run);

/// One CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);
/// A number as CSV writes it (10 significant digits, no trailing noise).
std::string csv_number(double x);

}  // namespace twin::reports
