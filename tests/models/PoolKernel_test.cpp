#include "models/PoolKernel.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "tests/models/TestFiles.hpp"

using namespace twin::models;
using twin::models::test::shipped_data;

namespace {

KernelSpec pool_spec(std::vector<std::string> files, Goal goal) {
  KernelSpec s;
  s.kind = "pool";
  for (const auto& f : files) {
    s.csv_texts.push_back(shipped_data(f));
    s.csv_names.push_back(f);
  }
  s.goal = goal;
  return s;
}

std::string error_of(const KernelSpec& spec) {
  try {
    (void)make_kernel(spec, 0);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("pool: replicates are averaged, unique inputs in first-appearance order") {
  KernelSpec s;
  s.kind = "pool";
  s.csv_texts = {"x1,x2,y\n1,2,10\n3,4,1\n1,2,20\n5,6,7\n1,2,60\n3,4,3"};
  s.csv_names = {"tiny.csv"};
  s.goal = Goal::MAXIMIZE;
  const auto k = make_kernel(s, 0);
  const auto& pk = dynamic_cast<const PoolKernel&>(*k);
  REQUIRE(k->space().pool_size() == 3);
  CHECK(pk.raw_row_count() == 6);
  CHECK(pk.replicate_counts() == std::vector<int>{3, 2, 1});
  CHECK(k->pool_truths() == std::vector<double>{30, 2, 7});
  CHECK(k->truth(k->space().pool_candidate(0)) == 30);
  CHECK(k->truth(k->space().pool_candidate(1)) == 2);
  CHECK(k->space().pool_candidate(2).x == std::vector<double>{5, 6});
  CHECK(k->space().dimensions()[1].name == "x2");
  CHECK(pk.objective_name() == "y");
  CHECK(k->goal() == Goal::MAXIMIZE);
  // A candidate given by its features alone finds its row.
  CHECK(k->truth(Candidate{{3, 4}, -1}) == 2);
  CHECK_THROWS_AS(k->truth(Candidate{{9, 9}, -1}), std::invalid_argument);
  CHECK_THROWS_AS(k->truth(Candidate{{}, 3}), std::out_of_range);
  // sd of {30, 2, 7} (n - 1): sqrt(((30-13)^2 + 11^2 + 6^2) / 2) = sqrt(223)
  CHECK(pk.value_sd() == doctest::Approx(std::sqrt(223.0)).epsilon(1e-12));
  CHECK(k->lab_noise_sd() == doctest::Approx(0.02 * std::sqrt(223.0)).epsilon(1e-12));
  CHECK(k->describe() == "pool tiny.csv, 3 candidates (6 rows)");
}

TEST_CASE("pool: the shipped materials files give the benchmark's pool sizes") {
  struct Case {
    const char* file;
    std::size_t rows, unique, features;
    Goal goal;
  };
  const Case cases[] = {
      {"P3HT.csv", 233, 178, 5, Goal::MAXIMIZE},
      {"AgNP.csv", 3295, 164, 5, Goal::MINIMIZE},
      {"Perovskite.csv", 139, 94, 3, Goal::MINIMIZE},
      {"oer_3496.csv", 2121, 2121, 6, Goal::MINIMIZE},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto k = make_kernel(pool_spec({c.file}, c.goal), 0);
    const auto& pk = dynamic_cast<const PoolKernel&>(*k);
    CHECK(pk.raw_row_count() == c.rows);
    CHECK(k->space().pool_size() == c.unique);
    CHECK(k->space().dimension_count() == c.features);
    CHECK(k->pool_truths().size() == c.unique);
  }
}

TEST_CASE("pool: header names, the BOM, and the first rows of the real files") {
  const auto per = make_kernel(pool_spec({"Perovskite.csv"}, Goal::MINIMIZE), 0);
  CHECK(per->space().dimensions()[0].name == "CsPbI");  // BOM stripped
  CHECK(dynamic_cast<const PoolKernel&>(*per).objective_name() == "Instability index");
  const auto oer = make_kernel(pool_spec({"oer_3496.csv"}, Goal::MINIMIZE), 0);
  CHECK(oer->space().dimensions()[0].name == "x1");
  const Candidate c0 = oer->space().pool_candidate(0);
  CHECK(c0.x == std::vector<double>{0.1, 0.2, 0.6, 0.1, 0.0, 0.0});
  CHECK(oer->truth(c0) == 0.39619299999999996);
  const auto p3ht = make_kernel(pool_spec({"P3HT.csv"}, Goal::MAXIMIZE), 0);
  CHECK(p3ht->space().dimensions()[0].name == "P3HT content (%)");
  // The first AgNP input appears with replicates 0.57959227, 0.581558224, ...:
  // its entry is their mean, so it lies between the two.
  const auto agnp = make_kernel(pool_spec({"AgNP.csv"}, Goal::MINIMIZE), 0);
  const double v0 = agnp->truth(agnp->space().pool_candidate(0));
  CHECK(dynamic_cast<const PoolKernel&>(*agnp).replicate_counts()[0] > 1);
  CHECK(v0 > 0.3);
  CHECK(v0 < 0.9);
}

TEST_CASE("pool: problem p uses csv_texts[p % n] (a stream of OER plates)") {
  const auto spec = pool_spec({"oer_3496.csv", "oer_3851.csv"}, Goal::MINIMIZE);
  const auto k0 = make_kernel(spec, 0);
  const auto k1 = make_kernel(spec, 1);
  const auto k2 = make_kernel(spec, 2);
  CHECK(k0->describe() == "pool oer_3496.csv, 2121 candidates");
  CHECK(k1->describe() == "pool oer_3851.csv, 2119 candidates");
  CHECK(k2->pool_truths() == k0->pool_truths());
  CHECK(k1->truth(k1->space().pool_candidate(0)) == 0.400783);
}

TEST_CASE("pool: the simulation is deterministic, biased, correlated, and costs sim_gflop") {
  auto spec = pool_spec({"oer_3496.csv"}, Goal::MINIMIZE);
  const auto k = make_kernel(spec, 0);
  const auto again = make_kernel(spec, 0);
  const auto& pk = dynamic_cast<const PoolKernel&>(*k);
  const std::size_t n = k->space().pool_size();
  double sum_t = 0, sum_s = 0, sum_tt = 0, sum_ss = 0, sum_ts = 0, max_abs_err = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Candidate c = k->space().pool_candidate(i);
    const double t = k->truth(c), s = k->simulate(c);
    CHECK(s == again->simulate(c));
    sum_t += t;
    sum_s += s;
    sum_tt += t * t;
    sum_ss += s * s;
    sum_ts += t * s;
    max_abs_err = std::max(max_abs_err, std::abs(s - t));
  }
  const double dn = static_cast<double>(n);
  const double cov = sum_ts / dn - (sum_t / dn) * (sum_s / dn);
  const double corr = cov / std::sqrt((sum_tt / dn - sum_t * sum_t / dn / dn) *
                                      (sum_ss / dn - sum_s * sum_s / dn / dn));
  // Error sd is about sqrt(0.1^2 * E[tanh^2] + 0.2^2) < 0.23 of the value sd,
  // so the correlation is near 1 / sqrt(1 + 0.23^2) = 0.97 but not 1.
  CHECK(corr > 0.9);
  CHECK(corr < 0.995);
  // Bounded: |bias| <= 0.1 sd, |noise| <= 0.2 * 2 sqrt(3) sd.
  CHECK(max_abs_err <= (0.1 + 0.2 * 2 * std::sqrt(3.0)) * pk.value_sd() + 1e-12);
  CHECK(max_abs_err > 0.2 * pk.value_sd());
  CHECK(k->simulation_flops(k->space().pool_candidate(5)) == 3.6e7 * 1e9);

  spec.params = {{"sim_bias", 0}, {"sim_noise", 0}, {"sim_gflop", 10}, {"lab_noise", 0.5}};
  const auto exact = make_kernel(spec, 0);
  for (std::size_t i = 0; i < n; i += 97) {
    const Candidate c = exact->space().pool_candidate(i);
    CHECK(exact->simulate(c) == exact->truth(c));
  }
  CHECK(exact->simulation_flops(exact->space().pool_candidate(0)) == 1e10);
  CHECK(exact->lab_noise_sd() == doctest::Approx(0.5 * pk.value_sd()).epsilon(1e-12));
}

TEST_CASE("pool: bad specs are refused with a clear message") {
  KernelSpec s;
  s.kind = "pool";
  s.csv_texts = {"a,b\n1,2\n3,x\n"};
  s.csv_names = {"bad.csv"};
  s.goal = Goal::MINIMIZE;
  CHECK(error_of(s) == "bad.csv:3: field 2 is not a finite number: 'x'");
  s.csv_texts = {"a,b\n1,2\n3,4,5\n"};
  CHECK(error_of(s) == "bad.csv:3: expected 2 comma-separated fields (as on the first line), got 3");
  s.csv_texts = {"y\n1\n2\n"};
  CHECK(error_of(s).find("at least one feature column") != std::string::npos);
  s.csv_texts = {"a,b\n1,2\n"};
  s.goal.reset();
  CHECK(error_of(s) == "kernel 'pool': a goal is required (minimize or maximize)");
  s.goal = Goal::MINIMIZE;
  s.params = {{"sim_bais", 0.1}};
  CHECK(error_of(s) == "kernel 'pool': unknown parameter 'sim_bais' (accepted: lab_noise, "
                       "sim_bias, sim_gflop, sim_noise)");
  s.params = {{"sim_noise", -1}};
  CHECK(error_of(s) == "kernel 'pool': parameter 'sim_noise' must lie in [0, 10], got -1");
  s.params.clear();
  s.csv_texts.clear();
  CHECK(error_of(s) == "kernel 'pool': no CSV text given (csv_texts is empty)");
  s.kind = "poool";
  CHECK(error_of(s).rfind("unknown kernel kind 'poool' (known: ", 0) == 0);
  s.kind = "pool";
  s.csv_texts = {"a,b\n1,2\n"};
  CHECK_THROWS_AS(make_kernel(s, -1), std::invalid_argument);
}

// Found by csv_pool_fuzz (tests/fuzz/csv_pool_fuzz-*): every field finite, but
// the average of replicates, the objective's spread or a feature's mean beyond a
// double made truths and simulated values inf or NaN.
TEST_CASE("pool: values whose mean or spread overflows a double are refused") {
  KernelSpec s;
  s.kind = "pool";
  s.csv_names = {"big.csv"};
  s.goal = Goal::MINIMIZE;
  s.csv_texts = {"x,y\n1,1e308\n1,1e308\n"};  // replicates: 2e308 / 2
  CHECK(error_of(s) == "big.csv: the objective's values are too large: their mean or spread overflows a double");
  s.csv_texts = {"x,y\n1,1e308\n2,-1e308\n"};  // spread
  CHECK(error_of(s) == "big.csv: the objective's values are too large: their mean or spread overflows a double");
  s.csv_texts = {"x,y\n1e308,1\n1.5e308,2\n"};  // a feature's mean
  CHECK(error_of(s) == "big.csv: feature column 1 is too large: its mean or spread overflows a double");
  s.csv_texts = {"x,y\n1e150,1e150\n-1e150,2\n"};  // large, but squares still fit a double: accepted
  const auto k = make_kernel(s, 0);
  CHECK(k->truth(k->space().pool_candidate(0)) == 1e150);
  CHECK(std::isfinite(k->simulate(k->space().pool_candidate(1))));
}

TEST_CASE("kernel_catalog is sorted by kind and documents every pool parameter") {
  const auto cat = kernel_catalog();
  REQUIRE_FALSE(cat.empty());
  for (std::size_t i = 1; i < cat.size(); ++i) CHECK(cat[i - 1].kind < cat[i].kind);
  const auto it = std::find_if(cat.begin(), cat.end(), [](const KernelInfo& i) { return i.kind == "pool"; });
  REQUIRE(it != cat.end());
  std::vector<std::string> names;
  for (const auto& p : it->params) {
    names.push_back(p.name);
    CHECK_FALSE(p.unit.empty());
    CHECK_FALSE(p.description.empty());
  }
  CHECK(names == std::vector<std::string>{"lab_noise", "sim_bias", "sim_gflop", "sim_noise"});
  CHECK(it->params[2].default_value == "3.6e+07");
  CHECK(it->params[0].default_value == "0.02");
}
