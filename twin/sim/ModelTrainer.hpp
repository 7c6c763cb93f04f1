#pragma once
// Foundation models on the simulated clock: one actor per model that some
// campaign of the simulation uses. Each training stages the model's
// datasets to its system (twin/sim/DataService), then runs as one job in
// that system's batch queue, behind the background load like any other;
// when it ends, a new version is available to agents, with the error
//   error_sd x (D / D1)^-alpha
// where D is the training data (its datasets' sizes when staged) and D1
// that of the first version. Retraining starts `retrain_every_days` after
// the last training ended, or once `retrain_after_results` new lab results
// were appended to its datasets since the last one started (whichever
// comes first when both are set); with neither, the model is trained once.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "twin/Scenario.hpp"
#include "twin/core/RunResult.hpp"
#include "twin/core/Services.hpp"
#include "twin/sim/DataService.hpp"

namespace twin::sim {

class ModelTrainer : public core::ModelService {
 public:
  ModelTrainer(const Scenario& sc, DataService& data, core::Runtime& runtime,
               std::map<std::string, core::ComputeService*> systems);
  /// The actor body of model `name` (the caller creates the actor).
  void run(const std::string& name);
  core::ModelVersion current(const std::string& model) const override;
  void inferred(const std::string& model, const std::string& campaign, std::int64_t candidates, double node_hours,
                double energy_j) override;
  /// Every model of the scenario, trained or not, in scenario order.
  std::vector<core::ModelSim> result() const;

 private:
  struct State {
    const ModelSpec* spec = nullptr;
    core::ModelVersion version;
    double first_bytes = 0;  ///< D1
    core::ModelSim sim;
  };
  const Scenario& sc_;
  DataService& data_;
  core::Runtime& runtime_;
  std::map<std::string, core::ComputeService*> systems_;
  std::vector<State> models_;
  std::map<std::string, std::size_t> by_name_;
};

}  // namespace twin::sim
