#pragma once
// The free nodes of a machine over time, as the backfilling policies plan
// them: a sequence of segments, each the set of named nodes free from its
// start until the next segment's start (the last: forever). Kept up to date
// by occupy() and release() rather than rebuilt, with an index of the free
// counts (a min/max tree over the segments) so that the earliest start where
// enough nodes are free for long enough is found by jumping over segments
// that are too full, not by walking them one by one.
//
// Invariants: segment starts strictly increase; the first segment starts at
// the profile's present (front_s()); times before it are forgotten.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "hpc/NodeSet.hpp"

namespace twin::hpc {

class FreeProfile {
 public:
  struct Segment {
    double t_s = 0;
    NodeSet free;
  };
  /// A slot found by find_fit(): its start and the lowest free nodes;
  /// `found` false when there is none.
  struct Fit {
    bool found = false;
    double start_s = 0;
    NodeSet nodes;
  };
  /// A job's own slot from `from_s` on, counted as free by find_fit() (the
  /// job looking for an earlier start of its own).
  struct Own {
    double from_s = 0;
    const NodeSet* nodes = nullptr;
  };

  FreeProfile() = default;
  /// Replaces the profile by `segments` (starts strictly increasing, at
  /// least one).
  void assign(std::vector<Segment> segments);
  bool empty() const { return base_ >= segs_.size(); }
  double front_s() const { return segs_[base_].t_s; }
  std::size_t size() const { return segs_.size() - base_; }
  const Segment& segment(std::size_t i) const { return segs_[base_ + i]; }

  /// Moves the present to `now_s` (>= front_s()): segments that ended by
  /// then are dropped, the one under way now starts at `now_s`.
  void trim(double now_s);
  /// Takes `nodes` out of the free sets over [from_s, to_s), from_s >= front_s().
  void occupy(double from_s, double to_s, const NodeSet& nodes);
  /// Gives `nodes` back over [from_s, to_s) (clipped at the present);
  /// neighbouring segments left equal are merged.
  void release(double from_s, double to_s, const NodeSet& nodes);

  /// The earliest segment start before `before_s` from which `n` nodes
  /// outside `excluded` are free throughout `duration_s`, with the lowest
  /// such nodes. With `own` (before_s <= own->from_s, and the slot lasting
  /// past every window searched), its nodes count as free from own->from_s.
  /// Only starts at or after `from_s` are tried, and with `must_meet`, only
  /// windows in which some node of it stays free throughout (a job whose
  /// earlier windows were all too full, and near which only `must_meet` has
  /// been freed since: any window that fits now keeps one of them).
  Fit find_fit(int n, double duration_s, double before_s, const NodeSet& excluded, const Own* own = nullptr,
               double from_s = -std::numeric_limits<double>::infinity(), const NodeSet* must_meet = nullptr);
  /// Changes with every occupy, release, trim or assign.
  std::uint64_t version() const { return version_; }
  /// Nodes free throughout [from_s, to_s) (from_s >= front_s()).
  NodeSet free_throughout(double from_s, double to_s) const;

 private:
  /// Index of the segment starting at `t_s`, splitting the one under way.
  std::size_t split_at(double t_s);
  /// The segments [first, second) covering [from_s, to_s) clipped at the
  /// present, split at both ends (a change: the version moves); {0, 0} when
  /// that is empty.
  std::pair<std::size_t, std::size_t> split_span(double from_s, double to_s);
  /// Index of the segment under way at `t_s`.
  std::size_t index_at(double t_s) const;
  /// Merges segment `i` into the one before if their free sets are equal.
  void merge_into_previous(std::size_t i);
  /// Whether some node of `probe` (words [w0, w1)) outside `excluded` is
  /// free from segment i until finish_s (own nodes free from own_from).
  bool meets_throughout(const NodeSet& probe, std::size_t w0, std::size_t w1, std::size_t i, double finish_s,
                        const NodeSet& excluded, const Own* own, std::size_t own_from);
  void ensure_index();
  void update_leaf(std::size_t i);
  /// First physical index >= from whose free count is >= n (or < n); size() of segs_ if none.
  std::size_t next_at_least(std::size_t from, int n);
  std::size_t next_below(std::size_t from, int n);

  std::vector<Segment> segs_;
  std::size_t base_ = 0;  ///< segments before base_ are in the past (dropped lazily)
  // Min/max tree over the free counts of segs_ (physical indices); leaves_
  // is a power of two; padding leaves never match a query.
  std::vector<int> min_, max_;
  std::size_t leaves_ = 0;
  bool index_valid_ = false;
  NodeSet scratch_;
  std::vector<std::uint64_t> probe_;
  std::uint64_t version_ = 0;
};

}  // namespace twin::hpc
