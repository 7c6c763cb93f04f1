#include "agents/Policy.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <stdexcept>

#include "agents/BayesPolicy.hpp"
#include "agents/ForestPolicy.hpp"
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

double parse_double(const std::string& policy, const std::string& key, const std::string& text, double low,
                    double high) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= low && v <= high)) {
    throw std::invalid_argument("policy '" + policy + "': parameter '" + key + "' expects a number in [" +
                                std::to_string(low) + ", " + std::to_string(high) + "], got '" + text + "'");
  }
  return v;
}

bool parse_bool(const std::string& policy, const std::string& key, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw std::invalid_argument("policy '" + policy + "': parameter '" + key + "' expects true or false, got '" + text + "'");
}

std::vector<PolicyParam> gp_params(const std::string& acq) {
  std::vector<PolicyParam> p;
  if (acq == "lcb") p.push_back({"kappa", "", "2", "weight of sigma in the confidence bound mu - kappa sigma (minimisation)"});
  if (acq == "ucb") {
    p.push_back({"kappa", "", "auto",
                 "weight of sigma in mu + kappa sigma; auto: sqrt(0.2 d log 2t), the GP-UCB schedule of Kandasamy "
                 "et al. 2015 (d inputs, t observations)"});
  }
  if (acq == "ei") p.push_back({"xi", "standardised units", "0", "improvement margin of expected improvement"});
  if (acq == "pi") p.push_back({"xi", "standardised units", "0.01", "improvement margin of probability of improvement"});
  p.push_back({"batch", "", "believer",
               "batch selection for q > 1: believer (kriging believer), liar (constant liar), penalise (local "
               "penalisation)"});
  p.push_back({"liar", "", "best", "constant liar's value: best, mean or worst observed"});
  p.push_back({"noise_variance", "standardised units", "0.01",
               "observation noise variance of the GP (Liang et al.): fixed, or the fit's start when fit_noise"});
  p.push_back({"fit_noise", "", "true", "fit the noise variance by maximum likelihood too (as GPy does in the protocol's code)"});
  p.push_back({"constant_term", "", "true", "add a fitted constant to the covariance (a constant mean)"});
  p.push_back({"restarts", "starts", "3", "ML-II starts per fit: the last hyper-parameters, then the best by likelihood of the default and 32 random points"});
  p.push_back({"refit_dense_until", "observations", "100", "refit the hyper-parameters at every decision up to this n"});
  p.push_back({"refit_every", "observations", "5", "beyond that, refit once this many new observations arrived..."});
  p.push_back({"refit_growth", "fraction", "0.1", "...and at least this fraction of the n of the last fit"});
  p.push_back({"fit_subset", "observations", "400",
               "fit the hyper-parameters on at most this many observations (every k-th) of those the GP conditions on"});
  p.push_back({"condition_limit", "observations", "500",
               "the GP conditions on at most this many observations: the best half by value, the newest quarter, "
               "the rest evenly strided over the others (0: all; bounds a decision's cost in a long problem)"});
  p.push_back({"fit_iterations", "iterations", "60", "L-BFGS-B iterations per ML-II start"});
  p.push_back({"late_restarts", "starts", "2", "ML-II starts per fit beyond refit_dense_until (the warm start, then the best screened start)"});
  p.push_back({"box_samples", "points", "1000", "box spaces: random points scored per pick"});
  p.push_back({"local_starts", "points", "4", "box spaces: best samples refined by L-BFGS-B"});
  p.push_back({"initial_points", "observations", "2", "random proposals until this many successful values"});
  std::sort(p.begin(), p.end(), [](const PolicyParam& a, const PolicyParam& b) { return a.name < b.name; });
  return p;
}

