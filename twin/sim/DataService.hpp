#pragma once
// Datasets on the simulated clock. Each dataset lives in a data store at a
// site; its size grows over time (`growth_tb_per_year`) and with the lab
// results campaigns append to it. Work that needs a dataset at an HPC
// system stages it first: one transfer from the store's site to the
// system's site over the network, in its store's `transfer_streams`
// parallel streams (sharing the backbone with everything else, under the
// dataset's label), into the system's cache (its own
// `cache_tb`, else its site's). A cached copy that is whole is a hit; one
// that the dataset has outgrown is topped up with the difference; room is
// made by evicting the least recently used datasets not being staged. Two
// requests for the same dataset at the same cache share one staging: the
// second waits for the first. A dataset larger than the cache, or a cache
// of 0, keeps nothing: every use stages the whole dataset again.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"

namespace twin::sim {

class DataService : public core::DataService {
 public:
  /// `network` carries the stagings.
  DataService(const Scenario& sc, core::TransferService& network, core::Runtime& runtime);
  core::StageOutcome stage(const std::string& dataset, const std::string& system) override;
  void append(const std::string& dataset, double bytes, std::int64_t results) override;
  /// The dataset's size at time t (stated size, growth, results appended so far).
  double size_at(const std::string& dataset, double t) const;
  /// Lab results appended so far to any of `datasets`.
  std::int64_t results_in(const std::vector<std::string>& datasets) const;
  /// Blocks the caller until results_in(datasets) >= count or the time `until`.
  void wait_for_results(const std::vector<std::string>& datasets, std::int64_t count, double until);
  std::vector<core::DatasetSim> datasets(double horizon_s) const;
  std::vector<core::CacheSim> caches() const;

 private:
  struct Entry {
    std::size_t dataset = 0;
    double bytes = 0;           ///< the size of the copy held (when not staging)
    std::uint64_t last_use = 0;
    bool staging = false;
  };
  struct Cache {
    std::string name;
    std::string site;
    double capacity = 0;
    std::map<std::size_t, Entry> entries;  ///< by dataset
    double peak = 0;
    std::int64_t evictions = 0;
    std::vector<std::string> evicted;  ///< the first ones, in order
    double used() const;
  };
  struct Data {
    const DatasetSpec* spec = nullptr;
    double appended = 0;
    std::int64_t results = 0;
    core::DatasetSim sim;
  };
  std::size_t index_of(const std::string& dataset) const;
  /// Evicts least recently used entries (not staging, not `keep`) until `need` more bytes fit.
  void make_room(Cache& c, double need, std::size_t keep);

  core::TransferService& network_;
  core::Runtime& runtime_;
  std::vector<Data> data_;
  std::map<std::string, std::size_t> by_name_;
  std::vector<Cache> caches_;
  std::map<std::string, std::size_t> cache_of_;  ///< HPC system -> cache
  std::map<std::string, std::string> site_of_;   ///< HPC system -> site
  std::uint64_t tick_ = 0;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr changed_;   ///< a staging ended or results were appended
};

}  // namespace twin::sim
