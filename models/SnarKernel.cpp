#include "models/SnarKernel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/StableHash.hpp"

namespace twin::models {
namespace {

constexpr double GAS_CONSTANT_KJ_MOL_K = 8.314e-3;
constexpr double KELVIN_OFFSET = 273.15;
constexpr double T_REF_K = 90 + KELVIN_OFFSET;
// 1e-2 L/mol/s -> L/mol/min.
constexpr double K_UNIT_TO_L_MOL_MIN = 1e-2 * 60;
constexpr double K_REF[4] = {57.9, 2.70, 0.865, 1.63};
constexpr double EA_KJ_MOL[4] = {33.3, 35.3, 38.9, 44.8};
constexpr double TRUTH_MAX_STEP_MIN = 0.01;
constexpr double TRUTH_MAX_LAMBDA_STEP = 0.05;
constexpr double SIM_MAX_LAMBDA_STEP = 2.0;
constexpr double MAX_RESIDENCE_MIN = 2.0;

}  // namespace

const std::vector<SettingsParam<SnarKernel::Settings>>& SnarKernel::settings_params() {
  using S = Settings;
  static const std::vector<SettingsParam<S>> table = {
      {{"lab_noise", "1", 0.01, 0, 1, false,
        "Standard deviation of a measured yield (a fraction 0..1). A stated default, not a "
        "measured fact."}, &S::lab_noise},
      {{"sim_ea_shift", "kJ/mol", 1.0, -10, 10, false,
        "Added to every activation energy in the simulation (k at 90 °C unchanged): its bias."}, &S::sim_ea_shift_kj_mol},
      {{"sim_gflop", "GFLOP", 3.6e7, 0, 1e15, false,
        "Cost of a simulated 2 min residence at the nominal step (3 node-minutes on a "
        "2e5 GFLOP/s node); others cost in proportion to their right-hand-side evaluations."}, &S::sim_gflop},
      {{"sim_step_min", "min", 0.25, 0.001, 2, false,
        "Largest time step of the simulation's RK4 solver (also capped for stability); the "
        "truth uses at most 0.01 min."}, &S::sim_step_min},
      {{"stream_ea_shift", "kJ/mol", 5, 0, 20, false,
        "With on_discovery next_problem, problem p >= 1 adds to every activation energy one offset "
        "drawn uniformly in +-this (a hash of the instance key): the optimum moves in temperature."}, &S::stream_ea_shift_kj_mol},
      {{"stream_rate_factor", "1", 2, 1, 10, false,
        "With on_discovery next_problem, problem p >= 1 multiplies every rate constant by one factor "
        "drawn log-uniformly in [1/f, f] (a hash of the instance key): the optimum moves in residence "
        "time and concentration."}, &S::stream_rate_factor},
  };
  return table;
}

KernelInfo SnarKernel::info() {
  return KernelInfo{
      "snar",
      "SnAr of Hone et al. (2017): 2,4-difluoronitrobenzene + pyrrolidine in a plug-flow "
      "reactor, four second-order reactions (ortho, para, and their bis-adduct); inputs "
      "residence_time_min, equivalents, concentration_mol_l, temperature_c; yield of the "
      "ortho product to maximize. RK4; the simulation is a coarse-step solve with shifted "
      "activation energies.",
      document_params(param_defs_of(settings_params()))};
}

SnarKernel::SnarKernel(Settings settings)
    : ReactorKernel(DesignSpace::box({
                        {"residence_time_min", Dimension::Kind::CONTINUOUS, 0.5, MAX_RESIDENCE_MIN, 0},
                        {"equivalents", Dimension::Kind::CONTINUOUS, 1, 5, 0},
                        {"concentration_mol_l", Dimension::Kind::CONTINUOUS, 0.1, 0.5, 0},
                        {"temperature_c", Dimension::Kind::CONTINUOUS, 30, 120, 0},
                    }),
                    settings.lab_noise, settings.sim_gflop, 4.0 * std::ceil(MAX_RESIDENCE_MIN / settings.sim_step_min)),
      settings_(settings) {}

SnarKernel::Run SnarKernel::run(double residence_time_min, double equivalents,
                                double concentration_mol_l, double temperature_c,
                                bool low_fidelity) const {
  const double shift = low_fidelity ? settings_.sim_ea_shift_kj_mol : 0.0;
  const double t_k = temperature_c + KELVIN_OFFSET;
  double k[4];
  for (int i = 0; i < 4; ++i) {
    k[i] = K_UNIT_TO_L_MOL_MIN * K_REF[i] * settings_.rate_factor *
           std::exp(-(EA_KJ_MOL[i] + settings_.ea_offset_kj_mol + shift) / GAS_CONSTANT_KJ_MOL_K *
                    (1.0 / t_k - 1.0 / T_REF_K));
  }
  const double c1_0 = concentration_mol_l;
  const double c2_0 = equivalents * concentration_mol_l;
  const double lambda = (k[0] + k[1] + k[2] + k[3]) * (c1_0 + c2_0);
  const long steps =
      low_fidelity
          ? rk4_steps(residence_time_min, settings_.sim_step_min, SIM_MAX_LAMBDA_STEP, lambda)
          : rk4_steps(residence_time_min, TRUTH_MAX_STEP_MIN, TRUTH_MAX_LAMBDA_STEP, lambda);
  const auto rhs = [&k](const OdeState<5>& c, OdeState<5>& dc) {
    const double r_a = k[0] * c[0] * c[1];
    const double r_b = k[1] * c[0] * c[1];
    const double r_c = k[2] * c[2] * c[1];
    const double r_d = k[3] * c[3] * c[1];
    dc[0] = -r_a - r_b;
    dc[1] = -r_a - r_b - r_c - r_d;
    dc[2] = r_a - r_c;
    dc[3] = r_b - r_d;
    dc[4] = r_c + r_d;
  };
  Run out;
  out.conc = integrate_rk4<5>(rhs, OdeState<5>{c1_0, c2_0, 0, 0, 0}, residence_time_min, steps,
                              out.rhs_evaluations);
  out.yield = out.conc[2] / c1_0;
  return out;
}

SnarKernel::Run SnarKernel::run_point(const Candidate& c, bool low_fidelity) const {
  const std::vector<double> x = space().checked_point(c);
  return run(x[0], x[1], x[2], x[3], low_fidelity);
}

std::string SnarKernel::describe() const {
  if (settings_.rate_factor == 1 && settings_.ea_offset_kj_mol == 0) return "snar (Hone et al. 2017)";
  return "snar (Hone et al. 2017), rates x" + format_number(settings_.rate_factor) + ", activation energies " +
         (settings_.ea_offset_kj_mol >= 0 ? "+" : "") + format_number(settings_.ea_offset_kj_mol) + " kJ/mol";
}

std::unique_ptr<Kernel> make_snar_kernel(const KernelSpec& spec, int problem, std::uint64_t instance) {
  SnarKernel::Settings s = resolve_settings("snar", SnarKernel::settings_params(), spec.params);
  require_goal("snar", spec.goal, Goal::MAXIMIZE, "the yield is maximized");
  // Problem 0 is the published reaction; later ones, generated instances: one
  // factor on every rate constant and one offset on every activation energy,
  // each a common change, so at every temperature the kinetics only speed up
  // or slow down together (selectivities unchanged: the optimum moves, its
  // yield stays within reach of the box).
  if (problem > 0) {
    const std::uint64_t key = instance_key("snar", problem, instance);
    const double u_rate = unit_uniform(splitmix64(fnv1a_u64(key, 1)));
    const double u_ea = unit_uniform(splitmix64(fnv1a_u64(key, 2)));
    s.rate_factor = std::pow(s.stream_rate_factor, 2 * u_rate - 1);
    s.ea_offset_kj_mol = s.stream_ea_shift_kj_mol * (2 * u_ea - 1);
  }
  return std::make_unique<SnarKernel>(s);
}

}  // namespace twin::models
