#pragma once
// A set of node indices [0, size) of one machine, as a bitset: the named-node
// allocation of the batch policies (lowest free index first) and the
// reservations of backfilling are sets of these.
#include <cstdint>
#include <string>
#include <vector>

namespace twin::hpc {

class NodeSet {
 public:
  NodeSet() = default;
  /// `size` nodes, all members when `full`.
  explicit NodeSet(int size, bool full = false);
  static NodeSet of(int size, const std::vector<int>& nodes);

  int size() const { return size_; }
  int count() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool contains(int node) const;
  void insert(int node);
  void erase(int node);
  void insert(const std::vector<int>& nodes);
  void erase(const std::vector<int>& nodes);
  NodeSet& operator|=(const NodeSet& other);
  NodeSet& operator&=(const NodeSet& other);
  /// Removes every member of `other`.
  NodeSet& subtract(const NodeSet& other);
  /// Members that are not in `other`.
  int count_excluding(const NodeSet& other) const;
  bool contains_all(const std::vector<int>& nodes) const;
  /// The `n` lowest members, ascending; n <= count().
  std::vector<int> lowest(int n) const;
  /// The `n` lowest members not in `excluded`, ascending.
  std::vector<int> lowest_excluding(int n, const NodeSet& excluded) const;
  std::vector<int> members() const;
  /// The `n` lowest members not in `excluded` (which may be empty), as a set.
  NodeSet lowest_set_excluding(int n, const NodeSet& excluded) const;
  /// The lowest and highest members; -1 if empty.
  int first() const;
  int last() const;
  /// Keeps the members that are in `a` or in `b` (this &= a | b).
  NodeSet& intersect_union(const NodeSet& a, const NodeSet& b);
  /// The bitset itself: node i is bit i % 64 of word i / 64.
  const std::vector<std::uint64_t>& words() const { return words_; }
  bool operator==(const NodeSet& other) const { return size_ == other.size_ && words_ == other.words_; }

 private:
  void recount();
  int size_ = 0;
  int count_ = 0;
  std::vector<std::uint64_t> words_;
};

/// Batsim-style intervals of ascending node indices: {0..7, 12} -> "0-7 12".
std::string format_intervals(const std::vector<int>& ascending_nodes);

}  // namespace twin::hpc
