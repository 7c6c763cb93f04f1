#include "hpc/BatsimReader.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "twin/core/Errors.hpp"

namespace twin::hpc {

namespace {

using nlohmann::json;

double number_at(const json& obj, const char* key, const std::string& source, const std::string& pointer) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number())
    throw core::ScenarioError(source, pointer + "/" + key, "expected a number");
  return it->get<double>();
}

}  // namespace

Workload parse_batsim(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number beyond a double (1e400)
    throw core::ScenarioError(source, "", std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) throw core::ScenarioError(source, "", "expected an object with \"jobs\" and \"profiles\"");
  Workload w;
  w.info.source = source;
  w.info.format = "batsim";
  if (doc.contains("nb_res")) {
    const double nb_res = number_at(doc, "nb_res", source, "");
    if (!(std::abs(nb_res) <= std::numeric_limits<int>::max()))
      throw core::ScenarioError(source, "/nb_res", "expected a number of resources of at most " + std::to_string(std::numeric_limits<int>::max()));
    w.info.nb_res = static_cast<int>(nb_res);
  }
  auto jobs = doc.find("jobs");
  if (jobs == doc.end() || !jobs->is_array()) throw core::ScenarioError(source, "/jobs", "expected an array of jobs");
  auto profiles = doc.find("profiles");
  if (profiles == doc.end() || !profiles->is_object())
    throw core::ScenarioError(source, "/profiles", "expected an object of profiles");
  std::size_t index = 0;
  for (const json& job : *jobs) {
    const std::string ptr = "/jobs/" + std::to_string(index++);
    if (!job.is_object()) throw core::ScenarioError(source, ptr, "expected a job object");
    ++w.info.records;
    WorkloadJob j;
    auto id = job.find("id");
    if (id == job.end()) throw core::ScenarioError(source, ptr + "/id", "expected a job id");
    if (id->is_string()) j.id = id->get<std::string>();
    else if (id->is_number_integer()) j.id = std::to_string(id->get<long long>());
    else throw core::ScenarioError(source, ptr + "/id", "expected a string or an integer");
    j.submit_s = number_at(job, "subtime", source, ptr);
    const double res = number_at(job, "res", source, ptr);
    auto prof_name = job.find("profile");
    if (prof_name == job.end() || !prof_name->is_string())
      throw core::ScenarioError(source, ptr + "/profile", "expected a profile name");
    auto prof = profiles->find(prof_name->get<std::string>());
    if (prof == profiles->end())
      throw core::ScenarioError(source, ptr + "/profile", "no profile named '" + prof_name->get<std::string>() + "'");
    auto type = prof->find("type");
    if (type == prof->end() || !type->is_string() || type->get<std::string>() != "delay") {
      ++w.info.skipped_unsupported;
      continue;
    }
    j.run_s = number_at(*prof, "delay", source, "/profiles/" + prof_name->get<std::string>());
    if (!(j.run_s > 0)) {
      ++w.info.skipped_no_runtime;
      continue;
    }
    if (!(res >= 1)) {
      ++w.info.skipped_no_size;
      continue;
    }
    if (res > std::numeric_limits<int>::max())
      throw core::ScenarioError(source, ptr + "/res", "expected a number of resources of at most " + std::to_string(std::numeric_limits<int>::max()));
    j.nodes = static_cast<int>(res);
    j.requested_s = job.contains("walltime") ? number_at(job, "walltime", source, ptr) : -1;
    if (!(j.requested_s > 0)) {
      j.requested_s = j.run_s;
      ++w.info.requested_from_run;
    }
    w.jobs.push_back(std::move(j));
  }
  return w;
}

Workload read_batsim(const std::string& path) { return parse_batsim(read_maybe_gzip(path), path); }

}  // namespace twin::hpc
