#pragma once
// Kind "snar": the nucleophilic aromatic substitution of Hone et al. (2017)
// in a plug-flow reactor, integrated for real over the residence time.
//
// Mechanism (1 = 2,4-difluoronitrobenzene, 2 = pyrrolidine, 3 = the desired
// ortho product, 4 = the para product, 5 = the bis-adduct):
//   1 + 2 -> 3   k_a       1 + 2 -> 4   k_b
//   3 + 2 -> 5   k_c       4 + 2 -> 5   k_d
// all second order, k_i(T) = k_i(90 °C) exp(-Ea_i / R (1/T - 1/T_ref)),
// T_ref = 363.15 K, T = temperature_c + 273.15 K, with (k at 90 °C in
// 1e-2 L/mol/s, Ea kJ/mol) = (57.9, 33.3), (2.70, 35.3), (0.865, 38.9),
// (1.63, 44.8) (the Summit benchmark's reading of the paper's units;
// converted here to L/mol/min). Two balances hold exactly along the exact
// solution and to rounding along RK4 (both are linear invariants):
// aromatic rings C1 + C3 + C4 + C5 = C1_0 and pyrrolidine
// C2 + C3 + C4 + 2 C5 = C2_0 (the HF released is not tracked).
//
// Inputs (x in this order): residence_time_min (0.5..2), equivalents (of
// pyrrolidine per DFNB, 1..5), concentration_mol_l (DFNB inlet, 0.1..0.5),
// temperature_c (30..120). Output: yield of 3, C3 / C1_0, to MAXIMIZE.
//
// truth: RK4, steps of at most 0.01 min and 0.05 / lambda,
//   lambda = (k_a + k_b + k_c + k_d)(C1_0 + C2_0), a stiffness bound.
// simulate: RK4 with steps of at most sim_step_min (and 2 / lambda, for
//   stability), every activation energy raised by sim_ea_shift (no bias at
//   90 °C, growing away from it).
// simulation_flops = sim_gflop * 1e9 * n / n_ref, n the right-hand-side
//   evaluations of the low-fidelity run, n_ref = 4 ceil(2 min / sim_step_min).
// The stream of problems: problem 0 is the published reaction; problem p >= 1
// a generated instance keyed by the caller's instance key: every rate
// constant times one factor, log-uniform in [1/stream_rate_factor,
// stream_rate_factor], every activation energy plus one offset, uniform in
// +-stream_ea_shift. Both are common to the four reactions, so at each
// temperature the kinetics scale in time together: the selectivities stay,
// the optimum moves in residence time, concentration and temperature.
#include <string>
#include <vector>

#include "models/KernelParams.hpp"
#include "models/ReactorKernel.hpp"

namespace twin::models {

class SnarKernel final : public ReactorKernel {
 public:
  struct Settings {
    double sim_step_min = 0.25;
    double sim_ea_shift_kj_mol = 1.0;
    double sim_gflop = 3.6e7;
    double lab_noise = 0.01;
    double stream_rate_factor = 2;
    double stream_ea_shift_kj_mol = 5;
    /// This problem's common rate factor and activation-energy offset (1, 0: as published).
    double rate_factor = 1;
    double ea_offset_kj_mol = 0;
  };
  /// The parameters, each with the member of Settings it sets; the defaults
  /// of Settings{} are the table's (a test holds them equal).
  static const std::vector<SettingsParam<Settings>>& settings_params();
  static KernelInfo info();

  explicit SnarKernel(Settings settings);

  std::string describe() const override;
  double rate_factor() const { return settings_.rate_factor; }
  double ea_offset_kj_mol() const { return settings_.ea_offset_kj_mol; }

  /// Integrates one residence (outlet concentrations, mol/L, of species
  /// 1..5); `low_fidelity` selects the simulation's solver.
  Run run(double residence_time_min, double equivalents, double concentration_mol_l,
          double temperature_c, bool low_fidelity) const;

 private:
  Run run_point(const Candidate& c, bool low_fidelity) const override;

  Settings settings_;
};

std::unique_ptr<Kernel> make_snar_kernel(const KernelSpec& spec, int problem, std::uint64_t instance);

}  // namespace twin::models