std::vector<PolicyParam> rf_params() {
  return {
      {"bootstrap", "", "true", "each tree on a bootstrap sample (n draws with replacement); false: every tree on all the data"},
      {"box_samples", "points", "1000", "box spaces: random points scored per pick"},
      {"initial_points", "observations", "2", "random proposals until this many successful values"},
      {"kappa", "", "2", "weight of the spread across trees in the confidence bound mu - kappa sd (minimisation)"},
      {"max_features", "fraction", "1",
       "fraction of the inputs evaluated at each split (at least one; inputs constant within the node do not "
       "count); 1: every input, scikit-learn's default for regression"},
      {"min_leaf", "observations", "1", "fewest training samples in a leaf (scikit-learn's min_samples_leaf)"},
      {"trees", "trees", "100", "trees in the forest (scikit-learn's n_estimators)"},
  };
}

std::unique_ptr<Policy> make_rf(const std::string& canon, const std::map<std::string, std::string>& params) {
  ForestPolicyConfig c;
  for (const auto& [key, value] : params) {
    if (key == "bootstrap") c.forest.bootstrap = parse_bool(canon, key, value);
    if (key == "box_samples") c.box_samples = parse_int(canon, key, value, 16, 10000000);
    if (key == "initial_points") c.initial_points = parse_int(canon, key, value, 1, 1000000);
    if (key == "kappa") c.kappa = parse_double(canon, key, value, 0, 100);
    if (key == "max_features") {
      c.forest.max_features = parse_double(canon, key, value, 1e-9, 1);
    }
    if (key == "min_leaf") c.forest.min_leaf = parse_int(canon, key, value, 1, 1000000);
    if (key == "trees") c.forest.trees = parse_int(canon, key, value, 1, 100000);
  }
  return std::make_unique<ForestPolicy>(c);
}

/// How each Gaussian-process parameter (documented in gp_params) is read
/// into BayesConfig: one entry per parameter name.
using GpSetter = std::function<void(BayesConfig&, const std::string& policy, const std::string& key, const std::string& value)>;

template <class T>
GpSetter set_int(T BayesConfig::*field, int low, int high) {
  return [field, low, high](BayesConfig& c, const std::string& p, const std::string& k, const std::string& v) {
    c.*field = parse_int(p, k, v, low, high);
  };
}
GpSetter set_double(double BayesConfig::*field, double low, double high) {
  return [field, low, high](BayesConfig& c, const std::string& p, const std::string& k, const std::string& v) {
    c.*field = parse_double(p, k, v, low, high);
  };
}
GpSetter set_bool(bool BayesConfig::*field) {
  return [field](BayesConfig& c, const std::string& p, const std::string& k, const std::string& v) {
    c.*field = parse_bool(p, k, v);
  };
}
template <class E>
GpSetter set_choice(E BayesConfig::*field, std::vector<std::pair<std::string, E>> names) {
  return [field, names](BayesConfig& c, const std::string& p, const std::string& k, const std::string& v) {
    std::string list;
    for (const auto& [n, e] : names) {
      if (n == v) {
        c.*field = e;
        return;
      }
      list += (list.empty() ? "" : (&n == &names.back().first ? " or " : ", ")) + n;
    }
    throw std::invalid_argument("policy '" + p + "': " + k + " expects " + list + ", got '" + v + "'");
  };
}

