#include "reports/Trace.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

namespace twin::reports {

namespace {

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

long long micros(double t_s) { return std::llround(t_s * 1e6); }

/// Assigns each slice of one track to the lowest lane free at its start.
std::vector<int> lanes(const std::vector<const core::Span*>& spans, int& n_lanes) {
  std::vector<long long> lane_end;
  std::vector<int> out;
  for (const auto* s : spans) {
    const long long a = micros(s->start_s), b = micros(s->end_s);
    std::size_t l = 0;
    while (l < lane_end.size() && lane_end[l] > a) ++l;
    if (l == lane_end.size()) lane_end.push_back(b);
    else lane_end[l] = b;
    out.push_back(static_cast<int>(l));
  }
  n_lanes = static_cast<int>(lane_end.size());
  return out;
}

}  // namespace

std::string build_trace(const core::RunResult& run) {
  std::string t = "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"scenario\":" + quoted(run.scenario.name) +
                  ",\"time\":\"simulated microseconds since the scenario start\"},\"traceEvents\":[\n";
  bool first = true;
  auto event = [&](const std::string& e) {
    if (!first) t += ",\n";
    first = false;
    t += e;
  };
  int pid = 0;
  for (const auto& sim : run.sims) {
    if (!sim.log.traced) continue;
    ++pid;
    const std::string p = std::to_string(pid);
    event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + p + ",\"args\":{\"name\":" +
          quoted(sim.mode + " replication " + std::to_string(sim.replication)) + "}}");
    event("{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":" + p + ",\"args\":{\"sort_index\":" + p + "}}");
    if (sim.log.spans_dropped > 0)
      event("{\"ph\":\"i\",\"s\":\"p\",\"name\":" +
            quoted(std::to_string(sim.log.spans_dropped) + " slices left out (window or size cap)") +
            ",\"pid\":" + p + ",\"tid\":0,\"ts\":0}");
    // Slices by track (sorted by name), each in start order.
    std::map<std::string, std::vector<const core::Span*>> tracks;
    for (const auto& s : sim.log.spans) tracks[s.track].push_back(&s);
    int tid = 0;
    for (auto& [name, spans] : tracks) {
      std::stable_sort(spans.begin(), spans.end(), [](const core::Span* a, const core::Span* b) {
        return a->start_s != b->start_s ? a->start_s < b->start_s : a->end_s > b->end_s;
      });
      int n_lanes = 0;
      const std::vector<int> lane = lanes(spans, n_lanes);
      for (int l = 0; l < n_lanes; ++l) {
        const std::string id = std::to_string(tid + 1 + l);
        const std::string label = n_lanes == 1 ? name : name + " #" + std::to_string(l + 1);
        event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + p + ",\"tid\":" + id + ",\"args\":{\"name\":" +
              quoted(label) + "}}");
        event("{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":" + p + ",\"tid\":" + id +
              ",\"args\":{\"sort_index\":" + id + "}}");
      }
      for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto* s = spans[i];
        const long long a = micros(s->start_s);
        event("{\"ph\":\"X\",\"name\":" + quoted(s->name) + ",\"cat\":" + quoted(s->cat) + ",\"pid\":" + p +
              ",\"tid\":" + std::to_string(tid + 1 + lane[i]) + ",\"ts\":" + std::to_string(a) +
              ",\"dur\":" + std::to_string(std::max(0LL, micros(s->end_s) - a)) + "}");
      }
      tid += n_lanes;
    }
    // Daily utilisation of every resource as a counter track.
    for (const auto* rp : sim.facilities()) {
      const auto& r = *rp;
      const std::string name = quoted("utilisation " + r.kind + "/" + r.name);
      for (std::size_t d = 0; d < r.daily_utilisation.size(); ++d) {
        char v[32];
        std::snprintf(v, sizeof v, "%.6g", r.daily_utilisation[d]);
        event("{\"ph\":\"C\",\"name\":" + name + ",\"pid\":" + p + ",\"ts\":" +
              std::to_string(micros(86400.0 * static_cast<double>(d))) + ",\"args\":{\"utilisation\":" + v + "}}");
      }
    }
  }
  t += "\n]}\n";
  return t;
}

}  // namespace twin::reports
