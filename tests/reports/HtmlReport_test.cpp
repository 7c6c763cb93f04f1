#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reports/HtmlReport.hpp"

using namespace twin::reports;
using ojson = nlohmann::ordered_json;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The report of scenarios/single-lab.json, frozen in tests/reports/data so
/// that this test does not move when the simulation's golden report does.
ojson fixture() { return ojson::parse(read_text(std::string(REPORTS_TEST_DATA) + "/single-lab.report.json")); }

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("the verdict comes first: multiplier 27.4 with its interval, goal x2 met also at 95 %") {
  const std::string h = render_html_report(fixture());
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  const auto verdict = h.find("id=\"verdict\"");
  REQUIRE(verdict != std::string::npos);
  CHECK(verdict < h.find("id=\"why\""));
  CHECK(verdict < h.find("id=\"campaigns\""));
  CHECK(has(h, "R&amp;D productivity multiplier (closed loop / baseline): <strong class=\"multiplier\">\u00d727.4</strong>"));
  CHECK(has(h, "95 % interval \u00d724.2 to \u00d731.4"));
  CHECK(has(h, "Goal \u00d72: <strong>met</strong>, also at 95 % confidence"));
  CHECK(has(h, "class=\"verdict met\""));
  // discoveries per year per mode, time to first discovery and its ratio
  CHECK(has(h, "708 <span class=\"ci\">(644 to 773)</span>"));
  CHECK(has(h, "25.9 <span class=\"ci\">(19.6 to 32.1)</span>"));
  CHECK(has(h, "0.279 days (6.69 h)"));
  CHECK(has(h, "9.5 days"));
  CHECK(has(h, "the baseline takes <strong>\u00d734.1</strong> as long"));
  // why, carried by shorter cycles, and the bottleneck
  CHECK(has(h, "carried by <strong>More cycles per year"));
  CHECK(has(h, "<tr class=\"carrier\"><td>More cycles per year"));
  CHECK(has(h, "48 experiments per discovery"));
  CHECK(has(h, "What limits it: <strong>lab run</strong>, 75.2 %"));
  CHECK(has(h, "Busiest resource in the closed loop: <strong>polybot.characterisation</strong> (lab station), "));
}

TEST_CASE("every section is there: assumptions, cycle, charts per campaign, resources, cost, conservation") {
  const std::string h = render_html_report(fixture());
  for (const char* id : {"why", "assumptions", "cycle", "campaigns", "resources", "cost", "conservation"})
    CHECK_MESSAGE(has(h, std::string("<section id=\"") + id + "\">"), id);
  CHECK(has(h, "gp-ard, batch 4, screens 16 by simulation"));
  CHECK(has(h, "Best value found against simulated time"));
  CHECK(has(h, "Best value found against experiments"));
  CHECK(has(h, "Utilisation per HPC system"));
  CHECK(has(h, "Utilisation per lab and station"));
  CHECK(has(h, "Utilisation per backbone link"));
  CHECK(has(h, "Mean queue length per HPC system"));
  CHECK(has(h, "A decision cycle, stage by stage"));
  CHECK(has(h, "162 h per cycle"));  // the baseline's mean cycle
  CHECK(has(h, "Every line balances."));
}

TEST_CASE("the page is self-contained: no script, no external resource") {
  const std::string h = render_html_report(fixture());
  // A table wider than the window scrolls by itself; the page never does.
  CHECK(has(h, "display:block;max-width:100%;overflow-x:auto"));
  CHECK_FALSE(has(h, "<script"));
  CHECK_FALSE(has(h, "<link"));
  CHECK_FALSE(has(h, "src="));
  CHECK_FALSE(has(h, "url("));
  CHECK_FALSE(has(h, "@import"));
  // The only absolute URL is the SVG namespace, which is a name, not a fetch.
  std::size_t at = 0, urls = 0;
  while ((at = h.find("http", at)) != std::string::npos) {
    CHECK(h.compare(at, 26, "http://www.w3.org/2000/svg") == 0);
    ++urls;
    ++at;
  }
  CHECK(urls > 0);
}

