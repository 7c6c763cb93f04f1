#include "hpc/FreeProfile.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace twin::hpc {

void FreeProfile::assign(std::vector<Segment> segments) {
  if (segments.empty()) throw std::invalid_argument("FreeProfile: no segment");
  segs_ = std::move(segments);
  base_ = 0;
  ++version_;
  index_valid_ = false;
}

void FreeProfile::trim(double now_s) {
  ++version_;
  while (base_ + 1 < segs_.size() && segs_[base_ + 1].t_s <= now_s) ++base_;
  segs_[base_].t_s = now_s;
  // Drop the past in bulk, so that moving the present costs O(1) amortised
  // and leaves the index valid in between.
  if (base_ > 64 && 2 * base_ > segs_.size()) {
    segs_.erase(segs_.begin(), segs_.begin() + static_cast<std::ptrdiff_t>(base_));
    base_ = 0;
    index_valid_ = false;
  }
}

std::size_t FreeProfile::index_at(double t_s) const {
  auto it = std::upper_bound(segs_.begin() + static_cast<std::ptrdiff_t>(base_), segs_.end(), t_s,
                             [](double t, const Segment& s) { return t < s.t_s; });
  if (it == segs_.begin() + static_cast<std::ptrdiff_t>(base_))
    throw std::logic_error("FreeProfile: a time before the present");
  return static_cast<std::size_t>(it - segs_.begin()) - 1;
}

std::size_t FreeProfile::split_at(double t_s) {
  const std::size_t i = index_at(t_s);
  if (segs_[i].t_s == t_s) return i;
  segs_.insert(segs_.begin() + static_cast<std::ptrdiff_t>(i + 1), Segment{t_s, segs_[i].free});
  index_valid_ = false;
  return i + 1;
}

void FreeProfile::merge_into_previous(std::size_t i) {
  if (i <= base_ || i >= segs_.size()) return;
  if (!(segs_[i].free == segs_[i - 1].free)) return;
  segs_.erase(segs_.begin() + static_cast<std::ptrdiff_t>(i));
  index_valid_ = false;
}

std::pair<std::size_t, std::size_t> FreeProfile::split_span(double from_s, double to_s) {
  from_s = std::max(from_s, front_s());
  if (!(to_s > from_s)) return {0, 0};
  ++version_;
  const std::size_t a = split_at(from_s);
  const std::size_t b = std::isinf(to_s) ? segs_.size() : split_at(to_s);
  return {a, b};
}

void FreeProfile::occupy(double from_s, double to_s, const NodeSet& nodes) {
  const auto [a, b] = split_span(from_s, to_s);
  for (std::size_t i = a; i < b; ++i) {
    segs_[i].free.subtract(nodes);
    update_leaf(i);
  }
}

void FreeProfile::release(double from_s, double to_s, const NodeSet& nodes) {
  const auto [a, b] = split_span(from_s, to_s);
  if (a == b) return;
  for (std::size_t i = a; i < b; ++i) {
    segs_[i].free |= nodes;
    update_leaf(i);
  }
  // Only the two edges can have become equal to their neighbours: inside,
  // adjacent segments differ in nodes other than these. Higher index first.
  merge_into_previous(b);
  merge_into_previous(a);
}

void FreeProfile::ensure_index() {
  if (index_valid_) return;
  leaves_ = 1;
  while (leaves_ < segs_.size()) leaves_ *= 2;
  min_.assign(2 * leaves_, INT_MAX);
  max_.assign(2 * leaves_, -1);
  for (std::size_t i = 0; i < segs_.size(); ++i) min_[leaves_ + i] = max_[leaves_ + i] = segs_[i].free.count();
  for (std::size_t v = leaves_ - 1; v >= 1; --v) {
    min_[v] = std::min(min_[2 * v], min_[2 * v + 1]);
    max_[v] = std::max(max_[2 * v], max_[2 * v + 1]);
  }
  index_valid_ = true;
}

void FreeProfile::update_leaf(std::size_t i) {
  if (!index_valid_) return;
  std::size_t v = leaves_ + i;
  min_[v] = max_[v] = segs_[i].free.count();
  for (v /= 2; v >= 1; v /= 2) {
    min_[v] = std::min(min_[2 * v], min_[2 * v + 1]);
    max_[v] = std::max(max_[2 * v], max_[2 * v + 1]);
  }
}

std::size_t FreeProfile::next_at_least(std::size_t from, int n) {
  if (from >= segs_.size()) return segs_.size();
  std::size_t v = leaves_ + from;
  if (max_[v] < n) {
    // Climb while v is a right child, then try the subtree to its right.
    for (;;) {
      while (v > 1 && (v & 1) != 0) v /= 2;
      if (v <= 1) return segs_.size();
      ++v;
      if (max_[v] >= n) break;
    }
    while (v < leaves_) {
      v *= 2;
      if (max_[v] < n) ++v;
    }
  }
  return std::min(v - leaves_, segs_.size());
}