const std::map<std::string, GpSetter>& gp_setters() {
  static const std::map<std::string, GpSetter> table = {
      {"kappa",
       [](BayesConfig& c, const std::string& p, const std::string& k, const std::string& v) {
         c.kappa_auto = v == "auto";
         if (!c.kappa_auto) c.kappa = parse_double(p, k, v, 0, 100);
       }},
      {"xi", set_double(&BayesConfig::xi, -10, 10)},
      {"batch", set_choice<BatchMode>(&BayesConfig::batch, {{"believer", BatchMode::BELIEVER},
                                                            {"liar", BatchMode::LIAR},
                                                            {"penalise", BatchMode::PENALISE}})},
      {"liar", set_choice<LiarValue>(&BayesConfig::liar,
                                     {{"best", LiarValue::BEST}, {"mean", LiarValue::MEAN}, {"worst", LiarValue::WORST}})},
      {"noise_variance", set_double(&BayesConfig::noise_variance, 0, 100)},
      {"fit_noise", set_bool(&BayesConfig::fit_noise)},
      {"constant_term", set_bool(&BayesConfig::constant_term)},
      {"restarts", set_int(&BayesConfig::restarts, 1, 100)},
      {"refit_dense_until", set_int(&BayesConfig::refit_dense_until, 0, 1000000)},
      {"refit_growth", set_double(&BayesConfig::refit_growth, 0, 100)},
      {"fit_subset", set_int(&BayesConfig::fit_subset, 2, 100000000)},
      {"condition_limit", [](BayesConfig& c, const std::string& p, const std::string& k, const std::string& v) {
         c.condition_limit = parse_int(p, k, v, 0, 100000000);
         if (c.condition_limit > 0 && c.condition_limit < 8) {
           throw std::invalid_argument("policy '" + p + "': " + k + " expects 0 (all) or at least 8, got '" + v + "'");
         }
       }},
      {"fit_iterations", set_int(&BayesConfig::max_iterations, 1, 10000)},
      {"late_restarts", set_int(&BayesConfig::late_restarts, 1, 100)},
      {"refit_every", set_int(&BayesConfig::refit_every, 1, 1000000)},
      {"box_samples", set_int(&BayesConfig::box_samples, 16, 10000000)},
      {"local_starts", set_int(&BayesConfig::local_starts, 0, 1000)},
      {"initial_points", set_int(&BayesConfig::initial_points, 1, 1000000)},
  };
  return table;
}

std::unique_ptr<Policy> make_gp(const std::string& canon, const std::map<std::string, std::string>& params) {
  // canon = gp-{ard|iso}-{se|matern52}-{ei|pi|lcb|ucb}
  const auto a = canon.find('-', 3);
  const auto b = canon.find('-', a + 1);
  const std::string scale = canon.substr(3, a - 3);
  const std::string kernel = canon.substr(a + 1, b - a - 1);
  const std::string acq = canon.substr(b + 1);
  BayesConfig c;
  c.ard = scale == "ard";
  c.kernel = kernel == "se" ? CovarianceKind::SQUARED_EXPONENTIAL : CovarianceKind::MATERN52;
  if (acq == "ei") c.acquisition = AcquisitionKind::EI;
  if (acq == "pi") {
    c.acquisition = AcquisitionKind::PI;
    c.xi = 0.01;
  }
  if (acq == "lcb") c.acquisition = AcquisitionKind::LCB;
  if (acq == "ucb") {
    c.acquisition = AcquisitionKind::UCB;
    c.kappa_auto = true;
  }
  for (const auto& [key, value] : params) {
    // Known names only (reject_unknown ran before); each reads its value.
    const auto it = gp_setters().find(key);
    if (it != gp_setters().end()) it->second(c, canon, key, value);
  }
  return std::make_unique<BayesPolicy>(canon, c);
}

void reject_unknown(const std::string& policy, const std::map<std::string, std::string>& params,
                    const std::vector<PolicyParam>& known) {
  for (const auto& entry : params) {
    const std::string& key = entry.first;
    const bool ok = std::any_of(known.begin(), known.end(), [&key](const PolicyParam& p) { return p.name == key; });
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
  if (canon == "rf-lcb") return make_rf(canon, params);
  return make_gp(canon, params);
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
  out.push_back({"rf-lcb",
                 "Bayesian optimisation: random forest (our own: bootstrap samples, CART regression trees), "
                 "acquisition lcb on the mean and the spread across trees (Liang et al. 2021's other surrogate)",
                 rf_params()});
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
        out.push_back({n, desc, gp_params(acq)});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const PolicyInfo& a, const PolicyInfo& b) { return a.name < b.name; });
  return out;
}

}  // namespace twin::agents