TEST_CASE("names from the scenario are escaped everywhere") {
  ojson r = fixture();
  r["scenario"]["name"] = "<script>alert(1)</script>";
  r["campaigns"][0]["name"] = "oer & \"friends\"";
  r["resources"]["hpc"][0]["name"] = "<img onerror=x>";
  r["assumptions"][0]["value"] = "</table>INJECTED";
  const std::string h = render_html_report(r);
  CHECK_FALSE(has(h, "<script>"));
  CHECK_FALSE(has(h, "<img"));
  CHECK_FALSE(has(h, "</table>INJECTED"));
  CHECK(has(h, "&lt;/table&gt;INJECTED"));
  CHECK(has(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(has(h, "oer &amp; &quot;friends&quot;"));
  CHECK(has(h, "&lt;img onerror=x&gt;"));
}

TEST_CASE("a censored multiplier reads as a lower bound, never infinity") {
  ojson r = fixture();
  auto& m = r["headline"]["multiplier"];
  m["value"] = 4.1;
  m["ci95_low"] = 4.1;
  m["ci95_high"] = nullptr;
  m["censored"] = true;
  m["display"] = ">= 4.1";
  m["note"] = "the baseline made no discovery in the horizon";
  r["headline"]["goal_met"] = true;
  r["headline"]["goal_met_at_95"] = true;
  r["headline"]["time_to_first_discovery"]["baseline"]["censored"] = true;
  r["headline"]["time_to_first_discovery"]["baseline"]["without_discovery"] = 4;
  const std::string h = render_html_report(r);
  CHECK(has(h, "\u2265 \u00d74.1 (censored)"));
  CHECK(has(h, "the lower bound alone reaches the goal"));
  CHECK(has(h, "Note: the baseline made no discovery in the horizon."));
  CHECK(has(h, "\u2265 9.5 days (censored: no discovery in 4 replications)"));
  CHECK_FALSE(has(h, "inf"));
}

TEST_CASE("a missed goal says so, and so does a goal met only at the point estimate") {
  ojson r = fixture();
  r["headline"]["multiplier"]["value"] = 1.5;
  r["headline"]["multiplier"]["ci95_low"] = 1.1;
  r["headline"]["multiplier"]["ci95_high"] = 1.9;
  r["headline"]["goal_met"] = false;
  r["headline"]["goal_met_at_95"] = false;
  std::string h = render_html_report(r);
  CHECK(has(h, "Goal \u00d72: <strong>not met</strong>"));
  CHECK(has(h, "class=\"verdict notmet\""));
  r["headline"]["multiplier"]["value"] = 2.2;
  r["headline"]["goal_met"] = true;
  h = render_html_report(r);
  CHECK(has(h, "Goal \u00d72: <strong>met</strong>, but not at 95 % confidence"));
}

TEST_CASE("a partial or empty report renders without throwing, with n/a where numbers are missing") {
  const std::string h = render_html_report(ojson::object());
  CHECK(has(h, "R&amp;D productivity multiplier"));
  CHECK(has(h, "cannot be judged"));
  CHECK(has(h, "</html>"));
  ojson r = fixture();
  r.erase("resources");
  r["campaigns"][0]["modes"]["baseline"].erase("best_over_time");
  const std::string p = render_html_report(r);
  // The verdict and the multiplier are untouched by the missing parts.
  CHECK(has(p, "<strong class=\"multiplier\">\u00d727.4</strong>"));
  CHECK(has(p, "Goal \u00d72: <strong>met</strong>, also at 95 % confidence"));
  // Every section is still there, in order; the one without data says so.
  std::size_t at = 0;
  for (const char* id : {"verdict", "why", "assumptions", "cycle", "campaigns", "resources", "labs", "cost",
                         "conservation"}) {
    const auto found = p.find(std::string("<section id=\"") + id + "\"", at);
    CHECK_MESSAGE(found != std::string::npos, std::string(id));
    if (found != std::string::npos) at = found;
  }
  const std::string res = p.substr(p.find("<section id=\"resources\">"), 600);
  CHECK(has(res, "<h3>HPC systems</h3>\n<p>None.</p>"));
  CHECK(has(res, "<h3>Labs and their stations</h3>\n<p>None.</p>"));
  CHECK(has(res, "No link carried data."));
  CHECK_FALSE(has(p, "Busiest resource in the closed loop"));  // it came from the resources
  // The baseline's best-value charts mark the missing series instead of drawing one.
  CHECK(has(p, "baseline (no result)"));
  CHECK(p.size() < render_html_report(fixture()).size());
  CHECK(has(p, "</html>"));
}

TEST_CASE("weekly queue lengths are drawn where the report has them, and only there") {
  ojson r = fixture();
  const std::string all = render_html_report(r);
  CHECK(has(all, "Closed loop: jobs waiting per HPC system, weekly"));
  CHECK(has(all, "Baseline: jobs waiting per HPC system, weekly"));
  CHECK(has(all, "Closed loop: waiting for lab stations, robots and technicians, weekly"));
  CHECK(has(all, "mean queue length"));
  for (auto& x : r["resources"]["labs"])
    for (auto& s : x["stations"])
      for (auto& [mode, m] : s["modes"].items()) m.erase("weekly_queue");
  const std::string h = render_html_report(r);
  CHECK(has(h, "jobs waiting per HPC system, weekly"));
  CHECK_FALSE(has(h, "waiting for lab stations, robots and technicians, weekly"));  // no station has the series now
  CHECK(has(h, "utilisation of lab stations, robots and technicians, weekly"));
}

TEST_CASE("same report, same bytes, and equal to the reference (TWIN_UPDATE_GOLDEN=1 rewrites it)") {
  const std::string a = render_html_report(fixture());
  const std::string b = render_html_report(fixture());
  CHECK(a == b);
  const std::string ref = std::string(REPORTS_TEST_DATA) + "/single-lab.report.html";
  const char* update = std::getenv("TWIN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(ref, std::ios::binary) << a;
    MESSAGE("rewrote " << ref);
  }
  const bool same = a == read_text(ref);
  CHECK_MESSAGE(same, "the HTML differs from " << ref << "; if the change is meant, rerun with TWIN_UPDATE_GOLDEN=1");
}

TEST_CASE("with fewer than 5 replications the goal is not judged at 95 %, whatever the interval") {
  ojson r = fixture();  // 4 replications, interval x24.2 to x31.4
  r["headline"]["goal_met_at_95"] = false;
  std::string h = render_html_report(r);
  CHECK(has(h, "Goal \u00d72: <strong>met</strong>, but not judged at 95 % confidence (fewer than 5 replications)"));
  r["headline"]["multiplier"]["ci95_low"] = 1.5;  // an interval reaching below the goal says that instead
  h = render_html_report(r);
  CHECK(has(h, "but not at 95 % confidence (the interval reaches below \u00d72)"));
}

TEST_CASE("warnings: a section after the verdict, and one mode reads as no baseline") {
  ojson r = fixture();
  CHECK_FALSE(has(render_html_report(r), "id=\"warnings\""));  // none, no section
  r["warnings"] = ojson::array({{{"code", "few_replications"}, {"message", "4 replications: <rough>"}, {"where", "headline/multiplier"}}});
  std::string h = render_html_report(r);
  const auto w = h.find("<section id=\"warnings\">");
  REQUIRE(w != std::string::npos);
  CHECK(h.find("id=\"verdict\"") < w);
  CHECK(w < h.find("<section id=\"why\">"));
  CHECK(has(h, "<li><code>few_replications</code> 4 replications: &lt;rough&gt;"));
  CHECK(has(h, "<a href=\"#warnings\">Warnings</a>"));
  auto& m = r["headline"]["multiplier"];
  m["value"] = m["ci95_low"] = m["ci95_high"] = nullptr;
  r["headline"]["goal_met"] = r["headline"]["goal_met_at_95"] = false;
  r["warnings"].push_back({{"code", "one_mode"}, {"message", "one mode only"}, {"where", "headline/multiplier"}});
  h = render_html_report(r);
  CHECK(has(h, "Goal \u00d72: <strong>no baseline</strong>"));
  CHECK(has(h, "<strong class=\"multiplier\">none: no baseline</strong>"));
  CHECK_FALSE(has(h, "not met"));
}

TEST_CASE("the bottleneck's resource is named in the verdict, the ranking and the lab") {
  ojson r = fixture();
  CHECK_FALSE(has(render_html_report(r), "the resource behind it"));  // the frozen report has none
  const std::string text = "polybot.characterisation: 37 % busy, samples wait 0.2 h there on average";
  r["cycle"]["bottlenecks"][0]["resource"] = {{"name", "polybot.characterisation"}, {"kind", "station"},
                                              {"utilisation", 0.373}, {"wait_mean_h", 0.2}, {"text", text}};
  r["labs"][0]["modes"]["closed_loop"]["bottleneck"]["text"] = text;
  const std::string h = render_html_report(r);
  CHECK(has(h, "What limits it: <strong>lab run</strong>, 75.2 % of a closed loop cycle; the resource behind it: <strong>" +
                   text + "</strong>"));
  CHECK(has(h, "of the cycle; " + text + "</li>"));
  CHECK(has(h, "Bottleneck (closed loop): <strong>characterisation</strong> (" + text + ")"));
}

TEST_CASE("a run of several years draws the trajectory: a point per year with its value, the band, the x2 line") {
  ojson r = fixture();
  r["headline"]["goal_year"] = {{"year", 2028}, {"year_at_95", nullptr}, {"definition", "the first year whose ..."}};
  r["years"] = ojson::array();
  const double vs[] = {1.0, 1.6, 2.4};
  for (int i = 0; i < 3; ++i) {
    ojson y;
    y["year"] = 2026 + i;
    y["start_date"] = std::to_string(2026 + i) + "-01-05";
    y["days"] = 365.25;
    y["discoveries_per_year"] = {{"closed_loop", 10.0 * (i + 1)}, {"baseline", 10.0}};
    y["multiplier"] = {{"value", 1.0 + i}, {"ci95_low", nullptr}, {"ci95_high", nullptr}, {"censored", false}};
    y["vs_first_year_baseline"] = {{"value", vs[i]}, {"ci95_low", vs[i] * 0.8}, {"ci95_high", vs[i] * 1.25}, {"censored", false}};
    y["capacity_online"] = {{"hpc_systems", 2}, {"nodes", 100.0 * (i + 1)}, {"gpus", 0}, {"labs", 1 + i},
                            {"link_capacity_gbps", 400}, {"basis", "mean over the year"}};
    r["years"].push_back(y);
  }
  const std::string h = render_html_report(r);
  const auto at = h.find("id=\"years\"");
  REQUIRE(at != std::string::npos);
  const std::string s = h.substr(at, h.find("</section>", at) - at);
  CHECK(has(s, "first reached in 2028"));
  // The trajectory's points, one per year, with their values.
  const auto traj = s.find("data-name=\"closed loop vs first year&#39;s baseline\"");
  REQUIRE(traj != std::string::npos);
  const std::string t = s.substr(traj, s.find("</g>", traj) - traj);
  CHECK(has(t, "data-x=\"2026\" data-y=\"1\""));
  CHECK(has(t, "data-x=\"2027\" data-y=\"1.6\""));
  CHECK(has(t, "data-x=\"2028\" data-y=\"2.4\""));
  CHECK(has(t, "2028: closed loop vs first year&#39;s baseline \u00d72.4 (95 % \u00d71.92 to \u00d73)"));
  // The x2 goal line and the band.
  CHECK(has(s, "class=\"reference\" data-y=\"2\""));
  CHECK(has(s, "goal \u00d72"));
  CHECK(has(s, "class=\"band\""));
  // Discoveries per mode and capacity.
  CHECK(has(s, "Discoveries per year, by mode"));
  CHECK(has(s, "data-x=\"2028\" data-y=\"30\""));
  CHECK(has(s, "Capacity online, against its first year"));
  CHECK(has(s, "data-name=\"HPC nodes\""));
  CHECK_FALSE(has(s, "data-name=\"Rmax\""));  // none stated: no series
  // A one-year report has no such section.
  CHECK_FALSE(has(render_html_report(fixture()), "id=\"years\""));
}

TEST_CASE("milestones: the initial operating capability and each campaign's first closed-loop discovery") {
  ojson r = fixture();
  r["milestones"] = {{"definition", "per campaign, the median day"},
                     {"campaigns", ojson::array({{{"campaign", "p3ht"}, {"first_closed_loop_discovery_day", 41},
                                                  {"date", "2026-02-15"}, {"replications_reached", 3}},
                                                 {{"campaign", "late"}, {"first_closed_loop_discovery_day", nullptr},
                                                  {"date", nullptr}, {"replications_reached", 1}}})},
                     {"initial_operating_capability",
                      {{"day_limit", 270}, {"reached", true}, {"by", "p3ht"}, {"day", 41}, {"definition", "ioc: ..."}}}};
  const std::string h = render_html_report(r);
  const auto at = h.find("id=\"milestones\"");
  REQUIRE(at != std::string::npos);
  const std::string s = h.substr(at, h.find("</section>", at) - at);
  CHECK(has(s, "<strong>reached</strong> by p3ht on day 41"));
  CHECK(has(s, "<tr><td>p3ht</td><td class=\"n ok\">41</td><td>2026-02-15</td><td class=\"n\">3</td></tr>"));
  CHECK(has(s, "<tr><td>late</td><td class=\"n\">none</td><td></td><td class=\"n\">1</td></tr>"));
  CHECK(has(s, "ioc: ..."));
  r["milestones"]["initial_operating_capability"]["reached"] = false;
  CHECK(has(render_html_report(r), "<strong>not reached</strong>"));
  // Without the closed loop there is no milestone to show.
  r["scenario"]["modes"] = {"baseline"};
  CHECK_FALSE(has(render_html_report(r), "id=\"milestones\""));
}

TEST_CASE("the verdict says what to buy next, with why, and none where the report has no buy_next") {
  ojson r = fixture();
  r["headline"]["buy_next"] = {{"mode", "closed_loop"}, {"stage", "lab_queue"}, {"resource", "lab.anneal"},
                               {"kind", "station"}, {"change", "one more anneal station at lab"},
                               {"why", "lab.anneal: 97 % busy"}, {"text", "..."}, {"basis", "..."}};
  const std::string h = render_html_report(r);
  const auto v = h.find("id=\"verdict\"");
  REQUIRE(v != std::string::npos);
  const std::string s = h.substr(v, h.find("</section>", v) - v);
  CHECK(has(s, "What to buy next: <strong>one more anneal station at lab</strong> (lab.anneal: 97 % busy); read off"));
  r["headline"]["buy_next"]["why"] = nullptr;
  CHECK(has(render_html_report(r), "<strong>one more anneal station at lab</strong>; read off"));
  r["headline"].erase("buy_next");
  CHECK_FALSE(has(render_html_report(r), "What to buy next"));
}

TEST_CASE("access rules, clouds and money: the check's verdict, each refusal, what bursting bought, the dollars") {
  const ojson r = ojson::parse(read_text(std::string(REPORTS_TEST_DATA) + "/secure-cloud.report.json"));
  const std::string h = render_html_report(r);
  const auto at = h.find("<section id=\"access\">");
  REQUIRE(at != std::string::npos);
  CHECK(at > h.find("<section id=\"cost\">"));
  CHECK(at < h.find("<section id=\"conservation\">"));
  const std::string s = h.substr(at, h.find("</section>", at) - at);
  CHECK(has(s, "Independent check: <strong>0 violations</strong> in 72 placements checked."));
  CHECK(has(s, "<tr><td>fuel-oer</td><td>export_controlled</td></tr>"));
  // closed loop: 681 transfers rerouted, 2,036 bursts refused, 11,486 job-hours.
  CHECK(has(s, "<td class=\"n\">681</td><td class=\"n\">2036</td><td class=\"n\">11\u2009486</td>"));
  CHECK(has(s, "What bursting bought in the closed loop: <strong>229 <span class=\"ci\">(168 to 290)</span></strong>"));
  CHECK(has(s, "<td>open-oer</td><td>closed loop</td><td class=\"n\">4846</td><td class=\"n\">$48\u2009455</td>"));
  CHECK(has(s, "<td class=\"n\">$48\u2009455</td><td class=\"n\">$334\u2009227</td><td class=\"n\">$1461</td>"));
  CHECK(has(s, "What the rules cost the closed loop: <strong>181 <span class=\"ci\">(104 to 257)</span></strong>"));
  // A violation found by the check turns the line around.
  ojson bad = r;
  bad["security"]["violations"] = 3;
  CHECK(has(render_html_report(bad), "<strong>3 violations</strong> in 72 placements checked \u2014 work went where"));
}

TEST_CASE("no labels, no bursting, no prices: no access section") {
  CHECK_FALSE(has(render_html_report(fixture()), "id=\"access\""));
}

TEST_CASE("data, models and lineage: staging per dataset, what the model bought, each version, a discovery's lineage") {
  const ojson r = ojson::parse(read_text(std::string(REPORTS_TEST_DATA) + "/data-models.report.json"));
  const std::string h = render_html_report(r);
  const auto at = h.find("<section id=\"data\">");
  REQUIRE(at != std::string::npos);
  CHECK(at < h.find("<section id=\"conservation\">"));
  const std::string s = h.substr(at, h.find("</section>", at) - at);
  // The corpus: staged whole once per mode, then topped up with its growth; 20.8 TB moved in the closed loop.
  CHECK(has(s, "<tr><td>catalysis-db <span class=\"ci\">(olcf, 20 TB, public)</span></td><td>closed loop</td>"));
  CHECK(has(s, "<td class=\"n\">1</td><td class=\"n\">20.8</td><td class=\"n\">3.24</td>"));
  CHECK(has(s, "<tr><td>site:ANL</td><td>closed loop</td><td class=\"n\">50</td><td class=\"n\">21.4</td>"));
  CHECK(has(s, "What the models bought the closed loop: <strong>21.3 <span class=\"ci\">(-791 to 833)</span></strong> "
               "discoveries a year (520 with them, 499 without); experiments per discovery 7.02 with, 13.1 without."));
  // One point per version of the model, its error as its tooltip.
  CHECK(has(s, "Model cat-fm: prediction error of each version"));
  CHECK(has(s, "v2 (day 19.7)"));
  // The third discovery: ranked by the model's first version, simulated, measured.
  CHECK(has(s, "candidate 761 (problem 2, experiment 32): chosen by gp-ard-matern52-lcb with model cat-fm v1"));
  CHECK(has(s, "ranked by inference job 310 on cluster; simulated by job 345 on cluster"));
  CHECK(has(s, "sample 32 in polybot (synthesis#0 \u2192 characterisation#0, 2 robot moves)"));
  // Without datasets and models only the lineage remains.
  const std::string plain = render_html_report(fixture());
  CHECK_FALSE(has(plain, "Datasets: what staging the data costs"));
  CHECK_FALSE(has(plain, "Foundation models:"));
}
