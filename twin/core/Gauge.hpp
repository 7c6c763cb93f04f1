#pragma once
// A piecewise-constant quantity over simulated time (busy nodes, queue
// length): its time integral, maximum, and daily means for charts.
#include <vector>

namespace twin::core {

class Gauge {
 public:
  explicit Gauge(double bucket_s = 86400.0) : bucket_s_(bucket_s) {}
  /// The value changes to `v` at time `t` (t never decreases).
  void set(double t, double v);
  void add(double t, double dv) { set(t, value_ + dv); }
  double value() const { return value_; }
  double max() const { return max_; }
  /// Integral of the value over [0, t_end] (t_end >= last change).
  double integral(double t_end) const;
  /// Mean value in each bucket of [0, t_end).
  std::vector<double> bucket_means(double t_end) const;

 private:
  void accumulate(double t0, double t1, double v);
  double bucket_s_;
  double t_ = 0, value_ = 0, max_ = 0, integral_ = 0;
  std::vector<double> buckets_;  // integral per bucket
};

}  // namespace twin::core
