#include "models/Kernel.hpp"

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
