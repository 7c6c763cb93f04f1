#include "twin/cli/AdviseReport.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "reports/Figures.hpp"
#include "reports/HtmlText.hpp"
#include "twin/core/Rng.hpp"

namespace twin::cli {

namespace {

using ojson = nlohmann::ordered_json;
constexpr double YEAR_S = 365.25 * 86400.0;

/// Linear-interpolated quantile (type 7) of a sorted copy.
double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

ojson num(double x) { return reports::round_sig(x); }
ojson opt(const std::optional<double>& x) { return x ? num(*x) : ojson(nullptr); }

struct Scored {
  std::size_t index = 0;  ///< plan order
  double delta = 0;       ///< discoveries per year, variant - base, mean over replications
  std::optional<double> low, high, dpy;
};

}  // namespace

ojson advice_json(const AdviceRun& run) {
  const double years = run.horizon_s / YEAR_S;
  const std::size_t n = run.base.size();
  const double base_mean = n ? std::accumulate(run.base.begin(), run.base.end(), 0.0) / static_cast<double>(n) : 0.0;
  // One draw of replications for every option at once: the options are
  // paired with the base and with one another.
  const bool interval = n >= static_cast<std::size_t>(reports::MIN_REPLICATIONS_INTERVAL);
  std::vector<std::vector<std::size_t>> draws;
  if (interval) {
    core::Rng rng = core::Rng::stream(run.seed, "advise.bootstrap");
    draws.assign(reports::BOOTSTRAP_RESAMPLES, std::vector<std::size_t>(n));
    for (auto& d : draws)
      for (auto& k : d) k = rng.below(n);
  }
  std::vector<Scored> scored;
  for (std::size_t i = 0; i < run.options.size(); ++i) {
    Scored s;
    s.index = i;
    const auto& d = run.discoveries[i];
    if (!run.options[i].simulate || d.size() != n || n == 0) {
      // Not run: the change cannot alter a discovery, so the difference is exactly zero.
      if (!run.options[i].simulate) s.low = s.high = 0.0;
      s.dpy = base_mean / years;
      scored.push_back(s);
      continue;
    }
    std::vector<double> diff(n);
    for (std::size_t r = 0; r < n; ++r) diff[r] = (d[r] - run.base[r]) / years;
    s.delta = std::accumulate(diff.begin(), diff.end(), 0.0) / static_cast<double>(n);
    s.dpy = std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(n) / years;
    if (interval) {
      std::vector<double> means;
      means.reserve(draws.size());
      for (const auto& dr : draws) {
        double m = 0;
        for (std::size_t k : dr) m += diff[k];
        means.push_back(m / static_cast<double>(n));
      }
      s.low = quantile(means, 0.025);
      s.high = quantile(means, 0.975);
    }
    scored.push_back(s);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    return reports::round_sig(a.delta) > reports::round_sig(b.delta);
  });

  ojson j;
  j["scenario"] = run.scenario_name;
  j["scenario_file"] = run.scenario_file;
  j["seed"] = run.seed;
  j["mode"] = "closed_loop";
  j["horizon_days"] = num(run.horizon_s / 86400.0);
  j["replications"] = static_cast<int>(n);
  j["method"] =
      "each option is the base scenario with one thing bought, run in closed_loop mode on the same replications "
      "(seeds and nature) as the base; delta_discoveries_per_year is the mean over replications of the option's "
      "discoveries per year minus the base's; its interval a 95 % percentile bootstrap over the paired replications "
      "(2000 resamples, the same resampled replications for every option; none below 3 replications); ranked by the "
      "delta, largest first. per_dollar: delta per dollar of what the option costs in its first year, where the "
      "scenario prices it. Options marked simulated false cannot alter a discovery (see note): their delta is "
      "exactly 0";
  j["base_discoveries_per_year"] = num(base_mean / years);
  int simulations = static_cast<int>(n);
  for (std::size_t i = 0; i < run.options.size(); ++i) simulations += static_cast<int>(run.discoveries[i].size());
  j["simulations"] = simulations;
  ojson options = ojson::array();
  bool any_price = false;
  int rank = 0;
  for (const Scored& s : scored) {
    const AdviceOption& o = run.options[s.index];
    ojson e;
    e["rank"] = ++rank;
    e["resource"] = o.resource;
    e["kind"] = o.kind;
    e["change"] = o.change;
    e["delta_discoveries_per_year"] = num(s.delta);
    e["ci95_low"] = opt(s.low);
    e["ci95_high"] = opt(s.high);
    e["significant"] = s.low && s.high && (*s.low > 0 || *s.high < 0);
    e["discoveries_per_year"] = opt(s.dpy);
    e["cost_usd"] = opt(o.cost_usd);
    e["cost"] = o.cost_text.empty() ? ojson(nullptr) : ojson(o.cost_text);
    e["per_dollar"] = o.cost_usd && *o.cost_usd > 0 ? num(s.delta / *o.cost_usd) : ojson(nullptr);
    any_price = any_price || o.cost_usd.has_value();
    e["simulated"] = o.simulate;
    e["note"] = o.note.empty() ? ojson(nullptr) : ojson(o.note);
    options.push_back(std::move(e));
  }
  j["options"] = options;
  // The options the scenario prices, by delta per dollar (largest first).
  ojson by_dollar = ojson::array();
  if (any_price) {
    std::vector<const ojson*> priced;
    for (const auto& e : j["options"])
      if (!e["per_dollar"].is_null()) priced.push_back(&e);
    std::stable_sort(priced.begin(), priced.end(), [](const ojson* a, const ojson* b) {
      return (*a)["per_dollar"].get<double>() > (*b)["per_dollar"].get<double>();
    });
    for (const ojson* e : priced) by_dollar.push_back((*e)["resource"]);
  }
  j["by_per_dollar"] = by_dollar;
  return j;
}

