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

TEST_CASE("pool: problem p uses csv_texts[p % n] (a stream of OER plates), an instance of it after the first pass") {
  const auto spec = pool_spec({"oer_3496.csv", "oer_3851.csv"}, Goal::MINIMIZE);
  const auto k0 = make_kernel(spec, 0);
  const auto k1 = make_kernel(spec, 1);
  const auto k2 = make_kernel(spec, 2);
  CHECK(k0->describe() == "pool oer_3496.csv, 2121 candidates");
  CHECK(k1->describe() == "pool oer_3851.csv, 2119 candidates");
  // The second pass: an instance of the first plate, not the plate again.
  CHECK(k2->describe() == "pool oer_3496.csv, 1909 candidates (a generated instance: of its 2121, values drawn again)");
  CHECK(k2->pool_truths() != k0->pool_truths());
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
                       "sim_bias, sim_gflop, sim_noise, stream_noise, stream_subset)");
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
  CHECK(names == std::vector<std::string>{"lab_noise", "sim_bias", "sim_gflop", "sim_noise", "stream_noise", "stream_subset"});
  CHECK(it->params[2].default_value == "3.6e+07");
  CHECK(it->params[0].default_value == "0.02");
}

namespace {
/// The top `k` rows' features of a pool kernel, as a set.
std::set<std::vector<double>> top_set(const Kernel& k, std::size_t n, bool minimize) {
  const auto t = k.pool_truths();
  std::vector<std::size_t> idx(t.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return minimize ? t[a] < t[b] : t[a] > t[b]; });
  std::set<std::vector<double>> out;
  const auto& x = k.space().features();
  for (std::size_t i = 0; i < n && i < idx.size(); ++i) {
    std::vector<double> row(static_cast<std::size_t>(x.cols()));
    for (Eigen::Index j = 0; j < x.cols(); ++j) row[static_cast<std::size_t>(j)] = x(static_cast<Eigen::Index>(idx[i]), j);
    out.insert(row);
  }
  return out;
}
}  // namespace

TEST_CASE("pool stream: the tables first as they are, then generated instances, each keyed, none the table again") {
  const KernelSpec spec = pool_spec({"P3HT.csv"}, Goal::MAXIMIZE);
  const auto table = make_kernel(spec, 0, 42);  // problem 0: the table itself, whatever the key
  const auto* t = dynamic_cast<const PoolKernel*>(table.get());
  REQUIRE(t != nullptr);
  CHECK(t->instance_spread() == 0);
  const std::size_t n = t->pool_truths().size();

  const auto a = make_kernel(spec, 1, 1001), a2 = make_kernel(spec, 1, 1001), b = make_kernel(spec, 2, 2002);
  // 90 % of the entries, exactly (rounded).
  CHECK(a->pool_truths().size() == static_cast<std::size_t>(std::llround(0.9 * static_cast<double>(n))));
  CHECK(dynamic_cast<const PoolKernel*>(a.get())->table_entries() == n);
  // The same key: the same instance, bit for bit (both modes use the same keys).
  CHECK(a->pool_truths() == a2->pool_truths());
  // Different keys: different subsets and different top sets, and neither is the table's.
  CHECK(a->pool_truths() != b->pool_truths());
  const std::size_t k = std::max<std::size_t>(3, n / 50);
  CHECK(top_set(*a, k, false) != top_set(*b, k, false));
  CHECK(a->pool_truths() != table->pool_truths());
  // Every kept candidate is a row of the table; one measured once keeps its value, one
  // with replicates gets a value within their range (a resample's mean), and some move.
  const auto& xa = a->space().features();
  const auto* ap = dynamic_cast<const PoolKernel*>(a.get());
  CHECK(ap->spread_from_replicates());
  int moved = 0;
  for (Eigen::Index i = 0; i < xa.rows(); ++i) {
    Candidate in_table;
    for (Eigen::Index j = 0; j < xa.cols(); ++j) in_table.x.push_back(xa(i, j));
    const double v = a->pool_truths()[static_cast<std::size_t>(i)], old = table->truth(in_table);
    if (ap->replicate_counts()[static_cast<std::size_t>(i)] == 1) CHECK(v == old);
    moved += v != old;
  }
  CHECK(moved > 0);
  CHECK(ap->instance_spread() > 0);
}

TEST_CASE("pool stream: the spread of a value is the pooled replicate sd over sqrt(replicates), else the lab noise") {
  KernelSpec s;
  s.kind = "pool";
  s.goal = Goal::MINIMIZE;
  // Entries: x=1 with replicates 1.0 and 3.0 (sd sqrt 2), x=2 with 4.0 and 6.0 (sd sqrt 2), x=3 and x=4 once.
  s.csv_texts = {"x,y\n1,1\n1,3\n2,4\n2,6\n3,10\n4,20\n"};
  s.csv_names = {"hand"};
  s.params = {{"stream_subset", 1.0}};
  const auto inst = make_kernel(s, 1, 7);
  const auto* p = dynamic_cast<const PoolKernel*>(inst.get());
  REQUIRE(p != nullptr);
  CHECK(p->spread_from_replicates());
  // Standard errors: sd(1, 3) / sqrt 2 = 1 and sd(4, 6) / sqrt 2 = 1; the entries measured once: 0.
  CHECK(p->instance_spread() == doctest::Approx((1 + 1 + 0 + 0) / 4.0));
  REQUIRE(p->pool_truths().size() == 4);
  const auto v = p->pool_truths();
  // A resample's mean of two replicates: one of 1, 2, 3 and one of 4, 5, 6; singles unchanged.
  CHECK((v[0] == 1 || v[0] == 2 || v[0] == 3));
  CHECK((v[1] == 4 || v[1] == 5 || v[1] == 6));
  CHECK(v[2] == 10);
  CHECK(v[3] == 20);
  // Over many instances both replicate entries take every value a resample allows.
  std::set<double> seen0;
  for (std::uint64_t key = 1; key <= 64; ++key) seen0.insert(make_kernel(s, 1, key)->pool_truths()[0]);
  CHECK(seen0 == std::set<double>{1, 2, 3});

  // No replicates: the lab's noise, lab_noise x sd of the values.
  KernelSpec u = s;
  u.csv_texts = {"x,y\n1,1\n2,4\n3,10\n4,20\n"};
  const auto ui = make_kernel(u, 1, 7);
  const auto* up = dynamic_cast<const PoolKernel*>(ui.get());
  CHECK_FALSE(up->spread_from_replicates());
  const double mean = (1 + 4 + 10 + 20) / 4.0;
  const double sd = std::sqrt(((1 - mean) * (1 - mean) + (4 - mean) * (4 - mean) + (10 - mean) * (10 - mean) +
                               (20 - mean) * (20 - mean)) / 3);
  CHECK(up->instance_spread() == doctest::Approx(0.02 * sd));

  // stream_noise 0 and stream_subset 1: the table's values again (the old stream, on request).
  KernelSpec same = s;
  same.params = {{"stream_subset", 1.0}, {"stream_noise", 0.0}};
  CHECK(make_kernel(same, 1, 7)->pool_truths() == make_kernel(same, 0, 7)->pool_truths());
  // A second table: problem 1 is that table as it is, problem 2 an instance of the first.
  KernelSpec two = u;
  two.csv_texts.push_back("x,y\n5,5\n6,6\n7,7\n");
  two.csv_names.push_back("second");
  CHECK(make_kernel(two, 1, 9)->pool_truths() == std::vector<double>{5, 6, 7});
  CHECK(dynamic_cast<const PoolKernel*>(make_kernel(two, 2, 9).get())->table_entries() == 4);
}
