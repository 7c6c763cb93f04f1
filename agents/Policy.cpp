#include "agents/Policy.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "agents/GridPolicy.hpp"
#include "agents/OfatPolicy.hpp"
#include "agents/RandomPolicy.hpp"

namespace twin::agents {

namespace {

const char* const KERNELS[] = {"matern52", "se"};
const char* const ACQUISITIONS[] = {"ei", "lcb", "pi", "ucb"};

int parse_int(const std::string& policy, const std::string& key, const std::string& text, int low, int high) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < low || v > high) {
    throw std::invalid_argument("policy '" + policy + "': parameter '" + key + "' expects an integer in [" +
                                std::to_string(low) + ", " + std::to_string(high) + "], got '" + text + "'");
  }
  return static_cast<int>(v);
}

void reject_unknown(const std::string& policy, const std::map<std::string, std::string>& params,
                    const std::vector<PolicyParam>& known) {
  for (const auto& [key, value] : params) {
    const bool ok = std::any_of(known.begin(), known.end(), [&](const PolicyParam& p) { return p.name == key; });
    if (!ok) {
      std::string list;
      for (const auto& p : known) list += (list.empty() ? "" : ", ") + p.name;
      throw std::invalid_argument("policy '" + policy + "': unknown parameter '" + key + "' (known: " +
                                  (list.empty() ? "none" : list) + ")");
    }
  }
}

std::string canonical(const std::string& name) {
  if (name == "gp-ard") return "gp-ard-matern52-lcb";
  if (name == "gp-iso") return "gp-iso-matern52-lcb";
  return name;
}

PolicyInfo info_of(const std::string& name) {
  for (auto& info : policy_catalog()) {
    if (info.name == name) return info;
  }
  std::string list;
  for (const auto& info : policy_catalog()) list += (list.empty() ? "" : ", ") + info.name;
  throw std::invalid_argument("unknown policy '" + name + "' (known: " + list + "; gp-ard is short for gp-ard-matern52-lcb)");
}

}  // namespace

std::unique_ptr<Policy> make_policy(const std::string& name) { return make_policy(name, {}); }

std::unique_ptr<Policy> make_policy(const std::string& name, const std::map<std::string, std::string>& params) {
  const std::string canon = canonical(name);
  const PolicyInfo info = info_of(canon);
  reject_unknown(canon, params, info.params);
  auto get = [&](const std::string& key, const std::string& fallback) {
    const auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
  };
  if (canon == "random") return std::make_unique<RandomPolicy>();
  if (canon == "grid") return std::make_unique<GridPolicy>(parse_int(canon, "levels", get("levels", "5"), 2, 1000));
  if (canon == "ofat") return std::make_unique<OfatPolicy>(parse_int(canon, "levels", get("levels", "5"), 2, 1000));
  throw std::invalid_argument("policy '" + canon + "' is listed but not built yet");
}

std::vector<PolicyInfo> policy_catalog() {
  std::vector<PolicyInfo> out;
  out.push_back({"random",
                 "random search: uniform over untested pool rows, or over the box (categorical levels uniform, a "
                 "simplex by normalised exponentials); the field's reference baseline",
                 {}});
  out.push_back({"grid",
                 "grid search in a space-filling order: pool rows in farthest-point order over standardised "
                 "features; a box as a factorial grid (a simplex as a lattice) in farthest-point order, refined "
                 "when exhausted",
                 {{"levels", "points", "5", "grid points per continuous dimension (box spaces)"}}});
  out.push_back({"ofat",
                 "one factor at a time: sweep one factor around the best result so far, then the next factor",
                 {{"levels", "points", "5", "values per continuous factor in one sweep"}}});
  for (const char* scale : {"ard", "iso"}) {
    for (const char* kernel : KERNELS) {
      for (const char* acq : ACQUISITIONS) {
        const std::string n = std::string("gp-") + scale + "-" + kernel + "-" + acq;
        std::string desc = std::string("Bayesian optimisation: Gaussian process, ") +
                           (std::string(kernel) == "se" ? "squared-exponential" : "Matern-5/2") + " kernel, " +
                           (std::string(scale) == "ard" ? "one length-scale per input (ARD)" : "one length-scale (isotropic)") +
                           ", plus a constant term; acquisition " + acq;
        if (n == "gp-ard-matern52-lcb") desc += " (alias gp-ard: the protocol of Liang et al. 2021)";
        if (n == "gp-iso-matern52-lcb") desc += " (alias gp-iso)";
        out.push_back({n, desc, {}});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const PolicyInfo& a, const PolicyInfo& b) { return a.name < b.name; });
  return out;
}

}  // namespace twin::agents
