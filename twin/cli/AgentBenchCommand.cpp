#include "twin/cli/AgentBenchCommand.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "agents/BayesPolicy.hpp"
#include "agents/Policy.hpp"
#include "agents/PoolBenchmark.hpp"
#include "models/CsvTable.hpp"
#include "models/Kernel.hpp"
#include "models/StableHash.hpp"
#include "twin/core/Errors.hpp"
#include "twin/core/Rng.hpp"

namespace twin::cli {

namespace {

/// What both commands read: a CSV pool, which of its columns, the goal and a
/// policy with its parameters.
struct DatasetArgs {
  std::string dataset;
  std::string goal;
  std::string policy = "gp-ard";
  std::vector<std::string> params;  // key=value
  std::uint64_t seed = 1;
  std::vector<std::string> inputs;
  std::string objective;
};

struct AgentBenchArgs : DatasetArgs {
  int runs = 50;
  std::string out;
  int threads = 1;
  bool full = false;
  int instance = 0;  ///< 0: the table; k >= 1: generated instance k of the problem stream
  std::vector<std::string> kernel_params;  ///< the pool kernel's parameters, key=value (see `twin models`)
};

struct GpFitArgs : DatasetArgs {
  int rows = 50;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::ScenarioError(path, "", "cannot open the dataset file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Selects --inputs and --objective columns (by header name or 1-based
/// number) and writes them back as CSV text, objective last.
std::string select_columns(const std::string& text, const DatasetArgs& a) {
  const models::CsvTable t = models::parse_csv_table(text, a.dataset);
  auto column_of = [&](const std::string& name) -> std::size_t {
    for (std::size_t j = 0; j < t.header.size(); ++j) {
      if (t.header[j] == name) return j;
    }
    char* end = nullptr;
    const long k = std::strtol(name.c_str(), &end, 10);
    if (!name.empty() && *end == '\0' && k >= 1 && static_cast<std::size_t>(k) <= t.column_count) {
      return static_cast<std::size_t>(k - 1);
    }
    std::string known;
    for (const auto& h : t.header) known += (known.empty() ? "" : ", ") + h;
    throw core::ScenarioError(a.dataset, "", "no column '" + name + "' (columns: " +
                                                 (known.empty() ? "none named; use 1-based numbers" : known) + ")");
  };
  const std::size_t obj = a.objective.empty() ? t.column_count - 1 : column_of(a.objective);
  std::vector<std::size_t> cols;
  if (a.inputs.empty()) {
    for (std::size_t j = 0; j < t.column_count; ++j) {
      if (j != obj) cols.push_back(j);
    }
  } else {
    for (const auto& name : a.inputs) cols.push_back(column_of(name));
  }
  cols.push_back(obj);
  std::string out;
  if (!t.header.empty()) {
    for (std::size_t k = 0; k < cols.size(); ++k) out += (k ? "," : "") + t.header[cols[k]];
    out += "\n";
  }
  for (const auto& row : t.rows) {
    for (std::size_t k = 0; k < cols.size(); ++k) out += (k ? "," : "") + number_text(row[cols[k]]);
    out += "\n";
  }
  return out;
}

/// The pool kernel of the dataset's selected columns; `spec` keeps its name and goal.
std::unique_ptr<models::Kernel> load_pool(const DatasetArgs& a, models::KernelSpec& spec) {
  const std::string raw = read_file(a.dataset);
  spec.kind = "pool";
  spec.csv_texts = {a.inputs.empty() && a.objective.empty() ? raw : select_columns(raw, a)};
  spec.csv_names = {std::filesystem::path(a.dataset).filename().string()};
  spec.goal = a.goal == "max" || a.goal == "maximize" ? models::Goal::MAXIMIZE : models::Goal::MINIMIZE;
  try {
    return models::make_kernel(spec, 0);
  } catch (const std::invalid_argument& e) {
    throw core::ScenarioError(a.dataset, "", e.what());
  }
}

/// The --param key=value list as a map.
std::map<std::string, std::string> policy_params(const std::vector<std::string>& params) {
  std::map<std::string, std::string> out;
  for (const auto& kv : params) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw CLI::ValidationError("--param", "expects key=value, got '" + kv + "'");
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

/// The policy named by --policy with its --param; a bad name or parameter is
/// a usage error (CLI11's exit code).
std::unique_ptr<agents::Policy> checked_policy(const std::string& name, const std::map<std::string, std::string>& params) {
  try {
    return agents::make_policy(name, params);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--policy/--param", e.what());
  }
}

/// Runs `body`: a scenario error becomes its message and exit code, any other
/// failure "<command>: message" and the internal exit code; usage errors go
/// on to CLI11.
template <class Body>
int reported(const char* command, Body body) {
  try {
    body();
    return static_cast<int>(core::ExitCode::OK);
  } catch (const CLI::Error&) {
    throw;
  } catch (const core::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return static_cast<int>(core::ExitCode::SCENARIO);
  } catch (const std::exception& e) {
    std::cerr << command << ": " << e.what() << "\n";
    return static_cast<int>(core::ExitCode::INTERNAL);
  }
}

int run_agent_bench(const AgentBenchArgs& a) {
  return reported("bench-agent", [&] {
    models::KernelSpec spec;
    std::unique_ptr<models::Kernel> kernel = load_pool(a, spec);
    // A generated instance, as a campaign's stream makes one after its table
    // (PoolKernel.hpp), keyed by the instance number alone.
    for (const auto& [k, v] : policy_params(a.kernel_params)) {
      char* end = nullptr;
      const double x = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0') throw CLI::ValidationError("--kernel-param", k + " expects a number, got '" + v + "'");
      spec.params[k] = x;
    }
    if (a.instance > 0 || !spec.params.empty()) {
      try {
        kernel = models::make_kernel(spec, a.instance > 0 ? 1 : 0, models::splitmix64(static_cast<std::uint64_t>(a.instance)));
      } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError("--kernel-param", e.what());
      }
    }
    agents::PoolBenchmarkOptions o;
    o.policy = a.policy;
    o.params = policy_params(a.params);
    checked_policy(o.policy, o.params);
    o.runs = a.runs;
    o.seed = a.seed;
    o.threads = a.threads;
    o.stop_when_top_found = !a.full;
    const agents::PoolBenchmarkResult r = agents::run_pool_benchmark(kernel->space(), kernel->pool_truths(), *spec.goal, o);

    const std::filesystem::path dir(a.out);
    std::filesystem::create_directories(dir);
    write_atomically(dir / "picks.csv", agents::picks_csv(r));
    write_atomically(dir / "top_percent.csv", agents::top_percent_csv(r));
    write_atomically(dir / "ef.csv", agents::ef_csv(r));
    write_atomically(dir / "af.csv", agents::af_csv(r));

    std::cout << "bench-agent " << spec.csv_names[0]
              << (a.instance > 0 ? ", generated instance " + std::to_string(a.instance) : std::string()) << ": "
              << r.pool_size << " candidates, top " << r.top_count
              << " (best 5 %), goal " << a.goal << ", policy " << a.policy << ", " << a.runs << " runs, seed "
              << a.seed << "\n"
              << agents::benchmark_summary(r) << "wrote picks.csv, top_percent.csv, ef.csv, af.csv in " << dir.string()
              << "\n";
  });
}

std::string json_number(double v) { return std::isfinite(v) ? number_text(v) : std::string("null"); }

std::string json_vector(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_number(v(i));
  return out + "]";
}

/// `twin fit-gp`: one ML-II fit of a GP policy's surrogate, through the
/// policy itself, on `rows` pool rows drawn as the benchmark draws its
/// initial points; prints the training data as the GP saw it (standardised)
/// and the fitted hyper-parameters as JSON, for tools/gp_compare.py.
int run_gp_fit(const GpFitArgs& a) {
  return reported("fit-gp", [&] {
    models::KernelSpec spec;
    const std::unique_ptr<models::Kernel> kernel = load_pool(a, spec);
    const std::unique_ptr<agents::Policy> policy = checked_policy(a.policy, policy_params(a.params));
    auto* bayes = dynamic_cast<agents::BayesPolicy*>(policy.get());
    if (bayes == nullptr) throw CLI::ValidationError("--policy", "fit-gp needs a gp-* policy, got '" + a.policy + "'");
    const models::DesignSpace& space = kernel->space();
    const std::vector<double>& truths = kernel->pool_truths();
    const std::size_t n = space.pool_size();
    const auto k = static_cast<std::size_t>(std::min<long long>(static_cast<long long>(n) - 1, a.rows));
    if (k < 2) throw CLI::ValidationError("--rows", "needs at least 2 rows and one row left in the pool");
    // The rows: a partial Fisher-Yates, as the benchmark draws its initial points.
    core::Rng init = core::Rng::keyed(a.seed, {0, 0});
    core::Rng rng = core::Rng::keyed(a.seed, {0, 1});
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    std::vector<agents::Observation> obs;
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t j = i + static_cast<std::size_t>(init.below(n - i));
      std::swap(all[i], all[j]);
      obs.push_back({space.pool_candidate(all[i]), truths[all[i]], "", true});
    }
    agents::PolicyContext ctx{&space, *spec.goal, nullptr};
    policy->propose(ctx, obs, 1, rng);
    const agents::GaussianProcess* gp = bayes->surrogate();
    if (gp == nullptr || gp->size() != static_cast<int>(k)) throw std::logic_error("the policy did not fit its GP");
    const auto& o = gp->options();
    std::string out = "{\n";
    out += "  \"dataset\": \"" + spec.csv_names[0] + "\",\n";
    out += "  \"policy\": \"" + bayes->name() + "\",\n";
    out += std::string("  \"kernel\": \"") + (o.kind == agents::CovarianceKind::MATERN52 ? "matern52" : "se") + "\",\n";
    out += std::string("  \"ard\": ") + (o.ard ? "true" : "false") + ",\n";
    out += std::string("  \"constant_term\": ") + (o.constant_term ? "true" : "false") + ",\n";
    out += std::string("  \"fit_noise\": ") + (o.fit_noise ? "true" : "false") + ",\n";
    out += "  \"rows\": [";
    for (std::size_t i = 0; i < k; ++i) out += (i ? ", " : "") + std::to_string(all[i]);
    out += "],\n  \"x\": [";
    for (int i = 0; i < gp->size(); ++i) out += std::string(i ? ",\n        " : "") + json_vector(gp->inputs().row(i).transpose());
    out += "],\n  \"y\": " + json_vector(gp->targets()) + ",\n";
    out += "  \"theta\": " + json_vector(gp->theta()) + ",\n";
    out += "  \"lengthscales\": " + json_vector(gp->lengthscales()) + ",\n";
    out += "  \"signal_variance\": " + json_number(gp->signal_variance()) + ",\n";
    out += "  \"constant_variance\": " + json_number(gp->constant_variance()) + ",\n";
    out += "  \"noise_variance\": " + json_number(gp->noise_variance()) + ",\n";
    out += "  \"log_marginal_likelihood\": " + json_number(gp->log_marginal_likelihood()) + "\n}\n";
    std::cout << out;
  });
}

/// The options both commands share, in their order around the command's own:
/// the dataset, --goal, --policy and --param first, --inputs and --objective after.
void add_dataset_options(CLI::App* cmd, DatasetArgs& a, const std::string& goal_doc, const std::string& policy_doc) {
  cmd->add_option("dataset", a.dataset, "CSV of measurements (last column the objective unless --objective)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--goal", a.goal, goal_doc)->required()->check(CLI::IsMember({"maximize", "minimize", "max", "min"}));
  cmd->add_option("--policy", a.policy, policy_doc)->capture_default_str();
  cmd->add_option("--param", a.params, "policy parameter key=value (repeatable)");
}

void add_column_options(CLI::App* cmd, DatasetArgs& a) {
  cmd->add_option("--inputs", a.inputs, "input columns (names or 1-based numbers)")->delimiter(',');
  cmd->add_option("--objective", a.objective, "objective column (name or 1-based number)");
}

}  // namespace

void add_agent_bench_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AgentBenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench-agent",
      "Offline pool benchmark of a policy (Liang et al. 2021): 2 random initial points, one pick per step, top = "
      "best 5 %; writes picks.csv, top_percent.csv, ef.csv, af.csv");
  add_dataset_options(cmd, *args, "maximize or minimize (as in scenarios; max and min also accepted)",
                      "policy name (see `twin models`)");
  cmd->add_option("--runs", args->runs, "independent runs")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", args->seed, "seed of the runs' random streams")->capture_default_str();
  cmd->add_option("--out", args->out, "output directory")->required();
  add_column_options(cmd, *args);
  cmd->add_option("--threads", args->threads, "runs in parallel (results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--instance", args->instance,
                  "0: the table; k >= 1: generated instance k of the problem stream (by default a random 90 % of the candidates, "
                  "values drawn again), as campaigns with on_discovery next_problem meet them")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000000));
  cmd->add_option("--kernel-param", args->kernel_params,
                  "pool kernel parameter key=value (repeatable; see `twin models`), e.g. stream_subset=1");
  cmd->add_flag("--full", args->full, "run every run until the pool is empty (default: stop once the whole top is found)");
  cmd->callback([args, &exit_code] { exit_code = run_agent_bench(*args); });

  auto fit = std::make_shared<GpFitArgs>();
  CLI::App* fcmd = app.add_subcommand(
      "fit-gp",
      "One ML-II fit of a gp-* policy's surrogate on pool rows drawn as bench-agent draws its initial points; prints "
      "the standardised training data and the fitted hyper-parameters as JSON (for tools/gp_compare.py)");
  add_dataset_options(fcmd, *fit, "maximize or minimize", "a gp-* policy name");
  fcmd->add_option("--rows", fit->rows, "training rows")->capture_default_str()->check(CLI::Range(2, 100000000));
  fcmd->add_option("--seed", fit->seed, "seed of the row draw and of the fit's restarts")->capture_default_str();
  add_column_options(fcmd, *fit);
  fcmd->callback([fit, &exit_code] { exit_code = run_gp_fit(*fit); });
}

}  // namespace twin::cli
