#pragma once
// The Parallel Workloads Archive's Standard Workload Format (v2.2): header
// lines start with ';' (MaxProcs, MaxNodes, UnixStartTime are kept), each job
// line has 18 whitespace-separated fields, -1 meaning unknown. Conventions:
// job size is field 5 (allocated processors), or field 8 (requested) where
// field 5 is <= 0; one processor = one node; jobs with run time (field 4)
// <= 0 are skipped and counted; a requested time (field 9) <= 0 means the
// run time; priority 0; account = field 12 (user) when known.
#include <string>
#include <string_view>

#include "hpc/Workload.hpp"

namespace twin::hpc {

/// Parses SWF text; `source` names it in errors. Jobs in file order.
Workload parse_swf(std::string_view text, const std::string& source);
/// Reads an SWF file, plain or gzip.
Workload read_swf(const std::string& path);

}  // namespace twin::hpc
