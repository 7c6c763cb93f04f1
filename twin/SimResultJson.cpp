#include "twin/SimResultJson.hpp"

namespace twin {

namespace {

nlohmann::json cons(const core::Conservation& c) {
  return {{"created", c.created}, {"finished", c.finished}, {"failed", c.failed},
          {"discarded", c.discarded}, {"in_flight", c.in_flight}, {"holds", c.holds}};
}
core::Conservation cons_from(const nlohmann::json& j) {
  core::Conservation c;
  c.created = j.at("created");
  c.finished = j.at("finished");
  c.failed = j.at("failed");
  c.discarded = j.at("discarded");
  c.in_flight = j.at("in_flight");
  c.holds = j.at("holds");
  return c;
}
nlohmann::json cycle(const core::CycleTimes& c) {
  return {{"agent_s", c.agent_s},         {"people_s", c.people_s},     {"hpc_queue_s", c.hpc_queue_s},
          {"hpc_run_s", c.hpc_run_s},     {"transfer_s", c.transfer_s}, {"lab_queue_s", c.lab_queue_s},
          {"lab_run_s", c.lab_run_s}};
}
core::CycleTimes cycle_from(const nlohmann::json& j) {
  core::CycleTimes c;
  c.agent_s = j.at("agent_s");
  c.people_s = j.at("people_s");
  c.hpc_queue_s = j.at("hpc_queue_s");
  c.hpc_run_s = j.at("hpc_run_s");
  c.transfer_s = j.at("transfer_s");
  c.lab_queue_s = j.at("lab_queue_s");
  c.lab_run_s = j.at("lab_run_s");
  return c;
}

}  // namespace

nlohmann::json sim_result_to_json(const core::SimResult& r) {
  nlohmann::json j;
  j["mode"] = r.mode;
  j["replication"] = r.replication;
  j["seed"] = r.seed;
  j["horizon_s"] = r.horizon_s;
  j["actors_started"] = r.actors_started;
  j["jobs"] = cons(r.jobs);
  j["samples"] = cons(r.samples);
  j["transfers"] = cons(r.transfers);
  j["campaigns"] = nlohmann::json::array();
  for (const auto& c : r.campaigns) {
    j["campaigns"].push_back({{"name", c.name},
                              {"discoveries", c.discoveries},
                              {"experiments", c.experiments},
                              {"failed_experiments", c.failed_experiments},
                              {"simulations", c.simulations},
                              {"failed_simulations", c.failed_simulations},
                              {"problems", c.problems},
                              {"cycles", c.cycles},
                              {"discovery_times_s", c.discovery_times_s},
                              {"first_discovery_s", c.first_discovery_s},
                              {"best_t_s", c.best_t_s},
                              {"best_experiments", c.best_experiments},
                              {"best_value", c.best_value},
                              {"node_hours", c.node_hours},
                              {"lab_hours", c.lab_hours},
                              {"energy_j", c.energy_j},
                              {"cycle", cycle(c.cycle)}});
  }
  j["resources"] = nlohmann::json::array();
  for (const auto& s : r.resources) {
    j["resources"].push_back({{"name", s.name},
                              {"kind", s.kind},
                              {"parent", s.parent},
                              {"capacity", s.capacity},
                              {"busy_integral", s.busy_integral},
                              {"queue_integral", s.queue_integral},
                              {"queue_max", s.queue_max},
                              {"waits", s.waits},
                              {"wait_sum_s", s.wait_sum_s},
                              {"wait_max_s", s.wait_max_s},
                              {"energy_j", s.energy_j},
                              {"online_s", s.online_s},
                              {"background_jobs", s.background_jobs},
                              {"daily_utilisation", s.daily_utilisation}});
  }
  return j;
}

core::SimResult sim_result_from_json(const nlohmann::json& j) {
  try {
    core::SimResult r;
    r.mode = j.at("mode");
    r.replication = j.at("replication");
    r.seed = j.at("seed");
    r.horizon_s = j.at("horizon_s");
    r.actors_started = j.at("actors_started");
    r.jobs = cons_from(j.at("jobs"));
    r.samples = cons_from(j.at("samples"));
    r.transfers = cons_from(j.at("transfers"));
    for (const auto& c : j.at("campaigns")) {
      core::CampaignSim s;
      s.name = c.at("name");
      s.discoveries = c.at("discoveries");
      s.experiments = c.at("experiments");
      s.failed_experiments = c.at("failed_experiments");
      s.simulations = c.at("simulations");
      s.failed_simulations = c.at("failed_simulations");
      s.problems = c.at("problems");
      s.cycles = c.at("cycles");
      s.discovery_times_s = c.at("discovery_times_s").get<std::vector<double>>();
      s.first_discovery_s = c.at("first_discovery_s");
      s.best_t_s = c.at("best_t_s").get<std::vector<double>>();
      s.best_experiments = c.at("best_experiments").get<std::vector<double>>();
      s.best_value = c.at("best_value").get<std::vector<double>>();
      s.node_hours = c.at("node_hours");
      s.lab_hours = c.at("lab_hours");
      s.energy_j = c.at("energy_j");
      s.cycle = cycle_from(c.at("cycle"));
      r.campaigns.push_back(std::move(s));
    }
    for (const auto& x : j.at("resources")) {
      core::ResourceSim s;
      s.name = x.at("name");
      s.kind = x.at("kind");
      s.parent = x.at("parent");
      s.capacity = x.at("capacity");
      s.busy_integral = x.at("busy_integral");
      s.queue_integral = x.at("queue_integral");
      s.queue_max = x.at("queue_max");
      s.waits = x.at("waits");
      s.wait_sum_s = x.at("wait_sum_s");
      s.wait_max_s = x.at("wait_max_s");
      s.energy_j = x.at("energy_j");
      s.online_s = x.at("online_s");
      s.background_jobs = x.at("background_jobs");
      s.daily_utilisation = x.at("daily_utilisation").get<std::vector<double>>();
      r.resources.push_back(std::move(s));
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed simulation result: ") + e.what());
  }
}

}  // namespace twin
