#pragma once
// Classical fourth-order Runge-Kutta with a fixed number of equal steps: a
// deterministic integrator (no adaptive control whose step sequence could
// depend on rounding), whose cost is a count of right-hand-side evaluations.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace twin::models {

template <std::size_t N>
using OdeState = std::array<double, N>;

/// One run of a reactor model: its final (or outlet) concentrations, the
/// yield it is scored by, and the work done.
template <std::size_t N>
struct ReactorRun {
  OdeState<N> conc{};
  double yield = 0;
  long rhs_evaluations = 0;
};

/// Steps for RK4 over `duration`: at most `max_step` long, and short enough
/// for stability against the stiffest rate `lambda` (h * lambda <= max_lambda_step).
inline long rk4_steps(double duration, double max_step, double max_lambda_step, double lambda) {
  double h = max_step;
  if (lambda > 0) h = std::min(h, max_lambda_step / lambda);
  return std::max(1L, static_cast<long>(std::ceil(duration / h)));
}

/// Integrates y' = rhs(y) (autonomous) from y0 over `duration` in `steps`
/// equal steps. Returns y(duration); adds 4 * steps to `rhs_evaluations`.
template <std::size_t N, class Rhs>
OdeState<N> integrate_rk4(const Rhs& rhs, OdeState<N> y, double duration, long steps,
                          long& rhs_evaluations) {
  if (steps < 1) steps = 1;
  const double h = duration / static_cast<double>(steps);
  OdeState<N> k1, k2, k3, k4, tmp;
  for (long s = 0; s < steps; ++s) {
    rhs(y, k1);
    for (std::size_t i = 0; i < N; ++i) tmp[i] = y[i] + 0.5 * h * k1[i];
    rhs(tmp, k2);
    for (std::size_t i = 0; i < N; ++i) tmp[i] = y[i] + 0.5 * h * k2[i];
    rhs(tmp, k3);
    for (std::size_t i = 0; i < N; ++i) tmp[i] = y[i] + h * k3[i];
    rhs(tmp, k4);
    for (std::size_t i = 0; i < N; ++i) {
      y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    }
  }
  rhs_evaluations += 4 * steps;
  return y;
}

}  // namespace twin::models
