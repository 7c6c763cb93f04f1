#pragma once
// Kinds "branin" and "michalewicz": textbook test surfaces with known
// optima, to minimize, for checking that an agent finds what is there.
//
//   branin(x1, x2) = (x2 - 5.1/(4 pi^2) x1^2 + 5/pi x1 - 6)^2
//                    + 10 (1 - 1/(8 pi)) cos(x1) + 10,   x1 in [-5, 10], x2 in [0, 15];
//     minimum 0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475).
//   michalewicz(x1, x2) = -sum_i sin(x_i) sin(i x_i^2 / pi)^20,  x in [0, pi]^2;
//     minimum -1.8013 at (2.202906, 1.570796).
//
// Problem 0 is the textbook function. Problem p >= 1 is the same surface
// shifted: f_p(x) = f(x - s_p), s_p,j = shift * range_j * (2 u - 1), u a
// fixed uniform number from a hash of (kind, p, j); the box stays put. With
// shift <= 0.08 at least one minimiser stays inside the box, so the minimum
// value is unchanged; known_minimizers() lists those inside.
//
// simulate(x) = f_p(x) + sim_bias * scale * sin(2 pi (u1 + u2 / 2))
//               + sim_noise * scale * n(x),
//   u the position of x in the box (0..1 per dimension), n(x) a fixed
//   pseudo-normal number (mean 0, variance 1) from a hash of the bits of x
//   and the problem, and scale the standard deviation of the textbook
//   surface over a 101 x 101 grid of its box.
// simulation_flops = sim_gflop * 1e9 for every point.
// lab_noise_sd = lab_noise * scale.
#include <string>
#include <vector>

#include "models/Kernel.hpp"
#include "models/KernelParams.hpp"

namespace twin::models {

class AnalyticKernel final : public Kernel {
 public:
  enum class Surface { BRANIN, MICHALEWICZ };
  struct Settings {
    double shift = 0.05;
    double sim_bias = 0.1;
    double sim_noise = 0.2;
    double sim_gflop = 3.6e7;
    double lab_noise = 0.02;
  };
  /// The parameters, each with the member of Settings it sets; the defaults
  /// of Settings{} are the table's (a test holds them equal).
  static const std::vector<SettingsParam<Settings>>& settings_params();
  static KernelInfo info(Surface surface);

  /// Problem p >= 1 is shifted by a hash of `instance` (of p when 0).
  AnalyticKernel(Surface surface, int problem, Settings settings, std::uint64_t instance = 0);

  const DesignSpace& space() const override { return space_; }
  Goal goal() const override { return Goal::MINIMIZE; }
  double truth(const Candidate& c) const override;
  double simulate(const Candidate& c) const override;
  double simulation_flops(const Candidate& c) const override;
  double lab_noise_sd() const override { return settings_.lab_noise * scale_; }
  std::string describe() const override;

  /// The textbook surface, unshifted, at any point.
  static double textbook(Surface surface, double x1, double x2);
  /// The minimum value of every problem of the stream.
  double known_minimum() const;
  /// The minimisers of this problem that lie inside the box.
  std::vector<std::vector<double>> known_minimizers() const;
  const std::vector<double>& shift_vector() const { return shift_; }
  /// Standard deviation of the textbook surface over its grid.
  double scale() const { return scale_; }

 private:
  Surface surface_;
  int problem_;
  Settings settings_;
  DesignSpace space_;
  std::vector<double> shift_;
  double scale_ = 1;
};

std::unique_ptr<Kernel> make_branin_kernel(const KernelSpec& spec, int problem, std::uint64_t instance);
std::unique_ptr<Kernel> make_michalewicz_kernel(const KernelSpec& spec, int problem, std::uint64_t instance);

}  // namespace twin::models