namespace {

std::string signed_number(double x) { return (x > 0 ? "+" : "") + reports::format_number(x); }

std::string interval_text(const ojson& e) {
  if (e["ci95_low"].is_null()) return "no interval";
  return "95 % " + signed_number(e["ci95_low"].get<double>()) + " to " + signed_number(e["ci95_high"].get<double>());
}

}  // namespace

std::string advice_text(const ojson& a, int top) {
  std::ostringstream o;
  o << "Advice for " << a["scenario"].get<std::string>() << " (closed loop, " << a["replications"].get<int>()
    << " paired replications, " << reports::format_number(a["horizon_days"].get<double>()) << " days): base "
    << reports::format_number(a["base_discoveries_per_year"].get<double>()) << " discoveries a year\n";
  int k = 0;
  for (const auto& e : a["options"]) {
    if (k++ >= top) break;
    o << "  " << e["rank"].get<int>() << ". " << e["resource"].get<std::string>() << ": "
      << e["change"].get<std::string>() << ": " << signed_number(e["delta_discoveries_per_year"].get<double>())
      << " a year (" << interval_text(e) << ")";
    if (!e["per_dollar"].is_null())
      o << ", " << reports::format_number(e["per_dollar"].get<double>() * 1e6) << " per $1M";
    o << "\n";
  }
  return o.str();
}

std::string advice_html(const ojson& a) {
  std::ostringstream h;
  const std::string name = a["scenario"].get<std::string>();
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>What to buy next: "
    << reports::escape_html(name)
    << "</title><style>body{font-family:sans-serif;max-width:72em;margin:1em auto;padding:0 1em}"
       "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}"
       "td.n{text-align:right;font-variant-numeric:tabular-nums}tr.z{color:#888}.bar{background:#4a7;height:.8em}"
       ".neg{background:#c55;height:.8em}</style></head><body>";
  h << "<h1>What to buy next: " << reports::escape_html(name) << "</h1>";
  h << "<p>Base (closed loop): <b>" << reports::format_number(a["base_discoveries_per_year"].get<double>())
    << "</b> discoveries a year over " << a["replications"].get<int>() << " replications of "
    << reports::format_number(a["horizon_days"].get<double>()) << " days; " << a["simulations"].get<int>()
    << " simulations.</p>";
  const auto& opts = a["options"];
  if (!opts.empty()) {
    const auto& best = opts[0];
    h << "<p><b>First: " << reports::escape_html(best["resource"].get<std::string>()) << "</b> ("
      << reports::escape_html(best["change"].get<std::string>()) << "), "
      << signed_number(best["delta_discoveries_per_year"].get<double>()) << " discoveries a year ("
      << interval_text(best) << ").</p>";
  }
  double scale = 0;
  for (const auto& e : opts) scale = std::max(scale, std::fabs(e["delta_discoveries_per_year"].get<double>()));
  h << "<h2>Ranked by the change in discoveries a year</h2><table><tr><th>#</th><th>resource</th><th>change</th>"
       "<th>delta / year</th><th>95 % interval</th><th></th><th>per $1M</th><th>cost</th></tr>";
  for (const auto& e : opts) {
    const double d = e["delta_discoveries_per_year"].get<double>();
    h << "<tr" << (e["simulated"].get<bool>() ? "" : " class=\"z\"") << "><td class=\"n\">" << e["rank"].get<int>()
      << "</td><td>" << reports::escape_html(e["resource"].get<std::string>()) << "</td><td>"
      << reports::escape_html(e["change"].get<std::string>());
    if (!e["note"].is_null()) h << " <i>(not run: " << reports::escape_html(e["note"].get<std::string>()) << ")</i>";
    h << "</td><td class=\"n\">" << signed_number(d) << "</td><td class=\"n\">"
      << (e["ci95_low"].is_null() ? std::string("-")
                                  : signed_number(e["ci95_low"].get<double>()) + " to " +
                                        signed_number(e["ci95_high"].get<double>()))
      << (e["significant"].get<bool>() ? " *" : "") << "</td><td style=\"width:8em\">";
    if (scale > 0 && d != 0)
      h << "<div class=\"" << (d > 0 ? "bar" : "neg") << "\" style=\"width:"
        << reports::format_coord(100.0 * std::fabs(d) / scale) << "%\"></div>";
    h << "</td><td class=\"n\">"
      << (e["per_dollar"].is_null() ? std::string("-") : reports::format_number(e["per_dollar"].get<double>() * 1e6))
      << "</td><td>"
      << (e["cost_usd"].is_null() ? std::string("no price")
                                  : "$" + reports::format_number(e["cost_usd"].get<double>()) +
                                        (e["cost"].is_null() ? "" : " (" + reports::escape_html(e["cost"].get<std::string>()) + ")"))
      << "</td></tr>";
  }
  h << "</table><p>* the interval excludes zero.</p><h2>Method</h2><p>" << reports::escape_html(a["method"].get<std::string>())
    << ".</p></body></html>\n";
  return h.str();
}

}  // namespace twin::cli
