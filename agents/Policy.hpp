#pragma once
// A proposal policy: given what the campaign has observed, which candidates
// to try next. Pure: its decision is a function of the observations, its own
// state and its random stream. It also reports the work it did, so the twin
// can charge the agent's simulated host for its thinking time.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/DesignSpace.hpp"
#include "twin/core/Rng.hpp"

namespace twin::agents {

struct Observation {
  models::Candidate candidate;
  std::optional<double> value;  ///< empty: the measurement failed
  std::string failure;          ///< why, when value is empty
  bool lab = true;              ///< true: lab measurement (truth + noise); false: HPC simulation
};

struct PolicyContext {
  const models::DesignSpace* space = nullptr;
  models::Goal goal = models::Goal::MINIMIZE;
  /// Candidates that must not be proposed again (already measured or pending).
  const std::vector<models::Candidate>* exclude = nullptr;
};

/// How every policy of the agents part treats observations: a failed one
/// (value empty) is skipped as training data and its candidate is never
/// proposed again (it counts as taken, like every candidate with a lab
/// observation and every entry of ctx.exclude); a candidate that was only
/// simulated (lab = false) stays proposable so that the lab can confirm it.
/// The GP policies put simulated values on the lab's scale with the learnt
/// sim-to-lab bias (MultiFidelity.hpp).
class Policy {
 public:
  virtual ~Policy() = default;
  /// Up to `q` new candidates (fewer only when the space is exhausted).
  virtual std::vector<models::Candidate> propose(const PolicyContext& ctx, const std::vector<Observation>& observations,
                                                 int q, core::Rng& rng) = 0;
  /// Floating-point operations spent by the last propose() (fits, acquisition).
  virtual double last_flops() const { return 0; }
  virtual std::string name() const = 0;
};

struct PolicyParam {
  std::string name, unit, default_value, description;
};
struct PolicyInfo {
  std::string name;  ///< canonical name, e.g. "random", "gp-ard-matern52-lcb"
  std::string description;
  std::vector<PolicyParam> params;
};

/// Builds the policy named `name` (canonical names or aliases such as
/// "gp-ard"); throws std::invalid_argument for an unknown name.
std::unique_ptr<Policy> make_policy(const std::string& name);
/// As above, with parameters by name (see policy_catalog() for each
/// policy's parameters, units and defaults); throws std::invalid_argument for
/// an unknown parameter or a bad value.
std::unique_ptr<Policy> make_policy(const std::string& name, const std::map<std::string, std::string>& params);
/// Every policy the agents part offers, sorted by name.
std::vector<PolicyInfo> policy_catalog();

}  // namespace twin::agents
