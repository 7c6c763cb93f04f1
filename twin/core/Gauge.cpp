#include "twin/core/Gauge.hpp"

#include <algorithm>
#include <cmath>

namespace twin::core {

void Gauge::accumulate(double t0, double t1, double v) {
  if (t1 <= t0) return;
  integral_ += v * (t1 - t0);
  if (v == 0) return;
  auto b = static_cast<std::size_t>(std::floor(t0 / bucket_s_));
  while (t0 < t1) {
    const double edge = std::min(t1, static_cast<double>(b + 1) * bucket_s_);
    if (buckets_.size() <= b) buckets_.resize(b + 1, 0.0);
    buckets_[b] += v * (edge - t0);
    t0 = edge;
    ++b;
  }
}

void Gauge::set(double t, double v) {
  if (t > t_) {
    accumulate(t_, t, value_);
    t_ = t;
  }
  value_ = v;
  max_ = std::max(max_, v);
}

double Gauge::integral(double t_end) const { return integral_ + (t_end > t_ ? value_ * (t_end - t_) : 0.0); }

std::vector<double> Gauge::bucket_means(double t_end) const {
  Gauge copy = *this;
  copy.set(t_end, value_);
  const auto n = static_cast<std::size_t>(std::ceil(t_end / bucket_s_));
  std::vector<double> out(n, 0.0);
  for (std::size_t i = 0; i < n && i < copy.buckets_.size(); ++i) {
    const double width = std::min(bucket_s_, t_end - static_cast<double>(i) * bucket_s_);
    out[i] = width > 0 ? copy.buckets_[i] / width : 0.0;
  }
  return out;
}

}  // namespace twin::core
