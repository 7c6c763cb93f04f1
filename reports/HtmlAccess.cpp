// The report's section on access rules, clouds and money (report.json
// `security`, `bursting`, `money`): shown when the scenario labels a
// campaign above public, bursts to a cloud, or states prices.
#include "reports/HtmlAccess.hpp"

#include "reports/HtmlText.hpp"

namespace twin::reports {

namespace {

using ojson = nlohmann::ordered_json;

std::string esc(std::string_view s) { return escape_html(s); }
std::string num(const ojson& j, int sig = 3) { return j.is_number() ? format_number(json_number(j), sig) : "n/a"; }
std::string usd(const ojson& j) { return j.is_number() ? "$" + format_number(json_number(j), 4) : "n/a"; }
std::string interval(const ojson& m) {
  std::string s = num(json_at(m, {"mean"}));
  if (json_at(m, {"ci95_low"}).is_number())
    s += " <span class=\"ci\">(" + num(json_at(m, {"ci95_low"})) + " to " + num(json_at(m, {"ci95_high"})) + ")</span>";
  return s;
}

bool labelled(const ojson& sec) {
  for (const auto& c : json_at(sec, {"campaigns"}))
    if (json_string(json_at(c, {"classification"})) != "public") return true;
  return json_number(json_at(sec, {"violations"})) > 0;
}

void security(std::string& o, const ojson& sec, const std::vector<std::string>& modes) {
  const double violations = json_number(json_at(sec, {"violations"}));
  o += "<h3>Access rules</h3>\n<p class=\"goal\">Independent check: <strong>" + num(json_at(sec, {"violations"})) +
       " violations</strong> in " + num(json_at(sec, {"checked"}), 6) + " placements checked" +
       (violations > 0 ? " \u2014 work went where its label is not cleared" : "") + ".</p>\n";
  o += "<table>\n<tr><th>campaign</th><th>label</th></tr>\n";
  for (const auto& c : json_at(sec, {"campaigns"}))
    o += "<tr><td>" + esc(json_string(json_at(c, {"name"}))) + "</td><td>" +
         esc(json_string(json_at(c, {"classification"}))) + "</td></tr>\n";
  o += "</table>\n<table>\n<tr><th>mode</th><th>placements refused</th><th>transfers refused</th><th>rerouted</th>"
       "<th>bursts refused</th><th>time they cost, job-hours</th></tr>\n";
  for (const auto& m : modes) {
    const ojson& x = json_at(sec, {"refusals", m});
    o += "<tr><td>" + esc(human_name(m)) + "</td><td class=\"n\">" + num(json_at(x, {"placements", "count"})) +
         "</td><td class=\"n\">" + num(json_at(x, {"transfers", "refused"})) + "</td><td class=\"n\">" +
         num(json_at(x, {"transfers", "rerouted"})) + "</td><td class=\"n\">" + num(json_at(x, {"bursts", "count"})) +
         "</td><td class=\"n\">" + num(json_at(x, {"time_h"})) + "</td></tr>\n";
    for (const auto& c : json_at(x, {"campaigns"}))
      o += "<tr><td>&nbsp;&nbsp;" + esc(json_string(json_at(c, {"campaign"}))) + "</td><td class=\"n\">" +
           num(json_at(c, {"placements", "count"})) + "</td><td class=\"n\">" +
           num(json_at(c, {"transfers", "refused"})) + "</td><td class=\"n\">" +
           num(json_at(c, {"transfers", "rerouted"})) + "</td><td class=\"n\">" + num(json_at(c, {"bursts", "count"})) +
           "</td><td class=\"n\">" + num(json_at(c, {"time_h"})) + "</td></tr>\n";
  }
  o += "</table>\n";
  const ojson& cost = json_at(sec, {"cost_of_rules"});
  if (json_at(cost, {"discoveries_per_year_lost"}).is_object()) {
    o += "<p class=\"goal\">What the rules cost the closed loop: <strong>" +
         interval(json_at(cost, {"discoveries_per_year_lost"})) + "</strong> discoveries a year (" +
         num(json_at(cost, {"closed_loop_discoveries_per_year"})) + " with them, " +
         num(json_at(cost, {"unrestricted_discoveries_per_year"})) + " with everything cleared).</p>\n<ul>\n";
    for (const auto& c : json_at(cost, {"campaigns"}))
      o += "<li>" + esc(json_string(json_at(c, {"campaign"}))) + ": " +
           interval(json_at(c, {"discoveries_per_year_lost"})) + " discoveries a year, cycles " +
           interval(json_at(c, {"longer_cycle_h"})) + " h longer</li>\n";
    o += "</ul>\n<p class=\"caption\">" + esc(json_string(json_at(cost, {"basis"}))) + "</p>\n";
  }
  for (const auto& s : json_at(sec, {"stopped"}))
    o += "<p>Stopped by the rules: <strong>" + esc(json_string(json_at(s, {"campaign"}))) + "</strong>, " +
         esc(json_string(json_at(s, {"reason"}))) + "</p>\n";
  o += "<p class=\"caption\">" + esc(json_string(json_at(sec, {"refusals_basis"}))) + "</p>\n";
}

void bursting(std::string& o, const ojson& b, const std::vector<std::string>& modes) {
  o += "<h3>Bursting to clouds</h3>\n<table>\n<tr><th>campaign</th><th>mode</th><th>jobs in the cloud</th>"
       "<th>cloud bill</th><th>GPU-hours</th><th>waits in the cloud, h</th><th>estimated queue time saved, h</th></tr>\n";
  for (const auto& c : json_at(b, {"campaigns"}))
    for (const auto& m : modes) {
      const ojson& u = json_at(c, {"modes", m});
      o += "<tr><td>" + esc(json_string(json_at(c, {"name"}))) + "</td><td>" + esc(human_name(m)) +
           "</td><td class=\"n\">" + num(json_at(u, {"jobs"})) + "</td><td class=\"n\">" + usd(json_at(u, {"usd"})) +
           "</td><td class=\"n\">" + num(json_at(u, {"gpu_hours"})) + "</td><td class=\"n\">" + num(json_at(u, {"wait_h"})) +
           "</td><td class=\"n\">" + num(json_at(u, {"queue_time_saved_h"})) + "</td></tr>\n";
    }
  o += "</table>\n";
  const ojson& bought = json_at(b, {"bought"});
  if (json_at(bought, {"discoveries_per_year_gained"}).is_object()) {
    o += "<p class=\"goal\">What bursting bought in the closed loop: <strong>" +
         interval(json_at(bought, {"discoveries_per_year_gained"})) + "</strong> discoveries a year (" +
         num(json_at(bought, {"closed_loop_discoveries_per_year"})) + " with it, " +
         num(json_at(bought, {"without_bursting_discoveries_per_year"})) + " without).</p>\n<ul>\n";
    for (const auto& c : json_at(bought, {"campaigns"}))
      o += "<li>" + esc(json_string(json_at(c, {"campaign"}))) + ": " +
           interval(json_at(c, {"discoveries_per_year_gained"})) + " discoveries a year, its cycles " +
           interval(json_at(c, {"cycle_queue_h_saved"})) + " h less in the HPC queue</li>\n";
    o += "</ul>\n<p class=\"caption\">" + esc(json_string(json_at(bought, {"basis"}))) + "</p>\n";
  }
}

void money(std::string& o, const ojson& m, const std::vector<std::string>& modes) {
  o += "<h3>Money</h3>\n<table>\n<tr><th>mode</th><th>HPC</th><th>labs</th><th>technicians</th><th>clouds</th>"
       "<th>total</th><th>per discovery</th></tr>\n";
  for (const auto& mode : modes) {
    const ojson& x = json_at(m, {"modes", mode});
    o += "<tr><td>" + esc(human_name(mode)) + "</td><td class=\"n\">" + usd(json_at(x, {"hpc_usd"})) +
         "</td><td class=\"n\">" + usd(json_at(x, {"lab_usd"})) + "</td><td class=\"n\">" +
         usd(json_at(x, {"people_usd"})) + "</td><td class=\"n\">" + usd(json_at(x, {"cloud_usd"})) +
         "</td><td class=\"n\">" + usd(json_at(x, {"total_usd"})) + "</td><td class=\"n\">" +
         usd(json_at(x, {"per_discovery_usd"})) + "</td></tr>\n";
  }
  o += "</table>\n<p class=\"caption\">" + esc(json_string(json_at(m, {"basis"}))) + "</p>\n";
}

}  // namespace

void access_section(std::string& o, const ojson& r, const std::vector<std::string>& modes) {
  const ojson& sec = json_at(r, {"security"});
  const ojson& b = json_at(r, {"bursting"});
  const ojson& m = json_at(r, {"money"});
  const bool rules = sec.is_object() && labelled(sec);
  const bool bursts = b.is_object() && json_at(b, {"enabled"}).is_boolean() && json_at(b, {"enabled"}).get<bool>();
  const bool priced = m.is_object() && json_at(m, {"priced"}).is_boolean() && json_at(m, {"priced"}).get<bool>();
  if (!rules && !bursts && !priced) return;
  o += "<section id=\"access\">\n<h2>Access rules, clouds and money</h2>\n";
  if (rules) security(o, sec, modes);
  if (bursts) bursting(o, b, modes);
  if (priced) money(o, m, modes);
  o += "</section>\n";
}

}  // namespace twin::reports
