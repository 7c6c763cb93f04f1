#include "twin/sim/DataService.hpp"

#include <algorithm>
#include <functional>

#include "twin/core/Log.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(twin_data, twin_run, "datasets: stagings, caches and growth");

namespace twin::sim {

namespace sg4 = simgrid::s4u;

namespace {
constexpr double YEAR_S = 365.25 * 86400.0;
/// Sizes within a byte of each other are the same copy.
constexpr double SAME_BYTES = 1.0;
}  // namespace

double DataService::Cache::used() const {
  double u = 0;
  for (const auto& [d, e] : entries) u += e.bytes;
  return u;
}

DataService::DataService(const Scenario& sc, core::TransferService& network, core::Runtime& runtime)
    : network_(network), runtime_(runtime), mutex_(sg4::Mutex::create()), changed_(sg4::ConditionVariable::create()) {
  for (const auto& st : sc.stores)
    for (const auto& d : st.datasets) {
      by_name_[d.name] = data_.size();
      Data x;
      x.spec = &d;
      x.sim.name = d.name;
      data_.push_back(std::move(x));
    }
  std::map<std::string, std::size_t> site_cache;
  for (const auto& h : sc.hpc) {
    site_of_[h.name] = h.site;
    if (h.cache_bytes >= 0) {
      cache_of_[h.name] = caches_.size();
      caches_.push_back(Cache{"hpc:" + h.name, h.site, h.cache_bytes, {}, 0, 0, {}});
      continue;
    }
    auto it = site_cache.find(h.site);
    if (it == site_cache.end()) {
      const SiteSpec* s = sc.site(h.site);
      it = site_cache.emplace(h.site, caches_.size()).first;
      caches_.push_back(Cache{"site:" + h.site, h.site, s ? s->cache_bytes : 0.0, {}, 0, 0, {}});
    }
    cache_of_[h.name] = it->second;
  }
}

std::size_t DataService::index_of(const std::string& dataset) const { return by_name_.at(dataset); }

double DataService::size_at(const std::string& dataset, double t) const {
  const Data& d = data_[index_of(dataset)];
  return d.spec->size_bytes + d.spec->growth_bytes_per_year * t / YEAR_S + d.appended;
}

std::int64_t DataService::results_in(const std::vector<std::string>& datasets) const {
  std::int64_t n = 0;
  for (const auto& name : datasets) n += data_[index_of(name)].results;
  return n;
}

void DataService::make_room(Cache& c, double need, std::size_t keep) {
  while (c.used() + need > c.capacity) {
    auto victim = c.entries.end();
    for (auto it = c.entries.begin(); it != c.entries.end(); ++it) {
      if (it->first == keep || it->second.staging) continue;
      if (victim == c.entries.end() || it->second.last_use < victim->second.last_use) victim = it;
    }
    if (victim == c.entries.end()) return;  // all that is left is being staged
    XBT_VERB("cache %s evicts %s (%.3g bytes)", c.name.c_str(), data_[victim->first].spec->name.c_str(),
             victim->second.bytes);
    if (c.evicted.size() < core::EVICTIONS_LISTED) c.evicted.push_back(data_[victim->first].spec->name);
    c.entries.erase(victim);
    c.evictions++;
  }
}

core::StageOutcome DataService::stage(const std::string& dataset, const std::string& system) {
  core::StageOutcome out;
  const std::size_t di = index_of(dataset);
  Data& d = data_[di];
  Cache& c = caches_[cache_of_.at(system)];
  out.start_s = sg4::Engine::get_clock();
  d.sim.requests++;
  // Stored where it is needed: nothing to move.
  if (d.spec->site == site_of_.at(system)) {
    d.sim.local++;
    out.hit = true;
    out.end_s = out.start_s;
    return out;
  }
  // The dataset's own owner and label: the route must be cleared for its data.
  const core::TransferTag data_tag{"dataset:" + d.spec->name, d.spec->classification};
  // A staging of it to this cache under way: wait for it, then look again.
  // The look and the claim (marking it as being staged) happen under the
  // lock, so two requests at once never both stage it.
  double now = 0, size = 0, held = 0, need = 0;
  bool keep = false;
  {
    std::unique_lock<sg4::Mutex> lock(*mutex_);
    for (;;) {
      auto it = c.entries.find(di);
      if (it == c.entries.end() || !it->second.staging) break;
      changed_->wait(lock);
    }
    now = sg4::Engine::get_clock();
    out.wait_s = now - out.start_s;
    d.sim.wait_s += out.wait_s;
    size = size_at(dataset, now);
    auto it = c.entries.find(di);
    if (it != c.entries.end() && it->second.bytes + SAME_BYTES >= size) {
      it->second.last_use = ++tick_;
      d.sim.hits++;
      out.hit = true;
      out.end_s = now;
      return out;
    }
    keep = c.capacity > 0 && size <= c.capacity;
    held = it == c.entries.end() ? 0.0 : it->second.bytes;
    need = keep ? size - held : size;
    if (keep) {
      make_room(c, need, di);
      Entry& e = c.entries[di];
      e.dataset = di;
      e.bytes = held;
      e.staging = true;
      e.last_use = ++tick_;
    } else if (it != c.entries.end()) {
      c.entries.erase(it);  // outgrew the cache
    }
  }
  if (held > 0 && keep) {
    d.sim.deltas++;
    out.hit = true;  // a copy was there: only its growth moves
  } else {
    d.sim.full++;
  }
  XBT_VERB("staging %s to %s (%s): %.3g bytes%s", dataset.c_str(), system.c_str(), c.name.c_str(), need,
           held > 0 && keep ? " (growth since the cached copy)" : "");
  // In parallel streams, as data-transfer tools move large data: each
  // stream a transfer of its share, all sharing the route.
  const int n = std::max(1, d.spec->streams);
  std::vector<core::TransferOutcome> parts(static_cast<std::size_t>(n));
  std::vector<std::function<void()>> tasks;
  for (int k = 0; k < n; ++k)
    tasks.emplace_back([&, k] {
      parts[static_cast<std::size_t>(k)] = network_.transfer(d.spec->site, site_of_.at(system), need / n, data_tag);
    });
  runtime_.run_parallel(std::move(tasks));
  bool ok = true, refused = false;
  double hold = 0;
  for (const auto& t : parts) {
    out.transfers.push_back(t.id);
    for (const auto& l : t.links)
      if (std::find(out.links.begin(), out.links.end(), l) == out.links.end()) out.links.push_back(l);
    ok = ok && t.ok;
    refused = refused || t.refused;
    hold = std::max(hold, t.hold_s);
  }
  out.end_s = sg4::Engine::get_clock();
  d.sim.transfer_s += out.end_s - now;
  d.sim.hold_s += hold;
  if (refused || !ok) {
    if (refused) d.sim.refused++;
    out.refused = refused;
    if (keep) {
      Entry& e = c.entries[di];
      e.staging = false;
      if (e.bytes <= 0) c.entries.erase(di);
    }
  } else {
    out.bytes = need;
    d.sim.bytes += need;
    for (const auto& l : out.links) d.sim.link_bytes[l] += need;
    if (keep) {
      Entry& e = c.entries[di];
      e.bytes = size;
      e.staging = false;
      e.last_use = ++tick_;
      c.peak = std::max(c.peak, c.used());
    }
  }
  changed_->notify_all();
  return out;
}

void DataService::append(const std::string& dataset, double bytes, std::int64_t results) {
  Data& d = data_[index_of(dataset)];
  d.appended += bytes;
  d.results += results;
  d.sim.results += results;
  d.sim.appended_bytes += bytes;
  changed_->notify_all();
}

void DataService::wait_for_results(const std::vector<std::string>& datasets, std::int64_t count, double until) {
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  while (results_in(datasets) < count && sg4::Engine::get_clock() < until)
    changed_->wait_until(lock, until);
}

std::vector<core::DatasetSim> DataService::datasets(double horizon_s) const {
  std::vector<core::DatasetSim> out;
  for (const auto& d : data_) {
    core::DatasetSim s = d.sim;
    s.final_bytes = size_at(d.spec->name, horizon_s);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<core::CacheSim> DataService::caches() const {
  std::vector<core::CacheSim> out;
  for (const auto& c : caches_) {
    if (!(c.capacity > 0)) continue;
    core::CacheSim s;
    s.name = c.name;
    s.capacity = c.capacity;
    s.peak_bytes = c.peak;
    s.evictions = c.evictions;
    s.evicted = c.evicted;
    std::vector<std::pair<std::uint64_t, std::size_t>> order;
    for (const auto& [di, e] : c.entries)
      if (!e.staging) {
        order.emplace_back(e.last_use, di);
        s.held_bytes += e.bytes;
      }
    std::sort(order.begin(), order.end());
    for (const auto& [use, di] : order) s.held.push_back(data_[di].spec->name);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace twin::sim
