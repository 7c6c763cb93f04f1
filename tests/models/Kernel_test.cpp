#include "models/Kernel.hpp"

#include "models/AnalyticKernel.hpp"
#include "models/KineticsKernel.hpp"
#include "models/PoolKernel.hpp"
#include "models/SnarKernel.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

TEST_CASE("every kind of the catalog builds from a minimal spec") {
  const auto cat = twin::models::kernel_catalog();
  std::vector<std::string> kinds;
  for (const auto& info : cat) kinds.push_back(info.kind);
  CHECK(kinds == std::vector<std::string>{"branin", "kinetics", "michalewicz", "pool", "snar"});
  for (const auto& info : cat) {
    CAPTURE(info.kind);
    CHECK_FALSE(info.description.empty());
    twin::models::KernelSpec spec;
    spec.kind = info.kind;
    if (info.kind == "pool") {
      spec.csv_texts = {"x,y\n1,2\n3,5\n"};
      spec.goal = twin::models::Goal::MINIMIZE;
    }
    const auto k = twin::models::make_kernel(spec, 0);
    CHECK_FALSE(k->describe().empty());
    for (std::size_t i = 1; i < info.params.size(); ++i) {
      CHECK(info.params[i - 1].name < info.params[i].name);
    }
  }
}

namespace {

/// Settings{} (what the kernels' own constructors and the tests start from)
/// holds the defaults of the parameter table (what the factory, `twin
/// models` and the schema use).
template <class K>
void check_settings_defaults(const char* kind) {
  const typename K::Settings s{};
  for (const auto& p : K::settings_params()) {
    CAPTURE(kind);
    CAPTURE(p.def.name);
    if (p.field) CHECK(s.*p.field == p.def.default_value);
  }
}

}  // namespace

TEST_CASE("each kernel's Settings{} holds its parameter table's defaults") {
  using namespace twin::models;
  check_settings_defaults<AnalyticKernel>("branin");
  check_settings_defaults<KineticsKernel>("kinetics");
  check_settings_defaults<PoolKernel>("pool");
  check_settings_defaults<SnarKernel>("snar");
  const auto& kinetics = KineticsKernel::settings_params();
  CHECK(kinetics.front().def.name == "case");  // an int, set by the factory with the problem
  CHECK(KineticsKernel::Settings{}.mit_case == kinetics.front().def.default_value);
  // Every parameter but the case reaches a member.
  std::size_t bound = 0;
  for (const auto& p : kinetics) bound += p.field != nullptr;
  CHECK(bound == kinetics.size() - 1);
}
