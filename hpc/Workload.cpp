#include "hpc/Workload.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hpc/BatsimReader.hpp"
#include "hpc/SwfReader.hpp"
#include "twin/core/Errors.hpp"

namespace twin::hpc {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Sort key of an id: integers by value, before any non-integer id.
struct IdKey {
  bool numeric = false;
  unsigned long long value = 0;
};

IdKey id_key(const std::string& id) {
  IdKey k;
  if (id.empty() || id.size() > 19) return k;
  for (char c : id)
    if (c < '0' || c > '9') return k;
  k.numeric = true;
  k.value = std::stoull(id);
  return k;
}

}  // namespace

int WorkloadInfo::machine_nodes() const {
  if (max_procs > 0) return max_procs;
  if (max_nodes > 0) return max_nodes;
  if (nb_res > 0) return nb_res;
  return -1;
}

std::string read_maybe_gzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw core::ScenarioError(path, "", "cannot open the file");
  gzbuffer(f, 1 << 18);
  std::string out;
  std::vector<char> buf(1 << 20);
  for (;;) {
    int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int code = 0;
      std::string msg = gzerror(f, &code);
      gzclose(f);
      throw core::ScenarioError(path, "", "cannot read the file: " + msg);
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  gzclose(f);
  return out;
}

void apply_workload_options(Workload& w, const WorkloadOptions& o) {
  {
    std::vector<std::pair<IdKey, std::size_t>> keys;
    keys.reserve(w.jobs.size());
    for (std::size_t i = 0; i < w.jobs.size(); ++i) keys.emplace_back(id_key(w.jobs[i].id), i);
    std::vector<std::size_t> order(w.jobs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const WorkloadJob& ja = w.jobs[a];
      const WorkloadJob& jb = w.jobs[b];
      if (ja.submit_s != jb.submit_s) return ja.submit_s < jb.submit_s;
      const IdKey& ka = keys[a].first;
      const IdKey& kb = keys[b].first;
      if (ka.numeric != kb.numeric) return ka.numeric;
      if (ka.numeric) return ka.value < kb.value;
      return ja.id < jb.id;
    });
    std::vector<WorkloadJob> sorted;
    sorted.reserve(w.jobs.size());
    for (std::size_t i : order) sorted.push_back(std::move(w.jobs[i]));
    w.jobs = std::move(sorted);
  }
  std::vector<WorkloadJob> kept;
  kept.reserve(w.jobs.size());
  for (WorkloadJob& j : w.jobs) {
    if (j.submit_s < o.from_s || !(j.submit_s < o.to_s) || (o.first_n > 0 && kept.size() >= o.first_n)) {
      ++w.info.outside_selection;
      continue;
    }
    kept.push_back(std::move(j));
  }
  if (o.arrival_rate_scale != 1.0 && !kept.empty()) {
    if (!(o.arrival_rate_scale > 0)) throw std::invalid_argument("workload: arrival_rate_scale must be > 0");
    const double t0 = kept.front().submit_s;
    for (WorkloadJob& j : kept) j.submit_s = t0 + (j.submit_s - t0) / o.arrival_rate_scale;
  }
  const int source = o.source_nodes > 0 ? o.source_nodes : w.info.machine_nodes();
  if (o.scale_to_nodes > 0) {
    if (source <= 0) throw std::invalid_argument("workload: cannot scale sizes, the trace states no machine size (set source_nodes)");
    for (WorkloadJob& j : kept) {
      // Scaling up may leave int's range: such a job is larger than any machine (skipped below).
      const double scaled = std::min(std::round(static_cast<double>(j.nodes) * o.scale_to_nodes / source),
                                     static_cast<double>(std::numeric_limits<int>::max()));
      j.nodes = std::max(1, static_cast<int>(scaled));
    }
  }
  const int limit = o.machine_nodes > 0 ? o.machine_nodes : (o.scale_to_nodes > 0 ? o.scale_to_nodes : w.info.machine_nodes());
  w.jobs.clear();
  w.info.run_exceeds_request = 0;
  for (WorkloadJob& j : kept) {
    if (limit > 0 && j.nodes > limit) {
      ++w.info.skipped_too_large;
      continue;
    }
    if (j.run_s > j.requested_s) ++w.info.run_exceeds_request;
    w.jobs.push_back(std::move(j));
  }
}

Workload load_workload(const std::string& path, const WorkloadOptions& options) {
  Workload w = ends_with(path, ".json") || ends_with(path, ".json.gz") ? read_batsim(path) : read_swf(path);
  apply_workload_options(w, options);
  return w;
}

}  // namespace twin::hpc