std::size_t FreeProfile::next_below(std::size_t from, int n) {
  if (from >= segs_.size()) return segs_.size();
  std::size_t v = leaves_ + from;
  if (min_[v] >= n) {
    for (;;) {
      while (v > 1 && (v & 1) != 0) v /= 2;
      if (v <= 1) return segs_.size();
      ++v;
      if (min_[v] < n) break;
    }
    while (v < leaves_) {
      v *= 2;
      if (min_[v] >= n) ++v;
    }
  }
  return std::min(v - leaves_, segs_.size());
}

FreeProfile::Fit FreeProfile::find_fit(int n, double duration_s, double before_s, const NodeSet& excluded,
                                       const Own* own, double from_s, const NodeSet* must_meet) {
  ensure_index();
  const std::size_t end = segs_.size();
  // From `own_from` on, the job's own nodes are free too: enough by count there.
  std::size_t own_from = end;
  if (own != nullptr) {
    own_from = static_cast<std::size_t>(
        std::lower_bound(segs_.begin() + static_cast<std::ptrdiff_t>(base_), segs_.end(), own->from_s,
                         [](const Segment& s, double t) { return s.t_s < t; }) -
        segs_.begin());
  }
  // Candidate starts are segments with at least n free nodes; a window that
  // meets a segment with fewer fails, and so does every start up to it.
  // The words where must_meet has members: a cheap first test of a window.
  std::size_t w0 = 0, w1 = 0;
  if (must_meet != nullptr) {
    if (must_meet->empty()) return Fit{false, std::numeric_limits<double>::infinity(), NodeSet()};
    w0 = static_cast<std::size_t>(must_meet->first() / 64);
    w1 = static_cast<std::size_t>(must_meet->last() / 64) + 1;
    probe_.resize(w1 - w0);
  }
  std::size_t first = base_;
  if (from_s > segs_[base_].t_s)
    first = static_cast<std::size_t>(
        std::lower_bound(segs_.begin() + static_cast<std::ptrdiff_t>(base_), segs_.end(), from_s,
                         [](const Segment& s, double t) { return s.t_s < t; }) -
        segs_.begin());
  std::size_t i = next_at_least(first, n);
  while (i < end && i < own_from && segs_[i].t_s < before_s) {
    const double finish_s = segs_[i].t_s + duration_s;
    const std::size_t k = next_below(i + 1, n);
    if (k < own_from && k < end && segs_[k].t_s < finish_s) {
      i = next_at_least(k + 1, n);
      continue;
    }
    if (must_meet != nullptr && !meets_throughout(*must_meet, w0, w1, i, finish_s, excluded, own, own_from)) {
      i = next_at_least(i + 1, n);
      continue;
    }
    // Enough by count throughout: the same nodes must be free throughout.
    scratch_ = segs_[i].free;
    if (!excluded.empty()) scratch_.subtract(excluded);
    bool ok = scratch_.count() >= n;
    for (std::size_t j = i + 1; ok && j < end && segs_[j].t_s < finish_s; ++j) {
      if (j < own_from) scratch_ &= segs_[j].free;
      else scratch_.intersect_union(segs_[j].free, *own->nodes);
      ok = scratch_.count() >= n;
    }
    if (ok) return Fit{true, segs_[i].t_s, scratch_.lowest_set_excluding(n, NodeSet())};
    i = next_at_least(i + 1, n);
  }
  return Fit{false, std::numeric_limits<double>::infinity(), NodeSet()};
}

bool FreeProfile::meets_throughout(const NodeSet& probe, std::size_t w0, std::size_t w1, std::size_t i,
                                   double finish_s, const NodeSet& excluded, const Own* own, std::size_t own_from) {
  const std::size_t words = w1 - w0;
  const std::uint64_t* p = probe.words().data() + w0;
  const std::uint64_t* f = segs_[i].free.words().data() + w0;
  const std::uint64_t* x = excluded.empty() ? nullptr : excluded.words().data() + w0;
  std::uint64_t any = 0;
  for (std::size_t w = 0; w < words; ++w) {
    probe_[w] = p[w] & f[w] & (x != nullptr ? ~x[w] : ~std::uint64_t{0});
    any |= probe_[w];
  }
  for (std::size_t j = i + 1; any != 0 && j < segs_.size() && segs_[j].t_s < finish_s; ++j) {
    f = segs_[j].free.words().data() + w0;
    const std::uint64_t* o = j >= own_from ? own->nodes->words().data() + w0 : nullptr;
    any = 0;
    for (std::size_t w = 0; w < words; ++w) {
      probe_[w] &= o != nullptr ? (f[w] | o[w]) : f[w];
      any |= probe_[w];
    }
  }
  return any != 0;
}

NodeSet FreeProfile::free_throughout(double from_s, double to_s) const {
  std::size_t i = index_at(from_s);
  NodeSet out = segs_[i].free;
  for (++i; i < segs_.size() && segs_[i].t_s < to_s; ++i) out &= segs_[i].free;
  return out;
}

}  // namespace twin::hpc
