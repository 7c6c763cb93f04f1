#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "reports/Compare.hpp"
#include "twin/core/Errors.hpp"

using namespace twin;
using namespace twin::reports;
using ojson = nlohmann::ordered_json;

namespace {

std::string fixture_path() { return std::string(REPORTS_TEST_DATA) + "/single-lab.report.json"; }

ojson fixture() {
  std::ifstream in(fixture_path(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return ojson::parse(s.str());
}

const ojson* find_row(const ojson& rows, const std::string& key) {
  for (const auto& r : rows)
    if (r["key"] == key) return &r;
  return nullptr;
}

const ojson* find_element(const ojson& list, const std::string& name) {
  for (const auto& x : list)
    if (x["name"] == name) return &x;
  return nullptr;
}

/// The diagnostic of the ScenarioError that `f` throws.
template <class F>
core::Diagnostic error_of(F f) {
  try {
    f();
  } catch (const core::ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    return e.diagnostics()[0];
  }
  FAIL("no ScenarioError thrown");
  return {};
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("reports_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

}  // namespace

TEST_CASE("a report compared with itself has no difference") {
  const ojson r = fixture();
  const ojson c = compare_reports(r, r);
  CHECK(c["changed"]["headline"] == 0);
  CHECK(c["changed"]["campaigns"] == 0);
  CHECK(c["changed"]["resources"] == 0);
  const ojson* m = find_row(c["headline"], "/headline/multiplier/value");
  REQUIRE(m);
  CHECK((*m)["a"] == 27.3824);
  CHECK((*m)["delta"] == 0.0);
  CHECK((*m)["ratio"] == 1.0);
  const std::string t = compare_text(c);
  CHECK(t.find("  no differences") != std::string::npos);
  CHECK(t.find("\n* ") == std::string::npos);
  CHECK(t.find("\n  * ") == std::string::npos);
}

TEST_CASE("differences: B - A and B / A for the headline, a campaign and a resource") {
  const ojson a = fixture();
  ojson b = a;
  b["headline"]["multiplier"]["value"] = 30.0;
  b["headline"]["goal_met_at_95"] = false;
  b["resources"]["hpc"][0]["modes"]["closed_loop"]["utilisation"] = 0.305122;  // 2 x 0.152561
  b["campaigns"][0]["modes"]["baseline"]["experiments"] = 204.0;               // half of 408
  b["campaigns"][0]["modes"]["baseline"]["policy"] = "grid";
  const ojson c = compare_reports(a, b, "before", "after");
  CHECK(c["a"]["label"] == "before");
  CHECK(c["b"]["name"] == "single-lab");

  const ojson* m = find_row(c["headline"], "/headline/multiplier/value");
  REQUIRE(m);
  CHECK((*m)["changed"] == true);
  CHECK((*m)["delta"].get<double>() == doctest::Approx(2.6176));
  CHECK((*m)["ratio"].get<double>() == doctest::Approx(30.0 / 27.3824).epsilon(1e-5));
  const ojson* g = find_row(c["headline"], "/headline/goal_met_at_95");
  REQUIRE(g);
  CHECK((*g)["a"] == true);
  CHECK((*g)["b"] == false);
  CHECK((*g)["delta"].is_null());
  CHECK(c["changed"]["headline"] == 2);

  const ojson* camp = find_element(c["campaigns"], "oer");
  REQUIRE(camp);
  CHECK((*camp)["present"] == "both");
  const ojson* e = find_row((*camp)["rows"], "/modes/baseline/experiments");
  REQUIRE(e);
  CHECK((*e)["delta"] == -204.0);
  CHECK((*e)["ratio"] == 0.5);
  CHECK(c["changed"]["campaigns"] == 2);  // experiments and policy

  const ojson* hpc = find_element(c["resources"], "cluster");
  REQUIRE(hpc);
  CHECK((*hpc)["kind"] == "hpc");
  const ojson* u = find_row((*hpc)["rows"], "/modes/closed_loop/utilisation");
  REQUIRE(u);
  CHECK((*u)["ratio"] == 2.0);
  CHECK(c["changed"]["resources"] == 1);

  const std::string t = compare_text(c);
  // 27.4 -> 30 lies inside both 95 % intervals (24.2 to 31.4): listed, not marked.
  CHECK(t.find("\n  R&D productivity multiplier") != std::string::npos);
  CHECK(t.find("* R&D productivity multiplier") == std::string::npos);
  CHECK((*m)["significant"] == false);
  CHECK((*e)["significant"] == false);  // a mean over replications without an interval
  CHECK(t.find("+2.618") != std::string::npos);
  CHECK(t.find("\u00d70.5") != std::string::npos);
  CHECK(t.find("hpc cluster") != std::string::npos);
  CHECK(t.find("link ANL-ORNL") == std::string::npos);  // unchanged: not shown
  CHECK(compare_text(c, true).find("link ANL-ORNL") != std::string::npos);

  const std::string h = render_html_compare(c);
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(h.find("<script") == std::string::npos);
  CHECK(h.find("<tr class=\"changed\"><td>R&amp;D productivity multiplier</td>") != std::string::npos);
  CHECK(h.find("<svg") != std::string::npos);
}

TEST_CASE("a campaign or resource on one side only is listed with nulls on the other") {
  const ojson a = fixture();
  ojson b = a;
  b["campaigns"][0]["name"] = "oer-2";
  b["resources"]["links"].clear();
  const ojson c = compare_reports(a, b);
  const ojson* only_a = find_element(c["campaigns"], "oer");
  const ojson* only_b = find_element(c["campaigns"], "oer-2");
  REQUIRE(only_a);
  REQUIRE(only_b);
  CHECK((*only_a)["present"] == "a");
  CHECK((*only_b)["present"] == "b");
  CHECK((*only_a)["rows"][0]["b"].is_null());
  const ojson* link = find_element(c["resources"], "ANL-ORNL");
  REQUIRE(link);
  CHECK((*link)["present"] == "a");
  CHECK(compare_text(c).find("campaign oer-2 (only in B)") != std::string::npos);
}

TEST_CASE("compare output is deterministic and names in the HTML are escaped") {
  ojson a = fixture();
  ojson b = a;
  b["campaigns"][0]["name"] = "<b>bold</b>";
  const ojson c1 = compare_reports(a, b, "A <x>", "B");
  const ojson c2 = compare_reports(a, b, "A <x>", "B");
  CHECK(c1.dump() == c2.dump());
  const std::string h = render_html_compare(c1);
  CHECK(h == render_html_compare(c2));
  CHECK(h.find("<b>bold") == std::string::npos);
  CHECK(h.find("&lt;b&gt;bold") != std::string::npos);
  CHECK(h.find("A &lt;x&gt;") != std::string::npos);
}

TEST_CASE("check_report names the file and the JSON pointer of what is missing or mistyped") {
  ojson r = fixture();
  r["headline"]["multiplier"].erase("value");
  core::Diagnostic d = error_of([&] { check_report(r, "a.json"); });
  CHECK(d.file == "a.json");
  CHECK(d.pointer == "/headline/multiplier/value");
  CHECK(d.str() == "a.json:/headline/multiplier/value: missing: expected a number or null (is this a twin report.json?)");

  r = fixture();
  r["campaigns"][0]["name"] = 7;
  d = error_of([&] { check_report(r, "b.json"); });
  CHECK(d.pointer == "/campaigns/0/name");
  CHECK(d.message == "expected a string, got number");

  r = fixture();
  r["resources"]["labs"][0]["stations"][1].erase("modes");
  d = error_of([&] { check_report(r, "c.json"); });
  CHECK(d.pointer == "/resources/labs/0/stations/1/modes");

  d = error_of([&] { check_report(ojson::array(), "d.json"); });
  CHECK(d.pointer == "");
  CHECK(d.message == "expected a report object, got array");
  CHECK_NOTHROW(check_report(fixture(), "ok.json"));
}

TEST_CASE("load_report: a file, a folder holding report.json, and clear errors otherwise") {
  TempDir dir;
  CHECK(load_report(fixture_path())["scenario"]["name"] == "single-lab");
  std::filesystem::create_directories(dir.path / "run");
  std::filesystem::copy_file(fixture_path(), dir.path / "run" / "report.json");
  CHECK(load_report((dir.path / "run").string())["scenario"]["seed"] == 42);

  const std::string missing = (dir.path / "nope.json").string();
  core::Diagnostic d = error_of([&] { load_report(missing); });
  CHECK(d.file == missing);
  CHECK(d.message == "cannot read: no such file");

  const std::string not_json = dir.write("bad.json", "{\"schema_version\": 1,");
  d = error_of([&] { load_report(not_json); });
  CHECK(d.file == not_json);
  CHECK(d.message.rfind("not JSON: parse error at line 1", 0) == 0);

  // Found by report_fuzz: a number beyond a double is the parser's out_of_range, not parse_error.
  const std::string overflow = dir.write("big.json", "{\"schema_version\": 1e400}");
  d = error_of([&] { load_report(overflow); });
  CHECK(d.file == overflow);
  CHECK(d.message == "not JSON: number overflow parsing '1e400'");

  const std::string not_report = dir.write("other.json", "{\"hello\": 1}");
  d = error_of([&] { load_report(not_report); });
  CHECK(d.pointer == "/schema_version");

  std::filesystem::create_directories(dir.path / "empty");
  d = error_of([&] { load_report((dir.path / "empty").string()); });
  CHECK(d.message == "this folder holds no report.json");
}

TEST_CASE("a difference is marked only when the 95 % intervals do not overlap") {
  const ojson a = fixture();  // closed loop: 708 discoveries per year, interval 644 to 773
  ojson b = a;
  auto& cl = b["headline"]["discoveries_per_year"]["closed_loop"];
  cl["mean"] = 709.433;  // +1: well inside the spread
  ojson far = a;
  auto& fl = far["headline"]["discoveries_per_year"]["closed_loop"];
  fl["mean"] = 900.0;
  fl["ci95_low"] = 800.0;  // above A's 773
  fl["ci95_high"] = 1000.0;
  const ojson near_cmp = compare_reports(a, b), far_cmp = compare_reports(a, far);
  const ojson* near_row = find_row(near_cmp["headline"], "/headline/discoveries_per_year/closed_loop/mean");
  const ojson* far_row = find_row(far_cmp["headline"], "/headline/discoveries_per_year/closed_loop/mean");
  REQUIRE(near_row);
  REQUIRE(far_row);
  CHECK((*near_row)["changed"] == true);
  CHECK((*near_row)["significant"] == false);
  CHECK((*far_row)["significant"] == true);
  CHECK(compare_text(near_cmp).find("* discoveries per year, closed loop") == std::string::npos);
  CHECK(compare_text(far_cmp).find("* discoveries per year, closed loop") != std::string::npos);
  CHECK(near_cmp["warnings"].empty());
}

TEST_CASE("compare warns when horizon, seed or replications differ") {
  const ojson a = fixture();
  ojson b = a;
  b["scenario"]["horizon_days"] = 60.0;
  b["scenario"]["seed"] = 7;
  b["scenario"]["replications"] = 8;
  const ojson c = compare_reports(a, b);
  REQUIRE(c["warnings"].size() == 3);
  CHECK(c["warnings"][0].get<std::string>().find("horizons differ (120.0 and 60.0 days)") != std::string::npos);
  CHECK(c["warnings"][1].get<std::string>().find("seeds differ (42 and 7)") != std::string::npos);
  CHECK(c["warnings"][2].get<std::string>().find("replications differ (4 and 8)") != std::string::npos);
  const std::string t = compare_text(c);
  CHECK(t.find("warning: the horizons differ") != std::string::npos);
  CHECK(render_html_compare(c).find("Warning: the seeds differ") != std::string::npos);
}
