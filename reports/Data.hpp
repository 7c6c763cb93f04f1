#pragma once
// The platform's data and models as figures (report.json `data`, `models`
// and `lineage`), and lineage.jsonl:
//
//   data     per dataset and mode: stagings asked for, cache hits, what was
//            moved whole or topped up, bytes per link, time moving, waiting
//            for offline links and behind another staging of it; each
//            cache's peak and evictions; per campaign, staging's share of
//            its cycle time.
//   models   per model and mode: its trainings (queued, running, GPU-hours,
//            energy), its versions with their error, inference jobs; and
//            from the closed loop run again without models (the same
//            seeds), the discoveries they bought and the experiments per
//            discovery with and without them.
//   lineage  the first discoveries of each campaign in replication 0, each
//            with where it came from (core::LineageRecord).
// Counts are means over replications; versions are replication 0's.
#include <string>

#include <nlohmann/json.hpp>

#include "twin/core/RunResult.hpp"

namespace twin::reports {

nlohmann::ordered_json data_json(const core::RunResult& run);
nlohmann::ordered_json models_json(const core::RunResult& run);
nlohmann::ordered_json lineage_json(const core::RunResult& run);
/// One lineage record as JSON (the fields of core::LineageRecord, grouped).
nlohmann::ordered_json lineage_record_json(const core::LineageRecord& r);
/// lineage.jsonl: one line per lab experiment of every simulation that
/// recorded it, each with its mode and replication. Pure: same bytes.
std::string build_lineage(const core::RunResult& run);

}  // namespace twin::reports
