#include "models/Kernel.hpp"

#include <stdexcept>

#include "models/AnalyticKernel.hpp"
#include "models/KineticsKernel.hpp"
#include "models/PoolKernel.hpp"
#include "models/SnarKernel.hpp"

namespace twin::models {
namespace {

// The registry: one entry per kind, kept sorted by kind. A plain table, built
// on first use (no static initialisers that register themselves).
struct Registration {
  std::string kind;
  KernelInfo (*info)();
  std::unique_ptr<Kernel> (*make)(const KernelSpec&, int, std::uint64_t);
};

const std::vector<Registration>& registry() {
  static const std::vector<Registration> entries = {
      {"branin", [] { return AnalyticKernel::info(AnalyticKernel::Surface::BRANIN); },
       &make_branin_kernel},
      {"kinetics", &KineticsKernel::info, &make_kinetics_kernel},
      {"michalewicz", [] { return AnalyticKernel::info(AnalyticKernel::Surface::MICHALEWICZ); },
       &make_michalewicz_kernel},
      {"pool", &PoolKernel::info, &make_pool_kernel},
      {"snar", &SnarKernel::info, &make_snar_kernel},
  };
  return entries;
}

}  // namespace

std::unique_ptr<Kernel> make_kernel(const KernelSpec& spec, int problem, std::uint64_t instance) {
  if (problem < 0) {
    throw std::invalid_argument("kernel '" + spec.kind + "': problem must be >= 0, got " +
                                std::to_string(problem));
  }
  for (const auto& r : registry()) {
    if (r.kind == spec.kind) return r.make(spec, problem, instance);
  }
  std::string known;
  for (const auto& r : registry()) known += (known.empty() ? "" : ", ") + r.kind;
  throw std::invalid_argument("unknown kernel kind '" + spec.kind + "' (known: " + known + ")");
}

void prepare_kernel(KernelSpec& spec) {
  if (spec.kind != "pool" || !spec.pool_tables.empty()) return;
  for (std::size_t i = 0; i < spec.csv_texts.size(); ++i)
    spec.pool_tables.push_back(read_pool_table(spec.csv_texts[i], pool_table_name(spec, i)));
}

std::vector<KernelInfo> kernel_catalog() {
  std::vector<KernelInfo> out;
  for (const auto& r : registry()) out.push_back(r.info());
  return out;
}

}  // namespace twin::models
