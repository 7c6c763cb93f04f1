#include "hpc/NodeSet.hpp"

#include <bit>
#include <stdexcept>

namespace twin::hpc {

namespace {
constexpr int WORD_BITS = 64;

// Inline population count: std::popcount becomes a libgcc call on a build
// without -mpopcnt (no -march flags here), which dominated replay profiles.
inline int popcount64(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}
}  // namespace

NodeSet::NodeSet(int size, bool full) : size_(size), words_(static_cast<std::size_t>((size + WORD_BITS - 1) / WORD_BITS), 0) {
  if (size < 0) throw std::invalid_argument("NodeSet: negative size");
  if (full) {
    for (int w = 0; w < static_cast<int>(words_.size()); ++w) {
      int bits = size - w * WORD_BITS;
      words_[static_cast<std::size_t>(w)] = bits >= WORD_BITS ? ~std::uint64_t{0} : ((std::uint64_t{1} << bits) - 1);
    }
    count_ = size;
  }
}

NodeSet NodeSet::of(int size, const std::vector<int>& nodes) {
  NodeSet s(size);
  s.insert(nodes);
  return s;
}

bool NodeSet::contains(int node) const {
  return ((words_[static_cast<std::size_t>(node / WORD_BITS)] >> (node % WORD_BITS)) & 1u) != 0;
}

void NodeSet::insert(int node) {
  std::uint64_t& w = words_[static_cast<std::size_t>(node / WORD_BITS)];
  std::uint64_t bit = std::uint64_t{1} << (node % WORD_BITS);
  if ((w & bit) == 0) {
    w |= bit;
    ++count_;
  }
}

void NodeSet::erase(int node) {
  std::uint64_t& w = words_[static_cast<std::size_t>(node / WORD_BITS)];
  std::uint64_t bit = std::uint64_t{1} << (node % WORD_BITS);
  if ((w & bit) != 0) {
    w &= ~bit;
    --count_;
  }
}

void NodeSet::insert(const std::vector<int>& nodes) {
  if (nodes.size() < 16) {
    for (int n : nodes) insert(n);
    return;
  }
  for (int n : nodes) words_[static_cast<std::size_t>(n / WORD_BITS)] |= std::uint64_t{1} << (n % WORD_BITS);
  recount();
}

void NodeSet::erase(const std::vector<int>& nodes) {
  if (nodes.size() < 16) {
    for (int n : nodes) erase(n);
    return;
  }
  for (int n : nodes) words_[static_cast<std::size_t>(n / WORD_BITS)] &= ~(std::uint64_t{1} << (n % WORD_BITS));
  recount();
}

// The set operations count as they go (one pass over the words) and skip
// the count for words they leave unchanged.
NodeSet& NodeSet::operator|=(const NodeSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t added = other.words_[i] & ~words_[i];
    if (added != 0) {
      words_[i] |= added;
      count_ += popcount64(added);
    }
  }
  return *this;
}

NodeSet& NodeSet::operator&=(const NodeSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t removed = words_[i] & ~other.words_[i];
    if (removed != 0) {
      words_[i] &= ~removed;
      count_ -= popcount64(removed);
    }
  }
  return *this;
}

NodeSet& NodeSet::subtract(const NodeSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t removed = words_[i] & other.words_[i];
    if (removed != 0) {
      words_[i] &= ~removed;
      count_ -= popcount64(removed);
    }
  }
  return *this;
}

int NodeSet::count_excluding(const NodeSet& other) const {
  int c = 0;
  for (std::size_t i = 0; i < words_.size(); ++i) c += popcount64(words_[i] & ~other.words_[i]);
  return c;
}

bool NodeSet::contains_all(const std::vector<int>& nodes) const {
  for (int n : nodes)
    if (!contains(n)) return false;
  return true;
}

std::vector<int> NodeSet::lowest(int n) const {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < words_.size() && static_cast<int>(out.size()) < n; ++i) {
    std::uint64_t w = words_[i];
    while (w != 0 && static_cast<int>(out.size()) < n) {
      out.push_back(static_cast<int>(i) * WORD_BITS + std::countr_zero(w));
      w &= w - 1;
    }
  }
  return out;
}

std::vector<int> NodeSet::lowest_excluding(int n, const NodeSet& excluded) const {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < words_.size() && static_cast<int>(out.size()) < n; ++i) {
    std::uint64_t w = words_[i] & ~excluded.words_[i];
    while (w != 0 && static_cast<int>(out.size()) < n) {
      out.push_back(static_cast<int>(i) * WORD_BITS + std::countr_zero(w));
      w &= w - 1;
    }
  }
  return out;
}

std::vector<int> NodeSet::members() const { return lowest(count_); }

NodeSet NodeSet::lowest_set_excluding(int n, const NodeSet& excluded) const {
  NodeSet out(size_);
  const bool none = excluded.words_.empty();
  int left = n;
  for (std::size_t i = 0; i < words_.size() && left > 0; ++i) {
    std::uint64_t w = none ? words_[i] : words_[i] & ~excluded.words_[i];
    const int c = popcount64(w);
    if (c <= left) {
      out.words_[i] = w;
      left -= c;
      continue;
    }
    std::uint64_t taken = 0;
    for (; left > 0; --left) {
      taken |= w & (~w + 1);  // lowest set bit
      w &= w - 1;
    }
    out.words_[i] = taken;
  }
  out.count_ = n - left;
  return out;
}

int NodeSet::first() const {
  for (std::size_t i = 0; i < words_.size(); ++i)
    if (words_[i] != 0) return static_cast<int>(i) * WORD_BITS + std::countr_zero(words_[i]);
  return -1;
}

int NodeSet::last() const {
  for (std::size_t i = words_.size(); i-- > 0;)
    if (words_[i] != 0) return static_cast<int>(i) * WORD_BITS + WORD_BITS - 1 - std::countl_zero(words_[i]);
  return -1;
}

NodeSet& NodeSet::intersect_union(const NodeSet& a, const NodeSet& b) {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t removed = words_[i] & ~(a.words_[i] | b.words_[i]);
    if (removed != 0) {
      words_[i] &= ~removed;
      count_ -= popcount64(removed);
    }
  }
  return *this;
}

void NodeSet::recount() {
  int c = 0;
  for (std::uint64_t w : words_) c += popcount64(w);
  count_ = c;
}

std::string format_intervals(const std::vector<int>& nodes) {
  std::string out;
  std::size_t i = 0;
  while (i < nodes.size()) {
    std::size_t j = i;
    while (j + 1 < nodes.size() && nodes[j + 1] == nodes[j] + 1) ++j;
    if (!out.empty()) out += ' ';
    out += std::to_string(nodes[i]);
    if (j > i) {
      out += '-';
      out += std::to_string(nodes[j]);
    }
    i = j + 1;
  }
  return out;
}

}  // namespace twin::hpc
