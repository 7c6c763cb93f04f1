#include "models/KineticsKernel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "models/StableHash.hpp"

namespace twin::models {
namespace {

constexpr double GAS_CONSTANT_KJ_MOL_K = 8.314e-3;
constexpr double KELVIN_OFFSET = 273.15;
constexpr double TRUTH_MAX_STEP_S = 0.5;
constexpr double TRUTH_MAX_LAMBDA_STEP = 0.05;
constexpr double SIM_MAX_LAMBDA_STEP = 2.0;  // RK4 is stable to about 2.78
constexpr double MAX_TIME_S = 600;
constexpr double CATALYST_EA_KJ_MOL[KineticsKernel::CATALYSTS] = {0, 0.3, 0.3, 0.7,
                                                                  0.7, 2.2, 3.8, 7.3};

struct RateConstants {
  double k_r = 0, k_s1 = 0, k_s2 = 0;  // L/mol/s, 1/s, L/mol/s
};

// `catalyst` is the role the catalyst plays: its index in the published
// cases (a generated instance permutes the roles).
RateConstants rate_constants(int mit_case, int catalyst, double c_cat_mol_l,
                             double temperature_c, double ea_shift_kj_mol) {
  const double rt = GAS_CONSTANT_KJ_MOL_K * (temperature_c + KELVIN_OFFSET);
  const double root = std::sqrt(c_cat_mol_l);
  double e_cat = CATALYST_EA_KJ_MOL[catalyst];
  if (mit_case == 2 && catalyst == 1) e_cat = 0;
  if (mit_case == 5 && catalyst == 0) {
    e_cat = temperature_c < 80 ? -5.0 : -5.0 + 0.3 * (temperature_c - 80);
  }
  RateConstants k;
  k.k_r = root * 3.1e7 * std::exp(-(55 + e_cat + ea_shift_kj_mol) / rt);
  if (mit_case == 3) k.k_s1 = root * 1e12 * std::exp(-(100 + ea_shift_kj_mol) / rt);
  if (mit_case == 4) k.k_s2 = root * 3.1e5 * std::exp(-(50 + ea_shift_kj_mol) / rt);
  return k;
}

}  // namespace

const std::vector<SettingsParam<KineticsKernel::Settings>>& KineticsKernel::settings_params() {
  using S = Settings;
  static const std::vector<SettingsParam<S>> table = {
      {{"case", "1", 1, 1, 5, true,
        "MIT kinetics case of problem 0 (Jensen et al. 2018); problem p uses case "
        "((case - 1 + p) mod 5) + 1, as published for p < 5, then with the catalysts' roles "
        "permuted (a hash of the instance key)."}, nullptr},
      {{"lab_noise", "1", 0.01, 0, 1, false,
        "Standard deviation of a measured yield (yield is a fraction 0..1). A stated default, "
        "not a measured fact."}, &S::lab_noise},
      {{"sim_ea_shift", "kJ/mol", 0.5, -10, 10, false,
        "Added to every activation energy in the simulation: its bias (0.5 kJ/mol slows k_R "
        "by about 15 % at 110 °C)."}, &S::sim_ea_shift_kj_mol},
      {{"sim_gflop", "GFLOP", 3.6e7, 0, 1e15, false,
        "Cost of a simulated 600 s reaction at the nominal step (3 node-minutes on a "
        "2e5 GFLOP/s node); others cost in proportion to their right-hand-side evaluations."}, &S::sim_gflop},
      {{"sim_step_s", "s", 60, 0.01, 600, false,
        "Largest time step of the simulation's RK4 solver (also capped for stability); the "
        "truth uses at most 0.5 s."}, &S::sim_step_s},
  };
  return table;
}

KernelInfo KineticsKernel::info() {
  return KernelInfo{
      "kinetics",
      "MIT kinetics cases 1-5 (Jensen et al., React. Chem. Eng. 3, 301, 2018): batch A + B -> R "
      "with catalyst choice (8 levels), loading c_cat_mol_l, time_s, temperature_c; yield "
      "C_R/C_A0 to maximize. ODE integrated by RK4; the simulation is a coarse-step solve with "
      "shifted activation energies.",
      document_params(param_defs_of(settings_params()))};
}

KineticsKernel::KineticsKernel(Settings settings)
    : ReactorKernel(DesignSpace::box({
                        {"catalyst", Dimension::Kind::CATEGORICAL, 0, 0, CATALYSTS},
                        {"c_cat_mol_l", Dimension::Kind::CONTINUOUS, 0.835e-3, 4.175e-3, 0},
                        {"time_s", Dimension::Kind::CONTINUOUS, 60, MAX_TIME_S, 0},
                        {"temperature_c", Dimension::Kind::CONTINUOUS, 30, 110, 0},
                    }),
                    settings.lab_noise, settings.sim_gflop, 4.0 * std::ceil(MAX_TIME_S / settings.sim_step_s)),
      settings_(settings) {
  if (settings_.mit_case < 1 || settings_.mit_case > 5) {
    throw std::invalid_argument("kernel 'kinetics': case must be 1..5, got " +
                                std::to_string(settings_.mit_case));
  }
}

KineticsKernel::Run KineticsKernel::run(int catalyst, double c_cat_mol_l, double time_s,
                                        double temperature_c, bool low_fidelity) const {
  if (catalyst < 0 || catalyst >= CATALYSTS) {
    throw std::invalid_argument("kernel 'kinetics': catalyst must be 0..7");
  }
  const double shift = low_fidelity ? settings_.sim_ea_shift_kj_mol : 0.0;
  const RateConstants k =
      rate_constants(settings_.mit_case, settings_.catalyst_role[static_cast<std::size_t>(catalyst)], c_cat_mol_l,
                     temperature_c, shift);
  const double lambda =
      k.k_r * (C_A0_MOL_L + C_B0_MOL_L) + k.k_s1 + k.k_s2 * (C_A0_MOL_L + C_B0_MOL_L);
  const long steps =
      low_fidelity ? rk4_steps(time_s, settings_.sim_step_s, SIM_MAX_LAMBDA_STEP, lambda)
                   : rk4_steps(time_s, TRUTH_MAX_STEP_S, TRUTH_MAX_LAMBDA_STEP, lambda);
  // State: A, B, R, S1, S2 (mol/L).
  const auto rhs = [&k](const OdeState<5>& c, OdeState<5>& dc) {
    const double r_main = k.k_r * c[0] * c[1];
    const double r_s1 = k.k_s1 * c[1];
    const double r_s2 = k.k_s2 * c[1] * c[2];
    dc[0] = -r_main;
    dc[1] = -r_main - r_s1 - r_s2;
    dc[2] = r_main - r_s2;
    dc[3] = r_s1;
    dc[4] = r_s2;
  };
  Run out;
  out.conc = integrate_rk4<5>(rhs, OdeState<5>{C_A0_MOL_L, C_B0_MOL_L, 0, 0, 0}, time_s, steps,
                              out.rhs_evaluations);
  out.yield = out.conc[2] / C_A0_MOL_L;
  return out;
}

double KineticsKernel::case1_exact_yield(int catalyst, double c_cat_mol_l, double time_s,
                                         double temperature_c) {
  const double k = rate_constants(1, catalyst, c_cat_mol_l, temperature_c, 0).k_r;
  const double delta = C_B0_MOL_L - C_A0_MOL_L;
  // C_B = C_A + delta and C_B C_A0 / (C_A C_B0) = exp(delta k t) give C_A.
  const double c_a = delta * C_A0_MOL_L / (C_B0_MOL_L * std::exp(delta * k * time_s) - C_A0_MOL_L);
  return 1.0 - c_a / C_A0_MOL_L;
}

KineticsKernel::Run KineticsKernel::run_point(const Candidate& c, bool low_fidelity) const {
  const std::vector<double> x = space().checked_point(c);
  return run(static_cast<int>(x[0]), x[1], x[2], x[3], low_fidelity);
}

std::string KineticsKernel::describe() const {
  std::string s = "kinetics MIT case " + std::to_string(settings_.mit_case) + " (Jensen et al. 2018)";
  bool permuted = false;
  for (int c = 0; c < CATALYSTS; ++c) permuted = permuted || settings_.catalyst_role[static_cast<std::size_t>(c)] != c;
  if (!permuted) return s;
  s += ", catalysts' roles permuted (";
  for (int c = 0; c < CATALYSTS; ++c) s += (c ? " " : "") + std::to_string(settings_.catalyst_role[static_cast<std::size_t>(c)]);
  return s + ")";
}

std::array<int, KineticsKernel::CATALYSTS> KineticsKernel::permuted_roles(std::uint64_t key) {
  std::array<int, CATALYSTS> role{};
  for (int c = 0; c < CATALYSTS; ++c) role[static_cast<std::size_t>(c)] = c;
  // Fisher-Yates with keyed uniforms.
  for (int i = CATALYSTS - 1; i > 0; --i) {
    const double u = unit_uniform(splitmix64(fnv1a_u64(key, static_cast<std::uint64_t>(i))));
    const int j = std::min(i, static_cast<int>(u * (i + 1)));
    std::swap(role[static_cast<std::size_t>(i)], role[static_cast<std::size_t>(j)]);
  }
  return role;
}

std::unique_ptr<Kernel> make_kinetics_kernel(const KernelSpec& spec, int problem, std::uint64_t instance) {
  std::map<std::string, double> p;
  KineticsKernel::Settings s = resolve_settings("kinetics", KineticsKernel::settings_params(), spec.params, &p);
  require_goal("kinetics", spec.goal, Goal::MAXIMIZE, "the yield is maximized");
  s.mit_case = ((static_cast<int>(p.at("case")) - 1 + problem % 5) % 5) + 1;
  // After the five published cases, generated ones: the same case with the
  // catalysts' roles permuted, so the best catalyst is another one (the
  // reachable yields are the published case's).
  if (problem >= 5) {
    s.catalyst_role = KineticsKernel::permuted_roles(instance_key("kinetics", problem, instance));
  }
  return std::make_unique<KineticsKernel>(s);
}

}  // namespace twin::models
