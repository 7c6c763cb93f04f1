#pragma once
// Fixed, portable hashing for keys and deterministic pseudo-noise. Not
// std::hash: its values differ between standard libraries, and these values
// reach results (nature's noise is keyed by them).
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace twin::models {

inline constexpr std::uint64_t FNV1A_OFFSET = 14695981039346656037ULL;
inline constexpr std::uint64_t FNV1A_PRIME = 1099511628211ULL;

/// FNV-1a over the 8 bytes of `v`, least significant byte first (so the
/// result does not depend on the machine's byte order).
inline std::uint64_t fnv1a_u64(std::uint64_t h, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xffU;
    h *= FNV1A_PRIME;
  }
  return h;
}

/// The bits of a double with -0.0 folded onto +0.0, so that values that
/// compare equal hash equal.
inline std::uint64_t double_bits(double x) {
  if (x == 0.0) x = 0.0;
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

/// FNV-1a over the bits of each double of `x`, in order.
inline std::uint64_t fnv1a_doubles(const std::vector<double>& x, std::uint64_t h = FNV1A_OFFSET) {
  for (double v : x) h = fnv1a_u64(h, double_bits(v));
  return h;
}

inline std::uint64_t fnv1a_text(std::string_view s, std::uint64_t h = FNV1A_OFFSET) {
  for (char ch : s) {
    h ^= static_cast<unsigned char>(ch);
    h *= FNV1A_PRIME;
  }
  return h;
}

/// SplitMix64 finaliser: spreads a key's bits before it is turned into noise.
inline std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The key of a parametric kernel's generated problem: the campaign's
/// instance key when it has one (keyed by seed, replication, campaign and
/// problem), else one made from the kind and the problem index alone.
inline std::uint64_t instance_key(std::string_view kind, int problem, std::uint64_t instance) {
  return instance != 0 ? instance : splitmix64(fnv1a_u64(fnv1a_text(kind), static_cast<std::uint64_t>(problem)));
}

/// A uniform number in [0, 1) from the top 53 bits of `z`.
inline double unit_uniform(std::uint64_t z) {
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

/// A deterministic pseudo-normal number with mean 0 and variance 1 drawn
/// from `key`: the sum of four uniforms (Irwin-Hall), centred and scaled by
/// sqrt(3). Bounded by +-2 sqrt(3); pure integer and IEEE arithmetic, so the
/// same bits on every machine and compiler.
inline double pseudo_normal(std::uint64_t key) {
  double s = 0;
  std::uint64_t z = key;
  for (int i = 0; i < 4; ++i) {
    z = splitmix64(z);
    s += unit_uniform(z);
  }
  return (s - 2.0) * 1.7320508075688772;
}

}  // namespace twin::models
