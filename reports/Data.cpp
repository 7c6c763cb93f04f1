#include "reports/Data.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/Access.hpp"
#include "reports/Figures.hpp"

namespace twin::reports {

namespace {

using ojson = nlohmann::ordered_json;
constexpr double YEAR_S = 365.25 * 86400.0;
constexpr double TB = 1e12;

double r6(double x) { return round_sig(x, 6); }
ojson opt(const Opt& x) { return x && std::isfinite(*x) ? ojson(round_sig(*x, 6)) : ojson(nullptr); }
ojson ci_json(const MeanCi& m) { return {{"mean", r6(m.mean)}, {"ci95_low", opt(m.low)}, {"ci95_high", opt(m.high)}}; }

std::map<std::string, std::vector<const core::SimResult*>> sims_by_mode(const core::RunResult& run) {
  std::map<std::string, std::vector<const core::SimResult*>> out;
  for (const auto& s : run.sims) out[s.mode].push_back(&s);
  return out;
}

/// The modes in the scenario's order (closed_loop first).
std::vector<std::string> mode_order(const core::RunResult& run) {
  std::vector<std::string> out;
  for (const auto& s : run.sims)
    if (std::find(out.begin(), out.end(), s.mode) == out.end()) out.push_back(s.mode);
  return out;
}

ojson dataset_mode_json(const std::vector<const core::SimResult*>& sims, std::size_t k) {
  const double w = 1.0 / static_cast<double>(sims.size());
  core::DatasetSim m;
  std::map<std::string, double> links;
  for (const auto* s : sims) {
    if (k >= s->datasets.size()) continue;
    const core::DatasetSim& d = s->datasets[k];
    m.requests += d.requests;
    m.hits += d.hits;
    m.local += d.local;
    m.full += d.full;
    m.deltas += d.deltas;
    m.refused += d.refused;
    m.bytes += d.bytes;
    m.transfer_s += d.transfer_s;
    m.hold_s += d.hold_s;
    m.wait_s += d.wait_s;
    m.results += d.results;
    m.appended_bytes += d.appended_bytes;
    m.final_bytes += d.final_bytes;
    for (const auto& [l, b] : d.link_bytes) links[l] += b;
  }
  ojson o;
  o["requests"] = r6(w * static_cast<double>(m.requests));
  o["cache_hits"] = r6(w * static_cast<double>(m.hits));
  o["stored_at_the_system_site"] = r6(w * static_cast<double>(m.local));
  o["staged_whole"] = r6(w * static_cast<double>(m.full));
  o["topped_up"] = r6(w * static_cast<double>(m.deltas));
  o["refused"] = r6(w * static_cast<double>(m.refused));
  o["staged_tb"] = r6(w * m.bytes / TB);
  o["moving_h"] = r6(w * (m.transfer_s - m.hold_s) / 3600.0);
  o["links_offline_h"] = r6(w * m.hold_s / 3600.0);
  o["behind_another_staging_h"] = r6(w * m.wait_s / 3600.0);
  o["results_appended"] = r6(w * static_cast<double>(m.results));
  o["appended_tb"] = r6(w * m.appended_bytes / TB);
  o["size_tb_at_end"] = r6(w * m.final_bytes / TB);
  ojson per_link = ojson::array();
  for (const auto& [l, b] : links) per_link.push_back({{"link", l}, {"staged_tb", r6(w * b / TB)}});
  o["links"] = per_link;
  return o;
}

}  // namespace

ojson data_json(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  ojson out;
  out["enabled"] = !sc.datasets.empty();
  const auto modes = sims_by_mode(run);
  const auto order = mode_order(run);
  ojson datasets = ojson::array();
  for (std::size_t k = 0; k < sc.datasets.size(); ++k) {
    const auto& d = sc.datasets[k];
    ojson o;
    o["name"] = d.name;
    o["store"] = d.store;
    o["site"] = d.site;
    o["classification"] = d.classification;
    o["size_tb"] = r6(d.size_bytes / TB);
    o["growth_tb_per_year"] = r6(d.growth_bytes_per_year / TB);
    o["used_by"] = d.used_by;
    ojson bm;
    for (const auto& mode : order) bm[mode] = dataset_mode_json(modes.at(mode), k);
    o["by_mode"] = bm;
    datasets.push_back(std::move(o));
  }
  out["datasets"] = datasets;
  ojson caches;
  for (const auto& mode : order) {
    const auto& sims = modes.at(mode);
    const double w = 1.0 / static_cast<double>(sims.size());
    ojson list = ojson::array();
    const auto& first = sims.front()->caches;
    for (std::size_t i = 0; i < first.size(); ++i) {
      double peak = 0, ev = 0;
      for (const auto* s : sims)
        if (i < s->caches.size()) {
          peak += w * s->caches[i].peak_bytes;
          ev += w * static_cast<double>(s->caches[i].evictions);
        }
      list.push_back({{"name", first[i].name},
                      {"capacity_tb", r6(first[i].capacity / TB)},
                      {"peak_tb", r6(peak / TB)},
                      {"evictions", r6(ev)},
                      {"held_at_end", first[i].held}});
    }
    caches[mode] = list;
  }
  out["caches"] = caches.is_null() ? ojson::object() : caches;
  // Per campaign: staging's share of its cycle time.
  ojson camps = ojson::array();
  ojson waits;
  for (std::size_t k = 0; k < sc.campaigns.size(); ++k) {
    ojson bm;
    bool any = false;
    for (const auto& mode : order) {
      const auto& sims = modes.at(mode);
      const double w = 1.0 / static_cast<double>(sims.size());
      double stagings = 0, hits = 0, bytes = 0, staging_s = 0, cycle_s = 0, cycles = 0;
      for (const auto* s : sims) {
        if (k >= s->campaigns.size()) continue;
        const core::CampaignSim& c = s->campaigns[k];
        stagings += w * static_cast<double>(c.data.stagings);
        hits += w * static_cast<double>(c.data.hits);
        bytes += w * c.data.staged_bytes;
        staging_s += w * c.data.staging_s;
        cycle_s += w * c.cycle.total();
        cycles += w * static_cast<double>(c.cycles);
      }
      any = any || stagings > 0;
      bm[mode] = {{"stagings", r6(stagings)},
                  {"cache_hit_rate", stagings > 0 ? ojson(r6(hits / stagings)) : ojson(nullptr)},
                  {"staged_tb", r6(bytes / TB)},
                  {"staging_h", r6(staging_s / 3600.0)},
                  {"staging_h_per_cycle", cycles > 0 ? ojson(r6(staging_s / 3600.0 / cycles)) : ojson(nullptr)},
                  {"staging_share_of_cycle", cycle_s > 0 ? ojson(r6(staging_s / cycle_s)) : ojson(nullptr)}};
    }
    if (any) camps.push_back({{"campaign", sc.campaigns[k].name}, {"by_mode", bm}});
  }
  out["campaigns"] = camps;
  for (const auto& mode : order) {
    const auto& sims = modes.at(mode);
    const double w = 1.0 / static_cast<double>(sims.size());
    double moving = 0, offline = 0, behind = 0, bytes = 0;
    for (const auto* s : sims)
      for (const auto& d : s->datasets) {
        moving += w * (d.transfer_s - d.hold_s);
        offline += w * d.hold_s;
        behind += w * d.wait_s;
        bytes += w * d.bytes;
      }
    waits[mode] = {{"staged_tb", r6(bytes / TB)},
                   {"moving_h", r6(moving / 3600.0)},
                   {"links_offline_h", r6(offline / 3600.0)},
                   {"behind_another_staging_h", r6(behind / 3600.0)}};
  }
  out["where_data_waits"] = waits.is_null() ? ojson::object() : waits;
  return out;
}

ojson models_json(const core::RunResult& run) {
  const core::ScenarioFacts& sc = run.scenario;
  ojson out;
  out["enabled"] = !sc.models.empty();
  const auto modes = sims_by_mode(run);
  const auto order = mode_order(run);
  ojson list = ojson::array();
  for (std::size_t k = 0; k < sc.models.size(); ++k) {
    const auto& m = sc.models[k];
    ojson o;
    o["name"] = m.name;
    o["domain"] = m.domain;
    o["system"] = m.system;
    o["classification"] = m.classification;
    o["datasets"] = m.datasets;
    o["training_gpu_hours"] = m.gpu_hours > 0 ? ojson(r6(m.gpu_hours)) : ojson(nullptr);
    o["training_nodes"] = m.nodes;
    o["retrain"] = m.retrain;
    o["quality"] = {{"error_sd", r6(m.error_sd)}, {"alpha", r6(m.alpha)}};
    o["used_by"] = m.used_by;
    ojson bm;
    for (const auto& mode : order) {
      const auto& sims = modes.at(mode);
      const double w = 1.0 / static_cast<double>(sims.size());
      double trainings = 0, finished = 0, queue_s = 0, run_s = 0, gpu = 0, node = 0, energy = 0, jobs = 0, ranked = 0,
             inode = 0;
      for (const auto* s : sims) {
        if (k >= s->models.size()) continue;
        const core::ModelSim& x = s->models[k];
        for (const auto& t : x.trainings) {
          trainings += w;
          if (!t.ok) continue;
          finished += w;
          queue_s += w * (t.start_s - t.submit_s);
          run_s += w * (t.end_s - t.start_s);
          gpu += w * t.gpu_hours;
          node += w * t.node_hours;
          energy += w * t.energy_j;
        }
        jobs += w * static_cast<double>(x.inference_jobs);
        ranked += w * static_cast<double>(x.ranked);
        inode += w * x.inference_node_hours;
      }
      ojson mo;
      mo["trainings"] = r6(trainings);
      mo["trainings_finished"] = r6(finished);
      mo["queue_h_mean"] = finished > 0 ? ojson(r6(queue_s / finished / 3600.0)) : ojson(nullptr);
      mo["run_h_mean"] = finished > 0 ? ojson(r6(run_s / finished / 3600.0)) : ojson(nullptr);
      mo["gpu_hours"] = r6(gpu);
      mo["node_hours"] = r6(node);
      mo["energy_kwh"] = r6(energy / 3.6e6);
      mo["inference_jobs"] = r6(jobs);
      mo["candidates_ranked"] = r6(ranked);
      mo["inference_node_hours"] = r6(inode);
      // Replication 0's versions: when each was ready and how good it was.
      ojson versions = ojson::array();
      if (k < sims.front()->models.size())
        for (const auto& t : sims.front()->models[k].trainings)
          versions.push_back({{"version", t.version},
                              {"requested_day", r6(t.requested_s / 86400.0)},
                              {"staging_h", r6((t.staged_s - t.requested_s) / 3600.0)},
                              {"queued_h", t.ok ? ojson(r6((t.start_s - t.submit_s) / 3600.0)) : ojson(nullptr)},
                              {"run_h", t.ok ? ojson(r6((t.end_s - t.start_s) / 3600.0)) : ojson(nullptr)},
                              {"ready_day", t.ok ? ojson(r6(t.end_s / 86400.0)) : ojson(nullptr)},
                              {"data_tb", r6(t.data_bytes / TB)},
                              {"error_sd", t.ok ? ojson(r6(t.error_sd)) : ojson(nullptr)},
                              {"job_id", t.job_id},
                              {"state", t.ok ? "done" : t.failure.empty() ? "unfinished at the horizon" : t.failure}});
      mo["versions"] = versions;
      bm[mode] = mo;
    }
    o["by_mode"] = bm;
    list.push_back(std::move(o));
  }
  out["models"] = list;
  // What the models bought: the closed loop without them, paired.
  ojson bought = nullptr;
  const auto cl = modes.find("closed_loop");
  if (cl != modes.end() && run.no_models.simulations > 0) {
    const PairedDiff d = paired_diff(sc, cl->second, run.no_models);
    if (d.ok) {
      double e_with = 0, d_with = 0, e_without = 0, d_without = 0;
      for (std::size_t r = 0; r < cl->second.size(); ++r) {
        for (const auto& c : cl->second[r]->campaigns) {
          e_with += static_cast<double>(c.experiments);
          d_with += static_cast<double>(c.discoveries);
        }
        if (r < run.no_models.experiments.size())
          for (std::size_t c = 0; c < run.no_models.experiments[r].size(); ++c) {
            e_without += run.no_models.experiments[r][c];
            d_without += run.no_models.discoveries[r][c];
          }
      }
      bought = ojson::object();
      bought["method"] =
          "the closed loop run again with the same seeds and no campaign using a foundation model (each screens by "
          "simulation alone); differences paired by replication, 95 % t-intervals";
      bought["simulations"] = run.no_models.simulations;
      bought["with_models_per_year"] = opt(d.with_per_year);
      bought["without_models_per_year"] = opt(d.without_per_year);
      bought["gained_per_year"] = ci_json(d.total);
      bought["experiments_per_discovery"] = {
          {"with_models", d_with > 0 ? ojson(r6(e_with / d_with)) : ojson(nullptr)},
          {"without_models", d_without > 0 ? ojson(r6(e_without / d_without)) : ojson(nullptr)}};
      ojson per = ojson::array();
      for (std::size_t c = 0; c < sc.campaigns.size() && c < d.per_campaign.size(); ++c)
        per.push_back({{"campaign", sc.campaigns[c].name}, {"gained_per_year", ci_json(d.per_campaign[c])}});
      bought["per_campaign"] = per;
    }
  }
  out["bought"] = bought;
  // What retraining bought: the closed loop with every model trained once, paired.
  ojson retraining = nullptr;
  if (cl != modes.end() && run.no_retraining.simulations > 0) {
    const PairedDiff d = paired_diff(sc, cl->second, run.no_retraining);
    if (d.ok) {
      std::vector<double> gpu;
      for (std::size_t r = 0; r < cl->second.size() && r < run.no_retraining.model_gpu_hours.size(); ++r) {
        double g = 0;
        for (const auto& m : cl->second[r]->models)
          for (const auto& t : m.trainings) g += t.gpu_hours;
        gpu.push_back(g - run.no_retraining.model_gpu_hours[r]);
      }
      const MeanCi extra = mean_ci(gpu, false);
      retraining = ojson::object();
      retraining["method"] =
          "the closed loop run again with the same seeds and every model trained once (no retraining); differences "
          "paired by replication, 95 % t-intervals";
      retraining["simulations"] = run.no_retraining.simulations;
      retraining["with_retraining_per_year"] = opt(d.with_per_year);
      retraining["trained_once_per_year"] = opt(d.without_per_year);
      retraining["gained_per_year"] = ci_json(d.total);
      retraining["extra_gpu_hours"] = ci_json(extra);
      retraining["discoveries_per_1000_gpu_hours"] =
          extra.mean > 0 ? ojson(r6(d.total.mean / (extra.mean / 1000.0) * (sc.horizon_s / YEAR_S))) : ojson(nullptr);
    }
  }
  out["retraining_bought"] = retraining;
  return out;
}

ojson lineage_record_json(const core::LineageRecord& r) {
  ojson o;
  o["campaign"] = r.campaign;
  o["problem"] = r.problem;
  o["experiment"] = r.experiment;
  o["cycle"] = r.cycle;
  o["candidate"] = r.candidate;
  o["decision"] = {{"policy", r.policy},
                   {"model", r.model.empty() ? ojson(nullptr) : ojson(r.model)},
                   {"model_version", r.model.empty() ? ojson(nullptr) : ojson(r.model_version)},
                   {"decided_s", r6(r.decided_s)}};
  o["screening"] = {{"system", r.screening_system.empty() ? ojson(nullptr) : ojson(r.screening_system)},
                    {"jobs", r.screening_jobs},
                    {"inference_system", r.inference_system.empty() ? ojson(nullptr) : ojson(r.inference_system)},
                    {"inference_job", r.inference_job >= 0 ? ojson(r.inference_job) : ojson(nullptr)}};
  ojson transfers = ojson::array();
  for (const auto& t : r.transfers)
    transfers.push_back({{"id", t.id}, {"what", t.what}, {"bytes", r6(t.bytes)}, {"links", t.links}});
  o["transfers"] = transfers;
  o["lab"] = {{"name", r.lab}, {"sample", r.sample}, {"units", r.units}, {"robot_moves", r.robot_moves}};
  o["ok"] = r.ok;
  o["value"] = r.ok ? ojson(r6(r.value)) : ojson(nullptr);
  o["discovery"] = r.discovery;
  o["end_s"] = r6(r.end_s);
  ojson steps = ojson::array();
  for (const auto& t : r.timeline)
    steps.push_back({{"stage", t.stage}, {"what", t.what}, {"start_s", r6(t.start_s)}, {"end_s", r6(t.end_s)}});
  o["timeline"] = steps;
  return o;
}

ojson lineage_json(const core::RunResult& run) {
  ojson out;
  out["what"] = "the first discoveries of each campaign in replication 0: the decision that chose each, the jobs that "
                "ranked it, what it moved, where it ran (full records for every experiment: --outputs lineage)";
  ojson modes;
  for (const auto& s : run.sims) {
    if (s.replication != run.sims.front().replication) continue;
    ojson camps = ojson::array();
    for (const auto& c : s.campaigns) {
      ojson recs = ojson::array();
      for (const auto& r : c.discovery_lineage) recs.push_back(lineage_record_json(r));
      camps.push_back({{"campaign", c.name}, {"discoveries", recs}});
    }
    modes[s.mode] = camps;
  }
  out["by_mode"] = modes.is_null() ? ojson::object() : modes;
  return out;
}

std::string build_lineage(const core::RunResult& run) {
  std::string out;
  for (const auto& s : run.sims)
    for (const auto& r : s.log.lineage) {
      ojson line;
      line["mode"] = s.mode;
      line["replication"] = s.replication;
      const ojson rec = lineage_record_json(r);
      for (const auto& [k, v] : rec.items()) line[k] = v;
      out += line.dump() + "\n";
    }
  return out;
}

}  // namespace twin::reports
