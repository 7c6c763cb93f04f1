#include "hpc/SwfReader.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <cstdlib>

#include "twin/core/Errors.hpp"

namespace twin::hpc {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

long long header_int(std::string_view value) {
  long long v = -1;
  value = trim(value);
  auto r = std::from_chars(value.data(), value.data() + value.size(), v);
  return r.ec == std::errc() ? v : -1;
}

void read_header(std::string_view line, WorkloadInfo& info) {
  line.remove_prefix(1);  // ';'
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view key = trim(line.substr(0, colon));
  std::string_view value = line.substr(colon + 1);
  if (key == "MaxProcs") info.max_procs = static_cast<int>(header_int(value));
  else if (key == "MaxNodes") info.max_nodes = static_cast<int>(header_int(value));
  else if (key == "UnixStartTime") info.unix_start_time = header_int(value);
}

}  // namespace

Workload parse_swf(std::string_view text, const std::string& source) {
  Workload w;
  w.info.source = source;
  w.info.format = "swf";
  std::size_t line_no = 0;
  std::size_t pos = 0;
  std::string_view fields[18];
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == line.size()) continue;
    if (line[i] == ';') {
      read_header(line.substr(i), w.info);
      continue;
    }
    int n = 0;
    while (i < line.size() && n < 18) {
      std::size_t start = i;
      while (i < line.size() && !is_space(line[i])) ++i;
      fields[n++] = line.substr(start, i - start);
      while (i < line.size() && is_space(line[i])) ++i;
    }
    if (n < 12) {
      throw core::ScenarioError(source, "line " + std::to_string(line_no),
                                "expected 18 SWF fields, found " + std::to_string(n));
    }
    auto num = [&](int field) {  // 1-based field number
      std::string_view f = fields[field - 1];
      double v = 0;
      auto r = std::from_chars(f.data(), f.data() + f.size(), v);
      // from_chars also reads "inf" and "nan": SWF fields are finite numbers.
      if (r.ec != std::errc() || r.ptr != f.data() + f.size() || !std::isfinite(v))
        throw core::ScenarioError(source, "line " + std::to_string(line_no),
                                  "field " + std::to_string(field) + " is not a number: '" + std::string(f) + "'");
      return v;
    };
    ++w.info.records;
    const double run_s = num(4);
    if (!(run_s > 0)) {
      ++w.info.skipped_no_runtime;
      continue;
    }
    int size_field = 5;
    double procs = num(5);
    if (!(procs >= 1)) procs = num(size_field = 8);  // 0, -1 or a fraction of a processor: no size here
    if (!(procs >= 1)) {
      ++w.info.skipped_no_size;
      continue;
    }
    if (procs > std::numeric_limits<int>::max())
      throw core::ScenarioError(source, "line " + std::to_string(line_no),
                                "field " + std::to_string(size_field) + " is not a processor count (at most " +
                                    std::to_string(std::numeric_limits<int>::max()) + "): '" +
                                    std::string(fields[size_field - 1]) + "'");
    WorkloadJob j;
    j.id = std::string(fields[0]);
    j.submit_s = num(2);
    j.run_s = run_s;
    j.requested_s = num(9);
    if (!(j.requested_s > 0)) {
      j.requested_s = run_s;
      ++w.info.requested_from_run;
    }
    j.nodes = static_cast<int>(procs);
    const double user = num(12);
    if (user >= 0) j.account = std::string(fields[11]);
    w.jobs.push_back(std::move(j));
  }
  return w;
}

Workload read_swf(const std::string& path) {
  return parse_swf(read_maybe_gzip(path), path);
}

}  // namespace twin::hpc
