#pragma once
// Deterministic random streams. The generator (xoshiro256**, seeded through
// SplitMix64) and every distribution are our own code, so a stream gives the
// same numbers with any compiler and standard library. Streams are named: a
// stream's seed derives from the run seed and the entity's stable name, so
// adding one entity never changes another's draws.
#include <cstdint>
#include <string_view>

namespace twin::core {

/// 64-bit FNV-1a of the bytes of `text`: a fixed hash (std::hash is not).
std::uint64_t stable_hash(std::string_view text);

/// One step of SplitMix64: a good 64-bit mixer for deriving seeds.
std::uint64_t splitmix64(std::uint64_t& state);

/// Mixes two 64-bit values into one seed (order matters).
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

/// The seed of replication `r` of a run whose scenario seed is `seed`:
/// hash(seed, r), the same in `twin run` and `twin sweep`.
std::uint64_t replication_seed(std::uint64_t seed, int replication);

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  /// The stream named `name` under `seed`.
  static Rng stream(std::uint64_t seed, std::string_view name);
  /// A stream keyed by a tuple of integers (e.g. nature's noise for the k-th
  /// measurement of candidate c of campaign C): independent of draw order.
  static Rng keyed(std::uint64_t seed, std::initializer_list<std::uint64_t> key);

  std::uint64_t next_u64();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform01();
  double uniform(double low, double high);
  /// Uniform integer in [0, n); n >= 1. Unbiased (rejection).
  std::uint64_t below(std::uint64_t n);
  /// Standard normal by the Box-Muller transform (one value per call).
  double normal();
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double exponential(double mean);
  /// Log-normal with the given median and shape sigma.
  double lognormal(double median, double sigma);
  bool bernoulli(double p) { return uniform01() < p; }

 private:
  std::uint64_t s_[4];
};

}  // namespace twin::core
