#pragma once
// Kind "kinetics": the simulated catalytic reactions of Jensen et al.,
// React. Chem. Eng. 3, 301 (2018), the "MIT kinetics" cases 1-5, in a batch
// reactor, integrated for real.
//
// Inputs (x in this order): catalyst (categorical, 8 levels 0..7),
// c_cat_mol_l (catalyst loading, 0.835e-3..4.175e-3 mol/L), time_s
// (60..600 s), temperature_c (30..110 °C). Output: yield C_R / C_A0, a
// fraction, to MAXIMIZE.
//
// Reactions (C_A0 = 0.167 M, C_B0 = 0.25 M, R = 8.314e-3 kJ/mol/K,
// T = temperature_c + 273.15 K, every k scales with sqrt(c_cat)):
//   A + B -> R   k_R  = sqrt(c_cat) 3.1e7 exp(-(55 + E_i) / RT)   all cases
//   B -> S1      k_S1 = sqrt(c_cat) 1e12  exp(-100 / RT)          case 3 only
//   B + R -> S2  k_S2 = sqrt(c_cat) 3.1e5 exp(-50 / RT)           case 4 only
// E_i (kJ/mol) per catalyst: (0, 0.3, 0.3, 0.7, 0.7, 2.2, 3.8, 7.3); case 2
// makes catalyst 1 as good as 0 (E_1 = 0); case 5 gives catalyst 0
// E_0 = -5 below 80 °C and -5 + 0.3 (T_C - 80) above (it deactivates when
// hot). (Cases as in the Summit benchmark's MITKinetics, except T in kelvin
// = °C + 273.15, where Summit adds 273.71.)
//
// truth: RK4 with equal steps of at most 0.5 s and at most 0.05 / lambda,
//   lambda = k_R (C_A0 + C_B0) + k_S1 + k_S2 (C_A0 + C_B0), a bound on the
//   stiffness; case 1 matches its closed form to better than 1e-9.
// simulate: the same ODE at low fidelity: RK4 with steps of at most
//   sim_step_s (and at most 2 / lambda, for stability) and every activation
//   energy raised by sim_ea_shift (a badly fitted model: slower kinetics).
// simulation_flops = sim_gflop * 1e9 * n / n_ref, n the right-hand-side
//   evaluations of that low-fidelity run, n_ref = 4 ceil(600 s / sim_step_s)
//   (so a 600 s reaction costs sim_gflop).
// Problem p of the stream uses case ((case - 1 + p) mod 5) + 1: the five
// published cases first, then generated instances of them (p >= 5): the
// same case with the eight catalysts' roles permuted by a hash of the
// instance key, so another catalyst is the best and the reachable yields
// are the published case's.
#include <array>
#include <string>
#include <vector>

#include "models/KernelParams.hpp"
#include "models/ReactorKernel.hpp"

namespace twin::models {

class KineticsKernel final : public ReactorKernel {
 public:
  struct Settings {
    int mit_case = 1;
    double sim_step_s = 60;
    double sim_ea_shift_kj_mol = 0.5;
    double sim_gflop = 3.6e7;
    double lab_noise = 0.01;
    /// Catalyst c reacts as catalyst catalyst_role[c] of the published cases.
    std::array<int, 8> catalyst_role{0, 1, 2, 3, 4, 5, 6, 7};
  };
  /// The parameters, each with the member of Settings it sets; the defaults
  /// of Settings{} are the table's (a test holds them equal).
  static const std::vector<SettingsParam<Settings>>& settings_params();
  static KernelInfo info();

  static constexpr int CATALYSTS = 8;
  static constexpr double C_A0_MOL_L = 0.167;
  static constexpr double C_B0_MOL_L = 0.25;

  explicit KineticsKernel(Settings settings);

  std::string describe() const override;

  int mit_case() const { return settings_.mit_case; }
  const std::array<int, CATALYSTS>& catalyst_roles() const { return settings_.catalyst_role; }
  /// A permutation of the catalysts' roles keyed by `key` (Fisher-Yates).
  static std::array<int, CATALYSTS> permuted_roles(std::uint64_t key);
  /// Integrates one reaction (final concentrations, mol/L: A, B, R, S1, S2);
  /// `low_fidelity` selects the simulation's solver.
  Run run(int catalyst, double c_cat_mol_l, double time_s, double temperature_c,
          bool low_fidelity) const;
  /// Case 1's closed form, ln[(C_B C_A0) / (C_A C_B0)] = (C_B0 - C_A0) k t.
  static double case1_exact_yield(int catalyst, double c_cat_mol_l, double time_s,
                                  double temperature_c);

 private:
  Run run_point(const Candidate& c, bool low_fidelity) const override;

  Settings settings_;
};

std::unique_ptr<Kernel> make_kinetics_kernel(const KernelSpec& spec, int problem, std::uint64_t instance);

}  // namespace twin::models
